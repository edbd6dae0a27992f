"""Consequences and HGVS of one allele on one transcript.

Splice-region choice (documented in docs/annotator.md): exonic bases 1-3 next to an intron and intronic
bases 3-8 are ``splice_region_variant``; the donor 5th base (+5) falls inside that window and gets no
separate term (VEP's ``splice_donor_5th_base_variant`` and other sub-terms are not emitted, so the set
compares with SnpEff and bcftools csq). ``splice_region_variant`` is not added when the same variant
already hits the canonical donor/acceptor dinucleotide, and ``intron_variant`` is added only when
intronic bases beyond the dinucleotide are touched (both as VEP does). An insertion is in the splice
region only when one of its two flanking bases is intronic and both lie in the window: an insertion
strictly inside an exon (e.g. c.5000_5001insGACT, exon starting at c.4999) changes no splice-region base,
so it is not called splice_region_variant (VEP, SnpEff and bcftools csq do call it; listed in
docs/annotator_disagreements.md).
"""

from __future__ import annotations

from dataclasses import replace

from trpm6_hsh.builtin_annotator.alleles import Allele
from trpm6_hsh.builtin_annotator.context import (
    FLANK,
    GenomeWindow,
    ProteinChange,
    TranscriptContext,
    TranscriptEffect,
    range_text,
)
from trpm6_hsh.builtin_annotator.sequence import reverse_complement, three_letter, translate
from trpm6_hsh.builtin_annotator.structural import deletion_effect
from trpm6_hsh.builtin_annotator.terms import order_terms

SPLICE_REGION_EXON = 3
SPLICE_REGION_INTRON = (3, 8)


# --------------------------------------------------------------------------- location classes
def _position_labels(ctx: TranscriptContext, pos: int) -> set[str]:
    """Labels of one reference base: region and splice-window memberships."""
    t = ctx.transcript
    labels: set[str] = set()
    if pos < t.start or pos > t.end:
        labels.add("outside")
        return labels
    exon = t.exon_at(pos)
    if exon is not None:
        labels.add("exon")
        tx_index = ctx.tx_index(pos)
        if t.is_coding:
            if tx_index < t.cds_tx_start:
                labels.add("utr5")
            elif tx_index > t.cds_tx_end:
                labels.add("utr3")
            else:
                labels.add("cds")
        else:
            labels.add("nc_exon")
        from_5prime = pos - exon.start if t.strand == 1 else exon.end - pos
        from_3prime = exon.end - pos if t.strand == 1 else pos - exon.start
        if (exon.number > 1 and from_5prime < SPLICE_REGION_EXON) or (
            exon.number < len(t.exons) and from_3prime < SPLICE_REGION_EXON
        ):
            labels.add("splice_region")
        return labels
    labels.add("intron")
    _, offset = t.genomic_to_tx(pos)
    distance = abs(offset)
    if distance <= 2:
        labels.add("donor" if offset > 0 else "acceptor")
    else:
        labels.add("deep_intron")
        if SPLICE_REGION_INTRON[0] <= distance <= SPLICE_REGION_INTRON[1]:
            labels.add("splice_region")
    return labels


def _hgvs_positions(ctx: TranscriptContext, first: int, last: int) -> str:
    """``c.X`` or ``c.X_Y`` text for genomic bases ``first..last`` in transcript order."""
    t = ctx.transcript
    a, b = (first, last) if t.strand == 1 else (last, first)
    if a == b:
        return str(t.genomic_to_c(a))
    return f"{t.genomic_to_c(a)}_{t.genomic_to_c(b)}"


# --------------------------------------------------------------------------- HGVS c./g.
def _shift_3prime(ctx: GenomeWindow, allele: Allele, direction: int) -> tuple[int, int, str, str]:
    """Shift an indel along the genome in ``direction`` (+1 right / -1 left) as far as it stays equal.

    Returns (start, end, ref_bases, alt_bases) with the same conventions as ``Allele``.
    """
    start, end, ref, alt = allele.start, allele.end, allele.ref_bases, allele.alt_bases
    if ref and alt:
        return start, end, ref, alt
    bases = ref or alt
    lo, hi = ctx.window_start, ctx.window_end
    if direction == 1:
        # deletion: next base after `end` equals the first deleted base; insertion: base at `start`
        while end + 1 <= hi and ctx.genomic(end + 1, end + 1) == bases[0]:
            bases = bases[1:] + bases[0]
            start, end = start + 1, end + 1
    else:
        while start - 1 >= lo and ctx.genomic(start - 1, start - 1) == bases[-1]:
            bases = bases[-1] + bases[:-1]
            start, end = start - 1, end - 1
    return (start, end, bases, "") if ref else (start, end, "", bases)


def _describe_change(start: int, end: int, ref: str, alt: str, positions, orient) -> str:
    """Shared HGVS grammar for g. and c.: ``positions(first, last)`` formats a range."""
    if ref and alt:
        if len(ref) == 1 and len(alt) == 1:
            return f"{positions(start, end)}{orient(ref)}>{orient(alt)}"
        return f"{positions(start, end)}delins{orient(alt)}"
    if ref:
        return f"{positions(start, end)}del"
    return ""


def hgvs_g(ctx: GenomeWindow, allele: Allele) -> str:
    if allele.sv_deletion:
        return f"g.{allele.start}_{allele.end}del"
    start, end, ref, alt = _shift_3prime(ctx, allele, +1)

    def positions(a: int, b: int) -> str:
        return str(a) if a == b else f"{a}_{b}"

    if alt and not ref:
        size = len(alt)
        if start - size >= 1 and ctx.genomic(start - size, start - 1) == alt:
            return f"g.{positions(start - size, start - 1)}dup"
        return f"g.{start - 1}_{start}ins{alt}"
    return "g." + _describe_change(start, end, ref, alt, positions, lambda s: s)


def hgvs_c(ctx: TranscriptContext, allele: Allele) -> str:
    t = ctx.transcript
    prefix = t.hgvs_prefix
    if allele.sv_deletion:
        return f"{prefix}{_hgvs_positions(ctx, allele.start, allele.end)}del"
    start, end, ref, alt = _shift_3prime(ctx, allele, t.strand)

    def orient(seq: str) -> str:
        return seq if t.strand == 1 else reverse_complement(seq)

    def positions(a: int, b: int) -> str:
        return _hgvs_positions(ctx, a, b)

    if alt and not ref:
        size = len(alt)
        before = (start - size, start - 1) if t.strand == 1 else (start, start + size - 1)
        if before[0] >= 1 and ctx.genomic(*before) == alt:
            return f"{prefix}{positions(*before)}dup"
        flank = positions(start - 1, start)
        return f"{prefix}{flank}ins{orient(alt)}"
    return prefix + _describe_change(start, end, ref, alt, positions, orient)


# --------------------------------------------------------------------------- protein
def _aa(protein_letter: str) -> str:
    return three_letter(protein_letter)


def _protein_effect(ctx: TranscriptContext, allele: Allele) -> tuple[set[str], str, ProteinChange] | None:
    """Terms, HGVS p. and numbers for a change that lies inside one exon and touches the CDS."""
    t = ctx.transcript
    mrna, cds_offset, protein = ctx.mrna, ctx.cds_offset, ctx.protein
    cds_len = t.cds_length
    if t.strand == 1:
        anchor = allele.start
        alt = allele.alt_bases
    else:
        anchor = allele.end if allele.ref_bases else allele.start - 1
        alt = reverse_complement(allele.alt_bases)
    r_start = ctx.tx_index(anchor) - 1  # 0-based mRNA index of the first changed base (or insertion point)
    if not allele.ref_bases and t.exon_at(anchor) is None:
        # insertion at an exon's 3' edge (anchor intronic): the new bases follow the exon's last base
        five_prime_flank = allele.start - 1 if t.strand == 1 else allele.start
        r_start = ctx.tx_index(five_prime_flank)
    r_len = len(allele.ref_bases)
    cs = r_start - cds_offset
    ce = cs + r_len - 1
    delta = len(alt) - r_len
    # ---- start codon
    touches_start = (r_len > 0 and cs <= 2 and ce >= 0) or (r_len == 0 and 1 <= cs <= 2)
    if touches_start:
        altered = mrna[:r_start] + alt + mrna[r_start + r_len:]
        if altered[cds_offset:cds_offset + 3] != "ATG":
            change = ProteinChange(delta % 3 != 0, 1, None, False, False, True)
            terms = {"start_lost"}
            if delta % 3:
                terms.add("frameshift_variant")
            elif delta:
                terms.add("inframe_insertion" if delta > 0 else "inframe_deletion")
            return terms, "p.Met1?", change
    if ce < 0 and r_len > 0:
        return None
    if cs > cds_len - 1:  # wholly after the stop codon
        return None
    first_changed_base = cs if r_len > 0 else cs - 1
    codon_first = max(first_changed_base, 0) // 3
    segment_start = cds_offset + codon_first * 3
    prefix_nt = mrna[segment_start:r_start] if r_start >= segment_start else ""
    lead = protein[codon_first:]
    if delta % 3 != 0:
        alt_tail = prefix_nt + alt + mrna[r_start + r_len:]
        alt_protein = translate(alt_tail, stop_at_first_stop=True)
        k = 0
        limit = min(len(alt_protein), len(lead))
        while k < limit and alt_protein[k] == lead[k]:
            k += 1
        position = codon_first + k + 1
        terms = {"frameshift_variant"}
        ptc_c = None
        stop_index = alt_protein.find("*")
        if stop_index >= 0:
            ptc_c = (codon_first + stop_index) * 3 + 1 - delta
            last_altered_codon = (len(prefix_nt) + max(len(alt), 1) - 1) // 3
            if stop_index <= last_altered_codon and lead[stop_index:stop_index + 1] != "*":
                terms.add("stop_gained")  # the new stop is made by the changed codons themselves
        if k >= len(alt_protein) and alt_protein.endswith("*"):
            # the shifted frame still ends in a stop at the same codon: the protein is unchanged
            unchanged = ProteinChange(False, codon_first + 1, None, False, False, False)
            return {"stop_retained_variant"}, f"p.(Ter{len(protein)}=)", unchanged
        if k >= len(alt_protein):
            hgvs_p = "p.?"
        elif lead[k:k + 1] == "*":
            terms.add("stop_lost")
            hgvs_p = _extension(position, alt_protein[k:])
        elif alt_protein[k] == "*":
            hgvs_p = f"p.({_aa(lead[k])}{position}Ter)"
        else:
            length = f"Ter{stop_index - k + 1}" if stop_index >= 0 else "Ter?"
            hgvs_p = f"p.({_aa(lead[k])}{position}{_aa(alt_protein[k])}fs{length})"
        change = ProteinChange(True, position, ptc_c, False, "stop_lost" in terms, False)
        return terms, hgvs_p, change
    # ---- in-frame (substitution, MNV, in-frame indel)
    last_changed = max(ce, cs - 1, first_changed_base)
    codon_last = last_changed // 3
    extra = 10
    while True:
        window_end = min(codon_last + 1 + extra, len(protein))
        ref_p = protein[codon_first:window_end]
        tail_end = cds_offset + window_end * 3
        alt_nt = prefix_nt + alt + mrna[r_start + r_len:tail_end]
        alt_p = translate(alt_nt)
        stop_at = alt_p.find("*")
        ref_has_stop = window_end == len(protein)
        if stop_at >= 0:
            alt_p = alt_p[:stop_at + 1]
        elif ref_has_stop:
            alt_p = translate(alt_nt + mrna[tail_end:], stop_at_first_stop=True)
        i = 0
        limit = min(len(ref_p), len(alt_p))
        while i < limit and ref_p[i] == alt_p[i]:
            i += 1
        j = 0
        while j < limit - i and ref_p[-1 - j] == alt_p[-1 - j]:
            j += 1
        # only an in-frame indel in a repeat can need more context to reach its 3'-most description
        if delta == 0 or stop_at >= 0 or ref_has_stop or j >= 1 or window_end == len(protein):
            break
        extra *= 4
    rseg, aseg = ref_p[i:len(ref_p) - j], alt_p[i:len(alt_p) - j]
    position = codon_first + i + 1
    terms: set[str] = set()
    if delta > 0:
        terms.add("inframe_insertion")
    elif delta < 0:
        terms.add("inframe_deletion")
    reference_stop = len(protein) - 1  # 0-based codon index of the reference stop
    alt_stop = alt_p.find("*")
    # where the new stop sits in reference coordinates (in-frame: downstream codons shift by delta/3)
    alt_stop_ref = codon_first + alt_stop - (delta // 3 if alt_stop * 3 >= last_changed - codon_first * 3 else 0) \
        if alt_stop >= 0 else None
    premature = alt_stop_ref is not None and alt_stop_ref < reference_stop and i <= alt_stop
    stop_lost = ref_has_stop and not premature and (alt_stop < 0 or alt_stop_ref != reference_stop)
    ptc_c = (codon_first + alt_stop) * 3 + 1 - delta if premature else None
    if premature:
        terms.add("stop_gained")
        if i == alt_stop:
            hgvs_p = f"p.({_aa(ref_p[i])}{position}Ter)"
        else:
            replaced = ref_p[i:max(i + 1, alt_stop)]
            hgvs_p = _protein_description(protein, codon_first, i, replaced, alt_p[i:alt_stop + 1])
    elif stop_lost:
        terms.add("stop_lost")
        if codon_first + i == reference_stop:
            hgvs_p = _extension(position, alt_p[i:])
        else:
            hgvs_p = _protein_description(protein, codon_first, i, ref_p[i:], alt_p[i:])
    elif not rseg and not aseg:
        codon = cs // 3
        ref_codon = protein[codon] if 0 <= codon < len(protein) else ""
        position = codon + 1
        terms.add("stop_retained_variant" if ref_codon == "*" else "synonymous_variant")
        hgvs_p = f"p.({_aa(ref_codon)}{position}=)"
    else:
        if delta == 0:
            terms.add("missense_variant")
        elif delta > 0 and rseg and aseg:
            # residues replaced, not just added: VEP's protein_altering_variant
            terms.discard("inframe_insertion")
            terms.add("protein_altering_variant")
        hgvs_p = _protein_description(protein, codon_first, i, rseg, aseg)
    change = ProteinChange(False, position, ptc_c, premature, stop_lost, False)
    return terms, hgvs_p, change


def _extension(position: int, alt_from_stop: str) -> str:
    """``p.(Ter2023ArgextTer28)``: ``alt_from_stop`` starts with the residue replacing the stop."""
    new_stop = alt_from_stop.find("*")
    length = f"Ter{new_stop}" if new_stop >= 0 else "Ter?"
    return f"p.(Ter{position}{_aa(alt_from_stop[:1])}ext{length})"


def _protein_description(protein: str, codon_first: int, i: int, rseg: str, aseg: str) -> str:
    start = codon_first + i + 1
    if not aseg:
        if len(rseg) == 1:
            return f"p.({_aa(rseg)}{start}del)"
        return f"p.({_aa(rseg[0])}{start}_{_aa(rseg[-1])}{start + len(rseg) - 1}del)"
    if not rseg:
        size = len(aseg)
        before = codon_first + i  # 0-based index of the residue after the insertion point
        if before - size >= 0 and protein[before - size:before] == aseg:
            if size == 1:
                return f"p.({_aa(aseg)}{before}dup)"
            return f"p.({_aa(aseg[0])}{before - size + 1}_{_aa(aseg[-1])}{before}dup)"
        left, right = protein[before - 1], protein[before]
        return f"p.({_aa(left)}{before}_{_aa(right)}{before + 1}ins{_aa(aseg)})"
    if len(rseg) == 1 and len(aseg) == 1:
        return f"p.({_aa(rseg)}{start}{_aa(aseg)})"
    if len(rseg) == 1:
        return f"p.({_aa(rseg)}{start}delins{_aa(aseg)})"
    return f"p.({_aa(rseg[0])}{start}_{_aa(rseg[-1])}{start + len(rseg) - 1}delins{_aa(aseg)})"


# --------------------------------------------------------------------------- the whole effect
def _exonic_placement(ctx: TranscriptContext, allele: Allele) -> Allele | None:
    """An equivalent placement of an indel that lies wholly inside one exon, if the sequence allows.

    An indel in a repeat that straddles an exon edge gives the same genome as one placed inside the
    exon; the exonic reading is the one that changes the protein, so peers (and we) annotate that.
    """
    t = ctx.transcript
    for direction in (-1, 1):
        start, end, ref, alt = allele.start, allele.end, allele.ref_bases, allele.alt_bases
        bases = ref or alt
        for _ in range(len(bases) + 60):
            if direction == 1:
                if ctx.genomic(end + 1, end + 1) != bases[0]:
                    break
                bases, start, end = bases[1:] + bases[0], start + 1, end + 1
            else:
                if ctx.genomic(start - 1, start - 1) != bases[-1]:
                    break
                bases, start, end = bases[-1] + bases[:-1], start - 1, end - 1
            touched = [start - 1, start] if not ref else [start, end]
            exons = {t.exon_at(pos) for pos in touched}
            if len(exons) == 1 and None not in exons:
                shifted_ref = bases if ref else ""
                shifted_alt = "" if ref else bases
                return replace(allele, start=start, end=end, ref_bases=shifted_ref, alt_bases=shifted_alt)
    return None


def transcript_effect(ctx: TranscriptContext, allele: Allele) -> TranscriptEffect | None:
    """Everything about ``allele`` on this transcript, or None when it lies beyond the 5 kb flanks."""
    t = ctx.transcript
    touched = [allele.start - 1, allele.start] if allele.is_insertion else list(range(allele.start, allele.end + 1))
    low, high = min(touched), max(touched)
    if high < t.start - FLANK or low > t.end + FLANK:
        return None
    inside = [pos for pos in touched if t.start <= pos <= t.end]
    if allele.is_insertion and len(inside) < 2:
        inside = []
    if not inside:
        upstream = high < t.start if t.strand == 1 else low > t.end
        if allele.is_insertion and not upstream:
            upstream = (allele.start - 1 < t.start) if t.strand == 1 else (allele.start > t.end)
        term = "upstream_gene_variant" if upstream else "downstream_gene_variant"
        return TranscriptEffect(t, (term,), hgvs_c(ctx, allele), "", "", "")
    if allele.sv_deletion or len(touched) > 200:
        return deletion_effect(ctx, allele, hgvs_c(ctx, allele))
    labels = [_position_labels(ctx, pos) for pos in touched]
    if not allele.is_substitution and any("exon" in label for label in labels) and any(
            "exon" not in label for label in labels):
        placed = _exonic_placement(ctx, allele)
        if placed is not None:
            # same genome as an exonic indel: protein effect from there; the junction it was called
            # on still makes it a splice-region variant
            effect = transcript_effect(ctx, placed)
            terms = order_terms({*effect.terms, "splice_region_variant"})
            return replace(effect, terms=terms, hgvs_c=hgvs_c(ctx, allele))
    exons_hit: set[int] = set()
    introns_hit: set[int] = set()
    for pos in inside:
        exon = t.exon_at(pos)
        if exon is not None:
            exons_hit.add(exon.number)
        elif (number := t.intron_at(pos)) is not None:
            introns_hit.add(number)
    terms: set[str] = set()
    protein: ProteinChange | None = None
    hgvs_p = ""
    splice_intron = splice_side = None
    coding_span = False
    if allele.is_insertion:
        left, right = labels
        both = left & right
        region_labels = both if "exon" in both and exons_hit and len(exons_hit) == 1 else set()
        if region_labels and (left | right) & {"utr5", "utr3"}:
            # between c.-1 and c.1, or after the stop codon: the new bases are untranslated
            region_labels = (region_labels - {"cds"}) | ((left | right) & {"utr5", "utr3"})
        if "donor" in both:
            terms.add("splice_donor_variant")
        elif "acceptor" in both:
            terms.add("splice_acceptor_variant")
        elif "intron" in left | right and all(label & {"splice_region", "donor", "acceptor"} for label in labels):
            # an insertion strictly inside an exon changes no splice-region base (see module doc)
            terms.add("splice_region_variant")
        if "intron" in both and ("deep_intron" in left or "deep_intron" in right):
            terms.add("intron_variant")
        if ("exon" in left) != ("exon" in right) and "outside" not in left | right:
            # at an exon/intron junction the splice dinucleotide stays next to the exon, so the new bases
            # join the exon: annotate them as an exonic insertion at the exon edge (+ splice region)
            region_labels = (left if "exon" in left else right) - {"splice_region"}
    else:
        union = set().union(*labels)
        region_labels = union
        if "donor" in union:
            terms.add("splice_donor_variant")
        if "acceptor" in union:
            terms.add("splice_acceptor_variant")
        if "splice_region" in union and not terms:
            terms.add("splice_region_variant")
        if "deep_intron" in union:
            terms.add("intron_variant")
    if "splice_donor_variant" in terms or "splice_acceptor_variant" in terms:
        splice_side = "donor" if "splice_donor_variant" in terms else "acceptor"
        splice_intron = min(introns_hit) if introns_hit else None
    exonic_only = bool(region_labels) and "intron" not in region_labels and "outside" not in region_labels
    if "cds" in region_labels and exonic_only and len(exons_hit) == 1:
        result = _protein_effect(ctx, allele)
        if result is not None:
            protein_terms, hgvs_p, protein = result
            terms |= protein_terms
    elif "cds" in region_labels:
        terms.add("coding_sequence_variant")
        coding_span = True
    if "utr5" in region_labels and not (protein and protein.start_lost):
        terms.add("5_prime_UTR_variant")
    if "utr3" in region_labels:
        terms.add("3_prime_UTR_variant")
    if "nc_exon" in region_labels:
        terms.add("non_coding_transcript_exon_variant")
    if not terms:
        terms.add("intron_variant" if "intron" in region_labels else "sequence_variant")
    if t.is_coding and not hgvs_p and (splice_side or coding_span):
        hgvs_p = "p.?"
    return TranscriptEffect(
        transcript=t,
        terms=order_terms(terms),
        hgvs_c=hgvs_c(ctx, allele),
        hgvs_p=hgvs_p,
        exon=range_text(exons_hit, len(t.exons)),
        intron=range_text(introns_hit, t.intron_count),
        protein=protein,
        splice_intron=splice_intron,
        splice_side=splice_side,
        exonic_coding_span=coding_span,
    )
