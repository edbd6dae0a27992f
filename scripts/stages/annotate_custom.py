"""Adapter for rule annotate_custom (logic: trpm6_hsh.external_annotators.tools)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.external_annotators.tools import run_custom_annotator
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    run_custom_annotator,
    command=snakemake.params.command,
    vcf=Path(snakemake.input.vcf),
    fasta=Path(snakemake.input.fasta),
    model=Path(snakemake.input.model),
    build=snakemake.params.build,
    out=Path(snakemake.output.annotated),
)
