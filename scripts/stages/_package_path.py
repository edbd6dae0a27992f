"""Put the checkout's src/ on sys.path, so rule adapters work without `pip install -e .`.

Snakemake adds this folder to sys.path before running an adapter; importing this module first
then makes the trpm6_hsh package importable, also inside per-rule conda environments.
"""

import sys
from pathlib import Path

PACKAGE_DIR = str(Path(__file__).resolve().parents[2] / "src")
if PACKAGE_DIR not in sys.path:
    sys.path.insert(0, PACKAGE_DIR)
