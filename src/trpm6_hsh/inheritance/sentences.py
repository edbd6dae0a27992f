"""Counselor-facing sentences of the inheritance stage: each verdict's wording and the plain-VCF reason."""

from __future__ import annotations

from trpm6_hsh.model import Verdict

PLAIN_VCF_REASON = "plain VCF: it lists variants only, so whether this region was covered is unknown"

VERDICT_SENTENCES = {
    Verdict.HOMOZYGOUS: (
        "Homozygous qualifying variant in TRPM6: biallelic loss of function, consistent with "
        "hypomagnesemia with secondary hypocalcemia (HSH)."
    ),
    Verdict.COMPOUND_HET_TRANS: (
        "Two qualifying TRPM6 variants on different copies of the gene (in trans): biallelic loss of "
        "function, consistent with HSH."
    ),
    Verdict.COMPOUND_HET_PHASE_UNKNOWN: (
        "Two qualifying TRPM6 variants, but it is not known whether they lie on different copies of the "
        "gene. Testing both parents is recommended to confirm a biallelic (compound heterozygous) result."
    ),
    Verdict.CIS_NOT_BIALLELIC: (
        "Two qualifying TRPM6 variants on the same copy of the gene (in cis): the other copy carries no "
        "detected qualifying variant, so this is not a biallelic result."
    ),
    Verdict.QUALIFYING_PLUS_VUS: (
        "One qualifying TRPM6 variant and one variant of uncertain significance. The uncertain variant "
        "cannot establish a diagnosis; the result is inconclusive for HSH."
    ),
    Verdict.CARRIER: (
        "One heterozygous qualifying TRPM6 variant: carrier. No second qualifying variant was found in "
        "what was assessed."
    ),
    Verdict.POSSIBLE_HEMIZYGOUS: (
        "Apparently homozygous qualifying TRPM6 variant, but a deletion of the other copy cannot be "
        "excluded or is indicated. Confirm by parental testing and copy-number analysis."
    ),
    Verdict.NEGATIVE: (
        "No qualifying TRPM6 variant was found in what was assessed. This does not exclude HSH: see "
        "the regions that were not assessed."
    ),
    Verdict.NOT_ASSESSABLE: (
        "The TRPM6 locus could not be assessed in this sample: it has no usable genotype calls or coverage "
        "there (see the evidence). No conclusion can be drawn."
    ),
}


# The classification and consequence shown for a carried variant that variants.tsv does not list.
NOT_CLASSIFIED = "Not classified"
STRUCTURAL_VARIANT = "structural_variant"
