"""Adapter for rule call_copy_number (logic: trpm6_hsh.copy_number)."""

from pathlib import Path

import _package_path  # noqa: F401 - makes trpm6_hsh importable from a plain checkout

from trpm6_hsh.copy_number import write_batch_copy_number
from trpm6_hsh.runner import run_stage

run_stage(
    snakemake.log[0],
    write_batch_copy_number,
    alignments={sample: Path(path) for sample, path in dict(snakemake.params.alignments).items()},
    fasta=Path(snakemake.input.fasta),
    model=Path(snakemake.input.model),
    cnv=dict(snakemake.params.cnv),
    outputs={sample: Path(path) for sample, path in dict(snakemake.params.outputs).items()},
    status_out=Path(snakemake.output.status),
)
