"""Compare a demo run's verdicts with config/demo_expected.tsv; exit 1 naming both when they differ.

    python3 scripts/ci/check_demo_verdicts.py RUN_DIR [LABEL]

Used by .ci/run and the SLURM and Apptainer demo scripts (RUN_DIR holds results/cohort/summary.tsv).
"""

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def verdicts(table: Path) -> dict[str, str]:
    with table.open(newline="", encoding="utf-8") as handle:
        return {row["sample_id"]: row["verdict"] for row in csv.DictReader(handle, delimiter="\t")}


def main(argv: list[str]) -> int:
    run, label = Path(argv[1]), argv[2] if len(argv) > 2 else "demo"
    expected = verdicts(REPO / "config" / "demo_expected.tsv")
    got = verdicts(run / "results" / "cohort" / "summary.tsv")
    if got != expected:
        print(f"{label} verdicts differ: {got} != {expected}", file=sys.stderr)
        return 1
    print(f"{label} verdicts: {len(got)} of {len(expected)} as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
