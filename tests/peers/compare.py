"""Compare built-in consequence sets with VEP, SnpEff and bcftools csq on the same VCF.

Each peer names and groups terms its own way. Before comparing, both sides go through the same
documented *style* rules (``canonical_terms``); whatever still differs is a real disagreement, and every
class of those is listed with its reason in ``docs/annotator_disagreements.md``. Peer output is read by the
package's own readers and peer words are mapped by the package's one alias table, so the comparison sees
exactly what the normaliser sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trpm6_hsh.builtin_annotator.alleles import Allele
from trpm6_hsh.external_annotators.readers import ToolCall, read_bcsq, read_snpeff, read_vep
from trpm6_hsh.external_annotators.terms import so_term
from trpm6_hsh.files import open_vcf
from trpm6_hsh.transcripts import Transcript

VariantKey = tuple[int, str, str]

# Peer words the comparison leaves out (a style rule, not an alias: the normaliser maps them).
NOT_COMPARED = frozenset({
    "splice_polypyrimidine_tract_variant",  # VEP's 3-17 nt acceptor window; our splice region is 3-8 nt
})

STYLE_RULES = (
    "synonyms: peer term names mapped to SO by the normaliser's alias table "
    "(bcftools short names, SnpEff conservative/disruptive in-frame)",
    "VEP splice sub-terms: splice_donor_5th_base/splice_donor_region -> splice_region_variant; "
    "splice_polypyrimidine_tract_variant not compared",
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
        if term in NOT_COMPARED:
            continue
        so = so_term(term)
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
    combined_with: str = ""  # bcftools csq: the consequence belongs to several records (a haplotype)


_READERS = {"vep": read_vep, "snpeff": read_snpeff, "bcftools": read_bcsq}
_NO_CALL = PeerCall(frozenset({"intergenic_variant"}))


def _record_keys(path: Path) -> list[VariantKey]:
    with open_vcf(path) as vcf:
        return [(record.pos, record.ref, record.alts[0]) for record in vcf]


def _unversioned(identifier: str) -> str:
    return identifier.split(".")[0]


def _without_prefix(hgvs: str) -> str:
    return hgvs.split(":", 1)[1] if ":" in hgvs else ""


def read_peer(path: Path, peer: str, transcript_id: str) -> dict[VariantKey, PeerCall]:
    """Consequences one peer gave ``transcript_id`` (unversioned), keyed by (pos, ref, alt)."""
    if peer not in _READERS:
        raise ValueError(f"unknown peer {peer}")
    by_key: dict[VariantKey, list[ToolCall]] = {}
    for call in _READERS[peer](Path(path)).calls:
        by_key.setdefault((call.pos, call.ref, call.alt), []).append(call)
    pick = _bcftools if peer == "bcftools" else _first_on_transcript
    return {key: pick(by_key.get(key, []), transcript_id, peer) for key in _record_keys(Path(path))}


def _first_on_transcript(calls: list[ToolCall], transcript_id: str, peer: str) -> PeerCall:
    """VEP and SnpEff: the first statement about the transcript (none: the variant is intergenic to it)."""
    for call in calls:
        if _unversioned(call.transcript) == transcript_id:
            if peer == "vep":  # VEP writes 'ENST...:c.1A>G'
                return PeerCall(frozenset(call.words), _without_prefix(call.hgvs_c), _without_prefix(call.hgvs_p))
            return PeerCall(frozenset(call.words), call.hgvs_c, call.hgvs_p)
    return _NO_CALL


def _bcftools(calls: list[ToolCall], transcript_id: str, peer: str) -> PeerCall:
    """bcftools csq: a consequence of several records together is not this record's own; skip it."""
    if any(flag.startswith("JOINT_WITH:") or flag == "BCSQ_DOWNSTREAM_OF_STOP" for c in calls for flag in c.flags):
        return PeerCall(frozenset(), combined_with="haplotype")
    terms = {word for call in calls if _unversioned(call.transcript) in (transcript_id, "") for word in call.words}
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
