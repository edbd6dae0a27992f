"""The local cache of fetched reference data: one folder per source, build and release.

``CACHE/<build>/<source>-<release>/`` holds the files of one release plus ``provenance.json``. A
release folder is assembled in a hidden staging folder and renamed into place only when complete,
so a failed or interrupted fetch never leaves a half-written release: either the folder with all its
files and provenance is there, or nothing is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from trpm6_hsh import __version__
from trpm6_hsh.errors import InputError
from trpm6_hsh.provenance import sha256_of

PROVENANCE_FILE = "provenance.json"
STAGING_PREFIX = ".staging-"
RELEASE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SourceKind(StrEnum):
    """What a cached release holds; the value names its folder (``<kind>-<release>``)."""

    TRANSCRIPTS = "transcripts"
    SEQUENCE = "sequence"
    CLINVAR = "clinvar"
    GNOMAD = "gnomad"


CACHE_FILES: dict[SourceKind, tuple[str, ...]] = {
    SourceKind.TRANSCRIPTS: (
        "trpm6_mane_select.gff3",
        "trpm6_mane_select.gtf",
        "trpm6_mane_select.exons.tsv",
        "trpm6_locus.bed",
        "trpm6_transcripts.tsv",
    ),
    SourceKind.SEQUENCE: ("trpm6_locus.fa", "trpm6_locus.fa.fai"),
    SourceKind.CLINVAR: ("clinvar.trpm6.vcf.gz", "clinvar.trpm6.vcf.gz.tbi"),
    SourceKind.GNOMAD: ("gnomad.trpm6.vcf.gz", "gnomad.trpm6.vcf.gz.tbi"),
}
"""Files every complete release folder of a kind holds (besides provenance.json)."""


def check_release(release: str) -> str:
    if not RELEASE_PATTERN.match(release or ""):
        raise InputError("--release", f"{release!r} is not a release name", "use e.g. 115, 20250105 or 4.1")
    return release


def release_sort_key(release: str) -> tuple:
    """Natural order: 114 < 115, 2.1.1 < 4.1, 20241230 < 20250105."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", release) if part)


@dataclass(frozen=True)
class CachedRelease:
    """One complete release folder in the cache."""

    kind: SourceKind
    build: str
    release: str
    folder: Path

    def path(self, name: str) -> Path:
        return self.folder / name

    @property
    def provenance_path(self) -> Path:
        return self.folder / PROVENANCE_FILE

    def provenance(self) -> dict[str, Any]:
        try:
            return json.loads(self.provenance_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise InputError(
                self.provenance_path, f"unreadable provenance ({error})", "fetch the release again"
            ) from None


    def changed_files(self) -> list[str]:
        """Files whose SHA-256 no longer matches provenance.json (edited or damaged after the fetch)."""
        recorded = {entry["name"]: entry["sha256"] for entry in self.provenance().get("files", [])}
        return [
            name
            for name in CACHE_FILES[self.kind]
            if recorded.get(name) is None or sha256_of(self.folder / name) != recorded[name]
        ]

    def verify(self) -> None:
        """Refuse a release whose files differ from what was fetched: provenance must describe what is used."""
        changed = self.changed_files()
        if changed:
            raise InputError(
                self.folder,
                f"{', '.join(changed)} changed since the fetch (SHA-256 differs from {PROVENANCE_FILE})",
                f"fetch the {self.kind.value} release {self.release} again with `trpm6-hsh resources`",
            )


@dataclass(frozen=True)
class ResourceCache:
    """A cache folder; see the module docstring for its layout."""

    root: Path

    def folder(self, kind: SourceKind, build: str, release: str) -> Path:
        return Path(self.root) / build / f"{kind.value}-{release}"

    def find(self, kind: SourceKind, build: str, release: str) -> CachedRelease | None:
        """The release if it is complete in the cache (every file and the provenance present)."""
        folder = self.folder(kind, build, release)
        names = (*CACHE_FILES[kind], PROVENANCE_FILE)
        if all((folder / name).is_file() for name in names):
            return CachedRelease(kind, build, release, folder)
        return None

    def releases(self, kind: SourceKind, build: str) -> list[CachedRelease]:
        """Complete releases of ``kind`` for ``build``, oldest first."""
        base = Path(self.root) / build
        if not base.is_dir():
            return []
        prefix = f"{kind.value}-"
        found = [
            self.find(kind, build, entry.name[len(prefix):])
            for entry in base.iterdir()
            if entry.is_dir() and entry.name.startswith(prefix)
        ]
        return sorted((r for r in found if r is not None), key=lambda r: release_sort_key(r.release))

    def newest(self, kind: SourceKind, build: str) -> CachedRelease | None:
        releases = self.releases(kind, build)
        return releases[-1] if releases else None

    def all_releases(self) -> list[CachedRelease]:
        builds = sorted(p.name for p in Path(self.root).iterdir() if p.is_dir()) if Path(self.root).is_dir() else []
        return [r for build in builds for kind in SourceKind for r in self.releases(kind, build)]

    @contextmanager
    def staging(self, kind: SourceKind, build: str) -> Iterator[Path]:
        """A hidden scratch folder inside the cache (same file system, so publishing is a rename)."""
        base = Path(self.root) / build
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{kind.value}-", dir=base))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def publish(
        self, staging: Path, kind: SourceKind, build: str, release: str, provenance: Mapping[str, Any]
    ) -> CachedRelease:
        """Checksum the staged files, write provenance.json, and move the folder into place atomically."""
        check_release(release)
        missing = [name for name in CACHE_FILES[kind] if not (staging / name).is_file()]
        if missing:
            raise AssertionError(f"staged {kind.value} release lacks {missing}")
        document = {
            "source": kind.value,
            "build": build,
            "release": release,
            "retrieved_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "written_by": f"trpm6-hsh {__version__}",
            **provenance,
            "files": [{"name": name, "sha256": sha256_of(staging / name)} for name in CACHE_FILES[kind]],
        }
        (staging / PROVENANCE_FILE).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        target = self.folder(kind, build, release)
        _replace_folder(staging, target)
        return CachedRelease(kind, build, release, target)


def _replace_folder(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; an existing ``target`` is swapped out first, then removed."""
    if target.exists() and any(target.iterdir()):
        retired = target.with_name(f"{STAGING_PREFIX}old-{target.name}-{os.getpid()}")
        os.replace(target, retired)
        os.replace(source, target)
        shutil.rmtree(retired, ignore_errors=True)
        return
    if target.exists():
        target.rmdir()
    os.replace(source, target)
