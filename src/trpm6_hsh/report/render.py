"""HTML and PDF of the report, rendered from its JSON document.

Jinja2 autoescapes every value, so no input string can become markup; the templates live in
``trpm6_hsh/templates`` and are compiled once per process. The PDF is printed from the same HTML with
every external fetch refused, so a report is self-contained by construction.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from trpm6_hsh.errors import InputError, Trpm6Error
from trpm6_hsh.files import atomic_path
from trpm6_hsh.model import Verdict
from trpm6_hsh.report.document import group_not_assessed
from trpm6_hsh.wording import CRITERIA_NOT_USED, CRITERION_STATUS, PHASE_SOURCE_TEXT

log = logging.getLogger(__name__)

POSITIVE_VERDICTS = (Verdict.HOMOZYGOUS, Verdict.COMPOUND_HET_TRANS)
ATTENTION_VERDICTS = (
    Verdict.COMPOUND_HET_PHASE_UNKNOWN,
    Verdict.QUALIFYING_PLUS_VUS,
    Verdict.POSSIBLE_HEMIZYGOUS,
    Verdict.BIALLELIC_VUS,
    Verdict.NOT_ASSESSABLE,
)


DICT_ATTRIBUTES = frozenset(dir(dict))


class DictFirstEnvironment(jinja2.Environment):
    """Reads ``field.name`` of a plain dict as its key without first raising and catching AttributeError.

    The templates read the JSON document's dicts with dot syntax; Jinja tries a Python attribute first, and the
    failed attempt costs a caught exception per field (a large share of a report's rendering time). A plain
    ``dict`` instance has no attributes but those of its class (no ``__dict__``), so when the name is not one
    of them the key is the only possible answer: the result, a missing key's Undefined included, is exactly
    what ``jinja2.Environment.getattr`` gives.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@functools.cache
def template_environment() -> jinja2.Environment:
    """One template environment per process: compiling the templates dominates a small report's cost."""
    return DictFirstEnvironment(
        loader=jinja2.PackageLoader("trpm6_hsh", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def verdict_tone(verdict: str) -> str:
    """The colour a verdict is shown in: positive, needing attention, or neutral."""
    value = Verdict(verdict)
    if value in POSITIVE_VERDICTS:
        return "positive"
    if value in ATTENTION_VERDICTS:
        return "attention"
    return "neutral"


def render_html(
    document: Mapping[str, Any], diagram: Mapping[str, Any], copy_number_plot: Mapping[str, Any] | None = None
) -> str:
    """The self-contained HTML report of one validated document (``copy_number_plot``: beside the diagram)."""
    template = template_environment().get_template("report.html")
    return template.render(
        report=document,
        diagram=diagram,
        copy_number_plot=copy_number_plot,
        tone=verdict_tone(document["verdict"]),
        not_assessed_groups=group_not_assessed(document["not_assessed"]),
        phase_source_text=PHASE_SOURCE_TEXT,
        criteria_not_used=CRITERIA_NOT_USED,
        criterion_status=CRITERION_STATUS,
    )


def render_pdf(html: str, out_pdf: Path) -> None:
    """Print the self-contained HTML to PDF with WeasyPrint (no network: every resource is inline)."""
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):  # quiet before import: it logs then
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import weasyprint
        import weasyprint.urls
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise Trpm6Error(
            "report.pdf is true but WeasyPrint is not installed. Fix: pip install weasyprint "
            "(and the Debian packages libpango-1.0-0 libpangoft2-1.0-0), or set report.pdf: false."
        ) from error

    refused: list[str] = []

    class RefuseEveryFetch(weasyprint.urls.URLFetcher):
        """Nothing is fetched: not the network, not local files (data: URLs are decoded inline)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"external resource refused: {url}")

    document = weasyprint.HTML(string=html, url_fetcher=RefuseEveryFetch()).render()
    if refused:
        wanted = ", ".join(refused)
        raise Trpm6Error(f"the report asks for external resources ({wanted}); reports must be self-contained")
    with atomic_path(out_pdf) as temporary:
        document.write_pdf(temporary)


def print_pdf(html: Path, out_pdf: Path) -> None:
    """The written HTML report as PDF (the rule runs after the HTML exists)."""
    try:
        text = Path(html).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(html, f"cannot read the HTML report ({error.strerror})", "rerun write_report") from error
    render_pdf(text, out_pdf)
    log.info("PDF written: %s", out_pdf)
