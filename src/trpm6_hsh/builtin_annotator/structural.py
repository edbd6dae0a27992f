"""Large deletions (SV records: SVTYPE=DEL with END, or symbolic ``<DEL>``) on one transcript."""

from __future__ import annotations

from trpm6_hsh.builtin_annotator.alleles import Allele
from trpm6_hsh.builtin_annotator.context import DeletionSpan, TranscriptContext, TranscriptEffect, range_text
from trpm6_hsh.builtin_annotator.terms import order_terms


def deletion_effect(ctx: TranscriptContext, allele: Allele, hgvs_c: str) -> TranscriptEffect:
    """Whole-transcript, whole-exon or partial-exon loss; works exon by exon (no per-base loop)."""
    t = ctx.transcript
    start, end = allele.start, allele.end
    whole, partial = [], []
    for exon in t.exons:
        if start <= exon.start and exon.end <= end:
            whole.append(exon.number)
        elif start <= exon.end and exon.start <= end:
            partial.append(exon.number)
    introns = {number for number in range(1, len(t.exons))
               if _intron_overlaps(t, number, start, end)}
    if start <= t.start and end >= t.end:
        terms = {"transcript_ablation"}
    else:
        terms = set()
        if whole:
            terms.add("exon_loss_variant")
        if partial or whole:
            terms.add("coding_sequence_variant" if t.is_coding else "non_coding_transcript_exon_variant")
            terms.add("feature_truncation")
        if introns:
            terms.add("intron_variant")
        if partial and _touches_splice_site(t, start, end):  # whole-exon loss takes its sites with it
            terms.add("splice_donor_variant" if _touches_side(t, start, end, "donor") else "splice_acceptor_variant")
    hgvs_p = "p.?" if t.is_coding and (whole or partial) else ""
    return TranscriptEffect(
        transcript=t,
        terms=order_terms(terms),
        hgvs_c=hgvs_c,
        hgvs_p="p.0?" if "transcript_ablation" in terms and t.is_coding else hgvs_p,
        exon=range_text(set(whole) | set(partial), len(t.exons)),
        intron=range_text(introns, t.intron_count),
        deletion=DeletionSpan(tuple(whole), tuple(partial)) if "transcript_ablation" not in terms else None,
    )


def _intron_overlaps(t, number: int, start: int, end: int) -> bool:
    a, b = t.exons[number - 1], t.exons[number]
    low, high = (a.end + 1, b.start - 1) if t.strand == 1 else (b.end + 1, a.start - 1)
    return start <= high and low <= end


def _splice_sites(t):
    """(genomic low, high, side) of every canonical dinucleotide."""
    for number in range(1, len(t.exons)):
        a, b = t.exons[number - 1], t.exons[number]
        if t.strand == 1:
            yield a.end + 1, a.end + 2, "donor"
            yield b.start - 2, b.start - 1, "acceptor"
        else:
            yield a.start - 2, a.start - 1, "donor"
            yield b.end + 1, b.end + 2, "acceptor"


def _touches_splice_site(t, start: int, end: int) -> bool:
    return any(start <= high and low <= end for low, high, _ in _splice_sites(t))


def _touches_side(t, start: int, end: int, side: str) -> bool:
    return any(start <= high and low <= end and kind == side for low, high, kind in _splice_sites(t))
