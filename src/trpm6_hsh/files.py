"""File mechanics every stage shares: opening plain or gzip text, opening VCF/BCF, writing atomically.

Import-light (pysam is imported where a VCF is opened): the workflow's head node loads it with Snakemake alone.

One home for them, so a fix (for example a plain-gzip VCF, which htslib cannot stream) reaches every stage.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import pysam

GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """gzip or BGZF, by the file's first bytes (never by its name)."""
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def is_plain_gzip(path: Path) -> bool:
    """gzip but not BGZF (BGZF has the 'BC' extra subfield): htslib can read it only from start to end."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    return head[:2] == GZIP_MAGIC and not (len(head) >= 14 and head[3] & 4 and head[12:14] == b"BC")


def open_text(path: Path, encoding: str = "utf-8", errors: str = "strict") -> IO[str]:
    """A text handle over a plain, gzip or BGZF file."""
    if is_gzip(path):
        return gzip.open(path, "rt", encoding=encoding, errors=errors)
    return open(path, encoding=encoding, errors=errors)


@contextmanager
def open_vcf(path: Path) -> Iterator[pysam.VariantFile]:
    """``pysam.VariantFile`` over ``path``; a plain-gzip file is decompressed to a temporary copy first."""
    import pysam  # here, not at the top: the workflow's head node imports this module without pysam

    path = Path(path)
    if is_plain_gzip(path):
        with tempfile.NamedTemporaryFile(suffix=".vcf") as copy:
            with gzip.open(path, "rb") as source:
                shutil.copyfileobj(source, copy)
            copy.flush()
            with pysam.VariantFile(copy.name) as vcf:
                yield vcf
        return
    with pysam.VariantFile(str(path)) as vcf:
        yield vcf


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _readable_as_created(path: str) -> None:
    """Give a finished temporary file the mode a plain ``open()`` would have (0666 less the umask).

    ``mkstemp`` makes files 0600, so without this a report on a shared server would be unreadable to the
    colleagues who sign it.
    """
    os.chmod(path, 0o666 & ~_current_umask())


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds."""
    with atomic_paths([target]) as (temporary,):
        yield temporary


@contextmanager
def atomic_paths(targets: Sequence[Path]) -> Iterator[tuple[Path, ...]]:
    """Temporary paths beside several ``targets``, moved into place together only if the block succeeds.

    A failure (a full disk, a bad input found late) leaves none of the targets changed, so a report's
    HTML, JSON and TSV appear together or not at all.
    """
    targets = [Path(target) for target in targets]
    temporaries: list[str] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(handle)
            temporaries.append(temporary)
        yield tuple(Path(temporary) for temporary in temporaries)
        for temporary in temporaries:
            _readable_as_created(temporary)
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")


def write_lines_atomic(target: Path, pieces: Iterable[str]) -> None:
    """Text given in pieces, written one after another (the same bytes as ``write_text_atomic`` of their
    concatenation, without building it: for pages of tens of megabytes)."""
    with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8") as handle:
        handle.writelines(pieces)
