"""Adapter for rule checksum_resources (logic: trpm6_hsh.provenance)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.provenance import checksum_resources
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    checksum_resources,
    files={role: Path(path) for role, path in snakemake.input.items()},
    out=Path(snakemake.output.checksums),
)
