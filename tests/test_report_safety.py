"""Hostile input through the whole workflow: nothing active reaches the HTML, nothing lands outside results/.

A tiny VCF carries markup, quotes, `../` and non-ASCII text in its ID, FILTER and INFO fields; the sample
sheet uses the oddest sample ID the schema allows (`A.b-1_x`). IDs the schema refuses stop the run at
start-up with one clear line and write nothing.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import REPO

pytestmark = pytest.mark.workflow

DEMO = REPO / "resources" / "demo" / "GRCh38"
HOSTILE_FILTER = "Low'Q&ñ../x"
HOSTILE_ID = 'rs1<script>alert("x")</script>ñ'
VCF = f"""##fileformat=VCFv4.2
##contig=<ID=chr9,length=138394717>
##FILTER=<ID={HOSTILE_FILTER},Description="hostile <script>alert('x')</script> filter">
##INFO=<ID=AF,Number=A,Type=Float,Description="Population allele frequency">
##INFO=<ID=NOTE,Number=1,Type=String,Description="free text <b>bold</b>">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA.b-1_x
chr9\t74842198\t{HOSTILE_ID}\tG\tA\t50\t{HOSTILE_FILTER}\tAF=0.0001;NOTE=<img/src=x onerror=alert(1)>\t\
GT:DP:GQ:AD\t1/1:30:99:0,30
"""


class ActiveContent(HTMLParser):
    """Collects anything a browser could execute or fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img", "link", "base", "form"):
            self.found.append(tag)
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.found.append("meta refresh")
        self.found += [name for name, _ in attrs if name.lower().startswith("on")]
        self.found += [
            f"{n}={v}" for n, v in attrs if v and n != "xmlns" and ("javascript:" in v.lower() or "//" in v)
        ]


def _setup(workdir: Path, sample_id: str) -> Path:
    (workdir / "in").mkdir(parents=True)
    vcf = workdir / "in" / "hostile.vcf"
    vcf.write_text(VCF, encoding="utf-8")
    (workdir / "samples.tsv").write_text(
        "sample_id\tvcf\tfamily_id\tserum_mg_mmol_l\tserum_ca_mmol_l\tpth_pg_ml\n"
        f"{sample_id}\t{vcf}\tF<1>&'\"ñ\t0.31\t1.7\t25\n",
        encoding="utf-8",
    )
    config = {
        "samples": str(workdir / "samples.tsv"),
        "reference": {"fasta": str(DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"), "build": "GRCh38"},
        "population": {"info_fields": ["AF"]},
        "report": {"laboratory": "Lab <script>alert(1)</script> ñ", "referral_reason": "../../etc/passwd \"x\""},
    }
    (workdir / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return workdir / "config.yaml"


def _run(workdir: Path, config: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--configfile", str(config), "--cores", "2"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=600)


def test_hostile_vcf_fields_and_odd_sample_id_are_inert(tmp_path):
    workdir = tmp_path / "run"
    result = _run(workdir, _setup(workdir, "A.b-1_x"))
    assert result.returncode == 0, result.stderr[-3000:]
    reports = workdir / "results" / "reports"
    html = (reports / "A.b-1_x.report.html").read_text(encoding="utf-8")
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found == []
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "Low&#39;Q&amp;ñ../x" in html  # the FILTER value, shown as text
    assert "Lab &lt;script&gt;alert(1)&lt;/script&gt; ñ" in html and "F&lt;1&gt;&amp;&#39;&#34;ñ" in html
    summary = (workdir / "results" / "cohort" / "summary.html").read_text(encoding="utf-8")
    assert "F<1>" not in summary and "A.b-1_x" in summary
    outside = [
        path for path in workdir.rglob("*")
        if path.is_file() and path.relative_to(workdir).parts[0] not in ("results", ".snakemake", "in")
        and path.name not in ("samples.tsv", "config.yaml")
    ]  # fmt: skip
    assert outside == []
    assert not (tmp_path / "etc").exists() and not any(tmp_path.glob("*.html"))


@pytest.mark.parametrize("sample_id", ["../evil", "<script>x</script>", "Müller"])
def test_unsafe_sample_ids_stop_the_run_before_anything_is_written(tmp_path, sample_id):
    workdir = tmp_path / "run"
    result = _run(workdir, _setup(workdir, sample_id))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("trpm6-hsh: error:")]
    assert len(lines) == 1 and "line 2" in lines[0] and "sample_id" in lines[0] and "Traceback" not in result.stderr
    assert not (workdir / "results").exists()
