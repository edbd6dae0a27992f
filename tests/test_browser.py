"""The reports as a reader's browser sees them: headless Chromium, driven over the DevTools protocol.

Console errors, uncaught exceptions and network requests are observed from the browser's own events;
the verdict and variant rows are read back from the DOM. Skipped (with the reason) without Chromium;
CI installs the Debian package ``chromium`` so these run there.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from trpm6_hsh.report import summarise
from trpm6_hsh.report.browser import check_page, find_chromium

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium not installed (Debian package `chromium`); CI installs it"
)
DEMO = REPO / "resources" / "demo" / "GRCh38"
SORT_BY_VERDICT = """(() => {
  const header = Array.from(document.querySelectorAll('#summary th')).find((th) => th.textContent === 'Verdict');
  header.click();
  const first = Array.from(document.querySelectorAll('#summary tbody tr')).map((r) => r.cells[1].dataset.verdict);
  header.click();
  const second = Array.from(document.querySelectorAll('#summary tbody tr')).map((r) => r.cells[1].dataset.verdict);
  return JSON.stringify([first, second]);
})()"""


@needs_chromium
def test_the_check_sees_console_errors_network_requests_and_overflow(tmp_path):
    """A control page that misbehaves on purpose: the check must notice every kind of problem."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><div id='verdict' data-verdict='X'>x</div>"
        "<div style='width:2000px'>wide</div>"
        "<img src='http://127.0.0.1:9/tracker.png'>"
        "<script>console.error('deliberate'); undefinedFunction();</script></body></html>"
    )
    found = check_page(page)
    assert any("deliberate" in message for message in found.console_errors)
    assert any("undefinedFunction" in message for message in found.console_errors)
    assert "http://127.0.0.1:9/tracker.png" in found.network_requests
    assert found.print_overflow_px["A4"] > 0 and found.print_overflow_px["Letter"] > 0
    assert found.scripts == 1 and not found.clean


@needs_chromium
def test_cohort_page_runs_only_its_own_script(tmp_path):
    """The page's CSP names the SHA-256 of its sorting script: it runs; a changed script would be blocked."""
    reports = []
    for sample_id, verdict in (("B1", "NEGATIVE"), ("A1", "HOMOZYGOUS")):
        path = tmp_path / f"{sample_id}.report.json"
        path.write_text(json.dumps({"sample_id": sample_id, "verdict": verdict, "variants": [], "not_assessed": [],
                                    "sample": {"family_id": "F"}}))  # fmt: skip
        reports.append(path)
    summarise(reports, tmp_path / "summary.tsv", tmp_path / "summary.html")
    ascending, descending = json.loads(check_page(tmp_path / "summary.html", script=SORT_BY_VERDICT).script_result)
    assert ascending == ["HOMOZYGOUS", "NEGATIVE"] and descending == ["NEGATIVE", "HOMOZYGOUS"]
    tampered = tmp_path / "tampered.html"
    tampered.write_text((tmp_path / "summary.html").read_text().replace("(function () {", "(function () { ;"))
    blocked = check_page(tampered, script=SORT_BY_VERDICT.replace("header.click();", ""))
    assert any("Content Security Policy" in message for message in blocked.console_errors)


def _demo_config(workdir: Path) -> Path:
    rows = list(csv.DictReader((DEMO / "samples.tsv").read_text().splitlines(), delimiter="\t"))
    for row in rows:
        for column in ("vcf", "sv_vcf", "alignment"):
            if row.get(column):
                row[column] = str(DEMO / Path(row[column]).name)
    with open(workdir / "samples.tsv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    config = {
        "samples": str(workdir / "samples.tsv"),
        "reference": {"fasta": str(DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"), "build": "GRCh38"},
        "population": {"info_fields": ["AF"]},
        "cnv": {"reference_counts": str(DEMO / "cnv_panel_of_normals.tsv")},
        "report": {"pdf": True, "screenshots": True},
    }
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    return workdir / "config.yaml"


@pytest.fixture(scope="module")
def demo_with_browser(tmp_path_factory) -> Path:
    if find_chromium() is None:
        pytest.skip("Chromium not installed (Debian package `chromium`); CI installs it")
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed")
    workdir = tmp_path_factory.mktemp("demo_browser")
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--configfile", str(_demo_config(workdir)), "--cores", "2", "--quiet"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return workdir


def _expected() -> dict[str, str]:
    rows = csv.DictReader((REPO / "config" / "demo_expected.tsv").read_text().splitlines(), delimiter="\t")
    return {row["sample_id"]: row["verdict"] for row in rows}


@pytest.mark.workflow
def test_every_demo_report_loads_cleanly_and_shows_its_verdict_and_variants(demo_with_browser):
    results = demo_with_browser / "results"
    for sample_id, verdict in _expected().items():
        png = results / "screenshots" / f"{sample_id}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000, sample_id
        seen = json.loads((results / "screenshots" / f"{sample_id}.browser.json").read_text())
        assert seen["console_errors"] == [] and seen["network_requests"] == [], sample_id
        assert seen["print_overflow_px"] == {"A4": 0, "Letter": 0}, sample_id
        assert seen["scripts"] == 0, sample_id
        assert seen["verdict"] == verdict and seen["sample_id"] == sample_id
        report = json.loads((results / "reports" / f"{sample_id}.report.json").read_text())
        assert seen["verdict_text"] == report["verdict_text"]
        assert len(seen["variant_rows"]) == len(report["variants"]), sample_id
        for row, variant in zip(seen["variant_rows"], report["variants"], strict=True):
            assert row[0].startswith(f"{variant['chrom']}:{variant['pos']}"), (sample_id, row)
            assert row[1] == (variant["hgvs_c"] or "–") and row[5].startswith(variant["zygosity"])


@pytest.mark.workflow
def test_browser_reads_a_report_back_independently(demo_with_browser):
    """Not only the rule's own record: open one report again here and read the DOM."""
    report = demo_with_browser / "results" / "reports" / "DEMO03.report.html"
    found = check_page(report)
    assert found.clean and found.verdict == "COMPOUND_HET_TRANS"
    assert [row[1] for row in found.variant_rows] == ["c.3404-1G>A", "c.1308+1G>A"]
    assert found.network_requests == () and found.console_errors == ()


@pytest.mark.workflow
def test_cohort_page_sorts_offline_and_links_every_report(demo_with_browser):
    results = demo_with_browser / "results"
    found = check_page(results / "cohort" / "summary.html", script=SORT_BY_VERDICT)
    assert found.console_errors == () and found.network_requests == ()
    ascending, descending = json.loads(found.script_result)
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)
    assert sorted(ascending) == sorted(_expected().values())
    html = (results / "cohort" / "summary.html").read_text()
    for sample_id in _expected():
        for suffix in ("html", "json", "pdf"):
            assert f'href="../reports/{sample_id}.report.{suffix}"' in html


@pytest.mark.workflow
def test_demo_pdfs_render_with_their_verdict(demo_with_browser):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed")
    for sample_id, verdict in _expected().items():
        report = json.loads((demo_with_browser / "results" / "reports" / f"{sample_id}.report.json").read_text())
        reader = pypdf.PdfReader(demo_with_browser / "results" / "reports" / f"{sample_id}.report.pdf")
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert report["result_headline"] in text and verdict in text, sample_id
        assert "SYNTHETIC DEMO DATA" in text and "Sign-off" in text


@pytest.mark.workflow
def test_snakemake_report_includes_the_reports(demo_with_browser):
    workdir = demo_with_browser
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--configfile", str(workdir / "config.yaml"), "--report", "results/snakemake_report.html"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=demo_with_browser, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (demo_with_browser / "results" / "snakemake_report.html").stat().st_size > 100_000


@pytest.mark.workflow
def test_nothing_is_written_outside_results(demo_with_browser):
    allowed = {"results", ".snakemake", "samples.tsv", "config.yaml"}
    assert {path.name for path in demo_with_browser.iterdir()} <= allowed
