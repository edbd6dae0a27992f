"""The report's copy-number section: the sample's exon copy number from read depth, and its plot.

The section is taken from the verdict document (``copy_number``, the copy-number stage's result) and says
plainly when copy number was not assessed (no alignment, a batch too small for a reference set) or where an
exon could not be assessed. The plot puts each exon's depth ratio (times two: the estimated copy number) under
the same exon positions as the gene diagram, so a deletion lines up with the exons it removes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trpm6_hsh import wording
from trpm6_hsh.config import Sample

PLOT_HEIGHT = 190
PLOT_TOP, PLOT_BOTTOM = 20, 150  # y of copy number MAX_SHOWN and of 0
MAX_SHOWN = 4.0
NOT_RUN = "not_run"


def copy_number_section(copy_number: Mapping[str, Any] | None, sample: Sample) -> dict[str, Any]:
    """What the report (JSON and HTML) says about copy number: status, reason, calls, exons."""
    if copy_number is None:
        reason = wording.COPY_NUMBER_NO_ALIGNMENT if not sample.alignment else (
            "the copy-number stage did not run for this sample (cnv.enabled is false)"
        )
        return {"status": NOT_RUN, "reason": reason, "reference_samples": [], "calls": [], "exons": []}
    calls = [
        {
            "kind": wording.COPY_NUMBER_KIND.get(call["copy_number"], wording.COPY_NUMBER_DUPLICATION),
            "copy_number": call["copy_number"],
            "exons": list(call["exons"]),
            "exon_text": _exon_text(call["exons"]),
            "chrom": call["chrom"],
            "start": call["start"],
            "end": call["end"],
            "log10_bayes_factor": call["log10_bayes_factor"],
            "confidence": call["confidence"],
        }
        for call in copy_number["calls"]
    ]
    exons = [
        {key: exon.get(key) for key in ("exon", "status", "reason", "ratio", "copy_number", "log10_bayes_factor")}
        for exon in copy_number["exons"]
    ]
    return {
        "status": copy_number["status"],
        "reason": copy_number["reason"],
        "reference_samples": list(copy_number["reference_samples"]),
        "calls": calls,
        "exons": exons,
    }


def copy_number_limitations(section: Mapping[str, Any]) -> list[str]:
    """The model's limits, on every report where copy number was estimated (or tried)."""
    return list(wording.COPY_NUMBER_LIMITATIONS) if section["status"] != NOT_RUN else []


def recommendations_given_depth(recommendations: list[str], section: Mapping[str, Any]) -> list[str]:
    """The verdict's recommendations, with a generic copy-number test replaced when read depth already looked.

    Read depth that found two copies of every assessed exon does not make MLPA or an array pointless (it can
    miss a single-exon event and the exons it could not assess), so the recommendation stays, said with
    what was already done.
    """
    depth_normal = section["status"] == "assessed" and not section["calls"]
    if not depth_normal:
        return list(recommendations)
    return [
        wording.COPY_NUMBER_DEPTH_NORMAL_RECOMMENDATION if text.startswith("Copy-number analysis of TRPM6") else text
        for text in recommendations
    ]


def _exon_text(exons: list[int]) -> str:
    exons = sorted(exons)
    if len(exons) > 1 and exons == list(range(exons[0], exons[-1] + 1)):
        return f"{exons[0]}-{exons[-1]}"
    return ", ".join(str(exon) for exon in exons)


def _y(copy_number: float) -> float:
    shown = min(max(copy_number, 0.0), MAX_SHOWN)
    return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * shown / MAX_SHOWN, 2)


def copy_number_plot(section: Mapping[str, Any], diagram: Mapping[str, Any]) -> dict[str, Any] | None:
    """Points (estimated copy number = 2 x depth ratio) at the gene diagram's exon positions; None when the
    sample was not assessed (the section's reason is shown instead)."""
    if section["status"] == NOT_RUN or not section["exons"]:
        return None
    boxes = {box["number"]: box for box in diagram["exons"]}
    points, missing = [], []
    for exon in section["exons"]:
        box = boxes.get(exon["exon"])
        if box is None:
            continue
        x = round(box["x"] + box["width"] / 2, 2)
        if exon["status"] != "assessed" or exon["ratio"] is None:
            missing.append({"x": x, "label": f"exon {exon['exon']}: not assessed ({exon['reason']})"})
            continue
        estimate = 2 * float(exon["ratio"])
        points.append({
            "x": x, "y": _y(estimate), "changed": exon["copy_number"] not in (None, 2),
            "clipped": estimate > MAX_SHOWN,
            "label": f"exon {exon['exon']}: depth ratio {exon['ratio']:.2f} (about {estimate:.1f} copies), "
                     f"copy number {exon['copy_number']}",
        })  # fmt: skip
    bands = []
    for call in section["calls"]:
        xs = [boxes[number]["x"] for number in call["exons"] if number in boxes]
        ends = [boxes[number]["x"] + boxes[number]["width"] for number in call["exons"] if number in boxes]
        if xs:
            bands.append({
                "x": round(min(xs) - 2, 2), "width": round(max(ends) - min(xs) + 4, 2),
                "deletion": call["copy_number"] < 2, "y": _y(call["copy_number"]),
                "label": f"{call['kind']} of exon(s) {call['exon_text']} (copy number {call['copy_number']}, "
                         f"{call['confidence']} confidence)",
            })  # fmt: skip
    lines = [{"copy_number": value, "y": _y(value)} for value in (0, 1, 2, 3, 4)]
    return {"width": diagram["width"], "height": PLOT_HEIGHT, "points": points, "missing": missing,
            "bands": bands, "lines": lines, "bottom": PLOT_BOTTOM}  # fmt: skip
