#!/usr/bin/env python3
"""Wall time of the built-in annotator vs bcftools csq (pysam) and SnpEff on generated variants.

    python scripts/benchmark_annotator.py [--variants 50000] [--seed 1] [--near-exon 0.5]

One run, same input for every tool: seeded random SNVs and 1-6 bp indels over TRPM6 +/- 1.5 kb on the
synthetic fixture locus (tests/data/annotator), normalised with bcftools norm. Times are end to end per
tool: the built-in annotator reads FASTA + GFF3 + VCF and writes its TSV; bcftools csq reads and writes
VCF; SnpEff (when /usr/share/java/snpeff.jar exists) annotates with a database built beforehand (build
time printed apart). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "annotator"
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]  # the peer runners are a test helper, not the package

from peers.runners import (  # noqa: E402
    SnpEffDatabase,
    random_variants,
    run_bcftools_csq,
    snpeff_available,
    write_normalised_vcf,
)

from trpm6_hsh.builtin_annotator import Annotator, annotate_vcf  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--near-exon", type=float, default=0.5,
                        help="share of variants placed within 20 bp of an exon (default 0.5)")
    args = parser.parse_args(argv)
    fasta, gff3, gtf = DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", DATA / "trpm6.gtf"
    with tempfile.TemporaryDirectory(prefix="trpm6_bench_") as folder:
        work = Path(folder)
        annotator = Annotator(fasta, gff3)
        (transcript,) = annotator.transcripts
        variants = random_variants(annotator.reference, "TRPM6_locus", transcript, args.variants, args.seed,
                                   args.near_exon)
        vcf = work / "bench.vcf"
        records = write_normalised_vcf(variants, "TRPM6_locus", 170_000, fasta, vcf)
        print(f"input: {records} normalised records (seed {args.seed}, near-exon share {args.near_exon})")
        results: dict[str, float] = {}
        results["built-in"] = timed(lambda: annotate_vcf(fasta, gff3, vcf, work / "builtin.tsv"))
        results["bcftools csq (pysam)"] = timed(lambda: run_bcftools_csq(fasta, gff3, vcf, work / "bcf.vcf"))
        if snpeff_available():
            database: SnpEffDatabase | None = None

            def build() -> None:
                nonlocal database
                database = SnpEffDatabase(gtf, fasta)

            print(f"SnpEff database build (not counted): {timed(build):.2f} s")
            results["SnpEff"] = timed(lambda: database.annotate(vcf, work / "snpeff.vcf"))
            database.close()
        else:
            print("SnpEff: not installed (/usr/share/java/snpeff.jar), skipped")
    builtin = results["built-in"]
    print(f"\n{'tool':<24}{'wall s':>10}{'variants/s':>14}{'time vs built-in':>18}")
    for tool, seconds in results.items():
        print(f"{tool:<24}{seconds:>10.2f}{records / seconds:>14.0f}{seconds / builtin:>17.2f}x")
    if "SnpEff" in results:
        verdict = "faster" if builtin < results["SnpEff"] else "slower"
        print(f"\nbuilt-in is {verdict} than SnpEff ({results['SnpEff'] / builtin:.2f}x SnpEff's time ratio)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
