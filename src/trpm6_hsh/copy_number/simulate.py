"""Simulated BAM/CRAM batches over the synthetic TRPM6 locus, with planted exon deletions and duplications.

The depth model imitates what makes real copy-number calling hard, so the caller is tested against it
rather than against clean data:

- exome mode: reads fall on the padded exons (with tails into the introns) and a little background
  elsewhere; each exon has its own capture efficiency, shared by every sample of the batch (baits differ);
- genome mode: reads tile the whole locus, nearly uniformly;
- every sample has its own library size, its own GC bias (a smooth curve over GC content) and its own
  extra-Poisson noise per target (a gamma factor), so counts are over-dispersed;
- a small share of reads is flagged duplicate or has mapping quality 0, which the counter must skip.

A planted event changes the copy number of a genomic interval that reaches from the middle of the intron
before its first exon to the middle of the intron after its last (or 2 kb past a terminal exon).
Everything is drawn from one seeded generator in a fixed order, so a seed gives the same files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysam

from trpm6_hsh.transcripts import Transcript

EXOME, GENOME = "exome", "genome"
TERMINAL_EXTENSION_BP = 2_000
TILE_BP = 500


@dataclass(frozen=True)
class PlantedEvent:
    """Copy number ``copy_number`` over exons ``first_exon``..``last_exon`` (transcript numbering) of ``sample``."""

    sample: str
    first_exon: int
    last_exon: int
    copy_number: int

    @property
    def exons(self) -> tuple[int, ...]:
        return tuple(range(self.first_exon, self.last_exon + 1))


@dataclass(frozen=True)
class SimulationSettings:
    """Depth is the mean coverage on target (exome: padded exons; genome: the whole locus)."""

    mode: str = EXOME
    depth: float = 100.0
    read_length: int = 100
    padding: int = 50
    flank_bp: int = 10_000
    capture_sd: float = 0.35
    library_sd: float = 0.25
    noise_cv: float = 0.06
    gc_slope_sd: float = 1.5
    off_target_fraction: float = 0.005
    flagged_fraction: float = 0.01
    seed: int = 6_602_014
    cram: bool = False


def event_interval(transcript: Transcript, event: PlantedEvent) -> tuple[int, int]:
    """Genomic interval (1-based, inclusive) whose copy number the event changes."""
    ascending = sorted(transcript.exons, key=lambda exon: exon.start)
    chosen = [index for index, exon in enumerate(ascending) if event.first_exon <= exon.number <= event.last_exon]
    if not chosen or len(chosen) != event.last_exon - event.first_exon + 1:
        raise ValueError(f"{event}: exons outside the transcript")
    low, high = min(chosen), max(chosen)
    start = (
        (ascending[low - 1].end + ascending[low].start) // 2
        if low > 0
        else ascending[0].start - TERMINAL_EXTENSION_BP
    )
    end = (
        (ascending[high].end + ascending[high + 1].start) // 2
        if high + 1 < len(ascending)
        else ascending[-1].end + TERMINAL_EXTENSION_BP
    )
    return start, end


def plan_events(samples: Sequence[str], exon_count: int, seed: int, sizes: Sequence[int] = (1, 2, 5),
                copy_numbers: Sequence[int] = (1, 0, 3), carriers: float = 0.6) -> tuple[PlantedEvent, ...]:
    """One event for a share ``carriers`` of the samples, cycling through every copy number and size."""
    rng = np.random.default_rng(seed)
    kinds = [(cn, size) for cn in copy_numbers for size in sizes]
    events = []
    carrier_count = int(round(carriers * len(samples)))
    chosen = sorted(rng.choice(len(samples), size=carrier_count, replace=False).tolist())
    for index, sample_index in enumerate(chosen):
        copy_number, size = kinds[index % len(kinds)]
        first = int(rng.integers(1, exon_count - size + 2))
        events.append(PlantedEvent(samples[sample_index], first, first + size - 1, copy_number))
    return tuple(events)


def simulate_batch(out_dir: Path, fasta: Path, transcript: Transcript, samples: Sequence[str],
                   events: Sequence[PlantedEvent], settings: SimulationSettings) -> dict[str, Path]:
    """Write one sorted, indexed BAM (or CRAM) per sample into ``out_dir``; returns sample -> path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(settings.seed)
    with contextlib.closing(pysam.FastaFile(str(fasta))) as reference:
        chrom_length = reference.get_reference_length(transcript.chrom)
        locus_start = max(1, transcript.start - settings.flank_bp)
        locus_end = min(chrom_length, transcript.end + settings.flank_bp)
        sequence = reference.fetch(transcript.chrom, locus_start - 1, locus_end).upper()
    segments = _segments(transcript, settings, locus_start, locus_end)
    gc = np.array([_gc(sequence, start - locus_start, end - locus_start + 1) for start, end, _ in segments])
    efficiency = np.exp(rng.normal(0.0, settings.capture_sd, len(segments))) if settings.mode == EXOME else (
        np.exp(rng.normal(0.0, 0.05, len(segments))))
    base = np.array([weight * (end - start + 1) / settings.read_length for start, end, weight in segments])
    base *= settings.depth * efficiency
    by_sample: dict[str, list[PlantedEvent]] = {}
    for event in events:
        by_sample.setdefault(event.sample, []).append(event)
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": transcript.chrom, "LN": chrom_length}],
              "RG": []}
    paths = {}
    for sample in samples:
        library = float(np.exp(rng.normal(0.0, settings.library_sd)))
        slope = rng.normal(0.0, settings.gc_slope_sd)
        curvature = abs(rng.normal(0.0, 4.0 * settings.gc_slope_sd))
        gc_factor = np.exp(slope * (gc - 0.5) - curvature * (gc - 0.5) ** 2)
        shape = 1.0 / settings.noise_cv**2
        noise = rng.gamma(shape, 1.0 / shape, len(segments))
        expected = base * library * gc_factor * noise * 1.5  # drawn at copy number 3, thinned below
        reads_per_segment = rng.poisson(expected)
        positions = _positions(rng, segments, reads_per_segment, settings)
        copy_number = np.full(len(positions), 2.0)
        for event in by_sample.get(sample, ()):
            start, end = event_interval(transcript, event)
            copy_number[(positions >= start) & (positions <= end)] = event.copy_number
        keep = rng.random(len(positions)) < copy_number / 3.0
        positions = np.sort(positions[keep])
        positions = positions[(positions - settings.read_length // 2 >= locus_start)
                              & (positions + settings.read_length // 2 <= locus_end)]
        reverse = rng.random(len(positions)) < 0.5
        flagged = rng.random(len(positions))
        header["RG"] = [{"ID": sample, "SM": sample}]
        paths[sample] = _write(out_dir, sample, header, positions, reverse, flagged, sequence, locus_start,
                               settings, fasta)
    return paths


def _segments(transcript: Transcript, settings: SimulationSettings, locus_start: int,
              locus_end: int) -> list[tuple[int, int, float]]:
    """(start, end, relative density): padded exons plus background tiles (exome) or locus tiles (genome)."""
    tiles = [(start, min(start + TILE_BP - 1, locus_end)) for start in range(locus_start, locus_end + 1, TILE_BP)]
    if settings.mode == GENOME:
        return [(start, end, 1.0) for start, end in tiles]
    if settings.mode != EXOME:
        raise ValueError(f"unknown simulation mode {settings.mode!r}")
    exons = sorted(transcript.exons, key=lambda exon: exon.start)
    segments = [(exon.start - settings.padding, exon.end + settings.padding, 1.0) for exon in exons]
    segments += [(start, end, settings.off_target_fraction) for start, end in tiles]
    return segments


def _positions(rng: np.random.Generator, segments: Sequence[tuple[int, int, float]], reads: np.ndarray,
               settings: SimulationSettings) -> np.ndarray:
    """Read midpoints: uniform in each segment, with a tail into the flanks for capture targets."""
    starts = np.repeat(np.array([s for s, _, _ in segments], dtype=np.int64), reads)
    ends = np.repeat(np.array([e for _, e, _ in segments], dtype=np.int64), reads)
    tails = np.repeat(np.array([w >= 1.0 and settings.mode == EXOME for _, _, w in segments]), reads)
    positions = starts + np.floor(rng.random(len(starts)) * (ends - starts + 1)).astype(np.int64)
    jitter = np.round(rng.normal(0.0, settings.read_length / 3, len(starts))).astype(np.int64)
    return positions + np.where(tails, jitter, 0)


def _gc(sequence: str, start: int, end: int) -> float:
    window = sequence[max(0, start):max(0, end)]
    called = sum(window.count(base) for base in "ACGT")
    return (window.count("G") + window.count("C")) / called if called else 0.5


def _write(out_dir: Path, sample: str, header: Mapping[str, object], midpoints: np.ndarray, reverse: np.ndarray,
           flagged: np.ndarray, sequence: str, locus_start: int, settings: SimulationSettings, fasta: Path) -> Path:
    length = settings.read_length
    quality = pysam.qualitystring_to_array("I" * length)
    suffix, mode = (".cram", "wc") if settings.cram else (".bam", "wb")
    path = out_dir / f"{sample}{suffix}"
    options = {"reference_filename": str(fasta)} if settings.cram else {}
    with pysam.AlignmentFile(str(path), mode, header=header, **options) as out:
        for number, midpoint in enumerate(midpoints.tolist()):
            start = midpoint - length // 2 - 1  # 0-based, so the 1-based midpoint is start + length // 2 + 1
            read = pysam.AlignedSegment(out.header)
            read.query_name = f"{sample}.{number}"
            read.reference_id = 0
            read.reference_start = start
            read.cigartuples = ((0, length),)
            offset = start - (locus_start - 1)
            read.query_sequence = sequence[offset:offset + length]
            read.query_qualities = quality
            share = flagged[number]
            read.mapping_quality = 0 if share < settings.flagged_fraction / 2 else 60
            read.flag = (16 if reverse[number] else 0) | (
                0x400 if settings.flagged_fraction / 2 <= share < settings.flagged_fraction else 0)
            read.set_tag("RG", sample)
            out.write(read)
    pysam.index(str(path))
    return path
