"""Where a run's population frequencies come from, and which sites a population file can speak for.

Two honesty rules live here. A run with no population-frequency source at all (no ``gnomad_vcf`` and none
of ``population.info_fields`` declared in the VCF) cannot recognise a common loss-of-function allele, so it
says so at start-up and in every report (:func:`population_source`). And "absent from the population file"
means "rare" (PM2) only where that file looked: an exome-only file says nothing about a deep intronic site,
and a small-variant file nothing about a structural variant (:class:`PopulationCoverage`).
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from trpm6_hsh import wording
from trpm6_hsh.contigs import match_contig_name
from trpm6_hsh.errors import InputError
from trpm6_hsh.files import GZIP_MAGIC, open_text
from trpm6_hsh.model import VariantKey
from trpm6_hsh.transcripts import Transcript

EXOME_PADDING = 50
"""An exome population file is taken to cover coding exons plus this many intronic bases on each side."""
SMALL_VARIANT_MAX_LENGTH = 50
"""Indels longer than this (and symbolic alleles) are structural variants, which small-variant files do not hold."""

_META_KEYS_NAMING_THE_DATA = re.compile(r"^(source|dataset|gnomad\w*|data_?set\w*)$", re.IGNORECASE)


@dataclass(frozen=True)
class PopulationSource:
    """Whether one batch's variants get a population frequency at all, and from what."""

    assessed: bool
    sources: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"assessed": self.assessed, "sources": list(self.sources), "reason": self.reason}

    @classmethod
    def from_json(cls, document: dict[str, object]) -> PopulationSource:
        return cls(bool(document["assessed"]), tuple(document.get("sources", ())), str(document["reason"]))


_INFO_ID = re.compile(r"^##INFO=<ID=([^,>]+)")
_BCF_MAGIC = b"BCF\x02"


def _header_text(vcf: Path) -> str:
    """A VCF's or BCF's header as text, read with the standard library (the head node has no pysam).

    Plain, gzip and BGZF VCFs are text; a BCF (BGZF-compressed) starts with ``BCF`` 2.x and the header's
    length, then the header text. The file is opened once and rewound (start-up reads one header per input
    file: 10,000 of them in a large run).
    """
    lines = []
    with open(vcf, "rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        with gzip.GzipFile(fileobj=raw, mode="rb") if compressed else contextlib.nullcontext(raw) as handle:
            if handle.read(5)[:4] == _BCF_MAGIC:
                length = int.from_bytes(handle.read(4), "little")
                return handle.read(length).decode("utf-8", "replace")
            handle.seek(0)
            for line in handle:
                if not line.startswith(b"#"):
                    break
                lines.append(line)
                if line.startswith(b"#CHROM"):
                    break
    return b"".join(lines).decode("utf-8", "replace")


def declared_info_fields(vcf: Path | str) -> frozenset[str] | None:
    """The INFO fields a VCF header declares, or None when the header cannot be read (extract says why)."""
    try:
        text = _header_text(Path(vcf))
    except (OSError, EOFError, ValueError):
        return None
    if "##fileformat=VCF" not in text:
        return None
    return frozenset(match.group(1) for line in text.splitlines() if (match := _INFO_ID.match(line)))


def population_source(declared: frozenset[str] | None, info_fields: Sequence[str], gnomad_vcf: str) -> PopulationSource:
    """The frequency source(s) of a batch whose VCF header declares ``declared`` INFO fields.

    ``declared`` None (an unreadable header) counts as declaring nothing: the report must not claim a
    frequency was assessed when nobody could tell.
    """
    sources = [f"INFO/{name}" for name in info_fields if declared and name in declared]
    if gnomad_vcf:
        sources.append(f"gnomad_vcf {Path(gnomad_vcf).name}")
    if sources:
        return PopulationSource(True, tuple(sources), "")
    return PopulationSource(False, (), wording.POPULATION_NOT_ASSESSED)


def population_sources_of_batches(
    batch_vcfs: dict[str, str], info_fields: Sequence[str], gnomad_vcf: str
) -> dict[str, PopulationSource]:
    """:func:`population_source` of every batch, from its input VCF's header (read once, header only)."""
    return {batch: population_source(declared_info_fields(path), info_fields, gnomad_vcf) for batch, path in
            batch_vcfs.items()}  # fmt: skip


def warn_without_population_source(sources: dict[str, PopulationSource], stream: TextIO) -> dict[str, PopulationSource]:
    """Write the start-up warning to ``stream`` when some batch has no frequency source; return ``sources``."""
    warning = startup_warning(sources)
    if warning:
        stream.write(warning + "\n")
    return sources


def startup_warning(sources: dict[str, PopulationSource]) -> str | None:
    """The one line the workflow prints at start-up when some batch has no frequency source, else None."""
    missing = sorted(batch for batch, source in sources.items() if not source.assessed)
    if not missing:
        return None
    shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
    return wording.POPULATION_STARTUP_WARNING.format(batches=shown)


@dataclass(frozen=True)
class PopulationCoverage:
    """The sites a population VCF speaks for: all small variants, or only inside ``intervals`` (1-based).

    ``intervals`` None means the whole locus (a genome or joint file); a structural variant is never
    covered by a small-variant file, whatever the intervals.
    """

    intervals: tuple[tuple[int, int], ...] | None
    description: str

    def covers(self, key: VariantKey, sv_end: int | None = None) -> bool:
        if is_structural(key, sv_end):
            return False
        if self.intervals is None:
            return True
        end = key.pos + max(len(key.ref), 1) - 1
        return any(start <= key.pos and end <= stop for start, stop in self.intervals)


def is_structural(key: VariantKey, sv_end: int | None = None) -> bool:
    """Symbolic or breakend alleles, an SV END, or an indel longer than a small-variant file holds."""
    alt = key.alt
    if alt.startswith("<") or "[" in alt or "]" in alt or sv_end is not None:
        return True
    return abs(len(key.ref) - len(alt)) > SMALL_VARIANT_MAX_LENGTH


def read_coverage_bed(path: Path, chrom: str) -> tuple[tuple[int, int], ...]:
    """The BED's intervals on ``chrom`` (any contig naming), 1-based inclusive."""
    intervals = []
    try:
        with open_text(Path(path)) as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip() or line.startswith(("#", "track", "browser")):
                    continue
                parts = line.split("\t")
                if len(parts) < 3 or not parts[1].strip().isdigit() or not parts[2].strip().isdigit():
                    raise InputError(path, f"line {number} is not a BED line (contig, start, end)", "give a BED file")
                if match_contig_name(parts[0], {chrom}) is not None:
                    intervals.append((int(parts[1]) + 1, int(parts[2])))
    except OSError as error:
        raise InputError(
            path, f"cannot read the coverage BED ({error})", "fix population.gnomad_coverage_bed"
        ) from None
    return tuple(sorted(intervals))


def is_exome_only(path: Path) -> bool:
    """True when the file's name or its ##source/##dataset/##gnomAD lines say exomes (and not genomes)."""
    import pysam  # not at the top: the head node imports this module without pysam

    texts = [Path(path).name]
    try:
        with pysam.VariantFile(str(path)) as handle:
            texts += [f"{r.key} {r.value}" for r in handle.header.records if _META_KEYS_NAMING_THE_DATA.match(r.key)]
    except (OSError, ValueError):
        pass  # read_site_alleles reports an unreadable file
    text = " ".join(texts).lower()
    return "exome" in text and "genome" not in text


def coding_intervals(transcript: Transcript, padding: int = EXOME_PADDING) -> tuple[tuple[int, int], ...]:
    """Coding parts of the exons, each widened by ``padding`` bases: what an exome file covers."""
    if not transcript.is_coding:
        return tuple((exon.start - padding, exon.end + padding) for exon in transcript.exons)
    low, high = sorted((transcript.cds_start, transcript.cds_end))
    parts = [(max(e.start, low), min(e.end, high)) for e in transcript.exons if e.end >= low and e.start <= high]
    return tuple(sorted((start - padding, end + padding) for start, end in parts))


def population_coverage(
    population_vcf: Path, coverage_bed: Path | None, chrom: str, transcript: Transcript | None
) -> PopulationCoverage:
    """What ``population_vcf`` covers: the configured BED, else exons ± 50 bp for an exome file, else all."""
    name = Path(population_vcf).name
    if coverage_bed:
        return PopulationCoverage(read_coverage_bed(Path(coverage_bed), chrom), f"{Path(coverage_bed).name}")
    if is_exome_only(Path(population_vcf)):
        if transcript is None:
            return PopulationCoverage((), f"{name} (exomes; no transcript model to place the exons)")
        return PopulationCoverage(coding_intervals(transcript), f"{name} (exomes: coding exons ± {EXOME_PADDING} bp)")
    return PopulationCoverage(None, name)
