"""Where annotators differ: one row per variant x transcript, each annotator's call side by side.

Compared fields are those a verdict rests on: the consequence terms (as a set), HGVS c./p. (after style
normalisation) and the LoF call (lof, confidence, PVS1 strength). ``differs_in`` names the fields that
differ; an empty value means every annotator agrees.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from trpm6_hsh.external_annotators.normalise import transcript_stem
from trpm6_hsh.tsv import read_table, write_table

log = logging.getLogger(__name__)

COMPARED = ("consequence", "hgvs_c", "hgvs_p", "lof", "lof_confidence", "pvs1_strength")
KEY = ("chrom", "pos", "ref", "alt", "transcript")


def _value(row: Mapping[str, str] | None, field: str) -> str:
    if row is None:
        return "(no row)"
    value = row.get(field, "")
    if field == "consequence":
        return "&".join(sorted(value.split("&")))
    return value


def concordance_rows(tables: Mapping[str, Sequence[Mapping[str, str]]]) -> list[dict[str, object]]:
    indexed: dict[str, dict[tuple, Mapping[str, str]]] = {}
    keys: set[tuple] = set()
    for name, rows in tables.items():
        indexed[name] = {}
        for row in rows:
            key = (row["chrom"], int(row["pos"]), row["ref"], row["alt"], transcript_stem(row["transcript"]))
            indexed[name][key] = row
            keys.add(key)
    out = []
    for key in sorted(keys):
        row: dict[str, object] = dict(zip(KEY, key, strict=True))
        differing = []
        for field in COMPARED:
            values = {name: _value(indexed[name].get(key), field) for name in tables}
            for name, value in values.items():
                row[f"{name}.{field}"] = value
            if len(set(values.values())) > 1:
                differing.append(field)
        row["agree"] = not differing
        row["differs_in"] = ",".join(differing)
        out.append(row)
    return out


def write_concordance(annotators: Sequence[str], tables: Sequence[Path], out: Path) -> int:
    """Compare the consequence tables of ``annotators`` (same order as ``tables``); return disagreements."""
    loaded = {name: read_table(Path(path), KEY) for name, path in zip(annotators, tables, strict=True)}
    rows = concordance_rows(loaded)
    columns = [*KEY, "agree", "differs_in", *(f"{n}.{f}" for n in annotators for f in COMPARED)]
    write_table(Path(out), columns, rows)
    differing = sum(1 for row in rows if not row["agree"])
    log.info("%d of %d variant x transcript rows differ between %s", differing, len(rows), ", ".join(annotators))
    return differing
