"""Adapter for rule classify_variants (logic: trpm6_hsh.classify)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.classify import classify_variants
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    classify_variants,
    consequences=Path(snakemake.input.consequences),
    vcf=Path(snakemake.input.vcf),
    out=Path(snakemake.output.table),
    population=dict(snakemake.params.population),
    clinvar=dict(snakemake.params.clinvar),
    clinvar_vcf=Path(snakemake.input.clinvar_vcf[0]) if snakemake.input.clinvar_vcf else None,
    population_vcf=Path(snakemake.input.gnomad_vcf[0]) if snakemake.input.gnomad_vcf else None,
    build=snakemake.params.build,
    coverage_bed=Path(snakemake.input.coverage_bed[0]) if snakemake.input.coverage_bed else None,
    model=Path(snakemake.input.model),
)
