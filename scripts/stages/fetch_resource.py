"""Adapter for rules fetch_transcripts / fetch_clinvar / fetch_gnomad (logic: trpm6_hsh.fetch.commands)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.fetch.commands import fetch_for_workflow
from trpm6_hsh.runner import run_stage

settings = dict(snakemake.params.fetch)
run_stage(
    snakemake.log[0],
    fetch_for_workflow,
    kind=snakemake.params.source,
    cache=Path(settings["cache"]),
    build=snakemake.params.build,
    release=snakemake.params.release,
    offline=bool(settings["offline"]),
    urls=dict(settings["urls"]),
    timeout_s=float(settings["timeout_s"]),
    attempts=int(settings["attempts"]),
)
