"""Report stage: the counselor's report per sample (HTML, JSON, TSV, PDF) and the cohort summary.

The JSON document is the truth machines read: it is validated against the versioned schema when written,
and it holds nothing that changes between runs of the same inputs (no wall-clock time). The HTML is
rendered from the same document by Jinja2 with autoescaping, so no input string can become markup.

Modules: ``wording`` (every sentence the counselor reads), ``labs`` (lab values against their intervals),
``document`` (the JSON document and its validation), ``findings`` (variants in counselor words: HGVS
names, verdict-box lines, narrative, criteria, badges, references), ``family`` (family context from the run),
``diagram`` (the gene diagram), ``copy_number`` (the exon copy-number section and its plot beside the
diagram), ``render`` (HTML and
PDF), ``writer`` (the stage entry point), ``summary`` (the cohort summary) and ``browser`` (the headless
Chromium check of a written report; import it from there).
"""

import importlib

# Where each public name lives. Loaded on first use (PEP 562), so that importing a light submodule such as
# ``report.browser`` or ``report.closing`` (the workflow's head node does, with Snakemake alone) does not
# pull in Jinja2, jsonschema and pysam.
_HOMES = {
    "AnnotatorRun": "document",
    "annotator_run": "document",
    "build_document": "document",
    "group_not_assessed": "document",
    "load_json": "document",
    "validate_document": "document",
    "clinical_correlation": "labs",
    "interpret_lab_values": "labs",
    "print_pdf": "render",
    "render_html": "render",
    "render_pdf": "render",
    "summarise": "summary",
    "write_report": "writer",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"trpm6_hsh.report.{_HOMES[name]}"), name)
    if name in ("ANNOTATOR_VERSION_NOT_STATED", "recommendations_for"):
        return getattr(importlib.import_module("trpm6_hsh.wording"), name)
    raise AttributeError(f"module 'trpm6_hsh.report' has no attribute {name!r}")


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
