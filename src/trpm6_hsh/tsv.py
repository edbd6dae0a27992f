"""Tab-separated stage files: read as dictionaries, write atomically with a fixed column order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from trpm6_hsh.errors import InputError
from trpm6_hsh.files import atomic_path


@contextmanager
def _checked_reader(path: Path, required: Sequence[str]) -> Iterator[csv.DictReader]:
    """A reader over a headed TSV whose header has every required column, or an input error naming the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", "check the path, or rerun the stage that writes it")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                path,
                f"missing column(s) {', '.join(missing)}",
                "produce the table with a compatible version of the stage or annotator",
            )
        yield reader


def read_table(path: Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """Read a headed TSV; a missing required column is an input error naming the file."""
    with _checked_reader(path, required) as reader:
        return [dict(row) for row in reader]


def read_first_row(path: Path, required: Sequence[str] = ()) -> dict[str, str] | None:
    """Header and first row only (None for a table without rows): for one cell of a large table."""
    with _checked_reader(path, required) as reader:
        return next(reader, None)


def _writer(handle: TextIO, columns: Sequence[str]) -> csv.DictWriter:
    return csv.DictWriter(handle, fieldnames=list(columns), delimiter="\t", lineterminator="\n", extrasaction="ignore")


def write_table(target: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> None:
    """Write rows (missing keys as empty cells) to ``target`` atomically."""
    with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = _writer(handle, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: _cell(row.get(column)) for column in columns})


def table_line(columns: Sequence[str], row: Mapping[str, object]) -> str:
    """One row exactly as ``write_table`` writes it (quoting and line end included), for callers that keep
    finished lines between runs and write them with ``write_table_lines``."""
    buffer = io.StringIO()
    _writer(buffer, columns).writerow({column: _cell(row.get(column)) for column in columns})
    return buffer.getvalue()


def write_table_lines(target: Path, columns: Sequence[str], lines: Iterable[str]) -> None:
    """The header and finished ``table_line`` lines, atomically: the same bytes ``write_table`` writes."""
    with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        _writer(handle, columns).writeheader()
        handle.writelines(lines)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
