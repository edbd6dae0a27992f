"""Callability: which coding exons and canonical splice sites of the MANE transcript were assessed.

Missing is not reference. A plain VCF lists variants only, so it says nothing about the bases it
does not list: every region is 'unknown'. A gVCF says it through reference blocks (``<NON_REF>`` or
``<*>`` records with END) and variant records, each with a depth and a genotype quality; a BAM/CRAM
says it through per-base read depth. A region is assessed only when every one of its bases is
covered, by at least one source, at the configured thresholds.

Bases are handled as one numpy grid per source (samples x region bases), so a cohort VCF is
assessed for all its samples at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysam

from trpm6_hsh.contigs import contig_name_variants
from trpm6_hsh.errors import InputError
from trpm6_hsh.transcripts import Transcript

SPLICE_SITE_BASES = 2
REFERENCE_BLOCK_ALLELES = frozenset({"<NON_REF>", "<*>"})
_SKIPPED_READ_FLAGS = 0x4 | 0x100 | 0x200 | 0x400 | 0x800  # unmapped, secondary, QC fail, duplicate, supplementary


class AssessedStatus:
    """The status values a region can have (the not-assessed ones match the report schema)."""

    ASSESSED = "assessed"
    UNKNOWN = "unknown"
    NOT_COVERED = "not_covered"
    BELOW_THRESHOLD = "below_threshold"


@dataclass(frozen=True)
class CallabilitySettings:
    """Thresholds for calling a base assessed: gVCF blocks/calls, and reads from a BAM/CRAM."""

    gvcf_min_dp: int
    gvcf_min_gq: int
    alignment_min_depth: int
    alignment_min_base_quality: int
    alignment_min_mapping_quality: int

    @classmethod
    def from_config(cls, section: Mapping[str, object]) -> CallabilitySettings:
        """From the validated config's ``callability`` section (its defaults are the schema's)."""
        return cls(
            gvcf_min_dp=int(section["gvcf_min_dp"]),
            gvcf_min_gq=int(section["gvcf_min_gq"]),
            alignment_min_depth=int(section["alignment_min_depth"]),
            alignment_min_base_quality=int(section["alignment_min_base_quality"]),
            alignment_min_mapping_quality=int(section["alignment_min_mapping_quality"]),
        )


@dataclass(frozen=True)
class Region:
    """A coding exon's coding bases with the canonical splice sites at its intron boundaries."""

    exon: int
    chrom: str
    start: int
    end: int
    transcript: str

    @property
    def label(self) -> str:
        return f"exon {self.exon} coding bases and canonical splice sites ({self.chrom}:{self.start}-{self.end})"


def coding_regions(transcript: Transcript) -> tuple[Region, ...]:
    """Each coding exon's coding bases plus the +/-1,2 splice bases of its intron boundaries."""
    regions = []
    first, last = transcript.start, transcript.end
    for exon in transcript.exons:
        start, end = max(exon.start, transcript.cds_start), min(exon.end, transcript.cds_end)
        if start > end:
            continue
        if exon.start > first and start == exon.start:
            start -= SPLICE_SITE_BASES
        if exon.end < last and end == exon.end:
            end += SPLICE_SITE_BASES
        regions.append(Region(exon.number, transcript.chrom, start, end, transcript.versioned_id))
    return tuple(regions)


@dataclass(frozen=True)
class RegionGrid:
    """Every base of the regions, sorted, with each base's region index."""

    regions: tuple[Region, ...]
    positions: np.ndarray  # int64, sorted (regions do not overlap)
    region_of_base: np.ndarray  # int32, index into regions

    @classmethod
    def of(cls, regions: Sequence[Region]) -> RegionGrid:
        ordered = tuple(sorted(regions, key=lambda r: r.start))
        positions = np.concatenate([np.arange(r.start, r.end + 1, dtype=np.int64) for r in ordered])
        owners = np.concatenate([np.full(r.end - r.start + 1, i, dtype=np.int32) for i, r in enumerate(ordered)])
        return cls(ordered, positions, owners)

    @property
    def size(self) -> int:
        return len(self.positions)

    def span(self, start: int, end: int) -> slice:
        """The slice of grid bases inside [start, end] (1-based, inclusive)."""
        low = int(np.searchsorted(self.positions, start, side="left"))
        high = int(np.searchsorted(self.positions, end, side="right"))
        return slice(low, high)


@dataclass(frozen=True)
class CoverageEvidence:
    """What one source says about every grid base of several samples."""

    source: str  # 'gVCF' or 'alignment'
    passing: np.ndarray  # bool [samples, bases]: covered at the thresholds
    seen: np.ndarray  # bool [samples, bases]: covered at all (a record or reads), maybe below threshold
    thresholds: str


def gvcf_coverage(
    grid: RegionGrid,
    intervals: Sequence[tuple[int, int]],
    called: np.ndarray,
    depth: np.ndarray,
    quality: np.ndarray,
    settings: CallabilitySettings,
) -> CoverageEvidence:
    """Coverage from gVCF records: ``intervals`` [(start, end)], per record x sample arrays.

    ``called`` is True where the sample's genotype is not a no-call; ``depth``/``quality`` hold
    -1 where the value is missing (a missing DP or GQ never passes).
    """
    samples = called.shape[1] if called.ndim == 2 else 0
    passing = np.zeros((samples, grid.size), dtype=bool)
    seen = np.zeros((samples, grid.size), dtype=bool)
    good = called & (depth >= settings.gvcf_min_dp) & (quality >= settings.gvcf_min_gq)
    for row, (start, end) in enumerate(intervals):
        window = grid.span(start, end)
        if window.start == window.stop:
            continue
        seen[called[row], window] = True
        passing[good[row], window] = True
    thresholds = f"DP >= {settings.gvcf_min_dp}, GQ >= {settings.gvcf_min_gq}"
    return CoverageEvidence("gVCF", passing, seen, thresholds)


def alignment_coverage(
    grid: RegionGrid, alignment: Path, settings: CallabilitySettings, reference_fasta: Path | None = None
) -> CoverageEvidence:
    """Per-base depth of one sample's BAM/CRAM over the grid (reads and bases filtered by quality)."""
    alignment = Path(alignment)
    depth = np.zeros(grid.size, dtype=np.int64)
    min_mapq = settings.alignment_min_mapping_quality

    def usable(read: pysam.AlignedSegment) -> bool:
        return not read.flag & _SKIPPED_READ_FLAGS and read.mapping_quality >= min_mapq

    options = {"reference_filename": str(reference_fasta)} if reference_fasta else {}
    try:
        with contextlib.closing(pysam.AlignmentFile(str(alignment), **options)) as reads:
            contigs = set(reads.references)
            for region in grid.regions:
                name = next((n for n in contig_name_variants(region.chrom) if n in contigs), None)
                if name is None:
                    continue
                counts = reads.count_coverage(
                    name,
                    region.start - 1,
                    region.end,
                    quality_threshold=settings.alignment_min_base_quality,
                    read_callback=usable,
                )
                window = grid.span(region.start, region.end)
                depth[window] = np.sum(np.asarray(counts, dtype=np.int64), axis=0)
    except (OSError, ValueError) as error:
        raise InputError(
            alignment,
            f"cannot read depth from the alignment ({error})",
            "give a coordinate-sorted, indexed BAM/CRAM (samtools index), or leave the alignment column empty",
        ) from error
    thresholds = (
        f"depth >= {settings.alignment_min_depth} (base quality >= {settings.alignment_min_base_quality}, "
        f"mapping quality >= {min_mapq})"
    )
    return CoverageEvidence("alignment", depth[None, :] >= settings.alignment_min_depth, depth[None, :] > 0, thresholds)


def region_statuses(
    grid: RegionGrid, sources: Sequence[tuple[CoverageEvidence, int]], plain_vcf_reason: str
) -> list[dict[str, object]]:
    """One entry per region for one sample: status, reason, and how many bases were not assessed.

    ``sources`` pairs each piece of evidence with this sample's row in it.
    """
    entries = []
    if not sources:
        for region in grid.regions:
            entries.append(_entry(region, AssessedStatus.UNKNOWN, plain_vcf_reason, region.end - region.start + 1))
        return entries
    passing = np.zeros(grid.size, dtype=bool)
    seen = np.zeros(grid.size, dtype=bool)
    for evidence, row in sources:
        passing |= evidence.passing[row]
        seen |= evidence.seen[row]
    names = " or ".join(f"{evidence.source} ({evidence.thresholds})" for evidence, _ in sources)
    for index, region in enumerate(grid.regions):
        bases = grid.region_of_base == index
        total = int(bases.sum())
        missing = int((~passing & bases).sum())
        below = int((~passing & seen & bases).sum())
        if missing == 0:
            entries.append(_entry(region, AssessedStatus.ASSESSED, f"every base covered by {names}", 0))
        elif below:
            reason = f"{missing} of {total} bases not covered at {names}; {below} of them covered below the threshold"
            entries.append(_entry(region, AssessedStatus.BELOW_THRESHOLD, reason, missing))
        else:
            reason = f"{missing} of {total} bases have no coverage in {names}"
            entries.append(_entry(region, AssessedStatus.NOT_COVERED, reason, missing))
    return entries


def _entry(region: Region, status: str, reason: str, bases_not_assessed: int) -> dict[str, object]:
    return {
        "region": region.label,
        "exon": region.exon,
        "chrom": region.chrom,
        "start": region.start,
        "end": region.end,
        "transcript": region.transcript,
        "status": status,
        "reason": reason,
        "bases_not_assessed": bases_not_assessed,
    }
