"""The cohort page for hundreds of samples: priority order, counts, filter and search, family places,
review flags, variant classes, colours a reader can tell apart without colour, and a TSV no spreadsheet
can run as a formula. The browser test opens 1,000 samples in headless Chromium (skipped without it)."""

from __future__ import annotations

import csv
import json
import random
import re
import time
from collections import Counter

import jsonschema
import pytest
from conftest import REPO

from trpm6_hsh import wording
from trpm6_hsh.report.browser import check_page, find_chromium
from trpm6_hsh.report.summary import SUMMARY_COLUMNS, VERDICT_PRIORITY, summarise
from trpm6_hsh.tsv import read_table

SCHEMA = json.loads((REPO / "workflow" / "schemas" / "report.schema.json").read_text())
STYLE = (REPO / "src" / "trpm6_hsh" / "templates" / "_style.css").read_text()
OLD_COLUMNS = ("sample_id", "verdict", "family_id", "affected", "qualifying_variants", "other_variants",
               "not_assessed_regions", "input_cautions", "report_html", "report_json", "report_pdf")  # fmt: skip
SHA = "0" * 64
BUILD_CAUTION = wording.CHROMOSOME_RECORDS_OUTSIDE_LOCUS.format(count=3, contig="chr9", build="GRCh38")
needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium not installed (Debian package `chromium`); CI installs it"
)


def variant(pos: int, classification: str = "Pathogenic", *, qualifying: bool = True, zygosity: str = "heterozygous",
            qc_pass: bool = True, transmission: str = "unknown", hgvs_c: str | None = None) -> dict:  # fmt: skip
    return {
        "chrom": "chr9", "pos": pos, "ref": "C", "alt": "T", "transcript": "NM_017662.5",
        "hgvs_c": f"c.{pos % 6000}C>T" if hgvs_c is None else hgvs_c, "hgvs_p": "", "consequence": "stop_gained",
        "zygosity": zygosity, "phase": "unknown", "phase_source": "unknown", "classification": classification,
        "lof": qualifying, "lof_confidence": "HC" if qualifying else "", "pvs1_strength": "", "evidence": [],
        "qualifying": qualifying, "qc_pass": qc_pass, "qc_status": "pass" if qc_pass else "fail",
        "transmission": transmission,
    }  # fmt: skip


def report(sample_id: str, verdict: str = "NEGATIVE", *, family: str = "", father: str = "", mother: str = "",
           affected: bool | None = None, variants: tuple = (), cautions: tuple = (), frequency_source: bool = True,
           de_novo: tuple = (), mendelian: tuple = ()) -> dict:  # fmt: skip
    """A report JSON as the report stage writes it, reduced to what the cohort page reads."""
    document = {
        "schema_version": "1.2.0", "sample_id": sample_id, "verdict": verdict, "verdict_text": f"{verdict} text",
        "result_headline": f"{verdict} headline",
        "sample": {"family_id": family, "sex": "", "affected": affected, "paternal_id": father, "maternal_id": mother},
        "variants": list(variants), "not_assessed": [], "input_cautions": list(cautions),
        "population_frequency_source": {"assessed": frequency_source, "sources": ["AF"] if frequency_source else [],
                                        "reason": "" if frequency_source else wording.POPULATION_NOT_ASSESSED},
        "de_novo": list(de_novo), "mendelian_inconsistencies": list(mendelian),
        "provenance": {"pipeline_version": "test", "config_sha256": SHA, "annotator": {"name": "b", "version": "1"},
                       "resources": {}, "inputs": [{"role": "vcf", "path": f"{sample_id}.vcf", "sha256": SHA}]},
    }  # fmt: skip
    if not frequency_source:
        document["input_cautions"].insert(0, wording.POPULATION_NOT_ASSESSED)
    return document


def write_reports(folder, documents) -> list:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    paths = []
    for document in documents:
        validator.validate(document)
        path = folder / f"{document['sample_id']}.report.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    return paths


def run_summary(tmp_path, documents):
    summarise(write_reports(tmp_path, documents), tmp_path / "summary.tsv", tmp_path / "summary.html")
    return read_table(tmp_path / "summary.tsv"), (tmp_path / "summary.html").read_text()


def test_a_rebuilt_page_rereads_changed_reports_only_and_equals_a_fresh_one(tmp_path, monkeypatch):
    """Thousands of samples: the page is rebuilt from rows kept beside it, re-reading only reports that changed."""
    from trpm6_hsh.report import summary

    documents = [report(f"S{index:02d}", "NEGATIVE") for index in range(6)]
    documents.append(report("KID", "HOMOZYGOUS", father="S01", mother="S02", affected=True))
    paths = write_reports(tmp_path, documents)
    summarise(paths, tmp_path / "summary.tsv", tmp_path / "summary.html")
    changed = report("S03", "CARRIER")
    paths[3].write_text(json.dumps(changed))
    read = []
    monkeypatch.setattr(summary, "load_json", lambda path: read.append(path.name) or json.loads(path.read_text()))
    summarise(paths, tmp_path / "summary.tsv", tmp_path / "summary.html")
    assert read == ["S03.report.json"]
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    summarise(paths, fresh / "summary.tsv", fresh / "summary.html")
    assert (tmp_path / "summary.tsv").read_bytes() == (fresh / "summary.tsv").read_bytes()
    assert (tmp_path / "summary.html").read_bytes() == (fresh / "summary.html").read_bytes()
    rows = {row["sample_id"]: row for row in read_table(tmp_path / "summary.tsv")}
    assert rows["S03"]["verdict"] == "CARRIER"
    assert rows["S01"]["relationship"] == "father" and rows["KID"]["relationship"] == "proband"
    (tmp_path / summary.ROW_CACHE).write_text("{not json")  # a damaged cache is read around, not trusted
    summarise(paths, tmp_path / "summary.tsv", tmp_path / "summary.html")
    assert (tmp_path / "summary.tsv").read_bytes() == (fresh / "summary.tsv").read_bytes()


def test_rows_follow_clinical_priority_then_review_flags_then_sample_id(tmp_path):
    documents = [report(f"S{index:02d}", verdict.value) for index, verdict in enumerate(reversed(VERDICT_PRIORITY))]
    documents += [report("A-clean", "NEGATIVE"), report("Z-flagged", "NEGATIVE", mendelian=("chr9:5C>T",))]
    rows, html = run_summary(tmp_path, documents)
    assert [row["verdict"] for row in rows[:10]] == [verdict.value for verdict in VERDICT_PRIORITY]
    assert [row["priority"] for row in rows[:10]] == [str(rank) for rank in range(1, 11)]
    assert [row["sample_id"] for row in rows if row["verdict"] == "NEGATIVE"] == ["Z-flagged", "A-clean", "S00"]
    page_order = re.findall(r'<tr data-verdict="(\w+)"', html)
    assert page_order == [row["verdict"] for row in rows]


def test_tsv_keeps_the_existing_columns_and_appends_the_new_ones(tmp_path):
    run_summary(tmp_path, [report("S1")])
    header = (tmp_path / "summary.tsv").read_text().splitlines()[0].split("\t")
    assert tuple(header[: len(OLD_COLUMNS)]) == OLD_COLUMNS and tuple(header) == SUMMARY_COLUMNS
    assert header[len(OLD_COLUMNS) :] == ["priority", "relationship", "needs_review", "review_flags", "variant_classes"]


def test_formula_cells_are_neutralised_in_the_tsv_and_shown_as_written_in_the_html(tmp_path):
    hostile = {
        "F1": '=HYPERLINK("http://example.invalid/x","click me")', "F2": "+SUM(1,2)", "F3": "-2+3", "F4": "@cmd",
        "F5": "\tstarts with a tab", "F6": "\rstarts with a return", "F7": "plain-family",
    }  # fmt: skip
    documents = [report(f"S{index}", family=family) for index, family in enumerate(hostile.values())]
    documents.append(report("S9", "CARRIER", variants=(variant(100, hgvs_c="-5C>T"),)))
    rows, html = run_summary(tmp_path, documents)
    families = {row["sample_id"]: row["family_id"] for row in rows}
    for index, family in enumerate(hostile.values()):
        expected = family if family == "plain-family" else "'" + family.replace("\t", " ").replace("\r", " ")
        assert families[f"S{index}"] == expected, family
    carrier = next(row for row in rows if row["sample_id"] == "S9")
    assert carrier["qualifying_variants"].startswith("'-5C>T") and carrier["variant_classes"].startswith("'-5C>T")
    with open(tmp_path / "summary.tsv", encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle, delimiter="\t") for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert len(cells) == len(SUMMARY_COLUMNS) * (len(documents) + 1)  # no cell broke its row
    assert "=HYPERLINK(&#34;http://example.invalid/x&#34;,&#34;click me&#34;)" in html
    assert "'=HYPERLINK" not in html and '<a href="http://example.invalid' not in html


def test_relationship_comes_from_the_parent_links_of_the_run(tmp_path):
    documents = [
        report("C1-sib", family="F", father="D1", mother="M1", affected=False),
        report("C2-affected", family="F", father="D1", mother="M1", affected=True),
        report("D1", family="F", affected=False), report("M1", family="F", affected=False),
        report("K1", family="G", mother="M2"), report("LONE", family="H", affected=True),
    ]  # fmt: skip
    rows, html = run_summary(tmp_path, documents)
    seen = {row["sample_id"]: (row["relationship"], row["affected"]) for row in rows}
    assert seen["C2-affected"] == ("proband", "true") and seen["C1-sib"] == ("sibling", "false")
    assert seen["D1"] == ("father", "false") and seen["M1"] == ("mother", "false")
    assert seen["K1"] == ("proband", "") and seen["LONE"] == ("", "true")
    assert "<td>not stated</td>" in html and "<td>proband</td>" in html and "<td>sibling</td>" in html


def test_review_flags_name_each_reason_and_benign_low_quality_calls_are_not_flagged(tmp_path):
    documents = [
        report("LOWQ", variants=(variant(10, qc_pass=False),)),
        report("LOWQ-BENIGN", variants=(variant(11, "Benign", qualifying=False, qc_pass=False),)),
        report("DENOVO", "CARRIER", variants=(variant(12, transmission="de_novo"),)),
        report("MENDEL", mendelian=("chr9:13C>T",)),
        report("NOFREQ", frequency_source=False),
        report("BUILD", cautions=(BUILD_CAUTION,)),
        report("OTHER", cautions=("Something new the input could not tell",)),
        report("PHASE", "COMPOUND_HET_PHASE_UNKNOWN", variants=(variant(14), variant(15))),
        report("CLEAN"),
    ]  # fmt: skip
    rows, html = run_summary(tmp_path, documents)
    flags = {row["sample_id"]: (row["needs_review"], row["review_flags"]) for row in rows}
    assert flags["LOWQ"] == ("true", "low-quality call (1)")
    assert flags["LOWQ-BENIGN"] == ("false", "")
    assert flags["DENOVO"] == ("true", "de novo") and flags["MENDEL"] == ("true", "Mendelian inconsistency")
    assert flags["NOFREQ"] == ("true", "no population-frequency source")
    assert flags["BUILD"] == ("true", "build unconfirmed") and flags["OTHER"] == ("true", "input caution")
    assert flags["PHASE"] == ("true", "") and flags["CLEAN"] == ("false", "")
    assert html.count("⚑ needs review") == 7


def test_every_listed_variant_shows_its_class(tmp_path):
    listed = (variant(20, "Pathogenic"), variant(21, "Uncertain significance", qualifying=False))
    rows, html = run_summary(tmp_path, [report("S1", "QUALIFYING_PLUS_VUS", variants=listed)])
    assert rows[0]["variant_classes"] == (
        "c.20C>T (heterozygous): Pathogenic; c.21C>T (heterozygous): Uncertain significance"
    )
    assert '<span class="cohort-class">Pathogenic</span>' in html
    assert '<span class="cohort-class">Uncertain significance</span>' in html


def _channel(value: int) -> float:
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hue(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    high, low = max(red, green, blue), min(red, green, blue)
    if high == low:
        return -1.0  # grey: no hue
    if high == red:
        return (60 * (green - blue) / (high - low)) % 360
    if high == green:
        return 60 * (blue - red) / (high - low) + 120
    return 60 * (red - green) / (high - low) + 240


def cohort_rules() -> dict[str, dict[str, str]]:
    """Selector -> {property: #rrggbb} for the cohort page's own rules in the shared stylesheet."""
    rules = {}
    for selector, body in re.findall(r"(\.cohort[^{]*)\{([^}]*)\}", STYLE):
        found = dict(re.findall(r"(?<![-\w])(color|background|border-color):\s*(#[0-9a-fA-F]{6})", body))
        rules[selector.strip()] = {key: value.lower() for key, value in found.items()}
    return rules


def test_contrast_helper_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


def test_cohort_colours_meet_wcag_aa_and_positive_is_never_green():
    rules = cohort_rules()
    texts = {selector: rule for selector, rule in rules.items() if "color" in rule}
    assert {".cohort-badge.positive", ".cohort-badge.attention", ".cohort-badge.neutral", ".cohort-tone",
            ".cohort-flag", ".cohort-class", ".cohort-table thead th"} <= set(texts)  # fmt: skip
    for selector, rule in texts.items():
        background = rule.get("background", "#ffffff")  # no background of its own: the white page
        ratio = contrast(rule["color"], background)
        assert ratio >= 4.5, (selector, rule, round(ratio, 2))
    positive = rules[".cohort-badge.positive"]
    for colour in positive.values():
        hue = _hue(colour)
        assert not 70 <= hue <= 170, (colour, hue)  # nowhere near green
    page = (REPO / "src" / "trpm6_hsh" / "templates" / "summary.html").read_text()
    assert "var(--pos)" not in page  # the report's green is not used on the cohort page


def test_each_verdict_carries_a_text_label_not_only_a_colour(tmp_path):
    documents = [report(f"S{index}", verdict.value) for index, verdict in enumerate(VERDICT_PRIORITY)]
    _, html = run_summary(tmp_path, documents)
    cells = re.findall(r'<td data-verdict="(\w+)">(.*?)</td>', html)
    assert len(cells) == len(VERDICT_PRIORITY)
    labels = {"HOMOZYGOUS": "■ Positive", "COMPOUND_HET_TRANS": "■ Positive", "NEGATIVE": "○ No biallelic finding",
              "CARRIER": "○ No biallelic finding", "NOT_ASSESSABLE": "▲ Needs review",
              "POSSIBLE_HEMIZYGOUS": "▲ Needs review"}  # fmt: skip
    for verdict, cell in cells:
        assert f">{verdict}</span>" in cell
        if verdict in labels:
            assert labels[verdict] in cell, verdict


def synthetic_cohort(size: int, seed: int = 15) -> list[dict]:
    """``size`` reports: mostly NEGATIVE and CARRIER as in a real cohort, every verdict present, some trios,
    review flags and one family name that is a spreadsheet formula."""
    chooser = random.Random(seed)
    weights = {"NEGATIVE": 60, "CARRIER": 20, "NOT_ASSESSABLE": 3, "CIS_NOT_BIALLELIC": 2, "QUALIFYING_PLUS_VUS": 3,
               "BIALLELIC_VUS": 2, "COMPOUND_HET_PHASE_UNKNOWN": 3, "POSSIBLE_HEMIZYGOUS": 2,
               "COMPOUND_HET_TRANS": 3, "HOMOZYGOUS": 2}  # fmt: skip
    documents = []
    index = 0
    while len(documents) < size:
        index += 1
        family = f"FAM{index:04d}" if index != 7 else '=HYPERLINK("http://example.invalid","x")'
        drawn = chooser.choices(list(weights), list(weights.values()))[0]
        verdict = drawn if index > 10 else VERDICT_PRIORITY[index - 1].value
        listed = []
        if verdict != "NEGATIVE":
            listed.append(variant(1000 + index, qc_pass=chooser.random() > 0.05))
        if verdict in ("HOMOZYGOUS", "COMPOUND_HET_TRANS", "COMPOUND_HET_PHASE_UNKNOWN", "CIS_NOT_BIALLELIC"):
            listed.append(variant(2000 + index))
        if chooser.random() < 0.3:
            listed.append(variant(3000 + index, "Likely benign", qualifying=False))
        proband = f"P{index:04d}"
        documents.append(report(proband, verdict, family=family, affected=True, variants=tuple(listed),
                                father=f"D{index:04d}" if index % 10 == 0 else "",
                                mother=f"M{index:04d}" if index % 10 == 0 else "",
                                mendelian=("chr9:1C>T",) if index % 97 == 0 else ()))  # fmt: skip
        if index % 10 == 0:
            documents.append(report(f"D{index:04d}", "CARRIER", family=family, affected=False,
                                    variants=(variant(1000 + index),)))  # fmt: skip
            documents.append(report(f"M{index:04d}", "NEGATIVE", family=family, affected=False,
                                    frequency_source=index % 20 != 0))  # fmt: skip
    return documents[:size]


COHORT_SCRIPT = """(() => {
  const rows = () => Array.from(document.querySelectorAll('#summary tbody tr'));
  const visible = () => rows().filter((row) => !row.hidden && getComputedStyle(row).display !== 'none');
  const set = (id, value) => {
    const element = document.getElementById(id);
    if (element.type === 'checkbox') { element.checked = value; } else { element.value = value; }
    element.dispatchEvent(new Event(element.type === 'search' ? 'input' : 'change', {bubbles: true}));
  };
  const navigation = performance.getEntriesByType('navigation')[0];
  const out = {
    load_ms: navigation.loadEventEnd - navigation.startTime,
    rows: rows().length,
    first: [rows()[0].dataset.verdict, rows()[0].dataset.review],
    counts: Object.fromEntries(Array.from(document.querySelectorAll('#counts li')).map(
      (item) => [item.dataset.verdict, Number(item.dataset.count)])),
    sticky: getComputedStyle(document.querySelector('#summary thead th')).position,
  };
  set('verdict-filter', 'CARRIER');
  out.carrier = visible().map((row) => row.dataset.verdict);
  out.shown_text = document.getElementById('shown').textContent;
  set('verdict-filter', '');
  set('review-filter', true);
  out.review = visible().map((row) => row.dataset.review);
  set('review-filter', false);
  set('search', 'P0040');
  out.search_sample = visible().map((row) => row.cells[0].textContent);
  set('search', 'fam0030');
  out.search_family = visible().map((row) => row.cells[0].textContent).sort();
  set('search', 'c.2001c>t');
  out.search_variant = visible().map((row) => row.cells[0].textContent);
  set('search', '');
  out.all_back = visible().length;
  return JSON.stringify(out);
})()"""


@needs_chromium
def test_cohort_page_of_1000_samples_in_chromium(tmp_path):
    """Priority order, counts, filter and search as a reader's browser runs them; offline and error-free."""
    documents = synthetic_cohort(1000)
    started = time.monotonic()
    summarise(write_reports(tmp_path, documents), tmp_path / "summary.tsv", tmp_path / "summary.html")
    written = time.monotonic() - started
    rows = read_table(tmp_path / "summary.tsv")
    check = check_page(tmp_path / "summary.html", script=COHORT_SCRIPT)
    seen = json.loads(check.script_result)
    print(f"\ncohort page, 1,000 samples: written in {written:.2f} s, loaded in Chromium in {seen['load_ms']:.0f} ms "
          f"({(tmp_path / 'summary.html').stat().st_size // 1024} KiB)")  # fmt: skip
    assert check.console_errors == () and check.network_requests == ()
    assert seen["rows"] == 1000 and seen["sticky"] == "sticky"
    assert seen["first"][0] == "HOMOZYGOUS"  # a positive sample heads the page, not row 252
    expected = Counter(document["verdict"] for document in documents)
    assert seen["counts"] == {verdict.value: expected[verdict.value] for verdict in VERDICT_PRIORITY}
    assert seen["carrier"] == ["CARRIER"] * expected["CARRIER"]
    assert seen["shown_text"] == f"{expected['CARRIER']} of 1000 shown"
    assert seen["review"] == ["yes"] * sum(row["needs_review"] == "true" for row in rows) and seen["review"]
    assert seen["search_sample"] == ["P0040"]
    assert seen["search_family"] == ["D0030", "M0030", "P0030"]
    assert seen["search_variant"] == ["P0001"]
    assert seen["all_back"] == 1000
    assert seen["load_ms"] < 10_000
