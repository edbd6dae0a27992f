"""Adapter for rule chunk (logic: trpm6_hsh.chunk_job)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout
from _many_samples import shared_report_arguments

from trpm6_hsh.chunk_job import Resources, chunk_files, run_chunk
from trpm6_hsh.inheritance import sample_from_record
from trpm6_hsh.runner import run_stage

chunk = snakemake.params.arguments


def optional(files):
    return Path(files[0]) if files else None


run_stage(
    snakemake.log[0],
    run_chunk,
    files=chunk_files(chunk, dict(snakemake.params.vcfs)),
    samples=[sample_from_record(dict(sample)) for sample in chunk["samples"]],
    resources=Resources(
        reference_fasta=Path(snakemake.input.fasta),
        locus_bed=Path(snakemake.input.region),
        model=Path(snakemake.input.model),
        build=snakemake.params.build,
        clinvar_vcf=optional(snakemake.input.clinvar_vcf),
        population_vcf=optional(snakemake.input.gnomad_vcf),
        coverage_bed=optional(snakemake.input.coverage_bed),
    ),
    family_batches=dict(chunk["family_batches"]),
    verdict_settings={
        "genotype_qc": dict(snakemake.params.genotype_qc),
        "callability": dict(snakemake.params.callability),
        "phenotype": dict(snakemake.params.phenotype),
        "population": dict(snakemake.params.population),
        "alignments": dict(chunk["alignments"]),
        "copy_number": {member: Path(path) for member, path in dict(chunk["copy_number"]).items()},
        "cnv": dict(snakemake.params.cnv),
    },
    report_arguments=shared_report_arguments(snakemake),
    sample_report_arguments={
        sample_id: {
            "consequences": Path(arguments["consequences"]),
            "extract_summary": Path(arguments["extract_summary"]),
            "population_source": dict(arguments["population_source"]),
        }
        for sample_id, arguments in chunk["per_sample"].items()
    },
    vcf_checksums={sample: [Path(p) for p in paths] for sample, paths in chunk["vcf_checksums"].items()},
    children={
        sample: [sample_from_record(dict(child)) for child in children]
        for sample, children in chunk["children"].items()
    },
    manifest=Path(snakemake.output.manifest),
    chunk=snakemake.wildcards.chunk,
    results=Path("results"),
    workers=snakemake.threads,
)
