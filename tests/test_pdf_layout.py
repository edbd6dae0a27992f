"""The printed report: codes never hyphenated or split, banner/DRAFT/sample on every page, two pages + appendix.

Measured on the PDF's extracted text (pypdf): a code split over two lines shows as a line break inside it, a
WeasyPrint hyphenation as U+2010 at a line end. The one break allowed is after the "_" of a c. range.
"Main content" is every page before the page that opens with the appendix title (the appendix always starts
on a new page in print), so its length is that page's index. The workflow-marked tests do the same for every
demo sample's PDF as the workflow prints it, and read one PDF per verdict a second way: poppler's pdftoppm
renders each page to PNG (none may be blank) and pdftotext's text must hold every code unbroken.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from test_report import RESOURCES, _write, verdict_doc
from test_workflow import DEMO, snakemake, user_setup

pytest.importorskip("weasyprint", reason="WeasyPrint is not installed")
pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed")

APPENDIX_TITLE = "Appendix: evidence for the reviewer"
RUNNING_HEADER = "DRAFT \u2014 sample S1"
BANNER = "SYNTHETIC DEMO DATA"
LONG_DELETION = "c.3404-1000_3536+799del"


def _two_variants() -> dict:
    document = verdict_doc("")
    second = copy.deepcopy(document["variants"][0])
    second.update(pos=74850000, ref="CTTGACTTGA", alt="C", hgvs_c=LONG_DELETION, hgvs_p="p.?",
                  consequence="splice_acceptor_variant", evidence="PVS1;PM2_Supporting")  # fmt: skip
    document["variants"].append(second)
    return document


def _pages(tmp_path, verdict=None) -> list[str]:
    pdf = _write(tmp_path, verdict=verdict or verdict_doc(""), pdf=True)["pdf"]
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def one_variant(tmp_path_factory):
    return _pages(tmp_path_factory.mktemp("one"))


@pytest.fixture(scope="module")
def two_variants(tmp_path_factory):
    return _pages(tmp_path_factory.mktemp("two"), _two_variants())


def _main_pages(pages: list[str]) -> int:
    starts = [index for index, text in enumerate(pages) if APPENDIX_TITLE in text]
    assert starts, "no appendix in the PDF"
    return starts[0]


CODES = ("PVS1", "PM2_Supporting", "c.298C>T", "p.(Gln100Ter)", "NM_017662.5:c.298C>T", "NC_000009.12:g.74842100C>T")


@pytest.mark.parametrize("layout", ["one_variant", "two_variants"])
def test_codes_and_hgvs_are_never_hyphenated_or_split(layout, request):
    pages = request.getfixturevalue(layout)
    text = "\n".join(pages)
    codes = CODES + ((LONG_DELETION,) if layout == "two_variants" else ())
    joined = text.replace("\u2010\n", "").replace("-\n", "-").replace("\n", "")
    for code in codes:
        # a c. range may wrap only right after the "_" between its two ends (the template's one <wbr>)
        shown = text.replace("_\n", "_") if code.startswith("c.") and "_" in code else text
        assert shown.count(code) == joined.count(code) > 0, f"{code} is broken over a line somewhere"
    assert not re.search(r"\b[cpg]\.\S*[\u2010\u00ad]\s", text), "a c./p./g. name is hyphenated"
    assert not re.search(r"\b[A-Z]{2,3}\d?_?[A-Za-z]*\u2010\n", text), "a criterion code is hyphenated"
    assert "PM2_Sup\u2010" not in text and "Gln100Te\n" not in text


@pytest.mark.parametrize("layout", ["one_variant", "two_variants"])
def test_every_page_carries_banner_draft_and_sample_id(layout, request):
    pages = request.getfixturevalue(layout)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert RUNNING_HEADER in text, f"page {number} lacks the DRAFT mark and sample ID"
        assert BANNER in text, f"page {number} lacks the synthetic-data banner"


def test_no_synthetic_banner_on_real_data(tmp_path, monkeypatch):
    monkeypatch.setitem(RESOURCES, "synthetic_reference", False)
    monkeypatch.setitem(RESOURCES, "reference_header", "chr9")
    pages = _pages(tmp_path)
    assert all(RUNNING_HEADER in text for text in pages)
    assert not any(BANNER in text for text in pages)


@pytest.mark.parametrize("layout", ["one_variant", "two_variants"])
def test_main_content_fits_two_pages_before_the_appendix(layout, request):
    pages = request.getfixturevalue(layout)
    main = _main_pages(pages)
    assert main <= 2, f"main content runs to {main} pages"
    assert any("Sign-off" in text for text in pages[:main]), "the sign-off belongs to the main content"
    appendix = "\n".join(pages[main:])
    for moved in ("Variant interpretation", "Technical evidence", "Methods and provenance", "References"):
        assert moved in appendix
    assert json.dumps(pages)  # extracted text is plain strings


# --- every demo report, printed by the workflow itself --------------------------------------------------

EXPECTED_VERDICTS = REPO / "config" / "demo_expected.tsv"
PDFTOPPM, PDFTOTEXT = shutil.which("pdftoppm"), shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None,
    reason="poppler-utils not installed (Debian package `poppler-utils`: pdftoppm, pdftotext); CI installs it",
)


def _demo_verdicts() -> dict[str, str]:
    with open(EXPECTED_VERDICTS, newline="") as handle:
        return {row["sample_id"]: row["verdict"] for row in csv.DictReader(handle, delimiter="\t")}


def _one_sample_per_verdict() -> list[str]:
    first: dict[str, str] = {}
    for sample_id, verdict in _demo_verdicts().items():
        first.setdefault(verdict, sample_id)
    return sorted(first.values())


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory) -> Path:
    """The demo run as a user runs it, with report.pdf on: the PDFs the workflow itself printed."""
    workdir = tmp_path_factory.mktemp("demo_pdf")
    config_path = user_setup(workdir, DEMO)
    config = yaml.safe_load(config_path.read_text())
    config["report"] = {"pdf": True}
    config_path.write_text(yaml.safe_dump(config))
    result = snakemake(workdir, config_path, "--quiet")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "results" / "reports"


def _demo_pages(reports: Path, sample_id: str) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(reports / f"{sample_id}.report.pdf").pages]


@pytest.mark.workflow
@pytest.mark.parametrize("sample_id", sorted(_demo_verdicts()))
def test_every_demo_report_fits_two_pages_before_the_appendix(demo_reports, sample_id):
    pages = _demo_pages(demo_reports, sample_id)
    main = _main_pages(pages)
    assert main <= 2, f"{sample_id}: the report before the appendix runs to {main} pages"
    report = json.loads((demo_reports / f"{sample_id}.report.json").read_text())
    assert report["result_headline"] in " ".join(pages[0].split()), "the verdict box opens the first page"
    assert any("Sign-off" in text for text in pages[:main]), "the sign-off belongs to the main content"
    for number, text in enumerate(pages, start=1):
        assert f"DRAFT \u2014 sample {sample_id}" in text, f"page {number} lacks the DRAFT mark and sample ID"
        assert BANNER in text, f"page {number} lacks the synthetic-data banner"


def _codes(report: dict) -> set[str]:
    """Every code a reader copies from the report: sample ID, transcripts, HGVS names, criteria codes."""
    codes = {report["sample_id"], report["gene"]["transcript"], report["gene"]["ensembl_transcript"]}
    for variant in report["variants"]:
        codes.update(variant["name"].split())
        codes.update(variant["evidence"])
        codes.update(value for value in (variant["hgvs_c"], variant["hgvs_p"], variant["hgvs_genomic"]) if value)
    return codes - {"p.?"}


def _poppler_text(pdf: Path) -> str:
    done = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.workflow
@needs_poppler
@pytest.mark.parametrize("sample_id", _one_sample_per_verdict())
def test_demo_pdf_pages_render_to_png_and_no_code_is_hyphenated(demo_reports, sample_id, tmp_path):
    """Poppler, a second PDF reader: every page rasterises to a non-blank image, and its text has no split code."""
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    pdf = demo_reports / f"{sample_id}.report.pdf"
    done = subprocess.run([PDFTOPPM, "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(pypdf.PdfReader(pdf).pages) > 2
    for png in pngs:
        with image_module.open(png) as image:
            grey = image.convert("L")
            darkest, lightest = grey.getextrema()
            inked = sum(grey.histogram()[:200]) / (grey.width * grey.height)
        assert grey.width < grey.height, f"{png.name} is not a portrait page"
        assert lightest - darkest > 100 and inked > 0.001, f"{png.name} is blank ({inked:.2%} inked)"

    text = _poppler_text(pdf)
    running = (BANNER, f"DRAFT \u2014 sample {sample_id}", f"TRPM6 report {sample_id} - DRAFT unless signed", "page ")
    for number, page in enumerate(text.split("\f")[: len(pngs)], start=1):
        body = [line for line in page.splitlines() if line.strip() and not line.startswith(running)]
        assert f"DRAFT \u2014 sample {sample_id}" in page, f"page {number} lacks the DRAFT mark and sample ID"
        assert body, f"page {number} holds nothing but its running header and footer"
    # prose may hyphenate (a table header's soft hyphen); a code never: joined over every line end, each
    # code must occur exactly as often as it does unbroken
    joined = re.sub("[\u2010\u00ad]\n", "", text).replace("-\n", "-").replace("\n", "")
    report = json.loads((demo_reports / f"{sample_id}.report.json").read_text())
    for code in _codes(report):
        # a c. range may wrap only right after the "_" between its two ends (the template's one <wbr>)
        shown = text.replace("_\n", "_") if code.startswith("c.") and "_" in code else text
        assert shown.count(code) == joined.count(code) > 0, f"{code} is broken over a line somewhere"
