"""Write a simulated batch of BAM (or CRAM) files over the synthetic TRPM6 locus, with planted exon events.

Reads are 100 bp single-end, sorted and indexed; the depth model (capture efficiency per exon, library
size, GC bias and extra noise per sample) is described in trpm6_hsh.copy_number.simulate. Besides the
alignments the output directory gets ``planted_events.tsv`` (the truth) and ``alignments.tsv`` (sample,
alignment path). Usage:
  python scripts/simulate_alignments.py --out DIR [--samples 20] [--mode exome|genome] [--depth 100]
      [--seed N] [--cram] [--event SAMPLE:FIRST-LAST:CN ...] [--random-events SEED]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from trpm6_hsh.copy_number.simulate import (  # noqa: E402
    EXOME,
    GENOME,
    PlantedEvent,
    SimulationSettings,
    plan_events,
    simulate_batch,
)
from trpm6_hsh.transcripts import load_transcripts  # noqa: E402
from trpm6_hsh.tsv import write_table  # noqa: E402

FASTA = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"


def mane_transcript(model: Path = MODEL):
    return next(t for t in load_transcripts(model) if t.is_mane)


def parse_event(text: str) -> PlantedEvent:
    """``S03:4-5:1`` = copy number 1 over exons 4..5 of sample S03."""
    try:
        sample, exons, copy_number = text.split(":")
        first, _, last = exons.partition("-")
        return PlantedEvent(sample, int(first), int(last or first), int(copy_number))
    except ValueError:
        raise SystemExit(f"--event {text!r}: expected SAMPLE:FIRST-LAST:CN, e.g. S03:4-5:1") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--prefix", default="SIM")
    parser.add_argument("--mode", choices=(EXOME, GENOME), default=EXOME)
    parser.add_argument("--depth", type=float, default=None, help="mean depth on target (exome 100, genome 30)")
    parser.add_argument("--seed", type=int, default=SimulationSettings.seed)
    parser.add_argument("--cram", action="store_true")
    parser.add_argument("--event", action="append", default=[], type=parse_event)
    parser.add_argument("--random-events", type=int, default=None, metavar="SEED",
                        help="plant one random event in 60%% of the samples (every kind and size in turn)")
    args = parser.parse_args(argv)
    transcript = mane_transcript()
    samples = [f"{args.prefix}{number:03d}" for number in range(1, args.samples + 1)]
    events = list(args.event)
    if args.random_events is not None:
        events += plan_events(samples, len(transcript.exons), args.random_events)
    depth = args.depth if args.depth is not None else (100.0 if args.mode == EXOME else 30.0)
    settings = replace(SimulationSettings(), mode=args.mode, depth=depth, seed=args.seed, cram=args.cram)
    paths = simulate_batch(args.out, FASTA, transcript, samples, events, settings)
    write_table(args.out / "planted_events.tsv", ("sample", "first_exon", "last_exon", "copy_number"),
                [vars(event) for event in events])
    write_table(args.out / "alignments.tsv", ("sample_id", "alignment"),
                [{"sample_id": sample, "alignment": str(path)} for sample, path in paths.items()])
    print(f"{len(paths)} {'CRAM' if args.cram else 'BAM'} files and {len(events)} planted events in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
