"""The shared vocabulary of the pipeline: small immutable values and enums.

Every stage exchanges these through files; their ``value`` strings are the ones
written to TSV/JSON and documented in the README and workflow/schemas/, so they must stay stable: labs
script against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Build(StrEnum):
    GRCH38 = "GRCh38"
    GRCH37 = "GRCh37"


class Verdict(StrEnum):
    """Per-sample biallelic verdict (README, 'What comes out'; report.schema.json)."""

    HOMOZYGOUS = "HOMOZYGOUS"
    COMPOUND_HET_TRANS = "COMPOUND_HET_TRANS"
    COMPOUND_HET_PHASE_UNKNOWN = "COMPOUND_HET_PHASE_UNKNOWN"
    CIS_NOT_BIALLELIC = "CIS_NOT_BIALLELIC"
    QUALIFYING_PLUS_VUS = "QUALIFYING_PLUS_VUS"
    CARRIER = "CARRIER"
    POSSIBLE_HEMIZYGOUS = "POSSIBLE_HEMIZYGOUS"
    BIALLELIC_VUS = "BIALLELIC_VUS"
    NEGATIVE = "NEGATIVE"
    NOT_ASSESSABLE = "NOT_ASSESSABLE"


class Zygosity(StrEnum):
    HET = "heterozygous"
    HOM_ALT = "homozygous"
    HEMI = "hemizygous"
    HOM_REF = "homozygous_reference"
    NO_CALL = "no_call"


class PhaseSource(StrEnum):
    """Where the phase of a pair of variants comes from."""

    READ_BACKED = "read_backed"
    PARENTAL = "parental"
    BOTH = "both"
    GENOTYPE = "genotype"
    """A heterozygous-alternate call (1/2): two different ALT alleles at one site are in trans by definition."""
    DELETION = "deletion"
    """A variant called homozygous inside a called heterozygous deletion: the variant's copy is the other one."""
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Phase(StrEnum):
    TRANS = "trans"
    CIS = "cis"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Classification(StrEnum):
    """ACMG/AMP five-tier class."""

    PATHOGENIC = "Pathogenic"
    LIKELY_PATHOGENIC = "Likely pathogenic"
    VUS = "Uncertain significance"
    LIKELY_BENIGN = "Likely benign"
    BENIGN = "Benign"


class LofConfidence(StrEnum):
    HIGH = "HC"
    LOW = "LC"
    NONE = ""


class Pvs1Strength(StrEnum):
    VERY_STRONG = "VeryStrong"
    STRONG = "Strong"
    MODERATE = "Moderate"
    SUPPORTING = "Supporting"
    NONE = ""


@dataclass(frozen=True, order=True)
class VariantKey:
    """A normalised, biallelic variant on the reference's contig naming (1-based POS)."""

    chrom: str
    pos: int
    ref: str
    alt: str

    def __str__(self) -> str:
        return f"{self.chrom}:{self.pos}{self.ref}>{self.alt}"
