"""Current HGVS style for HGVS strings written by other tools.

SnpEff spells deleted/duplicated bases out (``c.1003delT``) and writes stops as ``*`` with no prediction
parentheses (``p.Gln100*``); VEP prefixes the accession and URL-escapes ``=`` (``ENSP...:p.Gly1200%3D``).
The project writes ``c.1003del`` and ``p.(Gln100Ter)``, as the built-in annotator does, so strings from
any annotator compare equal when they mean the same change.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_SPELLED_BASES = re.compile(r"(del|dup|inv)[ACGTNacgtn]+(?=$|ins)")
_DELINS = re.compile(r"del(ins[ACGTNacgtn]+)$")
_SAME_AA = re.compile(r"^([A-Z][a-z]{2})(\d+)\1$")
_TER_SAME = re.compile(r"^Ter(\d+)Ter$")


def _strip_accession(text: str) -> str:
    text = unquote(text.strip())
    if text in ("", "."):
        return ""
    return text.split(":", 1)[1] if ":" in text else text


def normalise_hgvs_c(text: str) -> str:
    """``c.1003delT`` -> ``c.1003del``; ``c.1_2delATinsG`` -> ``c.1_2delinsG``; accession prefix dropped."""
    text = _strip_accession(text)
    if not text:
        return ""
    text = _SPELLED_BASES.sub(r"\1", text)
    return _DELINS.sub(r"del\1", text)


def normalise_hgvs_p(text: str) -> str:
    """``p.Gln100*`` -> ``p.(Gln100Ter)``; ``p.Gly1200Gly`` -> ``p.(Gly1200=)``; ``p.?``/``p.Met1?`` kept."""
    text = _strip_accession(text)
    if not text:
        return ""
    if not text.startswith("p."):
        return text
    body = text[2:]
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1]
    if body in ("?", "0", "=") or body.endswith("?") and not re.search(r"(fs|ext)", body):
        return "p." + body
    body = body.replace("*", "Ter")
    body = _SAME_AA.sub(r"\1\2=", body)
    body = _TER_SAME.sub(r"Ter\1=", body)
    return f"p.({body})"
