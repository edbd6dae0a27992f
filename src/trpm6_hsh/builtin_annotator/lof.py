"""Loss-of-function calls: LOFTEE-style filters and the ClinGen SVI PVS1 decision tree.

Every call carries reason codes, so a counselor (or a reviewer) can see why a variant is or is not
counted as LoF and how strongly (Abou Tayoun et al. 2018, Hum Mutat 39:1517).

NMD rule: a premature stop whose first base lies more than 50 nt upstream of the last exon-exon
junction triggers NMD (the 50-55 nt rule; we take 50, as LOFTEE's 50_BP_RULE does). For NM_017662.5
the last junction is c.5935/5936, so stops at c.5886 or later escape NMD.
"""

from __future__ import annotations

from dataclasses import dataclass

from trpm6_hsh.builtin_annotator.context import TranscriptContext, TranscriptEffect
from trpm6_hsh.builtin_annotator.sequence import translate
from trpm6_hsh.builtin_annotator.terms import lof_classes
from trpm6_hsh.model import LofConfidence, Pvs1Strength
from trpm6_hsh.transcripts import Transcript

NMD_DISTANCE = 50
END_TRUNCATION_FRACTION = 0.05  # LOFTEE END_TRUNC: truncations in the last 5% of the CDS are low confidence
CRITICAL_FRACTION = 0.10  # PVS1: removing more than 10% of the protein keeps Strong


@dataclass(frozen=True)
class LofCall:
    lof: bool
    confidence: LofConfidence
    strength: Pvs1Strength
    reasons: tuple[str, ...]


NOT_LOF = LofCall(False, LofConfidence.NONE, Pvs1Strength.NONE, ())


def last_junction_c(transcript: Transcript) -> int | None:
    """c. position of the last base before the last exon-exon junction (5935 for NM_017662.5)."""
    if not transcript.is_coding or len(transcript.exons) < 2:
        return None
    penultimate = transcript.exons[-2]
    last_base = penultimate.end if transcript.strand == 1 else penultimate.start
    tx_index = transcript.genomic_to_tx(last_base)[0]
    return tx_index - transcript.cds_tx_start + 1


def nmd_predicted(transcript: Transcript, ptc_c: int) -> bool:
    """True when a stop starting at c.``ptc_c`` lies more than 50 nt before the last junction."""
    junction = last_junction_c(transcript)
    return junction is not None and ptc_c <= junction - NMD_DISTANCE


@dataclass(frozen=True)
class ExonSkip:
    """What skipping (or deleting) whole exons does to the reading frame."""

    frameshift: bool
    coding_bases_removed: int
    removes_start: bool
    removes_stop: bool
    nmd: bool
    protein_fraction_removed: float


def coding_overlap(transcript: Transcript, exon_numbers: set[int]) -> int:
    if not transcript.is_coding:
        return 0
    total = 0
    for exon in transcript.exons:
        if exon.number in exon_numbers:
            low, high = max(exon.start, transcript.cds_start), min(exon.end, transcript.cds_end)
            total += max(0, high - low + 1)
    return total


def skip_exons(ctx: TranscriptContext, exon_numbers: set[int]) -> ExonSkip:
    """Consequence of removing whole exons from the mRNA (exon skip or exon deletion).

    With sequence: a frameshift is translated to its new stop and tested against the NMD rule on the
    shortened transcript. In-frame removals are judged by the fraction of protein removed. Cached per
    transcript context, since every canonical splice variant of one intron asks the same question.
    """
    cache = ctx.__dict__.setdefault("_exon_skip_cache", {})
    key = frozenset(exon_numbers)
    if key not in cache:
        cache[key] = _skip_exons(ctx, exon_numbers)
    return cache[key]


def _skip_exons(ctx: TranscriptContext, exon_numbers: set[int]) -> ExonSkip:
    t = ctx.transcript
    removed = coding_overlap(t, exon_numbers)
    start_exon = t.exon_at(t.cds_start if t.strand == 1 else t.cds_end).number
    stop_exon = t.exon_at(t.cds_end if t.strand == 1 else t.cds_start).number
    removes_start = start_exon in exon_numbers
    removes_stop = stop_exon in exon_numbers
    fraction = removed / t.cds_length if t.cds_length else 0.0
    frameshift = removed % 3 != 0
    nmd = False
    if frameshift and not removes_start:
        kept = [exon for exon in t.exons if exon.number not in exon_numbers]
        pieces, starts = [], []
        offset = 0
        for exon in t.exons:
            length = exon.length
            if exon.number not in exon_numbers:
                starts.append(offset)
                pieces.append(ctx.mrna[offset:offset + length])
            offset += length
        mutated = "".join(pieces)
        removed_before_cds = sum(
            exon.length for exon in t.exons
            if exon.number in exon_numbers and exon.number < start_exon
        )
        cds_start = ctx.cds_offset - removed_before_cds
        protein = translate(mutated[cds_start:], stop_at_first_stop=True)
        stop = protein.find("*")
        if stop >= 0 and len(kept) >= 2:
            ptc_index = cds_start + stop * 3  # 0-based in the mutated mRNA
            last_junction = sum(exon.length for exon in kept[:-1])  # 0-based index of the last exon start
            nmd = ptc_index < last_junction - NMD_DISTANCE
            removed_fraction = 1 - stop / (t.cds_length / 3)
            fraction = max(fraction, removed_fraction)
    return ExonSkip(frameshift, removed, removes_start, removes_stop, nmd, fraction)


def _strength_for_escape(fraction_removed: float) -> Pvs1Strength:
    return Pvs1Strength.STRONG if fraction_removed > CRITICAL_FRACTION else Pvs1Strength.MODERATE


def assess(ctx: TranscriptContext, effect: TranscriptEffect) -> LofCall:
    """The LoF call for one variant on one transcript."""
    t = ctx.transcript
    terms = set(effect.terms)
    if not t.is_coding:
        return NOT_LOF
    if "stop_lost" in terms and not terms & {"frameshift_variant", "stop_gained"}:
        return LofCall(False, LofConfidence.NONE, Pvs1Strength.NONE, ("STOP_LOST_PROTEIN_ALTERING",))
    candidates = terms & lof_classes()
    if not candidates:
        return NOT_LOF
    if not (ctx.protein.startswith("M") and ctx.protein.endswith("*")):
        # LOFTEE INCOMPLETE_CDS: without a start or stop codon the model cannot place a truncation
        return LofCall(True, LofConfidence.LOW, Pvs1Strength.SUPPORTING, ("INCOMPLETE_CDS",))
    if "transcript_ablation" in candidates:
        return LofCall(True, LofConfidence.HIGH, Pvs1Strength.VERY_STRONG, ("WHOLE_TRANSCRIPT_DELETED",))
    if effect.deletion is not None and (effect.deletion.whole_exons or effect.deletion.partial_exons):
        return _assess_exon_deletion(ctx, effect)
    if "start_lost" in candidates and effect.protein is not None and effect.protein.start_lost:
        return _assess_start_lost(ctx)
    if candidates & {"stop_gained", "frameshift_variant"} and effect.protein is not None:
        return _assess_truncation(ctx, effect)
    if candidates & {"splice_donor_variant", "splice_acceptor_variant"}:
        return _assess_splice(ctx, effect)
    return LofCall(True, LofConfidence.LOW, Pvs1Strength.SUPPORTING, ("LOF_CLASS_UNASSESSED",))


def _assess_truncation(ctx: TranscriptContext, effect: TranscriptEffect) -> LofCall:
    t = ctx.transcript
    change = effect.protein
    ptc = change.ptc_c
    reasons = ["FRAMESHIFT" if change.frameshift else "STOP_GAINED"]
    if ptc is None:
        reasons.append("NO_STOP_IN_TRANSCRIPT")
        return LofCall(True, LofConfidence.LOW, Pvs1Strength.MODERATE, tuple(reasons))
    if ptc > t.cds_length:
        # the new frame reads through the native stop: an elongated protein, not a truncation (like stop_lost)
        reasons.append("READS_THROUGH_STOP")
        return LofCall(False, LofConfidence.NONE, Pvs1Strength.NONE, tuple(reasons))
    if nmd_predicted(t, ptc):
        reasons.append("NMD_PREDICTED")
        return LofCall(True, LofConfidence.HIGH, Pvs1Strength.VERY_STRONG, tuple(reasons))
    in_last_exon = ptc > last_junction_c(t)
    reasons.append("NMD_ESCAPE_LAST_EXON" if in_last_exon else "NMD_ESCAPE_50NT_RULE")
    removed = 1 - (ptc - 1) / t.cds_length
    if removed < END_TRUNCATION_FRACTION:
        reasons.append("END_TRUNCATION")
        return LofCall(True, LofConfidence.LOW, _strength_for_escape(removed), tuple(reasons))
    return LofCall(True, LofConfidence.HIGH, _strength_for_escape(removed), tuple(reasons))


def _assess_splice(ctx: TranscriptContext, effect: TranscriptEffect) -> LofCall:
    t = ctx.transcript
    side = effect.splice_side or "donor"
    intron = effect.splice_intron
    reasons = ["CANONICAL_SPLICE_" + side.upper()]
    if intron is None:
        return LofCall(True, LofConfidence.LOW, Pvs1Strength.MODERATE, (*reasons, "SPLICE_SITE_UNLOCATED"))
    if not ctx.intron_is_canonical[intron - 1]:
        reasons.append("NON_CANONICAL_INTRON")
        return LofCall(True, LofConfidence.LOW, Pvs1Strength.MODERATE, tuple(reasons))
    skipped = intron if side == "donor" else intron + 1
    if skipped in (1, len(t.exons)) or coding_overlap(t, {skipped}) == 0:
        # first/last exon or an untranslated exon: exon skipping is not the model; cryptic sites are
        reasons.append("SPLICE_IN_TERMINAL_OR_UTR_EXON")
        return LofCall(True, LofConfidence.LOW, Pvs1Strength.MODERATE, tuple(reasons))
    outcome = skip_exons(ctx, {skipped})
    reasons.append(f"EXON{skipped}_SKIP")
    if outcome.frameshift:
        reasons.append("FRAMESHIFT_SKIP")
        if outcome.nmd:
            reasons.append("NMD_PREDICTED")
            return LofCall(True, LofConfidence.HIGH, Pvs1Strength.VERY_STRONG, tuple(reasons))
        reasons.append("NMD_ESCAPE")
        return LofCall(True, LofConfidence.HIGH, _strength_for_escape(outcome.protein_fraction_removed),
                       tuple(reasons))
    reasons.append("INFRAME_EXON_SKIP")
    return LofCall(True, LofConfidence.LOW, _strength_for_escape(outcome.protein_fraction_removed),
                   tuple(reasons))


def downstream_inframe_met(ctx: TranscriptContext) -> int | None:
    """Amino-acid position of the first Met after Met1 in the reference protein, or None."""
    index = ctx.protein.find("M", 1)
    return index + 1 if index > 0 else None


def _assess_start_lost(ctx: TranscriptContext) -> LofCall:
    met = downstream_inframe_met(ctx)
    protein_length = len(ctx.protein) - 1
    if met is None:
        return LofCall(True, LofConfidence.HIGH, Pvs1Strength.MODERATE, ("START_LOST", "NO_INFRAME_MET"))
    reason = f"DOWNSTREAM_INFRAME_MET:p.Met{met}"
    lost = (met - 1) / protein_length
    strength = Pvs1Strength.MODERATE if lost > CRITICAL_FRACTION else Pvs1Strength.SUPPORTING
    return LofCall(True, LofConfidence.LOW, strength, ("START_LOST", reason))


def _assess_exon_deletion(ctx: TranscriptContext, effect: TranscriptEffect) -> LofCall:
    deletion = effect.deletion
    if deletion.partial_exons:
        reasons = ["PARTIAL_EXON_DELETION", "SPLICE_UNPREDICTABLE"]
        return LofCall(True, LofConfidence.LOW, Pvs1Strength.MODERATE, tuple(reasons))
    outcome = skip_exons(ctx, set(deletion.whole_exons))
    low, high = min(deletion.whole_exons), max(deletion.whole_exons)
    span = f"EXON_{low}_DELETED" if low == high else f"EXONS_{low}-{high}_DELETED"
    if outcome.removes_start:
        return LofCall(True, LofConfidence.HIGH, Pvs1Strength.VERY_STRONG if outcome.frameshift
                       else Pvs1Strength.STRONG, (span, "START_CODON_DELETED"))
    if outcome.frameshift:
        if outcome.nmd:
            return LofCall(True, LofConfidence.HIGH, Pvs1Strength.VERY_STRONG, (span, "FRAMESHIFT", "NMD_PREDICTED"))
        return LofCall(True, LofConfidence.HIGH, _strength_for_escape(outcome.protein_fraction_removed),
                       (span, "FRAMESHIFT", "NMD_ESCAPE"))
    return LofCall(True, LofConfidence.LOW, _strength_for_escape(outcome.protein_fraction_removed),
                   (span, "INFRAME_DELETION"))


# --------------------------------------------------------------------------- per-exon table
EXON_TABLE_COLUMNS = (
    "exon", "chrom", "start", "end", "length", "coding_bases", "c_start", "c_end", "start_phase",
    "end_phase", "skip_keeps_frame", "ptc_nmd", "protein_fraction_pct", "canonical_splice_pvs1",
)


def exon_lof_table(transcript: Transcript) -> list[dict[str, str]]:
    """Per exon: size, reading-frame phases, whether skipping it keeps the frame, and NMD region.

    Structure only (no sequence), so it can be shipped for any build. ``ptc_nmd`` says whether a
    premature stop in the exon triggers NMD (``yes``, ``no``, or ``partial:NMD_up_to_c.N`` for the exon holding
    the 50-nt boundary). ``canonical_splice_pvs1`` is the PVS1 strength the decision tree gives a canonical
    splice variant that skips this exon: an in-frame skip is Strong when it removes more than 10% of the
    protein, else Moderate; a frameshifting skip upstream of the NMD boundary is VeryStrong, one that
    escapes NMD is judged by the share of protein from the exon on. The annotator itself decides
    frameshifting skips with the sequence (it translates the skipped transcript).
    """
    t = transcript
    junction = last_junction_c(t)
    boundary = junction - NMD_DISTANCE if junction is not None else None
    rows = []
    for exon in t.exons:
        coding = coding_overlap(t, {exon.number})
        row = {"exon": str(exon.number), "chrom": t.chrom, "start": str(exon.start), "end": str(exon.end),
               "length": str(exon.length), "coding_bases": str(coding)}
        if coding:
            first = max(exon.start, t.cds_start) if t.strand == 1 else min(exon.end, t.cds_end)
            last = min(exon.end, t.cds_end) if t.strand == 1 else max(exon.start, t.cds_start)
            c_first, c_last = t.genomic_to_c(first).anchor, t.genomic_to_c(last).anchor
            internal = 1 < exon.number < len(t.exons) and coding == exon.length
            keeps_frame = internal and coding % 3 == 0
            if boundary is None or c_first > boundary:
                nmd = "no"
            elif c_last <= boundary:
                nmd = "yes"
            else:
                nmd = f"partial:NMD_up_to_c.{boundary}"
            if not internal:
                splice = "Moderate"  # first/last or partly untranslated exon: no clean skip model
            elif keeps_frame:
                splice = _strength_for_escape(coding / t.cds_length).value
            elif nmd == "yes":
                splice = Pvs1Strength.VERY_STRONG.value
            else:  # frameshift escaping NMD: everything from this exon on is altered
                splice = _strength_for_escape((t.cds_length - c_first + 1) / t.cds_length).value
            row.update(c_start=str(c_first), c_end=str(c_last), start_phase=str((c_first - 1) % 3),
                       end_phase=str(c_last % 3), skip_keeps_frame="true" if keeps_frame else "false",
                       ptc_nmd=nmd, protein_fraction_pct=f"{100 * coding / t.cds_length:.2f}",
                       canonical_splice_pvs1=splice)
        else:
            row.update(c_start="", c_end="", start_phase="", end_phase="", skip_keeps_frame="false",
                       ptc_nmd="", protein_fraction_pct="0.00", canonical_splice_pvs1="")
        rows.append(row)
    return rows
