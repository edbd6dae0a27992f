"""Read counts per TRPM6 exon and per flanking control window, from a BAM or CRAM, with GC content.

Each read (or, for a properly paired read, its fragment) is counted once, in the target that holds its
midpoint: adjacent padded exons therefore never share a read, and a fragment is not counted twice when
both mates land in one exon. Unmapped, secondary, QC-failed, duplicate and supplementary records are
skipped, and so are reads below the mapping-quality threshold (reads from a paralogous or low-complexity
stretch get a low mapping quality, so such exons lose reads in every sample alike rather than in one).

Targets are the transcript's exons in transcript order (exon 1 first), each padded on both sides, plus
control windows either side of the gene. In an exome the control windows hold only off-target reads;
in a genome they steady the sample's normalisation. The targets depend only on the transcript, the
reference and the settings, so counts from different runs (a lab's panel of normals) can be combined
when, and only when, their targets are identical; the TSV keeps the coordinates to check that.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysam

from trpm6_hsh.copy_number.settings import CopyNumberSettings
from trpm6_hsh.errors import InputError
from trpm6_hsh.extract import contig_name_variants
from trpm6_hsh.transcripts import Transcript
from trpm6_hsh.tsv import read_table, write_table

SKIPPED_READ_FLAGS = 0x4 | 0x100 | 0x200 | 0x400 | 0x800  # unmapped, secondary, QC fail, duplicate, supplementary
EXON, CONTROL = "exon", "control"
COUNT_COLUMNS = ("sample", "target", "kind", "exon", "chrom", "start", "end", "gc", "count")
MAX_N_FRACTION = 0.5
"""A control window that is mostly N in the reference (outside the sequenced locus) is dropped."""


@dataclass(frozen=True)
class Target:
    """A counted interval (1-based, inclusive, padding included); ``exon`` is None for a control window."""

    name: str
    kind: str
    exon: int | None
    chrom: str
    start: int
    end: int
    gc: float

    @property
    def length(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class ExonCounts:
    """One sample's read counts, ``counts[i]`` for ``targets[i]``."""

    sample: str
    targets: tuple[Target, ...]
    counts: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.targets) != len(self.counts):
            raise ValueError(f"{self.sample}: {len(self.targets)} targets but {len(self.counts)} counts")

    def exon_counts(self) -> dict[int, int]:
        return {t.exon: c for t, c in zip(self.targets, self.counts, strict=True) if t.exon is not None}


def gc_fraction(sequence: str) -> float | None:
    """G+C share of the called bases (N excluded); None when no base is called."""
    sequence = sequence.upper()
    called = sum(sequence.count(base) for base in "ACGT")
    if not called:
        return None
    return (sequence.count("G") + sequence.count("C")) / called


def design_targets(transcript: Transcript, fasta: Path, settings: CopyNumberSettings) -> tuple[Target, ...]:
    """Padded exons in transcript order, then the control windows in genomic order.

    Padded exons that would overlap are trimmed at the middle of the gap between them, so every base
    belongs to at most one target.
    """
    try:
        reference = pysam.FastaFile(str(fasta))
    except (OSError, ValueError) as error:
        raise InputError(fasta, f"cannot read the reference FASTA ({error})",
                         "pass an indexed FASTA (.fai, and .gzi when bgzipped)") from None
    with contextlib.closing(reference):
        chrom = next((name for name in contig_name_variants(transcript.chrom) if name in reference.references), None)
        if chrom is None:
            raise InputError(fasta, f"the reference has no contig {transcript.chrom}",
                             "use the reference of the transcript model's build")
        length = reference.get_reference_length(chrom)
        ascending = sorted(transcript.exons, key=lambda exon: exon.start)
        bounds: dict[int, tuple[int, int]] = {}
        for index, exon in enumerate(ascending):
            start, end = max(1, exon.start - settings.padding), min(length, exon.end + settings.padding)
            if index > 0:
                previous = ascending[index - 1]
                start = max(start, (previous.end + exon.start) // 2 + 1)
            if index + 1 < len(ascending):
                following = ascending[index + 1]
                end = min(end, (exon.end + following.start) // 2)
            bounds[exon.number] = (start, end)
        targets = []
        for exon in sorted(transcript.exons, key=lambda exon: exon.number):
            start, end = bounds[exon.number]
            gc = gc_fraction(reference.fetch(chrom, start - 1, end))
            targets.append(Target(f"exon{exon.number:02d}", EXON, exon.number, transcript.chrom, start, end,
                                  0.5 if gc is None else round(gc, 4)))
        controls = []
        for side in ("left", "right"):
            for number in range(1, settings.control_windows + 1):
                offset = settings.control_gap_bp + (number - 1) * settings.control_window_bp
                if side == "left":
                    end = transcript.start - offset
                    start = end - settings.control_window_bp + 1
                else:
                    start = transcript.end + offset
                    end = start + settings.control_window_bp - 1
                if start < 1 or end > length:
                    continue
                sequence = reference.fetch(chrom, start - 1, end).upper()
                gc = gc_fraction(sequence)
                if gc is None or sequence.count("N") > MAX_N_FRACTION * len(sequence):
                    continue
                controls.append(Target(f"control_{side}_{number}", CONTROL, None, transcript.chrom, start, end,
                                       round(gc, 4)))
        targets.extend(sorted(controls, key=lambda target: target.start))
    return tuple(targets)


def count_reads(alignment: Path, sample: str, targets: Sequence[Target], settings: CopyNumberSettings,
                fasta: Path | None = None) -> ExonCounts:
    """Count reads (fragments for proper pairs) by midpoint in each target of one BAM/CRAM."""
    order = sorted(range(len(targets)), key=lambda i: targets[i].start)
    starts = np.array([targets[i].start for i in order], dtype=np.int64)
    ends = np.array([targets[i].end for i in order], dtype=np.int64)
    counts = np.zeros(len(targets), dtype=np.int64)
    if not targets:
        return ExonCounts(sample, tuple(targets), ())
    options = {"reference_filename": str(fasta)} if fasta else {}
    try:
        reads = pysam.AlignmentFile(str(alignment), **options)
    except (OSError, ValueError) as error:
        raise InputError(alignment, f"cannot read the alignment file ({error})",
                         "pass a coordinate-sorted, indexed BAM or CRAM (with the reference for CRAM)") from None
    midpoints: list[int] = []
    with contextlib.closing(reads):
        chrom = next((n for n in contig_name_variants(targets[0].chrom) if n in reads.references), None)
        if chrom is None:
            raise InputError(alignment, f"the alignment has no contig {targets[0].chrom}",
                             "align to the reference of the transcript model's build")
        try:
            fetched = reads.fetch(chrom, int(starts.min()) - 1, int(ends.max()))
        except ValueError as error:
            raise InputError(alignment, f"cannot fetch reads ({error})",
                             "index the file (samtools index)") from None
        for read in fetched:
            if read.flag & SKIPPED_READ_FLAGS or read.mapping_quality < settings.min_mapping_quality:
                continue
            midpoint = _midpoint(read)
            if midpoint is not None:
                midpoints.append(midpoint)
    if midpoints:
        positions = np.asarray(midpoints, dtype=np.int64)
        slot = np.searchsorted(starts, positions, side="right") - 1
        inside = (slot >= 0) & (positions <= ends[np.clip(slot, 0, None)])
        np.add.at(counts, np.asarray(order)[slot[inside]], 1)
    return ExonCounts(sample, tuple(targets), tuple(int(c) for c in counts))


def _midpoint(read: pysam.AlignedSegment) -> int | None:
    """1-based midpoint of the fragment (proper pairs, counted on read 1 only) or of the read."""
    if read.is_paired and read.is_proper_pair and read.template_length != 0:
        if read.is_read2:
            return None
        left = min(read.reference_start, read.next_reference_start)
        return left + abs(read.template_length) // 2 + 1
    end = read.reference_end
    if end is None:
        return None
    return (read.reference_start + end) // 2 + 1


# --- TSV: one row per sample and target, several samples per file (a panel of normals) -------------------
def write_counts(path: Path, samples: Iterable[ExonCounts]) -> None:
    """Write counts of one or more samples (columns ``COUNT_COLUMNS``) atomically."""
    rows = []
    for item in samples:
        for target, count in zip(item.targets, item.counts, strict=True):
            rows.append({"sample": item.sample, "target": target.name, "kind": target.kind,
                         "exon": "" if target.exon is None else target.exon, "chrom": target.chrom,
                         "start": target.start, "end": target.end, "gc": f"{target.gc:.4f}", "count": count})
    write_table(Path(path), COUNT_COLUMNS, rows)


def read_counts(path: Path) -> tuple[ExonCounts, ...]:
    """Read counts written by ``write_counts``; samples in file order, targets in row order."""
    by_sample: dict[str, tuple[list[Target], list[int]]] = {}
    for line, row in enumerate(read_table(Path(path), COUNT_COLUMNS), start=2):
        try:
            target = Target(row["target"], row["kind"], int(row["exon"]) if row["exon"] else None, row["chrom"],
                            int(row["start"]), int(row["end"]), float(row["gc"]))
            count = int(row["count"])
        except ValueError:
            raise InputError(path, "a number column does not hold a number",
                             "write the file with write_counts (or the count step of the workflow)",
                             f"line {line}") from None
        if target.kind not in (EXON, CONTROL) or count < 0:
            raise InputError(path, f"bad kind {target.kind!r} or negative count", "rewrite the counts file",
                             f"line {line}")
        targets, counts = by_sample.setdefault(row["sample"], ([], []))
        targets.append(target)
        counts.append(count)
    result = tuple(ExonCounts(sample, tuple(t), tuple(c)) for sample, (t, c) in by_sample.items())
    if result and any(item.targets != result[0].targets for item in result):
        raise InputError(path, "the samples in this file were counted over different targets",
                         "count every sample with the same transcript model, reference and padding")
    return result


def check_same_targets(expected: Sequence[Target], counts: ExonCounts, source: object) -> None:
    """A panel counted over other targets (another padding, model or build) cannot be compared."""
    if tuple(counts.targets) != tuple(expected):
        raise InputError(source, f"sample {counts.sample} was counted over other targets than this run",
                         "recount the panel of normals with the same transcript model, reference and cnv padding")
