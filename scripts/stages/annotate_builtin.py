"""Adapter for rule annotate_builtin (logic: trpm6_hsh.builtin_annotator)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.builtin_annotator import annotate_vcf
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    annotate_vcf,
    fasta=Path(snakemake.input.fasta),
    model=Path(snakemake.input.model),
    vcf=Path(snakemake.input.vcf),
    out=Path(snakemake.output.table),
)
