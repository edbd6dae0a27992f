"""Adapter for rule annotate_bcftools_csq (logic: trpm6_hsh.external_annotators.tools)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.external_annotators.tools import run_bcftools_csq
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    run_bcftools_csq,
    fasta=Path(snakemake.input.fasta),
    gff=Path(snakemake.input.model),
    vcf=Path(snakemake.input.vcf),
    out=Path(snakemake.output.vcf),
    phase=snakemake.params.phase,
)
