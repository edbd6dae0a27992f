"""Benchmark inputs, generated on demand (never committed): big VCFs over the synthetic demo locus.

Every file is made from a fixed seed, so two runs measure the same bytes. The reference is the demo's
synthetic chr9 (resources/demo/<build>/), so REF bases inside the TRPM6 locus are right.
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysam

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

BUILD = "GRCh38"
DEMO = REPO / "resources" / "demo" / BUILD
FASTA = DEMO / f"synthetic_trpm6_locus.{BUILD}.fa.gz"
LOCUS_BED = REPO / "resources" / BUILD / "trpm6_locus.bed"
CHROM = "chr9"
CHROM_LENGTH = 138_394_717
BASES = np.array(list("ACGT"))

HEADER = f"""##fileformat=VCFv4.2
##FILTER=<ID=PASS,Description="All filters passed">
##source=trpm6-hsh benchmark input (synthetic; not human data)
##contig=<ID={CHROM},length={CHROM_LENGTH}>
##INFO=<ID=AF,Number=A,Type=Float,Description="Population allele frequency (synthetic)">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the REF and ALT alleles">
"""


@dataclass(frozen=True)
class Site:
    pos: int
    ref: str
    alt: str
    af: float


def locus_span() -> tuple[int, int]:
    """1-based inclusive start/end of the TRPM6 locus BED."""
    chrom, start, end, *_ = LOCUS_BED.read_text().split()
    return int(start) + 1, int(end)


def locus_sites(n_random: int, seed: int) -> list[Site]:
    """The demo's small variants (multiallelic and symbolic ones left out) plus random SNVs in the locus."""
    sites = {}
    with open(DEMO / "demo_variants.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["alt"].startswith("<") or row["id"] == "V6":
                continue
            af = float(row["population_af"]) if row["population_af"] not in ("", "unknown") else 0.001
            sites[int(row["pos"])] = Site(int(row["pos"]), row["ref"], row["alt"], af)
    rng = random.Random(seed)
    start, end = locus_span()
    with pysam.FastaFile(str(FASTA)) as fasta:
        while len(sites) < n_random:
            pos = rng.randint(start, end)
            ref = fasta.fetch(CHROM, pos - 1, pos).upper()
            if pos in sites or ref not in "ACGT" or any(abs(pos - other) < 3 for other in sites):
                continue
            alt = rng.choice([base for base in "ACGT" if base != ref])
            sites[pos] = Site(pos, ref, alt, round(rng.choice([0.0005, 0.002, 0.01, 0.05, 0.2, 0.4]), 4))
    return [sites[pos] for pos in sorted(sites)]


def write_joint_vcf(path: Path, n_samples: int, n_sites: int = 300, seed: int = 2500) -> list[str]:
    """A bgzipped, indexed joint VCF of ``n_samples`` over the locus; returns the sample IDs."""
    rng = np.random.default_rng(seed)
    samples = [f"S{index:05d}" for index in range(1, n_samples + 1)]
    text_path = path.with_suffix("")
    with open(text_path, "w", encoding="ascii") as out:
        out.write(HEADER + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples) + "\n")
        for site in locus_sites(n_sites, seed):
            # Rare LoF sites get a carrier rate that gives a few biallelic samples among thousands.
            freq = max(site.af, 0.01)
            alt_alleles = (rng.random((n_samples, 2)) < freq).astype(int)
            depth = rng.integers(20, 60, n_samples)
            quality = rng.integers(40, 99, n_samples)
            alt_reads = np.where(alt_alleles.sum(1) == 2, depth, np.where(alt_alleles.sum(1) == 1, depth // 2, 0))
            missing = rng.random(n_samples) < 0.002
            calls = [
                "./.:.:.:.,." if miss else f"{a}/{b}:{dp}:{gq}:{dp - ar},{ar}"
                for (a, b), dp, gq, ar, miss in zip(alt_alleles, depth, quality, alt_reads, missing, strict=True)
            ]
            fixed = f"{CHROM}\t{site.pos}\t.\t{site.ref}\t{site.alt}\t.\tPASS\tAF={site.af}\tGT:DP:GQ:AD"
            out.write(fixed + "\t" + "\t".join(calls) + "\n")
    pysam.tabix_compress(str(text_path), str(path), force=True)
    text_path.unlink()
    pysam.tabix_index(str(path), preset="vcf", force=True)
    return samples


def write_single_sample_vcf(path: Path, n_records: int, seed: int = 5_000_000) -> Path:
    """A bgzipped single-sample VCF of ``n_records`` SNVs spread over chr9 (the locus included), with .tbi."""
    rng = np.random.default_rng(seed)
    start, end = locus_span()
    in_locus = locus_sites(300, seed)
    chunk = 500_000
    positions = np.unique(rng.integers(1, CHROM_LENGTH, n_records + n_records // 50))
    positions = positions[(positions < start) | (positions > end)][: n_records - len(in_locus)]
    refs = BASES[rng.integers(0, 4, len(positions))]
    alts = BASES[(np.searchsorted(BASES, refs) + rng.integers(1, 4, len(positions))) % 4]
    genotypes = np.array(["0/1:30:99:15,15", "1/1:30:99:0,30"])[rng.integers(0, 2, len(positions))]
    outside = [(int(p), r, a, g) for p, r, a, g in zip(positions, refs, alts, genotypes, strict=True)]
    inside = [(s.pos, s.ref, s.alt, "0/1:30:99:15,15") for s in in_locus]
    records = sorted(outside + inside)
    with pysam.BGZFile(str(path), "wb") as out:
        out.write((HEADER + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tBENCH1\n").encode())
        for first in range(0, len(records), chunk):
            lines = [
                f"{CHROM}\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\tAF=0.01\tGT:DP:GQ:AD\t{gt}\n"
                for pos, ref, alt, gt in records[first : first + chunk]
            ]
            out.write("".join(lines).encode())
    pysam.tabix_index(str(path), preset="vcf", force=True)
    return path
