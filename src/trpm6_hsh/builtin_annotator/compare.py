"""Compare built-in consequence sets with VEP, SnpEff and bcftools csq on the same VCF.

Each peer names and groups terms its own way. Before comparing, both sides go through the same
documented *style* rules (``canonical_terms``); whatever still differs is a real disagreement, and every
class of those is listed with its reason in ``docs/annotator_disagreements.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pysam

from trpm6_hsh.builtin_annotator.alleles import Allele
from trpm6_hsh.files import open_vcf
from trpm6_hsh.transcripts import Transcript

VariantKey = tuple[int, str, str]

# peer term -> SO term (None: a sub-term or a non-consequence the comparison ignores)
_SYNONYMS: dict[str, str | None] = {
    # bcftools csq
    "missense": "missense_variant", "synonymous": "synonymous_variant", "frameshift": "frameshift_variant",
    "intron": "intron_variant", "5_prime_utr": "5_prime_UTR_variant", "3_prime_utr": "3_prime_UTR_variant",
    "splice_donor": "splice_donor_variant", "splice_acceptor": "splice_acceptor_variant",
    "splice_region": "splice_region_variant", "stop_retained": "stop_retained_variant",
    "start_retained": "start_retained_variant", "coding_sequence": "coding_sequence_variant",
    "non_coding": "non_coding_transcript_exon_variant", "inframe_altering": "protein_altering_variant",
    "feature_elongation": None,
    # SnpEff
    "conservative_inframe_deletion": "inframe_deletion", "disruptive_inframe_deletion": "inframe_deletion",
    "conservative_inframe_insertion": "inframe_insertion", "disruptive_inframe_insertion": "inframe_insertion",
    "5_prime_UTR_premature_start_codon_gain_variant": "5_prime_UTR_variant",
    "intergenic_region": "intergenic_variant", "exon_loss_variant": "exon_loss_variant",
    # VEP sub-terms of splice_region_variant / NMD flags
    "splice_donor_5th_base_variant": "splice_region_variant",
    "splice_donor_region_variant": "splice_region_variant",
    "splice_polypyrimidine_tract_variant": None,
    "NMD_transcript_variant": None,
    "non_coding_transcript_variant": None,
}

STYLE_RULES = (
    "synonyms: peer term names mapped to SO (bcftools short names, SnpEff conservative/disruptive in-frame)",
    "VEP splice sub-terms: splice_donor_5th_base/splice_donor_region -> splice_region_variant; "
    "splice_polypyrimidine_tract_variant dropped",
    "with a canonical splice_donor/acceptor hit, splice_region_variant and intron_variant are not compared",
    "splice_region_variant hides intron_variant (bcftools reports only splice_region there)",
    "upstream/downstream/intergenic are compared only with peers that report them (not bcftools csq)",
    "stop_gained beside frameshift_variant is not compared (VEP and we add it when the changed codons "
    "themselves make the stop; SnpEff and bcftools csq never)",
    "protein_altering_variant of an in-frame insertion inside a codon compares as inframe_insertion",
)


def canonical_terms(terms: Iterable[str], peer_reports_flanks: bool = True) -> frozenset[str]:
    mapped: set[str] = set()
    for term in terms:
        if not term:
            continue
        so = _SYNONYMS.get(term, term)
        if so is not None:
            mapped.add(so)
    if "frameshift_variant" in mapped:
        mapped.discard("stop_gained")  # VEP (and we) add it when the changed codons make the stop
    if "protein_altering_variant" in mapped and not mapped & {"inframe_deletion", "missense_variant"}:
        mapped.discard("protein_altering_variant")  # VEP's name for an insertion inside a codon
        mapped.add("inframe_insertion")
    if mapped & {"splice_donor_variant", "splice_acceptor_variant"}:
        mapped -= {"splice_region_variant", "intron_variant"}
    if "splice_region_variant" in mapped:
        mapped.discard("intron_variant")
    if not peer_reports_flanks:
        mapped -= {"upstream_gene_variant", "downstream_gene_variant", "intergenic_variant"}
    return frozenset(mapped)


@dataclass(frozen=True)
class PeerCall:
    terms: frozenset[str]
    hgvs_c: str = ""
    hgvs_p: str = ""
    combined_with: str = ""  # bcftools csq '@POS': consequence given at another record


def _info_values(record: pysam.VariantRecord, key: str) -> list[str]:
    if key not in record.info:
        return []
    value = record.info[key]
    return list(value) if isinstance(value, tuple) else [value]


def read_peer(path: Path, peer: str, transcript_id: str) -> dict[VariantKey, PeerCall]:
    """Consequences one peer gave ``transcript_id`` (unversioned), keyed by (pos, ref, alt)."""
    calls: dict[VariantKey, PeerCall] = {}
    with open_vcf(Path(path)) as vcf:
        for record in vcf:
            key = (record.pos, record.ref, record.alts[0])
            if peer == "vep":
                calls[key] = _vep(record, transcript_id)
            elif peer == "snpeff":
                calls[key] = _snpeff(record, transcript_id)
            elif peer == "bcftools":
                calls[key] = _bcftools(record, transcript_id)
            else:
                raise ValueError(f"unknown peer {peer}")
    return calls


def _vep(record, transcript_id: str) -> PeerCall:
    for entry in _info_values(record, "CSQ"):
        fields = entry.split("|")
        if fields[6].split(".")[0] == transcript_id:
            hgvs_c = fields[10].split(":", 1)[1] if ":" in fields[10] else ""
            hgvs_p = fields[11].split(":", 1)[1] if ":" in fields[11] else ""
            return PeerCall(frozenset(fields[1].split("&")), hgvs_c, hgvs_p)
    return PeerCall(frozenset({"intergenic_variant"}))


def _snpeff(record, transcript_id: str) -> PeerCall:
    for entry in _info_values(record, "ANN"):
        fields = entry.split("|")
        if fields[6].split(".")[0] == transcript_id:
            return PeerCall(frozenset(fields[1].split("&")), fields[9], fields[10])
    return PeerCall(frozenset({"intergenic_variant"}))


def _bcftools(record, transcript_id: str) -> PeerCall:
    terms: set[str] = set()
    for entry in _info_values(record, "BCSQ"):
        if entry.startswith("@"):
            return PeerCall(frozenset(), combined_with=entry[1:])
        if entry.startswith("*"):  # a consequence of the whole haplotype, not of this record alone
            return PeerCall(frozenset(), combined_with="haplotype")
        fields = entry.split("|")
        if len(fields) > 6 and "+" in fields[6]:  # dna_change lists several records: haplotype-level
            return PeerCall(frozenset(), combined_with="haplotype")
        if len(fields) > 2 and fields[2].split(".")[0] in (transcript_id, ""):
            terms.update(fields[0].lstrip("*").split("&"))
    return PeerCall(frozenset(terms))


@dataclass(frozen=True)
class Disagreement:
    key: VariantKey
    ours: frozenset[str]
    theirs: frozenset[str]


def compare(ours: dict[VariantKey, frozenset[str]], theirs: dict[VariantKey, PeerCall], peer: str
            ) -> tuple[int, list[Disagreement]]:
    """(records compared, disagreements) after the style rules."""
    flanks = peer != "bcftools"
    compared, differing = 0, []
    for key, call in theirs.items():
        if call.combined_with or key not in ours:
            continue
        compared += 1
        mine = canonical_terms(ours[key], flanks)
        other = canonical_terms(call.terms, flanks)
        if mine != other:
            differing.append(Disagreement(key, mine, other))
    return compared, differing


_CATEGORIES = {
    "splice_donor_variant": "splice_site", "splice_acceptor_variant": "splice_site",
    "splice_region_variant": "splice_region", "intron_variant": "intron",
    **{term: "protein" for term in (
        "frameshift_variant", "inframe_insertion", "inframe_deletion", "protein_altering_variant",
        "missense_variant", "synonymous_variant", "stop_gained", "stop_lost", "start_lost",
        "stop_retained_variant", "start_retained_variant", "coding_sequence_variant")},
}


def geometry(transcript: Transcript, key: VariantKey) -> str:
    """Where a variant sits relative to exon/intron edges: the cause of most peer disagreements."""
    pos, ref, alt = key
    allele = Allele.from_vcf("", pos, ref, alt)
    touched = [allele.start - 1, allele.start] if allele.is_insertion else list(range(allele.start, allele.end + 1))
    in_exon = [transcript.exon_at(p) is not None for p in touched]
    edges = [edge for exon in transcript.exons for edge in (exon.start, exon.end)
             if transcript.start < edge < transcript.end]
    distance = min((min(abs(p - edge) for edge in edges) for p in touched), default=10**9)
    kind = "insertion" if allele.is_insertion else "deletion" if allele.is_deletion else "substitution"
    if transcript.is_coding:
        for name, (low, high) in (("start_codon", (transcript.c_to_genomic("1"), transcript.c_to_genomic("3"))),
                                  ("stop_codon", (transcript.c_to_genomic(str(transcript.cds_length - 2)),
                                                  transcript.c_to_genomic(str(transcript.cds_length))))):
            low, high = min(low, high), max(low, high)
            if any(low <= p <= high for p in touched) and not (allele.is_insertion and (
                    touched[0] < low or touched[1] > high)):
                return f"{name}_{kind}"
    if any(in_exon) and not all(in_exon):
        return f"junction_{kind}"
    if distance <= 8:
        return f"{'exon' if all(in_exon) else 'intron'}_edge_{kind}"
    return f"{'exonic' if all(in_exon) else 'other'}_{kind}"


def classify(disagreement: Disagreement, transcript: Transcript | None = None) -> str:
    """The class of a disagreement (a row of the disagreement table).

    With the transcript: the variant's geometry plus which kind of term each side has alone (splice_site,
    splice_region, protein, intron, or the term itself), e.g.
    ``junction_insertion ours+{protein,splice_region} peer+{splice_site}``. Without: the bare term sets.
    """
    only_ours = disagreement.ours - disagreement.theirs
    only_theirs = disagreement.theirs - disagreement.ours
    if transcript is None:
        return f"ours+{{{','.join(sorted(only_ours))}}} peer+{{{','.join(sorted(only_theirs))}}}"
    ours = sorted({_CATEGORIES.get(term, term) for term in only_ours})
    theirs = sorted({_CATEGORIES.get(term, term) for term in only_theirs})
    return f"{geometry(transcript, disagreement.key)} ours+{{{','.join(ours)}}} peer+{{{','.join(theirs)}}}"
