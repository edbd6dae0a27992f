"""Benchmark: `snakemake -n` over 1,000 single-sample VCFs (one batch each), locally and with the SLURM profile.

Prints the wall time of each dry run against the goal (< 60 s). The VCFs are small copies of one locus
VCF under different sample names: what is measured is the workflow's start-up, validation and DAG.
Usage: python scripts/benchmarks/benchmark_dryrun.py [--samples N] [--work DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import yaml
from synthetic_inputs import FASTA, REPO, write_joint_vcf

GOAL_S = 60.0


def write_inputs(work: Path, n_samples: int) -> Path:
    """One small VCF per sample, a sample sheet and a config; returns the config path."""
    vcf_dir = work / "vcf"
    vcf_dir.mkdir(parents=True, exist_ok=True)
    template = work / "template.vcf.gz"
    if not template.exists():
        write_joint_vcf(template, 1, n_sites=40)
    import gzip

    text = gzip.decompress(template.read_bytes()).decode()
    rows = ["sample_id\tvcf"]
    for index in range(1, n_samples + 1):
        sample_id = f"P{index:05d}"
        path = vcf_dir / f"{sample_id}.vcf"
        if not path.exists():
            path.write_text(text.replace("\tS00001\n", f"\t{sample_id}\n"))
        rows.append(f"{sample_id}\t{path}")
    (work / "samples.tsv").write_text("\n".join(rows) + "\n")
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["samples"] = str(work / "samples.tsv")
    config["reference"]["fasta"] = str(FASTA)
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    return work / "config.yaml"


def dry_run(work: Path, config: Path, *extra: str) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "snakemake", "-n", "--quiet", "rules", "-s", str(REPO / "Snakefile")]
    command += ["--directory", str(work), "--configfile", str(config), *extra]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"dry run failed:\n{result.stderr[-3000:]}")
    return elapsed, result.returncode, result.stdout + result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/trpm6-bench-dryrun"))
    args = parser.parse_args()
    config = write_inputs(args.work, args.samples)
    runs = {"local (snakemake -n)": dry_run(args.work, config)}
    if importlib.util.find_spec("snakemake_executor_plugin_slurm"):
        profile = str(REPO / "workflow" / "profiles" / "slurm")
        runs["SLURM profile (groups)"] = dry_run(args.work, config, "--workflow-profile", profile)
    print(f"\nDry-run benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
          f" load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")  # fmt: skip
    print(f"input: {args.samples:,} single-sample VCFs = {args.samples:,} batches")
    for name, (elapsed, _, output) in runs.items():
        jobs = next((line.split()[-1] for line in output.splitlines() if line.strip().startswith("total")), "?")
        verdict = "met" if elapsed < GOAL_S else f"MISSED by {elapsed - GOAL_S:.1f} s"
        print(f"  {name:<26} {elapsed:6.1f} s  ({jobs} jobs)  goal < {GOAL_S:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
