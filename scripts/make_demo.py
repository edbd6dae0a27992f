#!/usr/bin/env python3
"""Maintainer tool: regenerate the committed synthetic demo (resources/demo/GRCh38) and its config copies.

Run from anywhere: ``python scripts/make_demo.py``. It works from the repository root so that the sample
sheet holds repository-relative VCF paths, then copies samples.tsv to config/samples.tsv and
expected_verdicts.tsv to config/demo_expected.tsv. The logic lives in ``trpm6_hsh.demo``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from trpm6_hsh.demo import write_demo  # noqa: E402

DEMO_DIR = Path("resources/demo/GRCh38")


def main() -> int:
    os.chdir(REPO)
    for path in write_demo(out_dir=DEMO_DIR, build="GRCh38"):
        print(path)
    shutil.copyfile(DEMO_DIR / "samples.tsv", Path("config/samples.tsv"))
    shutil.copyfile(DEMO_DIR / "expected_verdicts.tsv", Path("config/demo_expected.tsv"))
    print("config/samples.tsv\nconfig/demo_expected.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
