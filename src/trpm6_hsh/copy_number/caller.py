"""The public entry point: BAM/CRAM files of one batch in, one copy-number result per sample out."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from trpm6_hsh.copy_number.counts import ExonCounts, check_same_targets, count_reads, design_targets, read_counts
from trpm6_hsh.copy_number.model import call_batch
from trpm6_hsh.copy_number.results import SampleCopyNumber
from trpm6_hsh.copy_number.settings import CopyNumberSettings
from trpm6_hsh.files import write_text_atomic
from trpm6_hsh.transcripts import Transcript, load_mane_transcript

# Keys of the config's cnv section that are the workflow's, not the engine's settings.
WORKFLOW_KEYS = ("enabled", "reference_counts")


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


def settings_of_section(section: Mapping[str, object]) -> CopyNumberSettings:
    """Engine settings from the validated ``cnv`` config section (its workflow-only keys left out)."""
    return CopyNumberSettings.from_config({k: v for k, v in section.items() if k not in WORKFLOW_KEYS})


def write_batch_copy_number(
    alignments: Mapping[str, Path],
    fasta: Path,
    model: Path,
    cnv: Mapping[str, object],
    outputs: Mapping[str, Path],
    status_out: Path | None = None,
) -> dict[str, str]:
    """The workflow's copy-number stage: call every sample with an alignment, write ``outputs[sample]``.

    ``cnv`` is the validated config section; its ``reference_counts`` (a counts TSV, a panel of normals) is
    read when set. Returns each sample's status (assessed / not_assessed), also written to ``status_out``.
    """
    settings = settings_of_section(cnv)
    panel_path = str(cnv.get("reference_counts") or "")
    panel = read_counts(Path(panel_path)) if panel_path else ()
    transcript = load_mane_transcript(Path(model))
    results = call_copy_number(
        alignments, Path(fasta), transcript, settings, reference_counts=panel,
        reference_source=panel_path or "reference_counts",
    )  # fmt: skip
    for sample, path in outputs.items():
        write_text_atomic(Path(path), results[sample].to_json())
    statuses = {sample: result.status for sample, result in sorted(results.items())}
    if status_out is not None:
        write_text_atomic(Path(status_out), json.dumps(statuses, indent=2, sort_keys=True) + "\n")
    return statuses
