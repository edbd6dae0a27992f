"""Run real peer annotators (bcftools csq from pysam, SnpEff) on generated variants, offline.

Used by the live differential tests and by ``scripts/benchmark_annotator.py``: a random but reproducible
(seeded) set of SNVs and 1-6 bp indels over a transcript +/- 1.5 kb, half of them placed near exons so
coding and splice calls are well represented, normalised with ``bcftools norm -f``.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pysam
import pysam.bcftools

from trpm6_hsh.builtin_annotator.reference import Reference
from trpm6_hsh.transcripts import Transcript

SNPEFF_JAR = Path(os.environ.get("TRPM6_SNPEFF_JAR", "/usr/share/java/snpeff.jar"))  # Debian's snpeff


def random_variants(reference: Reference, contig: str, transcript: Transcript, count: int, seed: int,
                    near_exon_share: float = 0.5) -> list[tuple[int, str, str]]:
    """``count`` distinct (pos, ref, alt) before normalisation; deterministic for a given seed."""
    rng = random.Random(seed)
    low, high = transcript.start - 1500, transcript.end + 1500
    sequence = reference.fetch(contig, low, high + 10)
    variants: set[tuple[int, str, str]] = set()
    while len(variants) < count:
        if rng.random() < near_exon_share:
            exon = rng.choice(transcript.exons)
            pos = rng.randint(exon.start - 20, exon.end + 20)
        else:
            pos = rng.randint(low, high)
        offset = pos - low
        kind = rng.random()
        ref_base = sequence[offset]
        if ref_base not in "ACGT":
            continue
        if kind < 0.7:
            alt = rng.choice([base for base in "ACGT" if base != ref_base])
            variants.add((pos, ref_base, alt))
        elif kind < 0.85:
            size = rng.randint(1, 6)
            variants.add((pos, sequence[offset:offset + size + 1], ref_base))
        else:
            size = rng.randint(1, 6)
            inserted = "".join(rng.choice("ACGT") for _ in range(size))
            variants.add((pos, ref_base, ref_base + inserted))
    return sorted(variants)


def write_normalised_vcf(variants: list[tuple[int, str, str]], contig: str, length: int, fasta: Path,
                         out: Path) -> int:
    """Sites-only VCF, left-aligned and de-duplicated by ``bcftools norm``; returns the record count."""
    raw = out.with_suffix(".raw.vcf")
    lines = ["##fileformat=VCFv4.2", f"##contig=<ID={contig},length={length}>",
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    lines += [f"{contig}\t{pos}\tv{index}\t{ref}\t{alt}\t.\tPASS\t." for index, (pos, ref, alt)
              in enumerate(variants)]
    raw.write_text("\n".join(lines) + "\n")
    normalised = pysam.bcftools.norm("-f", str(fasta), "-d", "exact", str(raw))
    sorted_text = _sort_vcf(normalised)
    out.write_text(sorted_text)
    raw.unlink()
    return sum(1 for line in sorted_text.splitlines() if line and not line.startswith("#"))


def _sort_vcf(text: str) -> str:
    header = [line for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    body.sort(key=lambda line: (line.split("\t")[0], int(line.split("\t")[1])))
    seen, unique = set(), []
    for line in body:
        key = tuple(line.split("\t")[i] for i in (0, 1, 3, 4))
        if key not in seen:
            seen.add(key)
            unique.append(line)
    return "\n".join(header + unique) + "\n"


def run_bcftools_csq(fasta: Path, gff3: Path, vcf: Path, out: Path) -> None:
    """bcftools csq as shipped in pysam, local mode (``-l``: sites-only input, no haplotypes).

    Run in a child interpreter: bcftools csq keeps global state, and a second call in the same process
    fails ("file is not sorted") with positions of the previous input.
    """
    code = ("import sys, pysam.bcftools; "
            "sys.stdout.write(pysam.bcftools.csq('-f', sys.argv[1], '-g', sys.argv[2], '-l', sys.argv[3]))")
    done = subprocess.run([sys.executable, "-c", code, str(fasta), str(gff3), str(vcf)],
                          capture_output=True, text=True, check=True)
    out.write_text(done.stdout)


def snpeff_available() -> bool:
    return SNPEFF_JAR.exists() and shutil.which("java") is not None


class SnpEffDatabase:
    """A SnpEff database built offline from a GTF and FASTA (``snpEff build -gtf22``) in a temp folder."""

    def __init__(self, gtf: Path, fasta: Path, genome: str = "trpm6") -> None:
        self.genome = genome
        self.folder = Path(tempfile.mkdtemp(prefix="snpeff_"))
        data = self.folder / "data" / genome
        data.mkdir(parents=True)
        shutil.copy(gtf, data / "genes.gtf")
        shutil.copy(fasta, data / "sequences.fa")
        self.config = self.folder / "snpEff.config"
        self.config.write_text(f"data.dir = {self.folder / 'data'}/\n{genome}.genome : {genome}\n"
                               f"{genome}.codonTable : Standard\n")
        self._java("build", "-noLog", "-gtf22", "-noCheckCds", "-noCheckProtein", genome)

    def _java(self, *args: str) -> str:
        command = ["java", "-Xmx2g", "-jar", str(SNPEFF_JAR), *args[:1], "-c", str(self.config),
                   "-dataDir", str(self.folder / "data"), *args[1:]]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return done.stdout

    def annotate(self, vcf: Path, out: Path) -> None:
        text = self._java("ann", "-noLog", "-noStats", self.genome, str(vcf))
        out.write_text(text)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
