"""Benchmark: a 2,500-sample joint VCF over the TRPM6 locus to 2,500 reports, wall time and peak memory.

The cohort-mode path: the workflow extracts, annotates and classifies the joint VCF once (one job each,
`snakemake --cores 2` on the batch targets), then trpm6_hsh.cohort writes every verdict (genotypes read
once) and report (a loop in --workers processes). Goals: < 5 minutes end to end on 2 cores, peak memory
< 2 GiB. --diagnose-reports N times report writing with and without cached templates; --per-sample-workflow N
times the plain per-sample workflow on the first N samples, for comparison. Usage:
  python scripts/benchmarks/benchmark_cohort.py [--samples 2500] [--work DIR] [--diagnose-reports 50]
      [--per-sample-workflow 40]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import yaml
from synthetic_inputs import BUILD, FASTA, REPO, write_joint_vcf

from trpm6_hsh.cohort import write_cohort_reports
from trpm6_hsh.config import batch_id_for, config_digest, load_samples, validate_config

GOAL_S = 300.0
GOAL_GIB = 2.0
SCHEMAS = REPO / "workflow" / "schemas"


class TreeMemory:
    """Peak summed resident memory of this process and all its descendants, sampled every 0.1 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_gib(self) -> float:
        return self.peak / 1024**3


def peak_gib(who: int) -> float:
    """Peak resident memory (ru_maxrss is in KiB on Linux) of this process or of its largest child."""
    return resource.getrusage(who).ru_maxrss / 1024**2


def write_run_folder(work: Path, joint: Path, samples: list[str]) -> tuple[Path, dict]:
    (work / "samples.tsv").write_text("sample_id\tvcf\n" + "".join(f"{s}\t{joint}\n" for s in samples))
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["samples"] = str(work / "samples.tsv")
    config["reference"]["fasta"] = str(FASTA)
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    return work / "config.yaml", config


def snakemake(work: Path, config: Path, *targets: str) -> float:
    command = [sys.executable, "-m", "snakemake", *targets, "--cores", "2", "-s", str(REPO / "Snakefile")]
    command += ["--directory", str(work), "--configfile", str(config), "--quiet", "all"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"snakemake failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def diagnose_reports(n: int, samples, results: Path, batch: str, model: Path, validated: dict) -> None:
    """Where the per-sample report time goes: as shipped, then with the Jinja environment built once.

    The second figure patches trpm6_hsh.report.render inside this benchmark only, to show what caching the
    compiled templates would save; the package is not changed.
    """
    from trpm6_hsh import report
    from trpm6_hsh.report import render

    def one_pass(label: str) -> float:
        start = time.perf_counter()
        for sample in samples[:n]:
            report.write_report(
                verdict=results / "inheritance" / f"{sample.sample_id}.verdict.json",
                resources=results / "provenance" / "resources.json",
                vcf_checksums=[results / "provenance" / f"{batch}.vcf.json"],
                model=model,
                schema=SCHEMAS / "report.schema.json",
                sample=sample,
                build=BUILD,
                config_sha256=config_digest(validated),
                annotator=validated["annotator"],
                report_settings=validated["report"],
                out_html=results / "diagnosis" / f"{sample.sample_id}.html",
                out_json=results / "diagnosis" / f"{sample.sample_id}.json",
                out_tsv=results / "diagnosis" / f"{sample.sample_id}.tsv",
            )
        per_sample = (time.perf_counter() - start) / n
        print(f"  report.write_report {label}: {per_sample * 1000:.0f} ms per sample ({n} samples, one process)")
        return per_sample

    shipped = one_pass("as shipped")
    original = render.template_environment
    render.template_environment = functools.lru_cache(maxsize=1)(original)
    try:
        cached = one_pass("with the Jinja environment built once (diagnosis only)")
    finally:
        render.template_environment = original
    print(f"  -> template compilation is {(shipped - cached) / shipped:.0%} of the report time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2500)
    parser.add_argument("--work", type=Path, default=Path("/tmp/trpm6-bench-cohort"))
    parser.add_argument("--workers", type=int, default=2, help="report-writing processes (default: 2 cores)")
    parser.add_argument("--diagnose-reports", type=int, default=0, metavar="N")
    parser.add_argument("--per-sample-workflow", type=int, default=0, metavar="N")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)

    start = time.perf_counter()
    joint = args.work / f"joint_{args.samples}.vcf.gz"
    sample_ids = write_joint_vcf(joint, args.samples)
    generated = time.perf_counter() - start

    config_path, raw_config = write_run_folder(args.work, joint, sample_ids)
    batch = batch_id_for(str(joint))
    tree = TreeMemory()
    tree.start()
    begin = time.perf_counter()
    batch_targets = [
        f"results/classify/{batch}.variants.tsv",
        f"results/provenance/{batch}.vcf.json",
        "results/provenance/resources.json",
    ]
    batch_stages = snakemake(args.work, config_path, *batch_targets)

    validated = validate_config(raw_config, SCHEMAS / "config.schema.yaml", "benchmark config")
    samples = load_samples(Path(validated["samples"]), SCHEMAS / "samples.schema.yaml")
    model = REPO / "resources" / BUILD / "trpm6_mane_select.gff3"
    results = args.work / "results"
    cohort_start = time.perf_counter()
    outcome = write_cohort_reports(
        samples,
        verdict_arguments={
            "family_batches": {sample.sample_id: batch for sample in samples},
            "locus_vcfs": [results / "locus" / f"{batch}.vcf.gz"],
            "variant_tables": [results / "classify" / f"{batch}.variants.tsv"],
            "genotype_qc": validated["genotype_qc"],
            "model": model,
        },
        report_arguments={
            "resources": results / "provenance" / "resources.json",
            "model": model,
            "schema": SCHEMAS / "report.schema.json",
            "build": BUILD,
            "config_sha256": config_digest(validated),
            "annotator": validated["annotator"],
            "report_settings": validated["report"],
        },
        vcf_checksums={sample.sample_id: [results / "provenance" / f"{batch}.vcf.json"] for sample in samples},
        results=results,
        workers=args.workers,
    )
    cohort_s = time.perf_counter() - cohort_start
    total = time.perf_counter() - begin
    tree.stop()
    reports = len(list((results / "reports").glob("*.report.json")))
    memory = tree.peak_gib

    print(f"\nCohort benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
          f" load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")  # fmt: skip
    print(f"input: one joint VCF, {args.samples:,} samples x {len(joint.read_bytes()) / 1e6:.1f} MB "
          f"(generated in {generated:.1f} s, not counted)")  # fmt: skip
    print(f"  extract + annotate + classify + checksums (workflow, 2 cores): {batch_stages:7.1f} s")
    print(f"  verdicts + reports, cohort mode ({args.workers} processes):             {cohort_s:7.1f} s "
          f"({cohort_s / max(reports, 1) * 1000:.0f} ms per sample)")  # fmt: skip
    print(f"  end to end: {total:.1f} s for {reports:,} reports; verdicts {dict(Counter(outcome.verdicts.values()))}")
    largest = max(peak_gib(resource.RUSAGE_SELF), peak_gib(resource.RUSAGE_CHILDREN))
    print(f"  peak memory: {memory:.2f} GiB summed over this process and its children (sampled every 0.1 s); "
          f"largest single process {largest:.2f} GiB")  # fmt: skip
    print(
        f"goal < {GOAL_S:.0f} s: {total:.1f} s -> "
        + ("met" if total < GOAL_S else f"MISSED by {total - GOAL_S:.1f} s ({total / GOAL_S:.2f}x)")
    )
    print(
        f"goal peak < {GOAL_GIB:.0f} GiB: {memory:.2f} GiB -> "
        + ("met" if memory < GOAL_GIB else f"MISSED by {memory - GOAL_GIB:.2f} GiB")
    )

    if args.diagnose_reports:
        diagnose_reports(args.diagnose_reports, samples, results, batch, model, validated)

    if args.per_sample_workflow:
        n = args.per_sample_workflow
        subset = args.work / f"per_sample_{n}"
        subset.mkdir()
        sub_config, _ = write_run_folder(subset, joint, sample_ids[:n])
        elapsed = snakemake(subset, sub_config)
        print(f"per-sample workflow (snakemake --cores 2, one job per sample and stage), {n} samples: "
              f"{elapsed:.1f} s = {elapsed / n:.2f} s per sample -> {args.samples:,} samples ~ "
              f"{elapsed / n * args.samples / 60:.0f} min")  # fmt: skip


if __name__ == "__main__":
    main()
