"""The demo's read alignments and panel of normals, so a demo report shows exon copy number from read depth.

Exon copy number needs a reference set: a sample is compared with the most correlated other samples of
the same capture. The demo has only a few samples with an alignment, too few to compare with one another,
so the demo also ships a panel of normals: the exon read counts of simulated samples without any event,
sequenced "with the same kit" (one simulated batch, so every sample shares the per-exon capture
efficiencies), written by the copy-number engine's own count function. The workflow reads it through
``cnv.reference_counts``, as a laboratory would read the counts of its own normal samples.

Only the demo samples' BAMs are kept (reads over the padded TRPM6 exons and a thin off-target background,
no other region); the panel's BAMs are counted in a temporary folder and dropped. The reads carry the
reference sequence only: they show depth, not the demo VCFs' variants. Everything comes from one seed,
so the files are byte-identical from run to run.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from trpm6_hsh import shipped
from trpm6_hsh.copy_number import CopyNumberSettings, count_batch, write_counts
from trpm6_hsh.copy_number.simulate import PlantedEvent, SimulationSettings, simulate_batch
from trpm6_hsh.model import Build
from trpm6_hsh.transcripts import load_mane_transcript

ALIGNMENT_SEED = 17_017
"""Seed of the simulated batch (issue 17)."""
PANEL_SIZE = 24
PANEL_SAMPLES = tuple(f"NORMAL{number:02d}" for number in range(1, PANEL_SIZE + 1))
PANEL_TSV = "cnv_panel_of_normals.tsv"
SIMULATION = SimulationSettings(depth=60.0, seed=ALIGNMENT_SEED)
"""Exome-like depth: about 60 reads per base on the padded exons, a few off target."""


@dataclass(frozen=True)
class DemoAlignment:
    """A demo sample's BAM file name and the copy-number event planted in it (None: two copies throughout)."""

    file_name: str
    event: PlantedEvent | None = None


ALIGNMENTS: Mapping[str, DemoAlignment] = {
    "DEMO12": DemoAlignment("demo12.bam"),
    "DEMO14": DemoAlignment("demo14.bam", PlantedEvent("DEMO14", 4, 5, 1)),
}
"""DEMO14: heterozygous deletion of exons 4-5 (frameshifting); DEMO12: two copies of every exon."""


def write_alignments(out_dir: Path, fasta: Path, build: Build) -> list[Path]:
    """Write each demo sample's BAM (+ .bai) and the panel of normals' counts TSV; return the paths."""
    transcript = load_mane_transcript(shipped.shipped_file(build, "trpm6_mane_select.gff3"))
    samples = [*PANEL_SAMPLES, *ALIGNMENTS]
    events = [alignment.event for alignment in ALIGNMENTS.values() if alignment.event is not None]
    written = []
    with tempfile.TemporaryDirectory(prefix="trpm6_demo_bams_") as scratch:
        bams = simulate_batch(Path(scratch), Path(fasta), transcript, samples, events, SIMULATION)
        panel = count_batch({sample: bams[sample] for sample in PANEL_SAMPLES}, Path(fasta), transcript,
                            CopyNumberSettings())
        write_counts(Path(out_dir) / PANEL_TSV, panel)
        for sample, alignment in ALIGNMENTS.items():
            bam = Path(out_dir) / alignment.file_name
            shutil.copyfile(bams[sample], bam)
            shutil.copyfile(f"{bams[sample]}.bai", f"{bam}.bai")
            written += [bam, Path(f"{bam}.bai")]
    return [*written, Path(out_dir) / PANEL_TSV]
