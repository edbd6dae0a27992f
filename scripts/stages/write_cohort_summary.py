"""Adapter for rule cohort_summary (logic: trpm6_hsh.report)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.report import summarise
from trpm6_hsh.runner import run_stage
from trpm6_hsh.runplan import REPORT_FILE

run_stage(
    snakemake.log[0],
    summarise,
    # every sample's report, in sheet order (a chunk's reports are behind its manifest, the rule's input)
    report_paths=[Path(REPORT_FILE.format(sample=sample, extension="json")) for sample in snakemake.params.samples],
    out_tsv=Path(snakemake.output.tsv),
    out_html=Path(snakemake.output.html),
    link_pdf=bool(snakemake.params.link_pdf),
)
