"""Contig-name harmonisation (``9``/``chr9``, ``MT``/``chrM``): one rule for every stage.

VCFs, FASTAs, BEDs and transcript models from different sources spell the same contig differently; every
stage that matches names across files uses these two functions, so they all agree on what "the same
contig" means.
"""

from __future__ import annotations

import re
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


REFSEQ_CHROMOSOME = re.compile(r"^NC_0000(\d\d)\.(\d+)$")
"""RefSeq chromosome accessions, ``NC_000009.12``: the chromosome number (23 = X, 24 = Y) and the version."""

REFSEQ_ACCESSION_BUILDS = {"NC_000009.12": "GRCh38", "NC_000009.11": "GRCh37"}
"""The build each chromosome-9 RefSeq accession belongs to (a version is one assembly)."""


def refseq_chromosome(name: str) -> str | None:
    """The chromosome a RefSeq accession names (``NC_000009.12`` -> ``9``), or None for other names."""
    match = REFSEQ_CHROMOSOME.match(name)
    if match is None:
        return None
    number = int(match.group(1))
    return {23: "X", 24: "Y"}.get(number, str(number)) if 1 <= number <= 24 else None


def locus_spellings(name: str, declared: Sequence[str] | Mapping[str, object] = ()) -> tuple[str, ...]:
    """Every name records of contig ``name`` may carry: ``9``/``chr9`` and its RefSeq accessions.

    The known accessions of chromosome 9 are always included (records can use a name the header lacks),
    plus any other accession of the same chromosome in ``declared``.
    """
    core = name[3:] if name.lower().startswith("chr") else name
    spellings = list(contig_name_variants(name))
    accessions = [acc for acc in REFSEQ_ACCESSION_BUILDS if refseq_chromosome(acc) == core.upper()]
    accessions += [n for n in declared if refseq_chromosome(n) == core.upper() and n not in accessions]
    return tuple(dict.fromkeys([*spellings, *accessions]))
