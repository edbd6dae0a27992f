"""Adapter for rule normalise_consequences (logic: trpm6_hsh.external_annotators.normalise)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.external_annotators.normalise import normalise_annotation
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    normalise_annotation,
    annotator=snakemake.wildcards.annotator,
    annotated=Path(snakemake.input.annotated),
    locus_vcf=Path(snakemake.input.vcf),
    fasta=Path(snakemake.input.fasta),
    model=Path(snakemake.input.model),
    out=Path(snakemake.output.table),
    output_format=snakemake.params.output_format,
)
