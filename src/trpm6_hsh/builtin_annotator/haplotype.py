"""Haplotype-aware codons: changes in one codon on one haplotype are one protein change.

Annotating each record alone can call a stop that no haplotype carries (T>A and C>A in Ser1800 give
Lys, not Ter), or a frameshift that a neighbouring indel in the same codon puts back in frame.
Substitutions and small indels touching one codon are combined, as bcftools csq does, when every
haplotype that carries one also carries the other: both phased in the same phase set (a missing PS
counts as one phase set per sample, as the VCF spec says) on the same haplotype, or homozygous. A pair
that may share a haplotype but whose phase is unknown is annotated alone and flagged
``POSSIBLE_CODON_COMBINATION:<partner>``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from trpm6_hsh.builtin_annotator.alleles import Allele, VcfAllele
from trpm6_hsh.builtin_annotator.context import TranscriptContext, TranscriptEffect
from trpm6_hsh.builtin_annotator.effects import transcript_effect
from trpm6_hsh.transcripts import Transcript


class TranscriptSource(Protocol):
    """What the codon search needs of the annotator (the package's ``Annotator`` is one)."""

    transcripts: Sequence[Transcript]

    def transcripts_near(self, contig: str, low: int, high: int) -> list[Transcript]: ...

    def context(self, transcript: Transcript, contig: str) -> TranscriptContext: ...


@dataclass
class CodonPartners:
    flags: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # allele -> transcript -> flags
    overrides: dict[str, dict[str, TranscriptEffect]] = field(default_factory=dict)


def _codons(transcript, allele: Allele) -> set[int]:
    """Codons (0-based, CDS) whose bases the allele changes; an insertion counts for both flanks."""
    if not transcript.is_coding or allele.sv_deletion:
        return set()
    touched = [allele.start - 1, allele.start] if allele.is_insertion else range(allele.start, allele.end + 1)
    codons = set()
    for pos in touched:
        if not transcript.cds_start <= pos <= transcript.cds_end or transcript.exon_at(pos) is None:
            continue
        tx_index, offset = transcript.genomic_to_tx(pos)
        if offset == 0:
            codons.add((tx_index - transcript.cds_tx_start) // 3)
    return codons


def _haplotypes(carrier) -> tuple[list[object], bool]:
    """Haplotype keys carrying the allele in one sample, and whether the phase is known."""
    first, second, phased, phase_set = carrier
    if first and second:
        return ["both"], True
    if not (first or second):
        return [], True
    if phased:
        return [(phase_set, 0 if first else 1)], True
    return ["unknown"], False


def find_codon_partners(annotator: TranscriptSource, items: list[VcfAllele]) -> CodonPartners:
    result = CodonPartners()
    by_codon: dict[tuple[str, str, int], list[VcfAllele]] = defaultdict(list)
    for item in items:
        if item.contig is None or item.allele.sv_deletion or not item.carriers:
            continue
        for transcript in annotator.transcripts_near(item.contig, item.allele.start, item.allele.end):
            for codon in _codons(transcript, item.allele):
                by_codon[(item.contig, transcript.transcript_id, codon)].append(item)
    for (contig, transcript_id, _codon), group in by_codon.items():
        if len({g.allele.label for g in group}) < 2:
            continue
        transcript = next(t for t in annotator.transcripts if t.transcript_id == transcript_id)
        ctx = annotator.context(transcript, contig)
        for item in group:
            cis, unknown = _partners(item, [g for g in group if g.allele.label != item.allele.label])
            label = item.allele.label
            if unknown:
                result.flags.setdefault(label, {}).setdefault(transcript_id, []).extend(
                    f"POSSIBLE_CODON_COMBINATION:{other.allele.label}" for other in unknown)
            if cis:
                combined = _combine(ctx, [item, *cis])
                effect = transcript_effect(ctx, combined) if combined is not None else None
                if effect is not None:
                    result.overrides.setdefault(label, {})[transcript_id] = effect
                    result.flags.setdefault(label, {}).setdefault(transcript_id, []).extend(
                        f"HAPLOTYPE_COMBINED:{other.allele.label}" for other in cis)
    return result


def _partners(item: VcfAllele, others: list[VcfAllele]) -> tuple[list[VcfAllele], list[VcfAllele]]:
    """Partners on every haplotype carrying ``item`` (cis) and partners of unknown phase."""
    cis_sets: list[set[str]] = []
    unknown: dict[str, VcfAllele] = {}
    for sample_index, carrier in enumerate(item.carriers):
        haps, known = _haplotypes(carrier)
        for hap in haps:
            together: set[str] = set()
            for other in others:
                other_haps, other_known = _haplotypes(other.carriers[sample_index])
                if not other_haps:
                    continue
                same_haplotype = known and other_known and hap in other_haps
                on_every_haplotype = "both" in other_haps or (hap == "both" and other_known)
                if same_haplotype or on_every_haplotype:
                    together.add(other.allele.label)
                elif not (known and other_known) or not _same_phase_set(hap, other_haps):
                    unknown[other.allele.label] = other
            cis_sets.append(together)
    if not cis_sets:
        return [], list(unknown.values())
    always = set.intersection(*cis_sets)
    sometimes = set.union(*cis_sets) - always
    by_label = {other.allele.label: other for other in others}
    for label in sometimes:
        unknown[label] = by_label[label]
    return [by_label[label] for label in sorted(always)], [unknown[k] for k in sorted(unknown)]


def _same_phase_set(hap: object, other_haps: list[object]) -> bool:
    """Phase is comparable only inside one phase set (``both`` = homozygous, comparable anywhere)."""
    if hap == "both" or "both" in other_haps:
        return True
    return all(isinstance(other, tuple) and isinstance(hap, tuple) and other[0] == hap[0]
               for other in other_haps)


def _combine(ctx, items: list[VcfAllele]) -> Allele | None:
    """One allele carrying every change of ``items`` (substitutions and small indels); None if they overlap."""
    alleles = sorted((item.allele for item in items), key=lambda a: (a.start, a.end))
    low = min(a.start for a in alleles)
    high = max(max(a.end, a.start - 1) for a in alleles)
    anchor_pos = low - 1
    built, cursor = [ctx.genomic(anchor_pos, anchor_pos)], low
    for allele in alleles:
        if allele.start < cursor:
            return None
        built.append(ctx.genomic(cursor, allele.start - 1) if allele.start > cursor else "")
        built.append(allele.alt_bases)
        cursor = allele.end + 1
    if cursor <= high:
        built.append(ctx.genomic(cursor, high))
    ref = ctx.genomic(anchor_pos, high)
    return Allele.from_vcf(alleles[0].chrom, anchor_pos, ref, "".join(built))
