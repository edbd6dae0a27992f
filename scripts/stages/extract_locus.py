"""Adapter for rule extract_locus (logic: trpm6_hsh.extract)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.extract import extract_locus
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    extract_locus,
    vcf=Path(snakemake.input.vcf),
    samples=list(snakemake.params.samples),
    fasta=Path(snakemake.input.fasta),
    region_bed=Path(snakemake.input.region),
    out_vcf=Path(snakemake.output.vcf),
    build=snakemake.params.build,
    summary_json=Path(snakemake.output.summary),
)
