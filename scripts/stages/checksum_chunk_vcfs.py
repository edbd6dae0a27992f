"""Adapter for rule checksum_chunk_vcfs (logic: trpm6_hsh.provenance)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.provenance import checksum_chunk_vcfs
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    checksum_chunk_vcfs,
    vcfs=dict(snakemake.params.vcfs),
    out=Path(snakemake.output.checksums),
)
