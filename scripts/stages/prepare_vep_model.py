"""Adapter for rule prepare_vep_model (logic: trpm6_hsh.external_annotators.tools)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.external_annotators.tools import prepare_vep_model
from trpm6_hsh.runner import run_stage

run_stage(snakemake.log[0], prepare_vep_model, model=Path(snakemake.input.model), out=Path(snakemake.output.model))
