#!/usr/bin/env python3
"""Benchmark the inheritance stage on a joint VCF with planted cases: time, peak memory, correctness.

    python scripts/benchmark_inheritance.py --samples 1000
    python scripts/benchmark_inheritance.py --samples 5000 --per-sample 50

Generates the cohort with scripts/make_joint_vcf.py, annotates and classifies it with the
built-in stages (timed apart), then runs the batch API (one genotype-matrix read for all
samples) and, for comparison, the per-sample path on a subset. Prints figures; asserts nothing
except that every planted verdict is right (the exit status says so).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from trpm6_hsh.builtin_annotator import annotate_vcf  # noqa: E402
from trpm6_hsh.classify import classify_variants  # noqa: E402
from trpm6_hsh.inheritance import call_batch_verdicts, call_biallelic_status  # noqa: E402

DEMO = REPO / "resources" / "demo" / "GRCh38"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}


def _generator():
    spec = importlib.util.spec_from_file_location("make_joint_vcf", REPO / "scripts" / "make_joint_vcf.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _timed(label: str, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s")
    return result, seconds


def _peak_allocations(function, *args) -> float:
    """Peak Python and numpy allocations (MiB) of one call, measured in a separate, traced run."""
    tracemalloc.start()
    function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--per-sample", type=int, default=50, help="samples run through the per-sample path")
    parser.add_argument("--out", type=Path, default=None, help="keep the files here (default: a temporary folder)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trpm6-bench-") as scratch:
        folder = arguments.out or Path(scratch)
        vcf, _ = _timed(
            f"generate joint VCF ({arguments.samples} samples)",
            _generator().write_joint_vcf,
            folder,
            arguments.samples,
        )
        consequences, table = folder / "joint.consequences.tsv", folder / "joint.variants.tsv"
        fasta = DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"
        _timed("annotate (built-in)", annotate_vcf, fasta=fasta, model=MODEL, vcf=vcf, out=consequences)
        _timed("classify", classify_variants, consequences, vcf, table, {"af_ceiling": 0.01, "info_fields": ["AF"]})
        with open(folder / "truth.tsv", newline="") as handle:
            truth = list(csv.DictReader(handle, delimiter="\t"))
        samples = [{key: row[key] for key in ("sample_id", "paternal_id", "maternal_id")} for row in truth]
        batches = {row["sample_id"]: "joint" for row in truth}
        documents, batch_seconds = _timed(
            f"inheritance, batch API ({len(samples)} samples)",
            call_batch_verdicts,
            samples,
            batches,
            [vcf],
            [table],
            QC,
            MODEL,
        )
        arguments_of_batch = (samples, batches, [vcf], [table], QC, MODEL)
        peak = _peak_allocations(call_batch_verdicts, *arguments_of_batch)
        print(f"{'inheritance, batch API: peak allocations':<48} {peak:8.1f} MiB")
        subset = samples[: arguments.per_sample]

        def per_sample() -> None:
            for sample in subset:
                out = folder / "single" / f"{sample['sample_id']}.verdict.json"
                call_biallelic_status(sample, batches, [vcf], [table], QC, MODEL, out)

        _, single_seconds = _timed(f"inheritance, per-sample path ({len(subset)} samples)", per_sample)
        wrong = [row for row in truth if documents[row["sample_id"]].verdict.value != row["expected_verdict"]]
        planted = sum(1 for row in truth if row["plant"] != "background")
        print(
            f"batch: {batch_seconds / len(samples) * 1000:.2f} ms per sample; per-sample path: "
            f"{single_seconds / max(1, len(subset)) * 1000:.2f} ms per sample"
        )
        print(f"max resident set size: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        print(
            f"verdicts: {len(truth) - len(wrong)} of {len(truth)} as planted ({planted} planted, "
            f"{len(truth) - planted} background); wrong: {[(r['sample_id'], r['plant']) for r in wrong[:5]]}"
        )
        return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
