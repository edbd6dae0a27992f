"""Benchmark: TRPM6 locus extraction from a 5-million-record single-sample VCF.gz, with and without an index.

Measures trpm6_hsh.extract.extract_locus against `bcftools view` (pysam.bcftools) on the same file in the
same run, and prints the figures, the ratios and the goals (indexed < 1 s; unindexed within 1.5x of
bcftools view). Usage: python scripts/benchmarks/benchmark_extract.py [--records N] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pysam
from synthetic_inputs import BUILD, CHROM, FASTA, LOCUS_BED, locus_span, write_single_sample_vcf

from trpm6_hsh.extract import extract_locus

INDEXED_GOAL_S = 1.0
UNINDEXED_RATIO_GOAL = 1.5


def best_of(repeats: int, action: Callable[[], object]) -> tuple[float, float]:
    """Fastest and median wall time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/trpm6-bench-extract"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    indexed = args.work / f"single_{args.records}.vcf.gz"
    unindexed = args.work / f"single_{args.records}.noindex.vcf.gz"
    if not (indexed.exists() and Path(f"{indexed}.tbi").exists()):
        start = time.perf_counter()
        write_single_sample_vcf(indexed, args.records)
        print(f"generated {indexed} ({args.records:,} records) in {time.perf_counter() - start:.1f} s")
    if not unindexed.exists():
        shutil.copyfile(indexed, unindexed)
    start, end = locus_span()
    region = f"{CHROM}:{start}-{end}"
    size_mb = indexed.stat().st_size / 1e6

    def ours(source: Path, name: str) -> Callable[[], object]:
        out = args.work / f"{name}.locus.vcf.gz"
        return lambda: extract_locus(
            vcf=source, samples=["BENCH1"], fasta=FASTA, region_bed=LOCUS_BED, out_vcf=out, build=BUILD,
            summary_json=args.work / f"{name}.extract.json",
        )  # fmt: skip

    def bcftools(flag: str, source: Path) -> Callable[[], object]:
        return lambda: pysam.bcftools.view(flag, region, "-Oz", "-o", str(args.work / "bcftools.vcf.gz"), str(source))

    results = {
        "extract_locus, indexed": best_of(args.repeats, ours(indexed, "indexed")),
        "bcftools view -r, indexed": best_of(args.repeats, bcftools("-r", indexed)),
        "extract_locus, unindexed": best_of(args.repeats, ours(unindexed, "unindexed")),
        "bcftools view -t, unindexed": best_of(args.repeats, bcftools("-t", unindexed)),
    }
    print(f"\nLocus extraction benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
          f" load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")  # fmt: skip
    print(f"input: {args.records:,} records, {size_mb:.0f} MB bgzipped; region {region}; best/median of {args.repeats}")
    for name, (best, median) in results.items():
        print(f"  {name:<30} best {best:7.3f} s   median {median:7.3f} s")
    indexed_s = results["extract_locus, indexed"][0]
    ratio = results["extract_locus, unindexed"][0] / results["bcftools view -t, unindexed"][0]
    print(
        f"goal indexed < {INDEXED_GOAL_S:.1f} s: {indexed_s:.3f} s -> "
        + ("met" if indexed_s < INDEXED_GOAL_S else f"MISSED by {indexed_s - INDEXED_GOAL_S:.3f} s")
    )
    print(
        f"goal unindexed <= {UNINDEXED_RATIO_GOAL}x bcftools view: {ratio:.2f}x -> "
        + ("met" if ratio <= UNINDEXED_RATIO_GOAL else f"MISSED by {ratio - UNINDEXED_RATIO_GOAL:.2f}x")
    )


if __name__ == "__main__":
    main()
