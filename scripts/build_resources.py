#!/usr/bin/env python3
"""Maintainer tool: regenerate the shipped TRPM6 transcript model files under resources/<build>/.

Run from anywhere: ``python scripts/build_resources.py``. The logic lives in
``trpm6_hsh.model_resources``; the repository paths come from ``trpm6_hsh.shipped``. resources/ is the only
copy of the model files: the package reads them there too (no copy in package data).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from trpm6_hsh.model_resources import write_resources  # noqa: E402
from trpm6_hsh.shipped import exon_table, resources_dir  # noqa: E402


def main() -> int:
    for path in write_resources(exon_table(), resources_dir()):
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
