"""Put the checkout's src/ on sys.path, so rule adapters work without `pip install -e .`.

Snakemake adds this folder to sys.path before running an adapter; importing this module first
then makes the trpm6_hsh package importable, also inside per-rule conda environments.
"""

import sys
from pathlib import Path

PACKAGE_DIR = str(Path(__file__).resolve().parents[2] / "src")
# First, even when already listed: Snakemake's script preamble appends it after site-packages, where an
# installed (or editable) trpm6_hsh of another checkout would otherwise be imported instead.
if sys.path[:1] != [PACKAGE_DIR]:
    sys.path.insert(0, PACKAGE_DIR)
