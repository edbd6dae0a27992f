"""The cohort summary: one row per sample (TSV and a filterable HTML table), each linking its report.

Built for hundreds of samples: counts per verdict at the top, a filter and a text search (one script,
allowed by the page's CSP through its SHA-256, so nothing else runs and nothing is fetched), and rows in
clinical priority order so the samples a counselor must act on come first (see ``VERDICT_PRIORITY``).
The TSV holds the same rows in the same order; every cell a spreadsheet could run as a formula is
neutralised (``spreadsheet_safe``). The HTML escapes every value through Jinja2's autoescape.
For a run of thousands of samples each report's finished TSV line and HTML row are kept beside the
page (``ROW_CACHE``), so adding a sample re-reads and renders only its report, not all of them.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trpm6_hsh import __version__, wording
from trpm6_hsh.files import write_lines_atomic
from trpm6_hsh.model import Verdict
from trpm6_hsh.provenance import package_code_digest
from trpm6_hsh.report.document import load_json
from trpm6_hsh.report.render import ATTENTION_VERDICTS, template_environment, verdict_tone
from trpm6_hsh.tsv import table_line, write_table_lines

SUMMARY_COLUMNS = (
    "sample_id",
    "verdict",
    "family_id",
    "affected",
    "qualifying_variants",
    "other_variants",
    "not_assessed_regions",
    "input_cautions",
    "report_html",
    "report_json",
    "report_pdf",
    # Added for the cohort page (appended: readers of the older columns are unaffected).
    "priority",
    "relationship",
    "needs_review",
    "review_flags",
    "variant_classes",
)

# The default order of the cohort page and TSV, most urgent first:
#  1-2 a biallelic finding (diagnosis; magnesium treatment decisions wait on it);
#  3-6 a finding that may be biallelic and needs a reviewer (homozygous-looking call that may sit over a
#      deletion, two qualifying variants of unknown phase, biallelic VUS, qualifying plus VUS);
#  7   two qualifying variants in cis (a reviewer confirms the phase evidence: trans would be positive);
#  8   nothing could be said (no reassurance may be drawn; the sample needs a new call or input);
#  9-10 one or no qualifying variant. Within a verdict, samples with a review flag come first, then by ID.
VERDICT_PRIORITY = (
    Verdict.HOMOZYGOUS,
    Verdict.COMPOUND_HET_TRANS,
    Verdict.POSSIBLE_HEMIZYGOUS,
    Verdict.COMPOUND_HET_PHASE_UNKNOWN,
    Verdict.BIALLELIC_VUS,
    Verdict.QUALIFYING_PLUS_VUS,
    Verdict.CIS_NOT_BIALLELIC,
    Verdict.NOT_ASSESSABLE,
    Verdict.CARRIER,
    Verdict.NEGATIVE,
)
# Text and symbol beside each verdict, so its meaning never rests on colour alone.
TONE_LABELS = {"positive": "■ Positive", "attention": "▲ Needs review", "neutral": "○ No biallelic finding"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_BREAKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})
BENIGN_CLASSES = ("benign", "likely benign")
_BUILD_CAUTION_START = wording.CHROMOSOME_RECORDS_OUTSIDE_LOCUS.split("{", 1)[0]
_POPULATION_CAUTION_START = wording.POPULATION_NOT_ASSESSED.split(":", 1)[0]


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading single quote (OWASP CSV injection);
    tabs and line breaks inside it become spaces, so every row stays one line of the TSV."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value.replace("\r\n", " ").translate(CELL_BREAKS)


def _describe(variant: Mapping[str, Any]) -> str:
    """c. name (or genomic change), protein change and zygosity: enough to recognise a variant in a list."""
    name = variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']}{variant['ref']}>{variant['alt']}"
    protein = f" {variant['hgvs_p']}" if variant["hgvs_p"] else ""
    return f"{name}{protein} ({variant['zygosity']})"


def _short_caution(line: str) -> str:
    """A verdict-box caution cut to its first clause, for a table cell (the report holds the whole line)."""
    return line.split(":", 1)[0]


def review_flags(document: Mapping[str, Any]) -> list[str]:
    """What a reviewer must look at before trusting this sample's row, in words; empty when nothing.

    A failed-QC call counts unless it is classed benign; an input caution this function does not know is
    still flagged (as "input caution"), never dropped.
    """
    flags = []
    variants = document.get("variants", [])
    low_quality = [
        v for v in variants
        if (v.get("qc_pass") is False or v.get("qc_status") == "fail")
        and str(v.get("classification", "")).strip().lower() not in BENIGN_CLASSES
    ]  # fmt: skip
    if low_quality:
        flags.append(f"low-quality call ({len(low_quality)})")
    transmissions = {v.get("transmission") for v in variants}
    if document.get("de_novo") or "de_novo" in transmissions:
        flags.append("de novo")
    if document.get("mendelian_inconsistencies") or "mendelian_inconsistent" in transmissions:
        flags.append("Mendelian inconsistency")
    cautions = list(document.get("input_cautions", []))
    source = document.get("population_frequency_source")
    no_source = source is not None and source.get("assessed") is False
    if no_source or any(line.startswith(_POPULATION_CAUTION_START) for line in cautions):
        flags.append("no population-frequency source")
    if any(line.startswith(_BUILD_CAUTION_START) for line in cautions):
        flags.append("build unconfirmed")
    known = (_POPULATION_CAUTION_START, _BUILD_CAUTION_START, (source or {}).get("reason") or "\0")
    if any(not line.startswith(known) for line in cautions):
        flags.append("input caution")
    return flags


def relationships(documents: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each sample's place in its family, from the sheet's parent links among the samples of this run.

    A sample named as someone's father or mother is that; among children of the same parents the first
    affected child (by ID; the first child when none is affected) is the proband, the others siblings.
    A sample without links says nothing ('').
    """
    roles: dict[str, list[str]] = {}
    children: dict[tuple[str, str, str], list[Mapping[str, Any]]] = {}
    for document in documents:
        sample = document.get("sample", {})
        father, mother = sample.get("paternal_id") or "", sample.get("maternal_id") or ""
        if father:
            roles.setdefault(father, []).append("father")
        if mother:
            roles.setdefault(mother, []).append("mother")
        if father or mother:
            children.setdefault((sample.get("family_id", ""), father, mother), []).append(document)
    for siblings in children.values():
        ordered = sorted(siblings, key=lambda d: (d.get("sample", {}).get("affected") is not True, d["sample_id"]))
        roles.setdefault(ordered[0]["sample_id"], []).insert(0, "proband")
        for sibling in ordered[1:]:
            roles.setdefault(sibling["sample_id"], []).insert(0, "sibling")
    return {sample_id: "; ".join(dict.fromkeys(found)) for sample_id, found in roles.items()}


def _affected_text(affected: bool | None) -> str:
    return {True: "affected", False: "unaffected"}.get(affected, "not stated")


def _summary_row(document: Mapping[str, Any], link_pdf: bool, relationship: str) -> dict[str, Any]:
    """The summary's row for one report; the TSV takes SUMMARY_COLUMNS, the HTML also the display fields."""
    sample_id = document["sample_id"]
    variants = document["variants"]
    verdict = document["verdict"]
    tone = verdict_tone(verdict)
    flags = review_flags(document)
    listed = [
        {"text": _describe(v), "classification": v.get("classification", ""), "qualifying": bool(v.get("qualifying"))}
        for v in variants
    ]
    affected = document.get("sample", {}).get("affected")
    return {
        "sample_id": sample_id,
        "verdict": verdict,
        "family_id": document.get("sample", {}).get("family_id", ""),
        "affected": affected,
        "qualifying_variants": "; ".join(_describe(v) for v in variants if v.get("qualifying")),
        "other_variants": "; ".join(_describe(v) for v in variants if not v.get("qualifying")),
        "not_assessed_regions": len(document["not_assessed"]),
        "input_cautions": "; ".join(_short_caution(line) for line in document.get("input_cautions", [])),
        "report_html": f"../reports/{sample_id}.report.html",
        "report_json": f"../reports/{sample_id}.report.json",
        "report_pdf": f"../reports/{sample_id}.report.pdf" if link_pdf else "",
        "priority": VERDICT_PRIORITY.index(Verdict(verdict)) + 1,
        "relationship": relationship,
        "needs_review": bool(flags) or Verdict(verdict) in ATTENTION_VERDICTS,
        "review_flags": "; ".join(flags),
        "variant_classes": "; ".join(f"{item['text']}: {item['classification']}" for item in listed),
        "affected_text": _affected_text(affected),
        "flags": flags,
        "listed": listed,
        "headline": document.get("result_headline", ""),
        "tone": tone,
        "tone_label": TONE_LABELS[tone],
        "synthetic": document.get("synthetic_reference", False),
    }


def priority_key(row: Mapping[str, Any]) -> tuple[int, bool, str]:
    """Verdict priority, then flagged rows before unflagged ones, then sample ID."""
    return row["priority"], not row["review_flags"], row["sample_id"]


def verdict_counts(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Samples per verdict in priority order (verdicts with none are shown as 0: absence is information)."""
    counted: dict[str, int] = {}
    for row in rows:
        counted[row["verdict"]] = counted.get(row["verdict"], 0) + 1
    return [
        {"verdict": verdict.value, "count": counted.get(verdict.value, 0), "tone": verdict_tone(verdict)}
        for verdict in VERDICT_PRIORITY
    ]


def script_source(name: str = "_sort_table.js") -> tuple[str, str]:
    """The page's one script and the CSP source naming its SHA-256 (any other script is refused)."""
    environment = template_environment()
    script = environment.loader.get_source(environment, name)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return script, f"sha256-{digest}"


ROW_CACHE = ".summary_rows.json"
"""Beside the cohort page: each report's finished TSV line and HTML row, by path, size and modification time."""

ROW_TEMPLATE = "_summary_row.html"
_ROWS_PLACE = "\0table rows\0"  # where the page's rows go: no template text or escaped value holds a NUL
# The sample fields relationships() reads; a cached row keeps only these of the report's sample block.
_FAMILY_FIELDS = ("family_id", "paternal_id", "maternal_id", "affected")
_ENTRY_TYPES = {
    "stamp": list, "sample_id": str, "sample": dict, "relationship": str, "order": list, "verdict": str,
    "needs_review": bool, "synthetic": bool, "tsv": str, "html": str,
}  # fmt: skip


def _usable(entry: object) -> bool:
    """A cached row with every field of the expected type (anything else is read again from its report)."""
    return isinstance(entry, dict) and all(isinstance(entry.get(key), kind) for key, kind in _ENTRY_TYPES.items())


def _load_row_cache(path: Path, code: str, link_pdf: bool) -> dict[str, tuple[dict[str, Any], str]]:
    """The cached rows by report path, each with its line of the cache file (written back as it is when the
    row is unchanged). A missing, damaged or foreign cache (other code, other PDF setting) is read around,
    never trusted; a damaged line only loses its own row."""
    try:
        with open(path, encoding="utf-8") as handle:
            settings = json.loads(handle.readline())
            lines = handle.readlines()
    except (OSError, ValueError):
        return {}
    if not isinstance(settings, dict) or settings.get("code") != code or settings.get("link_pdf") is not link_pdf:
        return {}
    cached = {}
    for line in lines:
        if not line.endswith("\n"):  # cut off: written back as it is, it would swallow the next line
            continue
        try:
            key, entry = json.loads(line)
        except (ValueError, TypeError):
            continue
        if isinstance(key, str) and _usable(entry):
            cached[key] = (entry, line)
    return cached


def _finished_rows(report_paths: Sequence[Path], cache_path: Path, link_pdf: bool) -> list[dict[str, Any]]:
    """Each report's finished row (TSV line, HTML fragment, sort key, counts), parsing only reports changed
    since last time, in priority order.

    A run of thousands of samples that adds one rewrites one chunk's reports; the page is rebuilt from the
    others' finished rows as they were, which they still are (same size and modification time to the
    nanosecond). The family place is worked out across all rows every time; a row whose place changed is
    made again from its report. The cache is one JSON line per row, so an unchanged row's line is written
    back as read instead of being encoded again.
    """
    # the rows depend on the code, the wording and the templates as much as on the reports
    code = package_code_digest()
    cached = _load_row_cache(cache_path, code, link_pdf)
    entries: dict[str, dict[str, Any]] = {}
    lines: dict[str, str] = {}  # each unchanged row's cache line, by path
    fresh: dict[str, dict[str, Any]] = {}  # rows made from a report read in this run, by path
    for report_path in report_paths:
        status = Path(report_path).stat()
        key = str(report_path)
        stamp = [status.st_size, status.st_mtime_ns]
        entry, line = cached.get(key, (None, ""))
        if entry is not None and entry["stamp"] == stamp:
            lines[key] = line
        else:
            document = load_json(Path(report_path))
            sample = document.get("sample", {})
            fresh[key] = _summary_row(document, link_pdf, "")
            entry = {
                "stamp": stamp,
                "sample_id": document["sample_id"],
                "sample": {field: sample[field] for field in _FAMILY_FIELDS if field in sample},
                "relationship": None,
            }
        entries[key] = entry
    family = relationships(list(entries.values()))
    render_row = template_environment().get_template(ROW_TEMPLATE).module.summary_row
    for key, entry in entries.items():
        place = family.get(entry["sample_id"], "")
        if entry["relationship"] == place:
            continue
        row = fresh.get(key) or _summary_row(load_json(Path(key)), link_pdf, "")
        row["relationship"] = place
        entry.update(
            relationship=place,
            order=list(priority_key(row)),
            verdict=row["verdict"],
            needs_review=row["needs_review"],
            synthetic=bool(row["synthetic"]),
            tsv=table_line(SUMMARY_COLUMNS, {k: spreadsheet_safe(row[k]) for k in SUMMARY_COLUMNS}),
            html=str(render_row(row)),
        )
        lines.pop(key, None)
    if len(lines) != len(entries) or len(cached) != len(entries):
        header = json.dumps({"code": code, "link_pdf": link_pdf}) + "\n"
        body = (lines.get(key) or json.dumps([key, entry]) + "\n" for key, entry in entries.items())
        write_lines_atomic(cache_path, itertools.chain((header,), body))
    return sorted(entries.values(), key=lambda entry: entry["order"])


def summarise(report_paths: Sequence[Path], out_tsv: Path, out_html: Path, link_pdf: bool = False) -> None:
    """One row per sample: verdict, family place, review flags and listed variants, linking each report.

    The page is its header, the rows' finished HTML fragments in priority order and its footer; the TSV
    its header and the rows' finished lines (both the same bytes as rendering every row afresh).
    """
    rows = _finished_rows(report_paths, Path(out_tsv).parent / ROW_CACHE, link_pdf)
    write_table_lines(out_tsv, SUMMARY_COLUMNS, (row["tsv"] for row in rows))
    script, script_hash = script_source()
    page = template_environment().get_template("summary.html").render(
        table_rows=Markup(_ROWS_PLACE),
        row_count=len(rows),
        synthetic=bool(rows) and rows[0]["synthetic"],
        counts=verdict_counts(rows),
        review_count=sum(1 for row in rows if row["needs_review"]),
        version=__version__,
        sort_script=script,
        script_hash=script_hash,
    )
    head, tail = page.split(_ROWS_PLACE)
    write_lines_atomic(out_html, itertools.chain((head,), (row["html"] for row in rows), (tail,)))
