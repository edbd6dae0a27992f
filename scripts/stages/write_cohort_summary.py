"""Adapter for rule cohort_summary (logic: trpm6_hsh.report)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.report import summarise
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    summarise,
    report_paths=[Path(path) for path in snakemake.input.reports],
    out_tsv=Path(snakemake.output.tsv),
    out_html=Path(snakemake.output.html),
    link_pdf=bool(snakemake.params.link_pdf),
)
