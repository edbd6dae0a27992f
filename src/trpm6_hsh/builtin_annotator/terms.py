"""Consequence ranking, impact and LoF classes, read from ``trpm6_hsh/data/consequences.tsv``.

The ranking is data, not code, so a lab can audit it (and a reviewer can diff it) without reading Python.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class TermInfo:
    term: str
    so_id: str
    rank: int
    impact: str
    lof_class: bool


@cache
def term_table() -> dict[str, TermInfo]:
    text = resources.files("trpm6_hsh.data").joinpath("consequences.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    return {
        row["term"]: TermInfo(row["term"], row["so_id"], int(row["rank"]), row["impact"],
                              row["lof_class"] == "true")
        for row in rows
    }


def order_terms(terms: set[str] | list[str]) -> tuple[str, ...]:
    """Unique terms, most severe first (unknown terms would be a bug: they raise KeyError)."""
    table = term_table()
    return tuple(sorted(set(terms), key=lambda term: table[term].rank))


def impact_of(terms: tuple[str, ...]) -> str:
    return term_table()[terms[0]].impact if terms else "MODIFIER"


@cache
def lof_classes() -> frozenset[str]:
    return frozenset(term for term, info in term_table().items() if info.lof_class)


@dataclass(frozen=True)
class Accession:
    transcript_accession: str
    protein_accession: str


@cache
def accession_table() -> dict[str, Accession]:
    """Model transcript ID (unversioned) -> RefSeq accessions, from ``transcript_accessions.tsv``."""
    text = resources.files("trpm6_hsh.data").joinpath("transcript_accessions.tsv").read_text(
        encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    return {row["transcript_id"]: Accession(row["transcript_accession"], row["protein_accession"])
            for row in rows}
