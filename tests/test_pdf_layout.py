"""The printed report: codes never hyphenated or split, banner/DRAFT/sample on every page, two pages + appendix.

Measured on the PDF's extracted text (pypdf): a code split over two lines shows as a line break inside it, a
WeasyPrint hyphenation as U+2010 at a line end. The one break allowed is after the "_" of a c. range.
"Main content" is every page before the page that opens with the appendix title (the appendix always starts
on a new page in print), so its length is that page's index.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from test_report import RESOURCES, _write, verdict_doc

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
