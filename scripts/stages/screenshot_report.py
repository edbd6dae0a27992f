"""Adapter for rule screenshot_report (logic: trpm6_hsh.report.browser)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.report.browser import screenshot_report
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    screenshot_report,
    html=Path(snakemake.params.html),
    screenshot=Path(snakemake.output.png),
    check_json=Path(snakemake.output.check),
)
