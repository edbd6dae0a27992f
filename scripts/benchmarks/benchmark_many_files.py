"""Benchmark: N single-sample VCFs against the same N samples as one joint VCF, end to end, in one run.

Generates a joint VCF of N samples over the synthetic locus (synthetic_inputs.write_joint_vcf), then splits
it into one file per sample, as labs receive them: 40% bgzipped with a tabix index, 20% bgzipped without
one, 20% plain text, 20% gVCF (reference blocks with END, and <NON_REF>). Each file holds the sites where
its sample carries an ALT allele or no call, like a caller's output. Then, each with the shipped settings
and `snakemake --cores 2`:

1. `snakemake -n` over the N files (the DAG of a fresh run);
2. the N files to all reports and the cohort page (chunks of `batching.files_per_job` files per job);
3. one more sample added to the finished run: the rerun's wall time and its job list;
4. the joint VCF to all reports and the cohort page (cohort mode), for comparison.

Wall time per sample, peak memory of the whole process tree (sampled every 0.1 s) and the ratio of the
many-files run to the joint run are printed. Goals: <= 50 ms per sample at N = 10,000 on 2 cores, within
2x of the joint VCF, < 2 GiB; adding a sample < 10 s; the dry run < 60 s.
Usage: python scripts/benchmarks/benchmark_many_files.py [--samples 1000 10000] [--work DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pysam
import yaml
from benchmark_cohort import TreeMemory
from synthetic_inputs import CHROM, FASTA, REPO, locus_span, write_joint_vcf

GOALS = {"per_sample_ms": 50.0, "ratio": 2.0, "memory_gib": 2.0, "add_one_s": 10.0, "dry_run_s": 60.0}
GVCF_HEADER_LINES = (
    '##ALT=<ID=NON_REF,Description="Any allele other than the reference (synthetic gVCF)">\n'
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of a reference block">\n'
)
SHAPES = ("vcf.gz+tbi", "vcf.gz", "vcf", "g.vcf")


def _shape(index: int) -> str:
    """40% indexed bgzip, 20% bgzip without index, 20% plain, 20% gVCF, interleaved."""
    return ("vcf.gz+tbi", "vcf.gz+tbi", "vcf.gz", "vcf", "g.vcf")[index % 5]


def _reference_blocks(fasta: pysam.FastaFile, start: int, end: int, variant_positions: list[int]) -> list[tuple]:
    """Reference blocks (pos, end) covering [start, end] outside the variant positions."""
    blocks, cursor = [], start
    for pos in [*sorted(variant_positions), end + 1]:
        if pos > cursor:
            blocks.append((cursor, pos - 1))
        cursor = pos + 1
    return [(first, last, fasta.fetch(CHROM, first - 1, first).upper()) for first, last in blocks]


def split_joint(joint: Path, out_dir: Path) -> dict[str, Path]:
    """One file per sample of ``joint``, in the four shapes; returns sample -> file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    header, columns, rows = [], [], []
    with gzip.open(joint, "rt", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("##"):
                header.append(line)
            elif line.startswith("#"):
                columns = line.rstrip("\n").split("\t")
            else:
                rows.append(line.rstrip("\n").split("\t"))
    samples = columns[9:]
    start, end = locus_span()
    files = {}
    with pysam.FastaFile(str(FASTA)) as fasta:
        for index, sample in enumerate(samples):
            column = 9 + index
            carried = [row for row in rows if not row[column].startswith("0/0")]
            shape = _shape(index)
            head = "".join(header) + "\t".join([*columns[:9], sample]) + "\n"
            if shape == "g.vcf":
                # a caller's gVCF: no population AF, and AD with a count for <NON_REF>
                lines = [
                    "\t".join([*row[:4], row[4] + ",<NON_REF>", row[5], row[6], ".", row[8], row[column] + ",0"])
                    for row in carried
                ]
                blocks = _reference_blocks(fasta, start, end, [int(row[1]) for row in carried])
                lines += [
                    f"{CHROM}\t{first}\t.\t{base}\t<NON_REF>\t.\tPASS\tEND={last}\tGT:DP:GQ:AD\t0/0:30:60:30"
                    for first, last, base in blocks
                ]
                lines.sort(key=lambda line: int(line.split("\t", 2)[1]))
                head = head.replace("##FORMAT", GVCF_HEADER_LINES + "##FORMAT", 1)
            else:
                lines = ["\t".join([*row[:9], row[column]]) for row in carried]
            text = head + "".join(line + "\n" for line in lines)
            if shape.startswith("vcf.gz"):
                path = out_dir / f"{sample}.vcf.gz"
                with pysam.BGZFile(str(path), "wb") as out:
                    out.write(text.encode("ascii"))
                if shape.endswith("+tbi"):
                    pysam.tabix_index(str(path), preset="vcf", force=True)
            else:
                path = out_dir / f"{sample}.{shape}"
                path.write_text(text, encoding="ascii")
            files[sample] = path
    return files


def write_run(work: Path, sheet_rows: list[tuple[str, str]]) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    (work / "samples.tsv").write_text("sample_id\tvcf\n" + "".join(f"{s}\t{v}\n" for s, v in sheet_rows))
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["samples"] = str(work / "samples.tsv")
    config["reference"]["fasta"] = str(FASTA)
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    return work / "config.yaml"


def snakemake(work: Path, *extra: str) -> tuple[float, float, str]:
    """Wall seconds, peak memory (GiB) of the process tree, and stdout of one snakemake run in ``work``."""
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "-s", str(REPO / "Snakefile"), "--directory",
               str(work), "--configfile", str(work / "config.yaml"), *extra]  # fmt: skip
    command += [] if "-n" in extra else ["--quiet"]  # a dry run prints its job table
    memory = TreeMemory()
    memory.start()
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    memory.stop()
    if result.returncode != 0:
        sys.exit(f"snakemake failed in {work}:\n{result.stderr[-3000:]}")
    return wall, memory.peak_gib, result.stdout


def _size_gib(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1024**3


def _jobs(dry_run_stdout: str) -> dict[str, int]:
    table = dry_run_stdout.split("Job stats:")[-1]
    return {name: int(count) for name, count in re.findall(r"^(\w+)\s+(\d+)$", table, re.M) if name != "total"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[1000], help="one run per number given")
    parser.add_argument("--work", type=Path, default=Path("/tmp/trpm6-bench-many-files"))
    args = parser.parse_args()
    for n in args.samples:
        benchmark(n, args.work / f"n{n}")
        shutil.rmtree(args.work / f"n{n}", ignore_errors=True)  # 10,000 samples leave several GB


def benchmark(n: int, work: Path) -> None:
    """Generate N samples both ways, run everything, print the figures."""
    shutil.rmtree(work, ignore_errors=True)
    inputs = work / "inputs"
    inputs.mkdir(parents=True)

    generate = time.perf_counter()
    joint = inputs / f"joint_{n}.vcf.gz"
    write_joint_vcf(joint, n + 1)  # one sample more, added to the many-files run at the end
    files = split_joint(joint, inputs / "single")
    generate = time.perf_counter() - generate
    samples = sorted(files)
    extra_sample = samples.pop()

    many = work / "many_files"
    write_run(many, [(sample, str(files[sample])) for sample in samples])
    dry_s, _, dry_out = snakemake(many, "-n")
    dry_jobs = sum(_jobs(dry_out).values())
    many_s, many_gib, _ = snakemake(many)

    write_run(many, [(sample, str(files[sample])) for sample in [*samples, extra_sample]])
    _, _, add_dry = snakemake(many, "-n")
    add_jobs = _jobs(add_dry)
    add_s, _, _ = snakemake(many)

    joint_run = work / "joint"
    write_run(joint_run, [(sample, str(joint)) for sample in samples])
    joint_s, joint_gib, _ = snakemake(joint_run)

    reports = len(list((many / "results" / "reports").glob("*.report.json")))
    metadata_gib = {run.name: _size_gib(run / ".snakemake") for run in (many, joint_run)}
    per_sample_ms = 1000 * many_s / n
    ratio = many_s / joint_s
    shapes = {shape: sum(1 for i in range(n) if _shape(i) == shape) for shape in SHAPES}
    chunks = len([log for log in (many / "results" / "logs" / "chunks").glob("*.log") if ".plan." not in log.name])
    print(f"\nMany single-sample VCFs vs one joint VCF — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
          f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"inputs: {n} samples; files {shapes}; generated in {generate:.0f} s")
    print(f"{'measure':<52} {'figure':>14} {'goal':>10}")
    rows = [
        (f"snakemake -n, {n} files ({dry_jobs} jobs)", f"{dry_s:.1f} s", f"< {GOALS['dry_run_s']:.0f} s"),
        (f"{n} files -> {reports} reports + cohort page ({chunks} chunk jobs)", f"{many_s:.1f} s", ""),
        ("  wall time per sample", f"{per_sample_ms:.1f} ms", f"<= {GOALS['per_sample_ms']:.0f} ms"),
        ("  peak memory, whole process tree", f"{many_gib:.2f} GiB", f"< {GOALS['memory_gib']:.0f} GiB"),
        (f"same {n} samples as one joint VCF (cohort mode)", f"{joint_s:.1f} s", ""),
        ("  wall time per sample", f"{1000 * joint_s / n:.1f} ms", ""),
        ("  peak memory, whole process tree", f"{joint_gib:.2f} GiB", ""),
        ("many files / joint VCF", f"{ratio:.2f}x", f"<= {GOALS['ratio']:.0f}x"),
        (".snakemake folder, many files / joint", "{many_files:.2f} / {joint:.2f} GiB".format(**metadata_gib), ""),
        (f"add one sample to the finished run (jobs: {add_jobs})", f"{add_s:.1f} s", f"< {GOALS['add_one_s']:.0f} s"),
    ]
    for measure, figure, goal in rows:
        print(f"{measure:<52} {figure:>14} {goal:>10}")


if __name__ == "__main__":
    main()
