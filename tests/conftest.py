"""Shared test helpers: tiny, readable VCFs and stage tables written into tmp_path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

VCF_HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr9,length=138394717>
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Structural variant type">
##INFO=<ID=END,Number=1,Type=Integer,Description="End of the variant">
##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="Population allele frequency">
##FILTER=<ID=LowQual,Description="Low quality">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">
"""


def write_vcf(path: Path, samples: list[str], records: list[str]) -> Path:
    """Write a VCF from whitespace-separated record lines (columns CHROM..FORMAT and samples)."""
    columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples)
    body = "\n".join("\t".join(line.split()) for line in records)
    path.write_text(VCF_HEADER + columns + "\n" + body + ("\n" if body else ""))
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the fast subset, so `pytest -m quick` runs everything but the end-to-end and live-peer tests."""
    for item in items:
        if not any(item.get_closest_marker(name) for name in ("workflow", "slow")):
            item.add_marker(pytest.mark.quick)


@pytest.fixture()
def repo() -> Path:
    return REPO
