"""Adapter for rule call_biallelic_status (logic: trpm6_hsh.inheritance)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.inheritance import call_biallelic_status, sample_from_record
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    call_biallelic_status,
    sample=sample_from_record(snakemake.params.sample),
    family_batches=dict(snakemake.params.batches),
    locus_vcfs=[Path(path) for path in snakemake.input.locus],
    variant_tables=[Path(path) for path in snakemake.input.variants],
    genotype_qc=dict(snakemake.params.genotype_qc),
    model=Path(snakemake.input.model),
    out=Path(snakemake.output.verdict),
    callability=dict(snakemake.params.callability),
    reference_fasta=Path(snakemake.params.reference_fasta),
    phenotype=dict(snakemake.params.phenotype),
    population=dict(snakemake.params.population),
    alignments=dict(snakemake.params.alignments),
    copy_number={member: Path(path) for member, path in dict(snakemake.params.copy_number).items()},
    cnv=dict(snakemake.params.cnv),
)
