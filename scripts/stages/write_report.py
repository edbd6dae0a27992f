"""Adapter for rule write_report (logic: trpm6_hsh.report)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.inheritance import sample_from_record
from trpm6_hsh.report import write_report
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    write_report,
    verdict=Path(snakemake.input.verdict),
    resources=Path(snakemake.input.resources),
    vcf_checksums=[Path(path) for path in snakemake.input.vcf_checksums],
    model=Path(snakemake.input.model),
    schema=Path(snakemake.input.schema),
    sample=sample_from_record(dict(snakemake.params.sample)),
    build=snakemake.params.build,
    config_sha256=snakemake.params.config_sha256,
    annotator=snakemake.params.annotator,
    report_settings=dict(snakemake.params.report_settings),
    out_html=Path(snakemake.output.html),
    out_json=Path(snakemake.output.json),
    out_tsv=Path(snakemake.output.tsv),
    sample_sheet=Path(snakemake.params.sample_sheet),
    consequences=Path(snakemake.input.consequences),
    extract_summary=Path(snakemake.input.extract_summary),
    population_source=dict(snakemake.params.population_source),
    clinvar_min_review_stars=int(snakemake.params.clinvar_min_review_stars),
    children=[
        (sample_from_record(dict(child)), Path(path))
        for child, path in zip(snakemake.params.children, snakemake.input.children_verdicts, strict=True)
    ],
)
