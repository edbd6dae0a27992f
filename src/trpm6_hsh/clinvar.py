"""Known significance from a user-supplied ClinVar VCF, matched on position and allele.

ClinVar's CLNSIG holds the aggregate germline classification first, then '|'-separated
non-primary terms (drug_response, risk_factor ...). Only Pathogenic / Likely pathogenic with
enough review stars lets a variant qualify on ClinVar's word; conflicting classifications are
shown but never qualify; a benign assertion against a predicted loss of function is a conflict a
person must resolve, so it stops the variant from qualifying automatically.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from trpm6_hsh.sitevcf import SiteAllele, read_site_alleles

#: CLNREVSTAT -> ClinVar review stars.
REVIEW_STARS = {
    "practice_guideline": 4,
    "reviewed_by_expert_panel": 3,
    "criteria_provided,_multiple_submitters,_no_conflicts": 2,
    "criteria_provided,_conflicting_classifications": 1,
    "criteria_provided,_conflicting_interpretations": 1,
    "criteria_provided,_single_submitter": 1,
}
_PATHOGENIC_TERMS = frozenset({"pathogenic", "likely_pathogenic"})
_BENIGN_TERMS = frozenset({"benign", "likely_benign"})


class ClinvarCategory(StrEnum):
    PATHOGENIC = "pathogenic"  # Pathogenic and/or Likely pathogenic
    CONFLICTING = "conflicting"
    UNCERTAIN = "uncertain"
    BENIGN = "benign"  # Benign and/or Likely benign
    OTHER = "other"  # not provided, drug response, risk factor, association ...


@dataclass(frozen=True)
class ClinvarAssertion:
    """ClinVar's aggregate classification of one allele, as the report shows it."""

    variation_id: str
    significance: str
    category: ClinvarCategory
    review_status: str
    stars: int
    low_penetrance: bool = False
    conflict_detail: str = ""

    def describe(self) -> str:
        stars = f"{self.stars} star{'s' if self.stars != 1 else ''}"
        text = f"ClinVar {self.variation_id or '(no ID)'}: {self.significance} ({self.review_status}; {stars})"
        if self.conflict_detail:
            text += f"; submissions: {self.conflict_detail}"
        return text

    @property
    def pathogenic_label(self) -> str:
        """'Pathogenic' when every primary term is Pathogenic, else 'Likely pathogenic'."""
        terms = set(_primary_terms(self.significance))
        return "Pathogenic" if terms == {"pathogenic"} else "Likely pathogenic"


def _joined(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ",".join(str(item) for item in value)
    return str(value)


def _primary_terms(significance: str) -> list[str]:
    primary = significance.split("|")[0].strip().lower().replace(",_low_penetrance", "")
    return [term.strip(" _") for term in primary.split("/") if term.strip(" _")]


def categorise(significance: str) -> ClinvarCategory:
    """The category of a CLNSIG value (aggregate germline classification)."""
    primary = significance.split("|")[0].lower()
    if "conflicting" in primary:
        return ClinvarCategory.CONFLICTING
    terms = set(_primary_terms(significance))
    if not terms:
        return ClinvarCategory.OTHER
    if terms <= _PATHOGENIC_TERMS:
        return ClinvarCategory.PATHOGENIC
    if terms <= _BENIGN_TERMS:
        return ClinvarCategory.BENIGN
    if terms & _PATHOGENIC_TERMS and terms & _BENIGN_TERMS:
        return ClinvarCategory.CONFLICTING
    if "uncertain_significance" in terms:
        return ClinvarCategory.UNCERTAIN
    return ClinvarCategory.OTHER


def review_stars(review_status: str) -> int:
    return REVIEW_STARS.get(review_status.strip().lower(), 0)


def assertion_from(allele: SiteAllele) -> ClinvarAssertion | None:
    """The assertion carried by one ClinVar VCF allele, or None when it has no CLNSIG."""
    significance = _joined(allele.info.get("CLNSIG"))
    if not significance:
        return None
    review = _joined(allele.info.get("CLNREVSTAT"))
    return ClinvarAssertion(
        variation_id=allele.record_id,
        significance=significance,
        category=categorise(significance),
        review_status=review or "no review status",
        stars=review_stars(review),
        low_penetrance="low_penetrance" in significance.lower(),
        conflict_detail=_joined(allele.info.get("CLNSIGCONF")),
    )


def read_clinvar(
    path: Path, chrom: str, start: int, end: int, build: str | None = None
) -> Mapping[tuple, ClinvarAssertion]:
    """ClinVar assertions over chrom:start-end, keyed by (pos, ref, alt)."""
    assertions = {}
    for key, allele in read_site_alleles(path, chrom, start, end, "ClinVar VCF", build).items():
        assertion = assertion_from(allele)
        if assertion is not None:
            assertions[key] = assertion
    return assertions
