"""Report stage: the counselor's report per sample (HTML, JSON, TSV, PDF) and the cohort summary.

The JSON document is the truth machines read: it is validated against the versioned schema when written,
and it holds nothing that changes between runs of the same inputs (no wall-clock time). The HTML is
rendered from the same document by Jinja2 with autoescaping, so no input string can become markup.

Modules: ``wording`` (every sentence the counselor reads), ``labs`` (lab values against their intervals),
``document`` (the JSON document and its validation), ``diagram`` (the gene diagram), ``copy_number`` (the
exon copy-number section and its plot beside the diagram), ``render`` (HTML and
PDF), ``writer`` (the stage entry point), ``summary`` (the cohort summary) and ``browser`` (the headless
Chromium check of a written report; import it from there).
"""

from trpm6_hsh.report.document import (
    AnnotatorRun,
    annotator_run,
    build_document,
    group_not_assessed,
    load_json,
    validate_document,
)
from trpm6_hsh.report.labs import clinical_correlation, interpret_lab_values
from trpm6_hsh.report.render import print_pdf, render_html, render_pdf
from trpm6_hsh.report.summary import summarise
from trpm6_hsh.report.writer import write_report
from trpm6_hsh.wording import ANNOTATOR_VERSION_NOT_STATED, recommendations_for

__all__ = [
    "ANNOTATOR_VERSION_NOT_STATED",
    "AnnotatorRun",
    "annotator_run",
    "build_document",
    "clinical_correlation",
    "group_not_assessed",
    "interpret_lab_values",
    "load_json",
    "print_pdf",
    "recommendations_for",
    "render_html",
    "render_pdf",
    "summarise",
    "validate_document",
    "write_report",
]
