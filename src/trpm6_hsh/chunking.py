"""Which input files share one job: chunks of many single-sample VCFs.

Labs receive one VCF per patient. One job per file and stage costs a Python start-up and a scheduler
slot per sample, which dominates the run when there are thousands of them. A chunk is a group of input
files (batches) whose every stage, from extraction to the reports, runs in one job (trpm6_hsh.chunk_job),
writing the same files to the same paths the per-file rules write.

Two rules keep a chunk self-contained and a growing run incremental:

- a family never spans chunks: samples linked as parent and child, or sharing an input file, form one
  unit, so a chunk never waits for another chunk's verdicts;
- a unit's chunk is chosen by a hash of its first sample ID, among a power-of-two number of chunks, so
  adding a sample changes one chunk (its own) and leaves every other chunk's inputs, and its finished
  outputs, as they were; only when the run doubles in size are the chunks dealt afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from trpm6_hsh.config import Sample


@dataclass(frozen=True)
class Chunk:
    """One job's share of the run: its input files (batch IDs) and samples, in sheet order."""

    name: str
    batches: tuple[str, ...]
    samples: tuple[str, ...]


@dataclass(frozen=True)
class ChunkSettings:
    """Config section ``batching``: how many input files one job takes, and from what run size on."""

    files_per_job: int
    min_files: int

    @classmethod
    def from_config(cls, section: Mapping[str, object]) -> ChunkSettings:
        return cls(files_per_job=int(section["files_per_job"]), min_files=int(section["min_files"]))


def family_units(samples: Sequence[Sample], batches_of: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Samples grouped into families: parent-child links and shared input files join two samples."""
    parent = {sample.sample_id: sample.sample_id for sample in samples}

    def root(sample_id: str) -> str:
        while parent[sample_id] != sample_id:
            parent[sample_id] = parent[parent[sample_id]]
            sample_id = parent[sample_id]
        return sample_id

    def join(first: str, second: str) -> None:
        parent[root(first)] = root(second)

    holder: dict[str, str] = {}
    for sample in samples:
        for relative in sample.parents:
            if relative in parent:
                join(sample.sample_id, relative)
        for batch in batches_of[sample.sample_id]:
            if batch in holder:
                join(sample.sample_id, holder[batch])
            holder.setdefault(batch, sample.sample_id)
    grouped: dict[str, list[str]] = {}
    for sample in samples:  # sheet order within a unit, and units by their first sample in the sheet
        grouped.setdefault(root(sample.sample_id), []).append(sample.sample_id)
    return list(grouped.values())


def _chunk_count(n_files: int, files_per_job: int) -> int:
    """The smallest power of two that keeps chunks at about ``files_per_job`` files."""
    count = 1
    while count * files_per_job < n_files:
        count *= 2
    return count


def _bucket(unit: Sequence[str], count: int) -> int:
    digest = hashlib.sha256(unit[0].encode("utf-8")).hexdigest()
    return int(digest[:12], 16) % count


def plan_chunks(
    samples: Sequence[Sample],
    batches_of: Mapping[str, Sequence[str]],
    settings: ChunkSettings,
    excluded_batches: Iterable[str] = (),
) -> dict[str, Chunk]:
    """The chunks of a run, by name; empty when chunking is off or the run is small.

    ``batches_of`` gives every input file (batch ID) of each sample: its vcf's and its sv_vcf's.
    A family touching one of ``excluded_batches`` (a cohort-mode joint VCF, which has its own job) keeps
    the per-file rules, as does every file when ``files_per_job`` is 0 or fewer than ``min_files``
    files could be chunked.
    """
    if settings.files_per_job <= 0:
        return {}
    excluded = set(excluded_batches)
    units = [
        unit
        for unit in family_units(samples, batches_of)
        if not any(batch in excluded for member in unit for batch in batches_of[member])
    ]
    n_files = len({batch for unit in units for member in unit for batch in batches_of[member]})
    if n_files == 0 or n_files < settings.min_files:
        return {}
    count = _chunk_count(n_files, settings.files_per_job)
    dealt: dict[int, list[Sequence[str]]] = {}
    for unit in units:
        dealt.setdefault(_bucket(unit, count), []).append(unit)
    width = len(str(count - 1))
    chunks = {}
    for index in sorted(dealt):
        members = tuple(member for unit in dealt[index] for member in unit)
        files = tuple(dict.fromkeys(batch for member in members for batch in batches_of[member]))
        name = f"chunk{count}-{index:0{width}d}"
        chunks[name] = Chunk(name=name, batches=files, samples=members)
    return chunks
