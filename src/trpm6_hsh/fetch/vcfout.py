"""Write a small sites VCF (header + records as text) bgzipped and tabix-indexed, through pysam."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pysam


def write_indexed_vcf(target_gz: Path, header_lines: Sequence[str], records: Sequence[str]) -> None:
    """``target_gz`` (must end in .vcf.gz) and its .tbi; records must be sorted by position."""
    plain = Path(str(target_gz).removesuffix(".gz"))
    with open(plain, "w", encoding="utf-8", newline="\n") as handle:
        for line in header_lines:
            handle.write(line.rstrip("\n") + "\n")
        for line in records:
            handle.write(line.rstrip("\n") + "\n")
    pysam.tabix_index(str(plain), preset="vcf", force=True, keep_original=False)
