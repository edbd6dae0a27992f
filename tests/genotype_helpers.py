"""Run tiny VCFs through the real extract and inheritance entry points (shared by the genotype tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from conftest import REPO
from test_extract import write_bed, write_fasta

from trpm6_hsh.config import Sample
from trpm6_hsh.extract import extract_locus
from trpm6_hsh.inheritance import call_batch_verdicts
from trpm6_hsh.tsv import write_table

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}
COLUMNS = ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"]
CLASS_FLAGS = {
    "Pathogenic": ("true", "false"),
    "Likely pathogenic": ("true", "false"),
    "Uncertain significance": ("false", "true"),
    "Likely benign": ("false", "false"),
}
HEADER = """##fileformat=VCFv4.2
##contig=<ID={contig},length=3000>
##FILTER=<ID=LowQual,Description="Low quality">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
"""


def write_input_vcf(path: Path, samples: Sequence[str], records: Sequence[str], contig: str = "chr9") -> Path:
    """A VCF of whitespace-separated record lines; '{chrom}' in a line becomes the contig."""
    columns = "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples])
    body = "".join("\t".join(line.format(chrom=contig).split()) + "\n" for line in records)
    path.write_text(HEADER.format(contig=contig) + columns + "\n" + body)
    return path


def write_classes(path: Path, classes: Mapping[tuple[int, str, str], str]) -> Path:
    """variants.tsv with the given class per (pos, ref, alt) on chr9 (the classify stage's output format)."""
    rows = [
        {"chrom": "chr9", "pos": pos, "ref": ref, "alt": alt, "classification": name,
         "qualifying": CLASS_FLAGS[name][0], "candidate_vus": CLASS_FLAGS[name][1]}
        for (pos, ref, alt), name in sorted(classes.items())
    ]
    write_table(path, COLUMNS, rows)
    return path


def verdicts_of(
    folder: Path,
    vcf: Path,
    samples: Sequence[Sample],
    classes: Mapping[tuple[int, str, str], str],
) -> dict[str, dict]:
    """Extract the locus of ``vcf`` (FASTA chr9), then every sample's verdict document as JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    fasta = folder / "ref_chr9.fa"
    if not fasta.exists():
        write_fasta(folder)
        write_bed(folder)
    ids = [sample.sample_id for sample in samples]
    locus = folder / "locus" / "batch.vcf.gz"
    extract_locus(vcf, ids, fasta, folder / "locus.bed", locus, build="GRCh38")
    table = write_classes(folder / "batch.variants.tsv", classes)
    documents = call_batch_verdicts(samples, {s: "batch" for s in ids}, [locus], [table], QC, MODEL)
    return {sample_id: document.to_json() for sample_id, document in documents.items()}
