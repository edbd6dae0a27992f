"""Adapter for the cohort-mode rules (logic: trpm6_hsh.cohort)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout
from _many_samples import shared_report_arguments

from trpm6_hsh.cohort import write_cohort_reports
from trpm6_hsh.inheritance import sample_from_record
from trpm6_hsh.provenance import read_job_plan
from trpm6_hsh.runner import run_stage

plan = read_job_plan(Path(snakemake.input.plan))["arguments"]

run_stage(
    snakemake.log[0],
    write_cohort_reports,
    samples=[sample_from_record(dict(sample)) for sample in plan["samples"]],
    verdict_arguments={
        "family_batches": dict(plan["family_batches"]),
        "locus_vcfs": [Path(path) for path in snakemake.input.locus],
        "variant_tables": [Path(path) for path in snakemake.input.variants],
        "genotype_qc": dict(snakemake.params.genotype_qc),
        "model": Path(snakemake.input.model),
        "callability": dict(snakemake.params.callability),
        "reference_fasta": Path(snakemake.params.reference_fasta),
        "phenotype": dict(snakemake.params.phenotype),
        "population": dict(snakemake.params.population),
        "copy_number": {member: Path(path) for member, path in dict(plan["copy_number"]).items()},
        "cnv": dict(snakemake.params.cnv),
    },
    report_arguments={
        **shared_report_arguments(snakemake),
        "consequences": Path(snakemake.input.consequences),
        "extract_summary": Path(snakemake.input.extract_summary),
        "population_source": dict(plan["population_source"]),
    },
    vcf_checksums={sample: [Path(p) for p in paths] for sample, paths in plan["vcf_checksums"].items()},
    results=Path("results"),
    workers=snakemake.threads,
    children={
        sample: [sample_from_record(dict(child)) for child in children]
        for sample, children in plan["children"].items()
    },
)
