"""A parent's BAM/CRAM shows the parent is reference at a site the parent's plain VCF does not list."""

from __future__ import annotations

from pathlib import Path

import pysam
from conftest import write_vcf
from test_inheritance import FMT, FRAMESHIFT, HET, MODEL, QC, STOP, _checked_document, _table

from trpm6_hsh.config import Sample
from trpm6_hsh.inheritance import call_biallelic_status
from trpm6_hsh.inheritance.members import AlignmentReads
from trpm6_hsh.model import VariantKey

STOP_POS = 74842100  # C>T


def bam_over(path: Path, position: int, reference_reads: int, variant_reads: int) -> Path:
    """A sorted, indexed BAM with 50-base reads centred on ``position``: C at the site, or T for variant reads."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr9", "LN": 138394717}]}
    unsorted = path.with_suffix(".unsorted.bam")
    with pysam.AlignmentFile(str(unsorted), "wb", header=header) as out:
        for index in range(reference_reads + variant_reads):
            read = pysam.AlignedSegment()
            read.query_name = f"read{index}"
            read.reference_id = 0
            read.reference_start = position - 25
            read.cigartuples = [(0, 50)]
            base = "T" if index < variant_reads else "C"
            read.query_sequence = "A" * 24 + base + "A" * 25
            read.query_qualities = pysam.qualitystring_to_array("I" * 50)
            read.mapping_quality = 60
            out.write(read)
    pysam.sort("-o", str(path), str(unsorted))
    pysam.index(str(path))
    return path


def verdict(tmp_path: Path, alignments: dict[str, Path]) -> dict:
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"]
    kid = write_vcf(tmp_path / "kid.vcf", ["KID"], records)
    dad = write_vcf(tmp_path / "dad.vcf", ["DAD"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}"])  # lists only what he has
    vcfs = {"KID": kid, "DAD": dad}
    tables = [_table(tmp_path / f"{path.stem}.variants.tsv") for path in vcfs.values()]
    out = tmp_path / "KID.verdict.json"
    call_biallelic_status(
        sample=Sample("KID", str(kid), paternal_id="DAD"),
        family_batches={member: path.stem for member, path in vcfs.items()},
        locus_vcfs=sorted(vcfs.values()), variant_tables=tables, genotype_qc=QC, model=MODEL, out=out,
        alignments=alignments,
    )  # fmt: skip
    return _checked_document(out)


def test_reads_showing_reference_make_the_absent_site_not_carried(tmp_path):
    bam = bam_over(tmp_path / "dad.bam", STOP_POS, reference_reads=30, variant_reads=0)
    result = verdict(tmp_path, {"DAD": bam})
    stop = next(v for v in result["variants"] if v["pos"] == STOP_POS)
    assert stop["parental_genotypes"]["DAD"] == "reference (alignment: 30 reads over the base, 0 with the variant)"


def test_variant_reads_in_the_parent_leave_the_site_unknown(tmp_path):
    bam = bam_over(tmp_path / "dad.bam", STOP_POS, reference_reads=20, variant_reads=10)
    result = verdict(tmp_path, {"DAD": bam})
    stop = next(v for v in result["variants"] if v["pos"] == STOP_POS)
    assert stop["parental_genotypes"]["DAD"].startswith("not called")


def test_too_few_reads_leave_the_site_unknown(tmp_path):
    bam = bam_over(tmp_path / "dad.bam", STOP_POS, reference_reads=4, variant_reads=0)
    result = verdict(tmp_path, {"DAD": bam})
    stop = next(v for v in result["variants"] if v["pos"] == STOP_POS)
    assert stop["parental_genotypes"]["DAD"].startswith("not called")



def test_the_reads_decide_only_single_base_substitutions_with_enough_depth(tmp_path):
    bam = bam_over(tmp_path / "dad.bam", STOP_POS, reference_reads=30, variant_reads=1)
    reads = AlignmentReads(bam, None, min_depth=10, min_base_quality=13, min_mapping_quality=20)
    assert reads.counts(VariantKey("chr9", STOP_POS, "C", "T")) == (31, 1)
    assert reads.shows_reference(VariantKey("chr9", STOP_POS, "C", "T"))  # 1 of 31: a trace, not a carrier
    assert not reads.shows_reference(VariantKey("chr9", STOP_POS, "CA", "C"))  # an indel: reads cannot tell
    assert not reads.shows_reference(VariantKey("chr9", STOP_POS + 1000, "G", "A"))  # no reads there
