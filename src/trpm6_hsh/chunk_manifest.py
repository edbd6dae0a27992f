"""What a chunk's job wrote, and which of it a rerun of the job may keep.

A chunk job (trpm6_hsh.chunk_job) writes every stage file of its input files and every verdict and report
of its samples, at the per-file rules' paths. It declares only its manifest to the workflow: the list of
those files with their size and modification time. Two things follow from that, both kept here:

- at start-up the workflow checks each manifest against the files (:func:`incomplete_chunk_manifests`);
  a file missing or rewritten since makes the chunk's job run again;
- when the job runs again (a sample added, a row or a file changed), it redoes only what changed. Each
  input file and each family carries a *reuse key*: a digest of everything its outputs are made from
  (the input file's SHA-256, the sheet rows, the settings, the reference and models, the package's own
  code). Outputs are kept only when the key is the one they were written under and every one of them is
  still the file that was written then (:class:`ReuseRecords`); anything else is redone.

Import-light (the standard library and trpm6_hsh.files): the workflow's start-up imports this on a head
node that may have Snakemake alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from trpm6_hsh.files import write_text_atomic


def file_stamp(path: str | Path) -> list[int] | None:
    """Size and modification time (ns) of a file, or None when it is missing."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def stamps(paths: Iterable[str | Path]) -> dict[str, list[int] | None]:
    return {str(path): file_stamp(path) for path in paths}


def reuse_key(*parts: Any) -> str:
    """A digest of plain data (dicts, lists, text, numbers); paths and other objects count by their text."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReuseRecords:
    """Per input file and per sample: the reuse key its outputs were written under, and their stamps.

    Kept under ``results/chunks/reuse/``, by file (batch) and by sample, not by chunk, so that dealing the
    files into new chunks (when a run doubles) keeps every finished output.
    """

    def __init__(self, results: Path) -> None:
        self.folder = Path(results) / "chunks" / "reuse"

    def _path(self, kind: str, name: str) -> Path:
        return self.folder / kind / f"{name}.json"

    def is_current(self, kind: str, name: str, key: str, outputs: Iterable[str | Path]) -> bool:
        """True when the outputs were written under ``key`` and none is missing or changed since."""
        try:
            record = json.loads(self._path(kind, name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(record, dict) or record.get("key") != key:
            return False
        recorded = record.get("outputs")
        current = stamps(outputs)
        return recorded == current and all(stamp is not None for stamp in current.values())

    def forget(self, kind: str, name: str) -> None:
        """Before outputs are rewritten: a job stopped halfway must not find them current."""
        self._path(kind, name).unlink(missing_ok=True)

    def remember(self, kind: str, name: str, key: str, outputs: Iterable[str | Path]) -> None:
        """After outputs are written: the key and each output's stamp (written atomically)."""
        write_text_atomic(self._path(kind, name), json.dumps({"key": key, "outputs": stamps(outputs)}, sort_keys=True))


def write_chunk_manifest(path: Path, chunk: str, outputs: Mapping[str, Iterable[str | Path]]) -> None:
    """The chunk's manifest: by input file and by sample (``outputs`` keys), each file with its stamp."""
    document = {
        "chunk": chunk,
        "outputs": {owner: stamps(files) for owner, files in outputs.items()},
    }
    write_text_atomic(Path(path), json.dumps(document, indent=1, sort_keys=True) + "\n")


def manifest_problem(path: Path) -> str | None:
    """Why a chunk's manifest no longer describes the files (None when it does, or when it is absent)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        listed = {file: stamp for files in document["outputs"].values() for file, stamp in files.items()}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"its manifest {path} cannot be read"
    current = {file: file_stamp(file) for file in listed}
    missing = [file for file, stamp in current.items() if stamp is None]
    if missing:
        return f"{len(missing)} of the {len(listed)} files it wrote are missing (first: {missing[0]})"
    changed = [file for file, stamp in current.items() if stamp != listed[file]]
    if changed:
        return f"{len(changed)} of the {len(listed)} files it wrote have changed since (first: {changed[0]})"
    return None


def incomplete_chunk_manifests(manifests: Mapping[str, str | Path]) -> dict[str, str]:
    """By chunk name: why its manifest no longer holds, for every manifest that exists and does not."""
    problems = {name: manifest_problem(Path(path)) for name, path in manifests.items()}
    return {name: problem for name, problem in problems.items() if problem}
