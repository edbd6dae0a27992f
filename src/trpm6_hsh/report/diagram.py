"""The gene diagram of the report: exons to scale in transcript order, the sample's variants placed on them."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from trpm6_hsh.transcripts import Transcript

DIAGRAM_WIDTH = 960
DIAGRAM_MARGIN = 20
INTRON_GAP = 6


def gene_diagram(
    transcript: Transcript, variants: Sequence[Mapping[str, Any]], not_assessed: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Exons to scale in transcript order (introns drawn as fixed gaps), variants placed on them."""
    usable = DIAGRAM_WIDTH - 2 * DIAGRAM_MARGIN - INTRON_GAP * (len(transcript.exons) - 1)
    scale = usable / sum(exon.length for exon in transcript.exons)
    unknown_exons = {item.get("exon") for item in not_assessed}
    boxes, x = [], float(DIAGRAM_MARGIN)
    starts_by_number = {}
    for exon in transcript.exons:
        width = exon.length * scale
        starts_by_number[exon.number] = x
        coding_start = max(exon.start, transcript.cds_start)
        coding_end = min(exon.end, transcript.cds_end)
        boxes.append(
            {
                "number": exon.number,
                "x": round(x, 2),
                "width": round(max(width, 1.0), 2),
                "coding": coding_start <= coding_end,
                "not_assessed": exon.number in unknown_exons,
                "label": f"exon {exon.number}: {exon.length} bp",
            }
        )
        x += width + INTRON_GAP
    marks, spans = [], []
    offsets = list(itertools.accumulate((exon.length for exon in transcript.exons), initial=0))

    def x_of(pos: int) -> tuple[float, int] | None:
        tx_index, intron_offset = transcript.genomic_to_tx(pos)
        if tx_index < 1 or tx_index > transcript.length:
            return None
        number = max(i for i, start in enumerate(offsets, start=1) if start < tx_index)
        inside = tx_index - offsets[number - 1] - 1
        position = starts_by_number[number] + inside * scale
        if intron_offset:
            position += (INTRON_GAP / 2) * (1 if intron_offset > 0 else -1)
        return min(max(position, DIAGRAM_MARGIN), DIAGRAM_WIDTH - DIAGRAM_MARGIN), number

    for variant in variants:
        placed = x_of(int(variant["pos"]))
        if variant.get("sv_end"):
            ends = [x_of(p) for p in (int(variant["pos"]), int(variant["sv_end"]))]
            xs = sorted(end[0] for end in ends if end)
            if xs:
                label = variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']} deletion"
                spans.append({"x": round(xs[0], 2), "width": round(max(xs[-1] - xs[0], 2.0), 2), "label": label})
        if placed is None:
            continue
        position, number = placed
        marks.append(
            {
                "x": round(position, 2),
                "label": variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']}",
                "qualifying": variant["qualifying"],
                "exon": number,
            }
        )
    for row, mark in enumerate(sorted(marks, key=lambda m: m["x"])):
        mark["row"] = row % 3
        mark["anchor"] = "end" if mark["x"] > DIAGRAM_WIDTH * 0.7 else "start"
    return {"width": DIAGRAM_WIDTH, "exons": boxes, "variants": marks, "deletions": spans}
