"""Adapter for rule plan_cohort (logic: trpm6_hsh.provenance.write_job_plan)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.provenance import write_job_plan
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    write_job_plan,
    arguments=dict(snakemake.params.arguments),
    out=Path(snakemake.output.plan),
)
