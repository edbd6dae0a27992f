"""What the ``trpm6-hsh resources`` command and the workflow's fetch rules call.

The command line is the explicit, online way to fill a cache ahead of time; the workflow's rules
call :func:`fetch_for_workflow`, which refuses when the run is offline (the default), and
:func:`choose_cached` decides at start-up which cached releases a run uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trpm6_hsh.errors import ConfigError, InputError
from trpm6_hsh.fetch.cache import CACHE_FILES, CachedRelease, ResourceCache, SourceKind, check_release
from trpm6_hsh.fetch.http import HttpClient, OfflineError, RetryPolicy
from trpm6_hsh.fetch.sources import Region, SourceUrls, shipped_locus
from trpm6_hsh.genome_build import parse_build

log = logging.getLogger(__name__)

DEFAULT_POLICY = RetryPolicy()
NOT_USED = "none"
"""A ``resources.<source>_release`` value that keeps the shipped resource (or no external file)."""

WORKFLOW_KINDS = (SourceKind.TRANSCRIPTS, SourceKind.CLINVAR, SourceKind.GNOMAD)


def fetch(
    kind: SourceKind | str,
    *,
    cache: Path,
    build: str,
    release: str | None = None,
    urls: SourceUrls | Mapping[str, str] | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    region: Region | None = None,
    client: HttpClient | None = None,
) -> CachedRelease:
    """Fetch one source for one build into ``cache`` (explicitly online)."""
    # Imported here: the workflow imports this module at start-up, and the fetchers need pysam, which a
    # head node running every job in a container (`--sdm apptainer`) does not have.
    from trpm6_hsh.fetch.clinvar_source import fetch_clinvar
    from trpm6_hsh.fetch.ensembl import fetch_sequence, fetch_transcripts
    from trpm6_hsh.fetch.gnomad_source import fetch_gnomad

    kind = SourceKind(kind)
    build = parse_build(build)
    if release is not None:
        check_release(release)
    if not isinstance(urls, SourceUrls):
        urls = SourceUrls.from_mapping(urls)
    client = client or HttpClient(policy=policy)
    store = ResourceCache(Path(cache))
    region = region or shipped_locus(build)
    if kind is SourceKind.TRANSCRIPTS:
        return fetch_transcripts(client, store, build, release, urls)
    if kind is SourceKind.SEQUENCE:
        return fetch_sequence(client, store, build, region, release, urls)
    if kind is SourceKind.CLINVAR:
        return fetch_clinvar(client, store, build, region, release, urls)
    return fetch_gnomad(client, store, build, region, release, urls)


def list_cache(cache: Path) -> list[dict[str, Any]]:
    """One row per complete release in the cache: build, source, release, retrieval date, source URL."""
    rows = []
    for cached in ResourceCache(Path(cache)).all_releases():
        document = cached.provenance()
        rows.append({
            "build": cached.build,
            "source": cached.kind.value,
            "release": cached.release,
            "retrieved_utc": document.get("retrieved_utc", ""),
            "source_url": document.get("source_url", ""),
            "checksums": "changed: " + ",".join(changed) if (changed := cached.changed_files()) else "ok",
            "folder": str(cached.folder),
        })
    return rows


def fetch_for_workflow(
    kind: str,
    *,
    cache: Path,
    build: str,
    release: str,
    offline: bool,
    urls: Mapping[str, str],
    timeout_s: float,
    attempts: int,
) -> None:
    """The fetch rules' job: refuse when offline, otherwise fetch exactly the configured release."""
    source = SourceKind(kind)
    if offline:
        raise OfflineError(
            str(ResourceCache(Path(cache)).folder(source, build, release)),
            f"the cache has no {source.value} release {release} for {build}, and offline: true forbids fetching it",
            f"run `trpm6-hsh resources fetch-{source.value} --build {build} --release {release} --cache {cache}` "
            "ahead of time on a machine with internet access, or set offline: false to let the run fetch it",
        )
    policy = RetryPolicy(attempts=attempts, timeout_s=timeout_s)
    fetched = fetch(source, cache=Path(cache), build=build, release=release, urls=urls, policy=policy)
    if fetched.release != release:
        raise InputError(fetched.folder, f"fetched release {fetched.release}, not {release}", "check the release")
    if source is SourceKind.TRANSCRIPTS:
        check_cached_model(CacheChoice(source, build, release, fetched.folder, present=True))


@dataclass(frozen=True)
class CacheChoice:
    """A cached release the run uses: its files (to be present, or made by a fetch rule) and provenance."""

    kind: SourceKind
    build: str
    release: str
    folder: Path
    present: bool

    def file(self, name: str) -> str:
        return str(self.folder / name)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.file(name) for name in CACHE_FILES[self.kind])

    @property
    def provenance(self) -> str:
        return str(self.folder / "provenance.json")


def cache_file_patterns(folder: Path | str, kind: str) -> dict[str, str]:
    """Paths of one release folder's files (and provenance), keyed like the fetch rule's outputs."""
    names = (*CACHE_FILES[SourceKind(kind)], "provenance.json")
    return {_output_key(name): f"{folder}/{name}" for name in names}


def _output_key(name: str) -> str:
    for prefix in ("clinvar.trpm6.", "gnomad.trpm6.", "trpm6_"):
        name = name.removeprefix(prefix)
    return re.sub(r"[^A-Za-z0-9]+", "_", name)


def choose_cached(settings: Mapping[str, Any], build: str) -> dict[SourceKind, CacheChoice]:
    """Which cached release each source uses, from the config's ``resources`` section.

    ``<source>_release`` empty: the newest complete release in the cache, if any; ``none``: not used;
    a release name: that release (a fetch rule makes it when missing, and refuses when offline).
    """
    root = str(settings.get("cache") or "")
    if not root:
        return {}
    cache = ResourceCache(Path(root))
    chosen: dict[SourceKind, CacheChoice] = {}
    for kind in WORKFLOW_KINDS:
        wanted = str(settings.get(f"{kind.value}_release") or "")
        if wanted.lower() == NOT_USED:
            continue
        if wanted:
            try:
                check_release(wanted)
            except InputError as error:
                raise ConfigError("the workflow config", f"resources.{kind.value}_release: {error.problem}",
                                  error.fix) from None
            found = cache.find(kind, build, wanted)
            if found is not None:
                _verified(found)
            chosen[kind] = CacheChoice(kind, build, wanted, cache.folder(kind, build, wanted), found is not None)
            continue
        newest = cache.newest(kind, build)
        if newest is None:
            log.warning("resources.cache %s holds no %s release for %s: using the shipped resources", root,
                        kind.value, build)
            continue
        _verified(newest)
        chosen[kind] = CacheChoice(kind, build, newest.release, newest.folder, True)
    return chosen


def _verified(release: CachedRelease) -> CachedRelease:
    try:
        release.verify()
    except InputError as error:
        raise ConfigError(error.path, error.problem, error.fix) from None
    return release


def check_cached_model(choice: CacheChoice) -> None:
    """Refuse a cached transcript model whose coding structure differs from the shipped NM_017662.5 model."""
    if not choice.present:
        return
    agreement = CachedRelease(choice.kind, choice.build, choice.release, choice.folder).provenance().get(
        "agrees_with_shipped_model", {}
    )
    if not agreement.get("coding_agrees"):
        raise ConfigError(
            choice.provenance,
            "the cached Ensembl model's coding structure differs from NM_017662.5 / ENST00000360774, on which "
            f"the clinical rules are written ({'; '.join(agreement.get('differences', [])[:3])})",
            "set resources.transcripts_release: none to use the shipped model, or give a reviewed model in "
            "`transcripts`",
        )
