"""The public entry point: BAM/CRAM files of one batch in, one copy-number result per sample out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from trpm6_hsh.copy_number.counts import ExonCounts, check_same_targets, count_reads, design_targets
from trpm6_hsh.copy_number.model import call_batch
from trpm6_hsh.copy_number.results import SampleCopyNumber
from trpm6_hsh.copy_number.settings import CopyNumberSettings
from trpm6_hsh.transcripts import Transcript


def count_batch(alignments: Mapping[str, Path], fasta: Path, transcript: Transcript,
                settings: CopyNumberSettings) -> list[ExonCounts]:
    """Counts of every sample (in sample-name order) over the targets of this transcript and reference."""
    targets = design_targets(transcript, Path(fasta), settings)
    return [count_reads(Path(alignments[sample]), sample, targets, settings, Path(fasta))
            for sample in sorted(alignments)]


def call_copy_number(
    alignments: Mapping[str, Path],
    fasta: Path,
    transcript: Transcript,
    settings: CopyNumberSettings | None = None,
    reference_counts: Sequence[ExonCounts] = (),
    reference_source: object = "reference_counts",
) -> dict[str, SampleCopyNumber]:
    """Count and call every sample of the batch; ``reference_counts`` (a panel of normals) only as references.

    The panel must have been counted over the same targets (same transcript model, reference and padding);
    otherwise an ``InputError`` naming ``reference_source`` says to recount it.
    """
    settings = settings or CopyNumberSettings()
    counts = count_batch(alignments, fasta, transcript, settings)
    if counts:
        for panel_sample in reference_counts:
            check_same_targets(counts[0].targets, panel_sample, reference_source)
    results = call_batch(counts, transcript, settings, panel=reference_counts)
    return {sample: results[sample] for sample in alignments}
