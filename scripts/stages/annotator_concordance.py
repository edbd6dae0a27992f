"""Adapter for rule annotator_concordance (logic: trpm6_hsh.external_annotators.concordance)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.external_annotators.concordance import write_concordance
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    write_concordance,
    annotators=list(snakemake.params.annotators),
    tables=[Path(path) for path in snakemake.input.tables],
    out=Path(snakemake.output.table),
)
