"""The cohort page rebuilt from finished rows kept beside it gives the same bytes as rendering every row afresh.

The reference is the page as it was written before rows were cached: every report read, every row built and
rendered by one template loop (tests/data/cohort_page_reference.html, the page template of that time). When
the page is changed on purpose, change that reference the same way.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from pathlib import Path

from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cohort_page import report, variant, write_reports

from trpm6_hsh import __version__, wording
from trpm6_hsh.provenance import package_code_files
from trpm6_hsh.report import summary
from trpm6_hsh.report.render import template_environment
from trpm6_hsh.tsv import write_table

REFERENCE_TEMPLATE = REPO / "tests" / "data" / "cohort_page_reference.html"
TRICKY_TEXT = ('=HYPERLINK("http://example.invalid")', '<b>&"x"</b>', "Müller – ⚑", "+1", "tab\there", "")


def reference_outputs(paths: list[Path], folder: Path, link_pdf: bool) -> tuple[bytes, bytes]:
    """The TSV and page written without any cache: each report read, each row rendered in one loop."""
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    family = summary.relationships(documents)
    rows = sorted(
        (summary._summary_row(document, link_pdf, family.get(document["sample_id"], "")) for document in documents),
        key=summary.priority_key,
    )
    folder.mkdir(exist_ok=True)
    tsv = folder / "reference.tsv"
    columns = summary.SUMMARY_COLUMNS
    write_table(tsv, columns, ({k: summary.spreadsheet_safe(row[k]) for k in columns} for row in rows))
    script, script_hash = summary.script_source()
    template = template_environment().from_string(REFERENCE_TEMPLATE.read_text(encoding="utf-8"))
    html = template.render(
        rows=rows,
        counts=summary.verdict_counts(rows),
        review_count=sum(1 for row in rows if row["needs_review"]),
        version=__version__,
        sort_script=script,
        script_hash=script_hash,
    )
    return tsv.read_bytes(), html.encode("utf-8")


def built(paths: list[Path], folder: Path, link_pdf: bool) -> tuple[bytes, bytes]:
    summary.summarise(paths, folder / "summary.tsv", folder / "summary.html", link_pdf=link_pdf)
    return (folder / "summary.tsv").read_bytes(), (folder / "summary.html").read_bytes()


def varied_cohort(chooser: random.Random) -> list[dict]:
    """Families of siblings (affected or not, in any ID order), parents present or absent, every verdict,
    review flags of each kind, hostile and non-ASCII text, and now and then the synthetic-reference banner."""
    verdicts = [verdict.value for verdict in summary.VERDICT_PRIORITY]
    documents: list[dict] = []
    for family_index in range(chooser.randint(1, 6)):
        family = chooser.choice([f"FAM{family_index}", chooser.choice(TRICKY_TEXT)])
        father, mother = f"D{family_index}", f"M{family_index}"
        for child in range(chooser.randint(0, 3)):
            listed = [
                variant(
                    100 + chooser.randrange(5000),
                    chooser.choice(["Pathogenic", "Likely pathogenic", "Uncertain significance", "Likely benign"]),
                    qualifying=chooser.random() < 0.6,
                    qc_pass=chooser.random() < 0.8,
                    transmission=chooser.choice(["unknown", "de_novo", "mendelian_inconsistent", "inherited"]),
                    hgvs_c=chooser.choice([None, "", "-5C>T", "c.1<2>"]),
                )
                for _ in range(chooser.randint(0, 3))
            ]
            cautions = chooser.sample(
                [
                    wording.CHROMOSOME_RECORDS_OUTSIDE_LOCUS.format(count=2, contig="chr9", build="GRCh38"),
                    "an input caution the page does not know: =cmd",
                ],
                chooser.randint(0, 2),
            )
            documents.append(
                report(
                    f"{chooser.choice('ABZ')}{family_index}-{child}",
                    chooser.choice(verdicts),
                    family=family,
                    father=father if chooser.random() < 0.8 else "",
                    mother=mother if chooser.random() < 0.8 else "",
                    affected=chooser.choice([True, False, None]),
                    variants=tuple(listed),
                    cautions=tuple(cautions),
                    frequency_source=chooser.random() < 0.8,
                    de_novo=("chr9:1C>T",) if chooser.random() < 0.1 else (),
                )
            )
        for parent in (father, mother):
            if chooser.random() < 0.6:
                documents.append(report(parent, chooser.choice(verdicts), family=family, affected=False))
    documents.append(report("LONE", chooser.choice(verdicts), family=chooser.choice(TRICKY_TEXT)))
    for document in documents:
        document["result_headline"] = chooser.choice([document["result_headline"], "", chooser.choice(TRICKY_TEXT)])
    if chooser.random() < 0.3:
        for document in documents:
            document["synthetic_reference"] = True
    return list({document["sample_id"]: document for document in documents}.values())


def rewrite(path: Path, document: dict) -> None:
    """Write a changed report with a modification time no earlier write could share."""
    stamp = path.stat().st_mtime_ns + 1_000_000_007
    path.write_text(json.dumps(document), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), link_pdf=st.booleans())
def test_cached_rebuilds_give_the_bytes_of_a_build_without_cache(seed, link_pdf):
    """First build, then changed, added and removed reports rebuilt over the cache: each time the bytes of
    the reference (siblings, parents, flagged rows, hostile text, PDF links on and off)."""
    chooser = random.Random(seed)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        documents = varied_cohort(chooser)
        paths = write_reports(root, documents)
        assert built(paths, root, link_pdf) == reference_outputs(paths, root / "ref", link_pdf)
        for _ in range(3):
            for index in chooser.sample(range(len(paths)), min(len(paths), chooser.randint(1, 3))):
                changed = dict(documents[index], verdict=chooser.choice(summary.VERDICT_PRIORITY).value)
                changed["sample"] = dict(changed["sample"], affected=chooser.choice([True, False, None]))
                documents[index] = changed
                rewrite(paths[index], changed)
            if chooser.random() < 0.5:  # a new child of a family already in the run can move the proband
                added = report(f"A{chooser.randrange(100)}-new", "HOMOZYGOUS", father="D0", mother="M0", affected=True)
                if added["sample_id"] not in {document["sample_id"] for document in documents}:
                    documents.append(added)
                    paths += write_reports(root, [added])
            if chooser.random() < 0.3 and len(paths) > 1:
                documents.pop(0)
                paths.pop(0)
            assert built(paths, root, link_pdf) == reference_outputs(paths, root / "ref", link_pdf)


def test_a_rebuild_after_one_report_changed_reads_that_report_only(tmp_path, monkeypatch):
    documents = [report(f"S{index:02d}", "NEGATIVE", family="F") for index in range(8)]
    documents += [report("KID", "CARRIER", family="F", father="S01", mother="S02", affected=True)]
    paths = write_reports(tmp_path, documents)
    built(paths, tmp_path, False)
    read = []
    monkeypatch.setattr(summary, "load_json", lambda path: read.append(path.name) or json.loads(path.read_text()))
    rewrite(paths[5], dict(documents[5], verdict="HOMOZYGOUS", result_headline="changed"))
    assert built(paths, tmp_path, False) == reference_outputs(paths, tmp_path / "ref", False)
    assert read == ["S05.report.json"]
    read.clear()
    assert built(paths, tmp_path, False) == reference_outputs(paths, tmp_path / "ref", False)
    assert read == []  # nothing changed: nothing read
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert built(paths, tmp_path, False) == built(paths, fresh, False)


def test_a_row_whose_family_place_changed_is_made_again_from_its_report(tmp_path, monkeypatch):
    """An affected sibling with a smaller ID joins the run: the former proband becomes a sibling."""
    documents = [report("D1", family="F"), report("M1", family="F"), report("K2", father="D1", mother="M1")]
    paths = write_reports(tmp_path, documents)
    built(paths, tmp_path, False)
    read = []
    monkeypatch.setattr(summary, "load_json", lambda path: read.append(path.name) or json.loads(path.read_text()))
    paths += write_reports(tmp_path, [report("K1", "HOMOZYGOUS", father="D1", mother="M1", affected=True)])
    tsv, html = built(paths, tmp_path, False)
    assert (tsv, html) == reference_outputs(paths, tmp_path / "ref", False)
    assert sorted(read) == ["K1.report.json", "K2.report.json"]
    assert b"<td>sibling</td>" in html and b"<td>proband</td>" in html


def test_a_damaged_or_foreign_cache_is_read_around(tmp_path, monkeypatch):
    documents = [report(f"S{index}", "CARRIER", variants=(variant(100 + index),)) for index in range(5)]
    paths = write_reports(tmp_path, documents)
    expected = built(paths, tmp_path, True)
    cache = tmp_path / summary.ROW_CACHE
    lines = cache.read_text(encoding="utf-8").splitlines(keepends=True)
    read = []
    monkeypatch.setattr(summary, "load_json", lambda path: read.append(path.name) or json.loads(path.read_text()))
    cache.write_text("".join(lines[:3]) + lines[3][:40], encoding="utf-8")  # cut off mid-row
    assert built(paths, tmp_path, True) == expected
    assert len(read) == 3  # the two whole rows were kept
    last_key = json.loads(lines[-1])[0]
    cache.write_text("".join(lines[:-1]) + lines[-1].rstrip("\n"), encoding="utf-8")  # only the line end lost
    read.clear()
    assert built(paths, tmp_path, True) == expected
    assert read == [Path(last_key).name]
    assert cache.read_text(encoding="utf-8").count("\n") == len(paths) + 1
    for damaged in ("{not json", "", '{"code": "other", "link_pdf": true}\n' + "".join(lines[1:]), "[1, 2]\n"):
        cache.write_text(damaged, encoding="utf-8")
        read.clear()
        assert built(paths, tmp_path, True) == expected
        assert len(read) == len(paths)
    read.clear()
    assert built(paths, tmp_path, False) == reference_outputs(paths, tmp_path / "ref", False)  # other PDF setting
    assert len(read) == len(paths)
    lines = cache.read_text(encoding="utf-8").splitlines(keepends=True)
    key, entry = json.loads(lines[2])
    lines[2] = json.dumps([key, dict(entry, order="not a list", html=5)]) + "\n"  # well-formed JSON, wrong types
    cache.write_text("".join(lines), encoding="utf-8")
    read.clear()
    assert built(paths, tmp_path, False) == reference_outputs(paths, tmp_path / "ref", False)
    assert read == [Path(key).name]


def test_the_cache_is_invalidated_by_the_code_and_both_templates():
    """The cache is keyed by the whole package's code: this module, both templates, the wording, the version."""
    package = Path(summary.__file__).resolve().parent.parent
    sources = {path.relative_to(package).as_posix() for path in package_code_files()}
    assert {"report/summary.py", "templates/summary.html", f"templates/{summary.ROW_TEMPLATE}"} <= sources
    assert {"report/render.py", "tsv.py", "wording.py", "__init__.py"} <= sources
    assert all((package / source).is_file() for source in sources)
