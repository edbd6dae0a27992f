"""The workflow's start-up, as workflow/rules/common.smk runs it, without Snakemake: validate the config, load the
sample sheet, plan the run. Hostile sheet and config cases call this (milliseconds instead of a Snakemake run).

Relative paths (the config's ``samples``, the sheet's ``vcf``/``alignment``/``sv_vcf``) are read from the folder
Snakemake runs in (its ``--directory``), so the caller changes into the run folder first, as Snakemake does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hostile.chain import DEMO, FASTA, REPO
from trpm6_hsh.config import Sample, load_samples, validate_config
from trpm6_hsh.runplan import RunPlan, plan_run

SCHEMAS = REPO / "workflow" / "schemas"
RESOURCES = REPO / "resources"
CONFIG_SOURCE = "the workflow config"
"""How common.smk names the config in its messages (Snakemake merges --configfile files before our code runs)."""

SHEET_COLUMNS = ("sample_id", "vcf", "family_id", "paternal_id", "maternal_id", "sex", "affected")
DEMO_VCF = DEMO / "demo01.vcf.gz"


def sheet_text(rows: Sequence[Mapping[str, str]], columns: Sequence[str] = SHEET_COLUMNS) -> str:
    """A tab-separated sheet: the header, then each row's cells in column order (missing cells empty)."""
    lines = ["\t".join(columns), *("\t".join(row.get(column, "") for column in columns) for row in rows)]
    return "\n".join(lines) + "\n"


def base_config(sheet: Path | str) -> dict[str, Any]:
    """The smallest config a lab writes: the sheet and the reference (here the demo's, with .fai and .gzi)."""
    return {"samples": str(sheet), "reference": {"fasta": str(FASTA), "build": "GRCh38"}}


def start_up(config: Mapping[str, Any]) -> tuple[tuple[Sample, ...], RunPlan]:
    """What common.smk does before any rule runs; raises the Trpm6Error it would print as one line."""
    validated = validate_config(config, SCHEMAS / "config.schema.yaml", CONFIG_SOURCE)
    samples = load_samples(Path(validated["samples"]), SCHEMAS / "samples.schema.yaml")
    return samples, plan_run(validated, samples, RESOURCES)


def tree(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its size: start-up must leave it as it found it."""
    return {str(path.relative_to(folder)): path.stat().st_size for path in sorted(folder.rglob("*")) if path.is_file()}
