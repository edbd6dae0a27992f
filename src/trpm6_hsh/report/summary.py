"""The cohort summary: one row per sample (TSV and a sortable HTML table), each linking its report."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trpm6_hsh import __version__
from trpm6_hsh.files import write_text_atomic
from trpm6_hsh.report.document import load_json
from trpm6_hsh.report.render import template_environment, verdict_tone
from trpm6_hsh.tsv import write_table

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
)


def _describe(variant: Mapping[str, Any]) -> str:
    """c. name (or genomic change), protein change and zygosity: enough to recognise a variant in a list."""
    name = variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']}{variant['ref']}>{variant['alt']}"
    protein = f" {variant['hgvs_p']}" if variant["hgvs_p"] else ""
    return f"{name}{protein} ({variant['zygosity']})"


def _short_caution(line: str) -> str:
    """A verdict-box caution cut to its first clause, for a table cell (the report holds the whole line)."""
    return line.split(":", 1)[0]


def _summary_row(document: Mapping[str, Any], link_pdf: bool) -> dict[str, Any]:
    """The summary's row for one report; the TSV takes SUMMARY_COLUMNS, the HTML also headline and tone."""
    sample_id = document["sample_id"]
    variants = document["variants"]
    return {
        "sample_id": sample_id,
        "verdict": document["verdict"],
        "family_id": document["sample"].get("family_id", ""),
        "affected": document["sample"].get("affected"),
        "qualifying_variants": "; ".join(_describe(v) for v in variants if v["qualifying"]),
        "other_variants": "; ".join(_describe(v) for v in variants if not v["qualifying"]),
        "not_assessed_regions": len(document["not_assessed"]),
        "input_cautions": "; ".join(_short_caution(line) for line in document.get("input_cautions", [])),
        "report_html": f"../reports/{sample_id}.report.html",
        "report_json": f"../reports/{sample_id}.report.json",
        "report_pdf": f"../reports/{sample_id}.report.pdf" if link_pdf else "",
        "headline": document.get("result_headline", ""),
        "tone": verdict_tone(document["verdict"]),
        "synthetic": document.get("synthetic_reference", False),
    }


def summarise(report_paths: Sequence[Path], out_tsv: Path, out_html: Path, link_pdf: bool = False) -> None:
    """One row per sample: verdict and key variants, linking each report (relative links)."""
    rows = sorted(
        (_summary_row(load_json(Path(path)), link_pdf) for path in report_paths), key=lambda row: row["sample_id"]
    )
    write_table(out_tsv, SUMMARY_COLUMNS, rows)
    environment = template_environment()
    script = environment.loader.get_source(environment, "_sort_table.js")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    html = environment.get_template("summary.html").render(
        rows=rows, version=__version__, sort_script=script, script_hash=f"sha256-{digest}"
    )
    write_text_atomic(out_html, html)

