"""Consequence words of other annotators, mapped onto the SO terms of the project's ranking table.

bcftools csq writes short names (``frameshift``, ``3_prime_utr``), SnpEff splits in-frame indels into
``conservative_``/``disruptive_`` kinds, VEP adds sub-terms of the splice region. All of them are mapped
to the terms in ``trpm6_hsh/data/consequences.tsv``, so the classifier and the LoF rules see one
vocabulary whatever ran. A word not listed here becomes ``sequence_variant`` and is named in the flags,
never silently dropped. This is the one alias table: the peer-comparison tests map words through
:func:`so_term` too.

Sub-terms map to their Sequence Ontology parent in the table (VEP's ``splice_polypyrimidine_tract_variant``,
SO:0002169, is a ``splice_region_variant``); an SO term the table has (``non_coding_transcript_variant``)
stays itself; a consequence the table has no term for (``feature_elongation``) becomes ``sequence_variant``.
"""

from __future__ import annotations

from dataclasses import dataclass

from trpm6_hsh.builtin_annotator.terms import order_terms, term_table

ALIASES: dict[str, str] = {
    # bcftools csq
    "intron": "intron_variant",
    "splice_acceptor": "splice_acceptor_variant",
    "splice_donor": "splice_donor_variant",
    "splice_region": "splice_region_variant",
    "frameshift": "frameshift_variant",
    "missense": "missense_variant",
    "synonymous": "synonymous_variant",
    "stop_retained": "stop_retained_variant",
    "start_retained": "start_retained_variant",
    "inframe_altering": "protein_altering_variant",
    "5_prime_utr": "5_prime_UTR_variant",
    "3_prime_utr": "3_prime_UTR_variant",
    "non_coding": "non_coding_transcript_exon_variant",
    "coding_sequence": "coding_sequence_variant",
    "intergenic": "intergenic_variant",
    # SnpEff
    "conservative_inframe_deletion": "inframe_deletion",
    "disruptive_inframe_deletion": "inframe_deletion",
    "conservative_inframe_insertion": "inframe_insertion",
    "disruptive_inframe_insertion": "inframe_insertion",
    "5_prime_UTR_premature_start_codon_gain_variant": "5_prime_UTR_variant",
    "5_prime_UTR_truncation": "5_prime_UTR_variant",
    "3_prime_UTR_truncation": "3_prime_UTR_variant",
    "initiator_codon_variant": "start_retained_variant",
    "intergenic_region": "intergenic_variant",
    "intragenic_variant": "sequence_variant",
    "non_coding_exon_variant": "non_coding_transcript_exon_variant",
    "feature_ablation": "transcript_ablation",
    "exon_loss": "exon_loss_variant",
    "rare_amino_acid_variant": "missense_variant",
    "non_canonical_start_codon": "start_retained_variant",
    # VEP
    "splice_donor_5th_base_variant": "splice_region_variant",
    "splice_donor_region_variant": "splice_region_variant",
    "splice_polypyrimidine_tract_variant": "splice_region_variant",
    "coding_transcript_variant": "coding_sequence_variant",
    "mature_miRNA_variant": "non_coding_transcript_exon_variant",
    "transcript_amplification": "sequence_variant",
    "feature_elongation": "sequence_variant",
}

# Words that describe something other than the transcript's own change: kept in tool_consequence only.
IGNORED: frozenset[str] = frozenset({
    "NMD_transcript_variant", "TF_binding_site_variant", "regulatory_region_variant", "sequence_feature",
    "structural_interaction_variant", "protein_protein_contact", "TFBS_ablation", "TFBS_amplification",
    "regulatory_region_ablation", "regulatory_region_amplification", "upstream_gene_variant_",
})


@dataclass(frozen=True)
class MappedTerms:
    terms: tuple[str, ...]  # SO terms of the project's table, most severe first
    unknown: tuple[str, ...]  # tool words that had no mapping (reported in the flags)


def so_term(word: str) -> str | None:
    """The project's term for one tool word; ``None`` for an empty or ignored word (:data:`IGNORED`).

    A word that is neither an alias nor ignored comes back as it is: whether it is in the table, and what an
    unknown word means, is the caller's decision (the normaliser flags it).
    """
    word = word.strip()
    if not word or word in IGNORED:
        return None
    return ALIASES.get(word, word)


def map_terms(words: list[str] | tuple[str, ...]) -> MappedTerms:
    """SO terms for a tool's consequence words (``&``-split already)."""
    known = term_table()
    mapped, unknown = set(), []
    for word in words:
        term = so_term(word)
        if term is None:
            continue
        if term not in known:
            unknown.append(word.strip())
            term = "sequence_variant"
        mapped.add(term)
    if len(mapped) > 1 and not unknown:
        mapped.discard("sequence_variant")
    return MappedTerms(order_terms(mapped) if mapped else (), tuple(unknown))
