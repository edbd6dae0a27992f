"""A small, valid base VCF on the demo reference, and helpers that write it in hostile variations.

The base sample P1 is homozygous for the demo stop gain c.298C>T (V1) and heterozygous for a missense VCF
and an intron variant: a correct tool says HOMOZYGOUS. Each corpus case changes one thing about it.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path

import pysam
from pysam import bcftools

META = [
    "##fileformat=VCFv4.2",
    '##FILTER=<ID=PASS,Description="All filters passed">',
    "##contig=<ID=chr9,length=138394717>",
    '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="Population allele frequency">',
    '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Structural variant type">',
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End of the variant">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
    '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
]
COLUMNS = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"]
STOP = "chr9 74842198 . G A 50 PASS gnomAD_AF=0.00001 GT:DP:GQ:AD 1/1:40:99:0,40"
MISSENSE = "chr9 74800393 . C T 50 PASS gnomAD_AF=0.00001 GT:DP:GQ:AD 0/1:40:99:20,20"
INTRON = "chr9 74811999 . A G 50 PASS gnomAD_AF=0.3 GT:DP:GQ:AD 0/1:40:99:20,20"
# Sorted by position, as a caller writes them.
BASE_RECORDS = [MISSENSE, INTRON, STOP]
BASE_VERDICT = "HOMOZYGOUS"


def record(line: str) -> str:
    """A whitespace-separated record line as a tab-separated VCF line."""
    return "\t".join(line.split())


def vcf_text(
    records: Sequence[str] = BASE_RECORDS,
    samples: Sequence[str] = ("P1",),
    meta: Sequence[str] = META,
    header_line: str | None = None,
) -> str:
    """The VCF text: meta lines, the #CHROM line (or ``header_line`` verbatim), then the records."""
    columns = header_line if header_line is not None else "\t".join([*COLUMNS, *samples])
    lines = [*meta, *([columns] if columns else []), *(record(line) for line in records)]
    return "\n".join(lines) + "\n"


def write_text(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def write_bgzf(path: Path, text: str, index: str | None = None) -> Path:
    """Bgzip ``text`` to ``path`` (``.vcf.gz``); index it with ``tbi`` or ``csi`` if asked."""
    plain = write_text(path.with_suffix(""), text)
    pysam.tabix_compress(str(plain), str(path), force=True)
    plain.unlink()
    if index:
        pysam.tabix_index(str(path), preset="vcf", force=True, csi=index == "csi")
    return path


def write_plain_gzip(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt") as handle:
        handle.write(text)
    return path


def write_bcf(path: Path, text: str, index: bool = True) -> Path:
    source = write_text(path.with_suffix(".src.vcf"), text)
    bcftools.view("-Ob", "-o", str(path), str(source), catch_stdout=False)
    source.unlink()
    if index:
        bcftools.index(str(path))
    return path
