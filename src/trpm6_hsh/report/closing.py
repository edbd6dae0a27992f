"""The few lines a finished run prints on the terminal (import-light: the head node loads it with Snakemake alone)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path


def closing_summary(summary_tsv: Path) -> str:
    """What a finished run wrote, for the terminal: counts per verdict and where to look first."""
    summary_tsv = Path(summary_tsv)
    if not summary_tsv.is_file():
        return ""
    with open(summary_tsv, encoding="utf-8", newline="") as handle:
        verdicts = Counter(row["verdict"] for row in csv.DictReader(handle, delimiter="\t"))
    counts = ", ".join(f"{verdict} {count}" for verdict, count in sorted(verdicts.items()))
    folder = summary_tsv.parent.parent
    return (
        f"trpm6-hsh: {sum(verdicts.values())} sample(s) reported: {counts}.\n"
        f"  Reports: {folder / 'reports'}/<sample>.report.html (draft until reviewed and signed)\n"
        f"  Cohort page: {folder / 'cohort' / 'summary.html'}; logs: {folder / 'logs'}/\n"
    )
