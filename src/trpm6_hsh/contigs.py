"""Contig-name harmonisation (``9``/``chr9``, ``MT``/``chrM``): one rule for every stage.

VCFs, FASTAs, BEDs and transcript models from different sources spell the same contig differently; every
stage that matches names across files uses these two functions, so they all agree on what "the same
contig" means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MITO_NAMES = ("MT", "M")
"""The bare (no ``chr``) spellings of the mitochondrial contig."""


def contig_name_variants(name: str) -> tuple[str, ...]:
    """The spellings one contig goes by across naming styles, ``name`` itself first: ``9``/``chr9``,
    ``MT``/``chrM``."""
    core = name[3:] if name.lower().startswith("chr") else name
    cores = MITO_NAMES if core.upper() in MITO_NAMES else (core,)
    variants = [name]
    for spelling in cores:
        for candidate in (spelling, f"chr{spelling}"):
            if candidate not in variants:
                variants.append(candidate)
    return tuple(variants)


def match_contig_name(name: str, available: Sequence[str] | Mapping[str, object] | set[str]) -> str | None:
    """``name`` as spelled in ``available`` (exact first, then other naming styles), or None."""
    for candidate in contig_name_variants(name):
        if candidate in available:
            return candidate
    return None
