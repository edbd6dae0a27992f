"""Benchmark: sensitivity and false calls of the TRPM6 exon copy-number caller on simulated batches.

Each batch is a set of simulated BAMs over the synthetic locus (trpm6_hsh.copy_number.simulate): 60% of
the samples carry one planted event, cycling through heterozygous deletions (CN 1), homozygous deletions
(CN 0) and duplications (CN 3) of 1, 2 and 5 exons at random positions. A planted event is found when a
call of the same copy number covers at least half of its exons; any other call is a false call.
Specificity is per exon: exons outside planted events that no call covers, over all such exons.
Goals: >= 95% sensitivity for heterozygous deletions of >= 2 exons; <= 1 false call per 100 samples.
Usage:
  python scripts/benchmarks/benchmark_cnv.py [--mode exome|genome] [--samples 50] [--batches 6]
      [--depth 100] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from simulate_alignments import FASTA, mane_transcript  # noqa: E402

from trpm6_hsh.copy_number import CopyNumberSettings, call_copy_number  # noqa: E402
from trpm6_hsh.copy_number.simulate import EXOME, GENOME, SimulationSettings, plan_events, simulate_batch  # noqa: E402

KIND_NAMES = {1: "het deletion", 0: "hom deletion", 3: "duplication"}
SENSITIVITY_GOAL, FALSE_CALL_GOAL = 0.95, 1.0


def evaluate(events, results, exon_count):
    """(found per (cn, size), planted per (cn, size), false calls, exact boundaries, TN exons, FP exons)."""
    found, planted, exact = defaultdict(int), defaultdict(int), defaultdict(int)
    false_calls = []
    true_negative = false_positive = 0
    by_sample = defaultdict(list)
    for event in events:
        by_sample[event.sample].append(event)
    for sample, result in results.items():
        matched_calls = set()
        for event in by_sample.get(sample, ()):
            key = (event.copy_number, len(event.exons))
            planted[key] += 1
            for index, call in enumerate(result.calls):
                overlap = len(set(call.exons) & set(event.exons))
                if call.copy_number == event.copy_number and overlap * 2 >= len(event.exons):
                    found[key] += 1
                    exact[key] += call.exons == event.exons
                    matched_calls.add(index)
                    break
        for index, call in enumerate(result.calls):
            touches_event = any(set(call.exons) & set(event.exons) and (call.copy_number < 2) == (event.copy_number < 2)
                                for event in by_sample.get(sample, ()))
            if index not in matched_calls and not touches_event:
                false_calls.append((sample, call))
        event_exons = {exon for event in by_sample.get(sample, ()) for exon in event.exons}
        called_exons = {exon for call in result.calls for exon in call.exons}
        for exon in range(1, exon_count + 1):
            if exon in event_exons:
                continue
            if exon in called_exons:
                false_positive += 1
            else:
                true_negative += 1
    return found, planted, exact, false_calls, true_negative, false_positive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=(EXOME, GENOME), default=EXOME)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--depth", type=float, default=None, help="exome 100, genome 30 by default")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a caller setting (CopyNumberSettings field), e.g. --set transition_probability=1e-3")
    parser.add_argument("--work", type=Path, default=None, help="keep the BAMs here (default: a temporary dir)")
    args = parser.parse_args(argv)
    depth = args.depth if args.depth is not None else (100.0 if args.mode == EXOME else 30.0)
    work = args.work or Path(tempfile.mkdtemp(prefix="trpm6_cnv_benchmark_"))
    transcript = mane_transcript()
    exon_count = len(transcript.exons)
    settings = CopyNumberSettings.from_config(dict(item.split("=", 1) for item in args.set))
    totals = [defaultdict(int) for _ in range(3)]
    false_calls, true_negative, false_positive = [], 0, 0
    simulate_seconds = call_seconds = 0.0
    for batch in range(args.batches):
        seed = args.seed * 1000 + batch
        samples = [f"B{batch}S{number:03d}" for number in range(args.samples)]
        events = plan_events(samples, exon_count, seed)
        started = time.perf_counter()
        simulation = replace(SimulationSettings(), mode=args.mode, depth=depth, seed=seed)
        batch_dir = work / f"{args.mode}{depth:g}_seed{seed}_{args.samples}"
        if (batch_dir / "done").exists():
            paths = {sample: batch_dir / f"{sample}.bam" for sample in samples}
        else:
            paths = simulate_batch(batch_dir, FASTA, transcript, samples, events, simulation)
            (batch_dir / "done").write_text("")
        simulate_seconds += time.perf_counter() - started
        started = time.perf_counter()
        results = call_copy_number(paths, FASTA, transcript, settings)
        call_seconds += time.perf_counter() - started
        found, planted, exact, false, negative, positive = evaluate(events, results, exon_count)
        for total, part in zip(totals, (found, planted, exact), strict=True):
            for key, value in part.items():
                total[key] += value
        false_calls += false
        true_negative += negative
        false_positive += positive
    found, planted, exact = totals
    sample_count = args.samples * args.batches
    print(f"mode {args.mode}, depth {depth:g}x, {args.batches} batches x {args.samples} samples = {sample_count}; "
          f"settings {settings}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    print("| event | exons | planted | found | sensitivity | exact exons |")
    print("|---|---:|---:|---:|---:|---:|")
    for copy_number in (1, 0, 3):
        for size in (1, 2, 5):
            key = (copy_number, size)
            if planted[key]:
                print(f"| {KIND_NAMES[copy_number]} | {size} | {planted[key]} | {found[key]} | "
                      f"{found[key] / planted[key]:.1%} | {exact[key]} |")
    per_100 = 100.0 * len(false_calls) / sample_count
    specificity = true_negative / max(1, true_negative + false_positive)
    print(f"false calls: {len(false_calls)} in {sample_count} samples = {per_100:.2f} per 100 samples")
    print(f"per-exon specificity (exons outside planted events not called): {specificity:.4%} "
          f"({false_positive} of {true_negative + false_positive})")
    for sample, call in false_calls:
        print(f"  false call {sample}: exons {call.first_exon}-{call.last_exon} CN {call.copy_number} "
              f"log10 BF {call.log10_bayes_factor:.1f}")
    print(f"time: simulate {simulate_seconds:.1f} s, count + call {call_seconds:.1f} s "
          f"({1000 * call_seconds / sample_count:.0f} ms per sample)")
    het = [(1, 2), (1, 5)]
    het_found, het_planted = sum(found[k] for k in het), sum(planted[k] for k in het)
    het_sensitivity = het_found / max(1, het_planted)
    met = het_sensitivity >= SENSITIVITY_GOAL and per_100 <= FALSE_CALL_GOAL
    print(f"goal: het deletions >= 2 exons {het_found}/{het_planted} = {het_sensitivity:.1%} (>= 95%), "
          f"false calls {per_100:.2f} per 100 samples (<= 1): {'met' if met else 'NOT met'}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
