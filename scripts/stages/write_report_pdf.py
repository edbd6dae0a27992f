"""Adapter for rule report_pdf (logic: trpm6_hsh.report)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.report import print_pdf
from trpm6_hsh.runner import run_stage

run_stage(snakemake.log[0], print_pdf, html=Path(snakemake.params.html), out_pdf=Path(snakemake.output.pdf))
