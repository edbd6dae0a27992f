"""The annotate command line on inputs a lab gets wrong: one line naming the file and record, never a trace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

FASTA = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
HEADER = (
    "##fileformat=VCFv4.2\n##contig=<ID=chr9,length=138394717>\n"
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End">\n'
    '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
)


def annotate(tmp_path: Path, record: str, out: str = "out.tsv") -> subprocess.CompletedProcess:
    vcf = tmp_path / "in.vcf"
    vcf.write_text(HEADER + record + "\n")
    command = [sys.executable, "-m", "trpm6_hsh", "annotate", "--fasta", str(FASTA), "--gff", str(MODEL)]
    command += ["--vcf", str(vcf), "--out", str(tmp_path / out) if not out.startswith("/") else out]
    return subprocess.run(command, capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "src")})


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("chr9\t74842198\t.\tG\tG\t.\tPASS\t.", "ALT G equals REF"),
        ("chr9\t74842198\t.\tG\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=74842000", "without a usable END or SVLEN"),
        ("chr9\t74842198\t.\tG\t<DEL>\t.\tPASS\tSVTYPE=DEL", "without a usable END or SVLEN"),
        ("chr9\t74842198\t.\tG\tAXT\t.\tPASS\t.", "is not made of the bases"),
    ],
)
def test_unreadable_alleles_stop_with_the_record_named(tmp_path, record, message):
    result = annotate(tmp_path, record)
    assert result.returncode == 1
    assert "record 1 (chr9:74842198)" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr and "[W::" not in result.stderr
    assert not (tmp_path / "out.tsv").exists()


def test_a_breakend_is_a_structural_event_not_a_frameshift(tmp_path):
    result = annotate(tmp_path, "chr9\t74842198\t.\tG\tG]chr2:321681]\t.\tPASS\t.")
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "out.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    cells = [dict(zip(header, row.split("\t"), strict=True)) for row in rows[1:]]
    assert cells and all(cell["lof"] == "false" and "frameshift" not in cell["consequence"] for cell in cells)


def test_out_the_same_as_the_input_is_refused_and_the_input_kept(tmp_path):
    result = annotate(tmp_path, "chr9\t74842198\t.\tG\tA\t.\tPASS\t.", out="in.vcf")
    assert result.returncode == 1 and "--out is the same file as --vcf" in result.stderr
    assert (tmp_path / "in.vcf").read_text().startswith("##fileformat")


def test_an_unwritable_out_is_one_line(tmp_path):
    result = annotate(tmp_path, "chr9\t74842198\t.\tG\tA\t.\tPASS\t.", out="/proc/no-such-folder/out.tsv")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "/proc/no-such-folder" in result.stderr
