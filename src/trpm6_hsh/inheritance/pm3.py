"""PM3 (ACMG/AMP 'in trans with a pathogenic variant') points per the ClinGen SVI recommendation v1.0."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trpm6_hsh.inheritance.phase import PairPhase
from trpm6_hsh.model import Classification, Phase, VariantKey
from trpm6_hsh.wording import PM3_PHENOTYPE_CAVEAT

# Points per observation.
PM3_POINTS_IN_TRANS_PATHOGENIC = 1.0  # confirmed in trans with a Pathogenic or Likely pathogenic variant
PM3_POINTS_PHASE_UNKNOWN = 0.5  # with a P/LP variant, phase not determined
PM3_POINTS_HOMOZYGOUS = 0.5  # homozygous occurrence (at most 1.0 in total from homozygotes)
PM3_POINTS_IN_TRANS_VUS = 0.25  # confirmed in trans with a variant of uncertain significance
PM3_POINTS_PHASE_UNKNOWN_VUS = 0.0
PM3_STRENGTHS = ((4.0, "PM3_VeryStrong"), (2.0, "PM3_Strong"), (1.0, "PM3"), (0.5, "PM3_Supporting"))
PATHOGENIC_CLASSES = (Classification.PATHOGENIC, Classification.LIKELY_PATHOGENIC)


@dataclass(frozen=True)
class Pm3Entry:
    """PM3 as scored for one variant of the sample: points, the code they reach, and why."""

    variant: str
    points: float
    code: str
    configuration: str
    basis: str

    def to_json(self) -> dict[str, object]:
        return {
            "variant": self.variant,
            "points": self.points,
            "code": self.code,
            "configuration": self.configuration,
            "basis": self.basis,
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, object]) -> Pm3Entry:
        return cls(
            variant=str(entry["variant"]),
            points=float(entry["points"]),
            code=str(entry["code"]),
            configuration=str(entry["configuration"]),
            basis=str(entry["basis"]),
        )

    @property
    def summary(self) -> str:
        """The evidence line of this entry."""
        return f"{self.variant}: {self.code or 'PM3 not met'}, {self.basis}"


def pm3_strength(points: float) -> str:
    for threshold, label in PM3_STRENGTHS:
        if points >= threshold:
            return label
    return ""


def pm3_entry(variant: VariantKey, points: float, configuration: str, basis: str) -> Pm3Entry:
    return Pm3Entry(str(variant), points, pm3_strength(points), configuration, basis + PM3_PHENOTYPE_CAVEAT)


def pm3_for_pair(pair: PairPhase, classes: Mapping[VariantKey, Classification | None]) -> list[Pm3Entry]:
    """PM3 for each variant of a pair from its partner's class and the phase (ClinGen SVI v1.0 table)."""
    scored = []
    for variant, partner in ((pair.first, pair.second), (pair.second, pair.first)):
        partner_pathogenic = classes.get(partner) in PATHOGENIC_CLASSES
        partner_class = classes[partner].value if classes.get(partner) else "not classified"
        points, configuration = pm3_points(pair.phase, partner_pathogenic)
        basis = f"{pair.phase.value} ({pair.source.value}) with {partner} ({partner_class}): {points:g} point(s)"
        scored.append(pm3_entry(variant, points, configuration, basis))
    return scored


def pm3_points(phase: Phase, partner_pathogenic: bool) -> tuple[float, str]:
    """Points and configuration of one pairing (ClinGen SVI PM3 v1.0 table); a pair in cis gives none."""
    if phase == Phase.TRANS and partner_pathogenic:
        return PM3_POINTS_IN_TRANS_PATHOGENIC, "in_trans_with_pathogenic"
    if phase == Phase.TRANS:
        return PM3_POINTS_IN_TRANS_VUS, "in_trans_with_vus"
    if phase == Phase.UNKNOWN and partner_pathogenic:
        return PM3_POINTS_PHASE_UNKNOWN, "phase_unknown_with_pathogenic"
    if phase == Phase.UNKNOWN:
        return PM3_POINTS_PHASE_UNKNOWN_VUS, "phase_unknown_with_vus"
    return 0.0, "in_cis"
