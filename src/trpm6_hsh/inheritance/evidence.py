"""Sample-level ACMG evidence: PM3 counted from a variant's pairing in this patient, PP4 from the lab values.

The classify stage scores what is known about a variant anywhere; PM3 (in trans with a pathogenic variant,
ClinGen SVI PM3 v1.0) and PP4 (a phenotype highly specific for the disease) depend on the patient, so they
are added here and the class is recomputed from the total with the same point thresholds. A partner counts as
pathogenic for PM3 only by its class *without PM3* (classify-stage points plus PP4), so two variants never
lift each other. Sample evidence only adds pathogenic points: it never lowers a class, and a variant the
classify stage held back (population frequency above the ceiling, a trusted ClinVar benign assertion) never
qualifies through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from trpm6_hsh import wording
from trpm6_hsh.classify import STRENGTH_POINTS, VariantRecord, class_for_points
from trpm6_hsh.config import LabValues, complete_section
from trpm6_hsh.inheritance.pm3 import PATHOGENIC_CLASSES, PM3_POINTS_HOMOZYGOUS, pm3_points, pm3_strength
from trpm6_hsh.model import Classification, Phase, PhaseSource, VariantKey

# From the most to the least pathogenic: sample evidence keeps the higher of the two classes.
_CLASS_ORDER = (
    Classification.PATHOGENIC,
    Classification.LIKELY_PATHOGENIC,
    Classification.VUS,
    Classification.LIKELY_BENIGN,
    Classification.BENIGN,
)
_PM3_CODE_STRENGTH = {
    "PM3_Supporting": "Supporting",
    "PM3": "Moderate",
    "PM3_Strong": "Strong",
    "PM3_VeryStrong": "VeryStrong",
}
_TOO_COMMON_CODES = ("BS1", "BA1")


@dataclass(frozen=True)
class Pp4Settings:
    """The config's ``phenotype`` section: whether PP4 counts, and the lab thresholds of the HSH picture."""

    enabled: bool
    serum_mg_below: float
    serum_ca_below: float
    pth_not_above: float

    @classmethod
    def from_config(cls, section: Mapping[str, object] | None) -> Pp4Settings:
        section = complete_section("phenotype", section)
        return cls(
            enabled=bool(section["pp4"]),
            serum_mg_below=float(section["serum_mg_below_mmol_l"]),
            serum_ca_below=float(section["serum_ca_below_mmol_l"]),
            pth_not_above=float(section["pth_not_above_pg_ml"]),
        )


@dataclass(frozen=True)
class SampleEvidenceSettings:
    pp4: Pp4Settings
    af_ceiling: float

    @classmethod
    def from_config(
        cls, phenotype: Mapping[str, object] | None = None, population: Mapping[str, object] | None = None
    ) -> SampleEvidenceSettings:
        """From the validated config's ``phenotype`` and ``population`` sections (schema defaults for missing keys)."""
        return cls(Pp4Settings.from_config(phenotype), float(complete_section("population", population)["af_ceiling"]))


@dataclass(frozen=True)
class Patient:
    """What the sample sheet says about the person: lab values and affected status, with the settings."""

    lab_values: LabValues = LabValues()
    affected: bool | None = None
    settings: SampleEvidenceSettings | None = None  # None: the schema's defaults

    @property
    def resolved_settings(self) -> SampleEvidenceSettings:
        return self.settings or SampleEvidenceSettings.from_config()


@dataclass(frozen=True)
class SampleCriterion:
    """One sample-level criterion counted for a variant, e.g. PM3 at Moderate (+2), with why."""

    code: str
    strength: str
    points: int
    reason: str

    @property
    def label(self) -> str:
        return f"{self.code}_{self.strength}"

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "strength": self.strength, "points": self.points, "reason": self.reason}

    @classmethod
    def from_json(cls, entry: Mapping[str, object]) -> SampleCriterion:
        return cls(str(entry["code"]), str(entry["strength"]), int(entry["points"]), str(entry["reason"]))


@dataclass(frozen=True)
class Pp4Assessment:
    """PP4 for this patient: the criterion when met (else None), and the evidence line saying why."""

    criterion: SampleCriterion | None
    note: str


def _shown(value: float) -> float:
    """A converted value to 3 significant digits (1.2 mg/dL is 0.494 mmol/L, not 0.493827)."""
    return float(f"{value:.3g}")


def assess_pp4(patient: Patient) -> Pp4Assessment:
    """PP4 when magnesium, calcium and PTH are all given and show the picture specific for HSH."""
    settings = patient.resolved_settings.pp4
    if not settings.enabled:
        return Pp4Assessment(None, wording.PP4_DISABLED)
    if patient.affected is False:
        return Pp4Assessment(None, wording.SAMPLE_EVIDENCE_UNAFFECTED)
    lab = patient.lab_values
    # Values converted from the unit entered (mg/dL, mEq/L, pmol/L) to mmol/L and pg/mL, as the thresholds are.
    given = {"magnesium": lab.serum_mg, "calcium": lab.serum_ca, "PTH": lab.pth}
    missing = [name for name, value in given.items() if value is None]
    if missing:
        return Pp4Assessment(None, wording.PP4_NOT_EVALUABLE.format(missing=" and ".join(missing)))
    mg, ca, pth = (value.standard for value in given.values())
    why = []
    if not mg < settings.serum_mg_below:
        why.append(wording.PP4_MG_NOT_LOW.format(value=_shown(mg), limit=settings.serum_mg_below))
    if not ca < settings.serum_ca_below:
        why.append(wording.PP4_CA_NOT_LOW.format(value=_shown(ca), limit=settings.serum_ca_below))
    if pth > settings.pth_not_above:
        why.append(wording.PP4_PTH_RAISED.format(value=_shown(pth), limit=settings.pth_not_above))
    if why:
        return Pp4Assessment(None, wording.PP4_NOT_MET.format(why="; ".join(why)))
    note = wording.PP4_MET.format(
        mg=_shown(mg),
        mg_limit=settings.serum_mg_below,
        ca=_shown(ca),
        ca_limit=settings.serum_ca_below,
        pth=_shown(pth),
        pth_limit=settings.pth_not_above,
    )
    return Pp4Assessment(SampleCriterion("PP4", "Supporting", STRENGTH_POINTS["Supporting"], wording.PP4_REASON), note)


@dataclass(frozen=True)
class Pairing:
    """One way this patient shows a variant for PM3: with a partner in a phase, or homozygous (partner None)."""

    partner: VariantKey | None
    phase: Phase = Phase.NOT_APPLICABLE
    source: PhaseSource = PhaseSource.NOT_APPLICABLE
    homozygosity_established: bool = False


@dataclass(frozen=True)
class SampleClassification:
    """A variant's class in this sample: classify-stage points and class, the criteria added, and the result."""

    record: VariantRecord  # the variant's row with the sample-level class, qualifying and candidate_vus
    class_before: Classification | None
    criteria: tuple[SampleCriterion, ...]
    total: int | None  # None: the variant table gives no points, so nothing was counted
    note: str  # the evidence line about the points ('' when there is nothing to say)
    raised: str = ""  # 'class raised from ... by ...' when the sample evidence changed the class

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(line for line in (self.note, self.raised) if line)


def points_known(record: VariantRecord) -> bool:
    return "acmg_points" in record.columns


def too_common(record: VariantRecord, af_ceiling: float) -> bool:
    """Above the population ceiling (or scored BS1/BA1 by the classify stage): never qualifying."""
    above = record.population_af is not None and record.population_af > af_ceiling
    return above or any(code in _TOO_COMMON_CODES for code in record.evidence)


def held_back(record: VariantRecord, af_ceiling: float) -> bool:
    """True when sample evidence must not make the variant qualify: too common, or the classify stage kept a
    P/LP variant from qualifying (a trusted ClinVar benign assertion: the conflict goes to review)."""
    held = record.classification in PATHOGENIC_CLASSES and not record.qualifying
    return held or too_common(record, af_ceiling)


def _higher(first: Classification | None, second: Classification) -> Classification:
    if first is None:
        return second
    return min(first, second, key=_CLASS_ORDER.index)


def _with_criteria(
    record: VariantRecord, criteria: Sequence[SampleCriterion], af_ceiling: float
) -> tuple[Classification | None, int | None, bool]:
    """Class, total and qualifying of ``record`` with ``criteria`` added (unchanged when points are unknown)."""
    if not points_known(record) or not criteria:
        total = record.acmg_points if points_known(record) else None
        return record.classification, total, record.qualifying
    total = record.acmg_points + sum(item.points for item in criteria)
    by_points = Classification.BENIGN if "BA1" in record.evidence else class_for_points(total)
    classification = _higher(record.classification, by_points)
    qualifying = record.qualifying or (classification in PATHOGENIC_CLASSES and not held_back(record, af_ceiling))
    return classification, total, qualifying


def _pm3_criterion(
    key: VariantKey, pairings: Sequence[Pairing], pathogenic_without_pm3: Mapping[VariantKey, bool],
    classes_without_pm3: Mapping[VariantKey, Classification | None],
) -> SampleCriterion | None:  # fmt: skip
    """PM3 from the best pairing in this patient (one patient is one observation: pairings are not summed)."""
    best: tuple[float, str] | None = None
    for pairing in pairings:
        if pairing.partner is None:
            points = PM3_POINTS_HOMOZYGOUS if pairing.homozygosity_established else 0.0
            text = (
                wording.PM3_HOMOZYGOUS.format(points=points)
                if pairing.homozygosity_established
                else wording.PM3_HOMOZYGOUS_NOT_ESTABLISHED
            )
        else:
            points, _ = pm3_points(pairing.phase, pathogenic_without_pm3.get(pairing.partner, False))
            partner_class = classes_without_pm3.get(pairing.partner)
            text = wording.PM3_PAIRING.format(
                phase="in trans" if pairing.phase == Phase.TRANS else f"phase {pairing.phase.value}",
                source=wording.PHASE_SOURCE_TEXT.get(pairing.source.value, pairing.source.value),
                partner=pairing.partner,
                partner_class=partner_class.value if partner_class else "not classified",
                points=points,
            )
        if best is None or points > best[0]:
            best = (points, text)
    if best is None or not pm3_strength(best[0]):
        return None
    strength = _PM3_CODE_STRENGTH[pm3_strength(best[0])]
    return SampleCriterion("PM3", strength, STRENGTH_POINTS[strength], best[1] + wording.PM3_PHENOTYPE_CAVEAT)


def classify_in_sample(
    variants: Mapping[VariantKey, VariantRecord],
    pairings: Mapping[VariantKey, Sequence[Pairing]],
    patient: Patient,
) -> tuple[Pp4Assessment, dict[VariantKey, SampleClassification]]:
    """The sample-level class of each variant of interest (the keys of ``pairings``), with PM3 and PP4 counted."""
    settings = patient.resolved_settings
    pp4 = assess_pp4(patient)
    counted = patient.affected is not False
    pp4_criteria = (pp4.criterion,) if pp4.criterion else ()
    classes_without_pm3: dict[VariantKey, Classification | None] = {}
    pathogenic_without_pm3: dict[VariantKey, bool] = {}
    for key, record in variants.items():
        criteria = pp4_criteria if key in pairings else ()
        classification, _, qualifying = _with_criteria(record, criteria, settings.af_ceiling)
        classes_without_pm3[key] = classification
        pathogenic_without_pm3[key] = qualifying
    classified = {}
    for key, key_pairings in pairings.items():
        record = variants[key]
        pm3 = _pm3_criterion(key, key_pairings, pathogenic_without_pm3, classes_without_pm3) if counted else None
        criteria = tuple(item for item in (pm3, *pp4_criteria) if item is not None)
        classified[key] = _sample_classification(key, record, criteria, settings.af_ceiling)
    return pp4, classified


def _sample_classification(
    key: VariantKey, record: VariantRecord, criteria: tuple[SampleCriterion, ...], af_ceiling: float
) -> SampleClassification:
    if not points_known(record):
        note = wording.POINTS_NOT_GIVEN.format(variant=key) if criteria else ""
        return SampleClassification(record, record.classification, (), None, note)
    classification, total, qualifying = _with_criteria(record, criteria, af_ceiling)
    shown = classification.value if classification else "not classified"
    added = "".join(f" + {item.label} ({item.points:+d})" for item in criteria)
    note = wording.SAMPLE_POINTS.format(
        variant=key, before=record.acmg_points, added=added, total=total, classification=shown
    )
    raised = ""
    updated = record
    if classification != record.classification or qualifying != record.qualifying:
        before = record.classification.value if record.classification else "not classified"
        raised = wording.CLASS_RAISED.format(
            variant=key,
            before=before,
            after=shown,
            labels=" and ".join(item.label for item in criteria),
            reasons="; ".join(item.reason for item in criteria),
        )
        updated = replace(
            record,
            classification=classification,
            qualifying=qualifying,
            candidate_vus=record.candidate_vus and not qualifying,
            classification_reason=f"{raised}. Classify stage: {record.classification_reason}".strip(),
        )
    return SampleClassification(updated, record.classification, criteria, total, note, raised)
