"""Open VCF/BCF with pysam, including plain-gzip (not bgzip) files, which htslib cannot stream."""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pysam


def _is_plain_gzip(path: Path) -> bool:
    """gzip but not BGZF (BGZF has the 'BC' extra subfield)."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    return head[:2] == b"\x1f\x8b" and not (head[3] & 4 and head[12:14] == b"BC")


@contextmanager
def open_vcf(path: Path) -> Iterator[pysam.VariantFile]:
    """``pysam.VariantFile`` over ``path``; a plain-gzip file is decompressed to a temporary copy first."""
    path = Path(path)
    if _is_plain_gzip(path):
        with tempfile.NamedTemporaryFile(suffix=".vcf") as copy:
            with gzip.open(path, "rb") as source:
                shutil.copyfileobj(source, copy)
            copy.flush()
            with pysam.VariantFile(copy.name) as vcf:
                yield vcf
        return
    with pysam.VariantFile(str(path)) as vcf:
        yield vcf
