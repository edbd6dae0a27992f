"""Where annotators differ: one row per variant x transcript, each annotator's call side by side.

Compared fields are those a verdict rests on: the consequence terms (as a set), HGVS c./p. (after style
normalisation) and the LoF call (lof, confidence, PVS1 strength). ``differs_in`` names the fields that
differ; an empty value means every annotator agrees. The tables are joined with pandas (an outer join on
the variant and the transcript's unversioned ID), so a row one annotator lacks shows as ``(no row)``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from trpm6_hsh.external_annotators.normalise import transcript_stem
from trpm6_hsh.tsv import read_table, write_table

log = logging.getLogger(__name__)

COMPARED = ("consequence", "hgvs_c", "hgvs_p", "lof", "lof_confidence", "pvs1_strength")
KEY = ("chrom", "pos", "ref", "alt", "transcript")
NO_ROW = "(no row)"


def _calls(rows: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    """One annotator's compared fields, indexed by KEY (a later row for the same key replaces an earlier one)."""
    frame = pd.DataFrame([{field: row.get(field, "") for field in (*KEY, *COMPARED)} for row in rows])
    if frame.empty:
        frame = pd.DataFrame(columns=[*KEY, *COMPARED])
    frame = frame.astype(str).assign(
        pos=frame["pos"].astype(int),
        transcript=frame["transcript"].map(transcript_stem),
        consequence=frame["consequence"].map(lambda terms: "&".join(sorted(terms.split("&")))),
    )
    return frame.drop_duplicates(list(KEY), keep="last").set_index(list(KEY))


def concordance_rows(tables: Mapping[str, Sequence[Mapping[str, str]]]) -> list[dict[str, object]]:
    joined = pd.concat({name: _calls(rows) for name, rows in tables.items()}, axis=1, join="outer")
    joined = joined.sort_index().fillna(NO_ROW)
    differing = pd.DataFrame({field: joined.xs(field, axis=1, level=1).nunique(axis=1) > 1 for field in COMPARED})
    out = []
    for key, calls, differs in zip(joined.index, joined.to_dict("records"), differing.to_dict("records"), strict=True):
        row: dict[str, object] = dict(zip(KEY, (*key[:1], int(key[1]), *key[2:]), strict=True))
        for name in tables:
            for field in COMPARED:
                row[f"{name}.{field}"] = calls[(name, field)]
        fields = [field for field in COMPARED if differs[field]]
        row["agree"] = not fields
        row["differs_in"] = ",".join(fields)
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
