"""Run a VCF through the package's real stages on the demo reference: extract → annotate → classify → verdict.

The hostile tests call this instead of Snakemake (seconds instead of minutes); what only the workflow shows
(config and sheet start-up errors) is tested there separately.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from trpm6_hsh.builtin_annotator import annotate_vcf
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.config import Sample, default_config
from trpm6_hsh.extract import extract_locus
from trpm6_hsh.inheritance import call_biallelic_status

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo" / "GRCh38"
FASTA = DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
LOCUS_BED = REPO / "resources" / "GRCh38" / "trpm6_locus.bed"
VERDICT_SCHEMA = json.loads((REPO / "workflow" / "schemas" / "verdict.schema.json").read_text())


@dataclass(frozen=True)
class ChainResult:
    """Every sample's verdict document (as JSON) and the extract summary's notes."""

    verdicts: dict[str, dict]
    notes: tuple[str, ...]
    records_written: int
    indexed_access: bool


def run_chain(folder: Path, vcf: Path, samples: Sequence[str] = ("P1",)) -> ChainResult:
    """Each sample of ``vcf`` through the four stages, as unrelated probands; stage outputs under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    config = default_config()
    locus = folder / "locus" / "batch.vcf.gz"
    summary = extract_locus(vcf, samples, FASTA, LOCUS_BED, locus, build="GRCh38",
                            summary_json=folder / "locus" / "batch.extract.json")
    consequences = folder / "batch.consequences.tsv"
    annotate_vcf(FASTA, MODEL, locus, consequences)
    table = folder / "batch.variants.tsv"
    classify_variants(consequences, locus, table, config["population"])
    verdicts = {}
    for sample_id in samples:
        out = folder / "verdicts" / f"{sample_id}.verdict.json"
        call_biallelic_status(Sample(sample_id=sample_id, vcf=str(vcf)), {sample_id: "batch"}, [locus], [table],
                              config["genotype_qc"], MODEL, out)
        document = json.loads(out.read_text())
        jsonschema.validate(document, VERDICT_SCHEMA)
        verdicts[sample_id] = document
    return ChainResult(verdicts, summary.notes, summary.records_written, summary.indexed_access)
