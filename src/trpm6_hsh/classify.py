"""Classify stage: per variant on the MANE transcript, population frequency, ACMG evidence, class.

Evidence is combined with the ClinGen SVI point system (Tavtigian et al. 2020): Very strong 8,
Strong 4, Moderate 2, Supporting 1 (benign evidence negative). Sample-level evidence such as PM3
(in trans with a pathogenic variant) is added by the inheritance stage.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pysam

from trpm6_hsh.errors import InputError
from trpm6_hsh.model import Classification, VariantKey
from trpm6_hsh.tsv import read_table, write_table

log = logging.getLogger(__name__)

BA1_MIN_AF = 0.05
STRENGTH_POINTS = {"VeryStrong": 8, "Strong": 4, "Moderate": 2, "Supporting": 1}
PROTEIN_LENGTH_CHANGING = ("inframe_deletion", "inframe_insertion", "stop_lost")
BENIGN_BY_LOCATION = ("synonymous_variant", "intron_variant")
SPLICE_TERMS = ("splice_donor", "splice_acceptor", "splice_region", "splice_polypyrimidine")
PROTEIN_OR_SPLICE_TERMS = (*SPLICE_TERMS, "missense", "stop", "start", "frameshift", "inframe", "protein_altering")
CONSEQUENCE_COLUMNS = (
    "chrom",
    "pos",
    "ref",
    "alt",
    "transcript",
    "is_mane",
    "consequence",
    "hgvs_c",
    "hgvs_p",
    "lof",
)
VARIANT_COLUMNS = (
    "chrom",
    "pos",
    "ref",
    "alt",
    "sv_end",
    "gene",
    "transcript",
    "transcript_accession",
    "protein_accession",
    "hgvs_g",
    "hgvs_c",
    "hgvs_p",
    "consequence",
    "impact",
    "exon",
    "intron",
    "lof",
    "lof_confidence",
    "pvs1_strength",
    "lof_reason",
    "annotation_flags",
    "population_af",
    "population_af_source",
    "evidence",
    "acmg_points",
    "classification",
    "qualifying",
    "candidate_vus",
    "classification_reason",
)


@dataclass(frozen=True)
class Evidence:
    """One ACMG/AMP criterion as applied, e.g. PVS1 at Strong, with why."""

    code: str
    strength: str
    points: int
    reason: str

    def __str__(self) -> str:
        return self.code if self.strength == _DEFAULT_STRENGTH.get(self.code) else f"{self.code}_{self.strength}"


_DEFAULT_STRENGTH = {"PVS1": "VeryStrong", "PM2": "Moderate", "PM4": "Moderate", "BS1": "Strong"}
_DEFAULT_STRENGTH.update({"BA1": "StandAlone", "BP7": "Supporting"})


@dataclass(frozen=True)
class PopulationSettings:
    af_ceiling: float = 0.01
    info_fields: tuple[str, ...] = ()
    pm2_max_af: float = 0.0005

    @classmethod
    def from_config(cls, section: Mapping[str, object]) -> PopulationSettings:
        return cls(
            af_ceiling=float(section.get("af_ceiling", 0.01)),
            info_fields=tuple(section.get("info_fields", ())),
            pm2_max_af=float(section.get("pm2_max_af", 0.0005)),
        )


@dataclass(frozen=True)
class ClassifiedVariant:
    key: VariantKey
    annotation: Mapping[str, str]
    population_af: float | None
    population_af_source: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    classification: Classification = Classification.VUS
    qualifying: bool = False
    candidate_vus: bool = False
    reason: str = ""
    sv_end: int | None = None

    @property
    def points(self) -> int:
        return sum(item.points for item in self.evidence)

    def as_row(self) -> dict[str, object]:
        row: dict[str, object] = dict(self.annotation)
        row.update(
            chrom=self.key.chrom,
            pos=self.key.pos,
            ref=self.key.ref,
            alt=self.key.alt,
            sv_end=self.sv_end,
            annotation_flags=self.annotation.get("flags", ""),
            population_af=self.population_af,
            population_af_source=self.population_af_source or "unknown",
            evidence=";".join(str(item) for item in self.evidence),
            acmg_points=self.points,
            classification=self.classification.value,
            qualifying=self.qualifying,
            candidate_vus=self.candidate_vus,
            classification_reason=self.reason,
        )
        return row


@dataclass(frozen=True)
class SiteFacts:
    """What the locus VCF says about a site beyond genotypes."""

    population_af: float | None
    population_af_source: str
    sv_end: int | None


def _first_number(value: object) -> float | None:
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    if value is None or value == ".":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_site_facts(vcf: Path, info_fields: Sequence[str]) -> dict[VariantKey, SiteFacts]:
    """Population frequency (first configured INFO field present) and SV END per site."""
    facts: dict[VariantKey, SiteFacts] = {}
    try:
        with pysam.VariantFile(str(vcf)) as reader:
            declared = set(reader.header.info)
            fields = [name for name in info_fields if name in declared]
            for record in reader:
                af, source = None, ""
                for name in fields:
                    af = _first_number(record.info.get(name))
                    if af is not None:
                        source = f"INFO/{name}"
                        break
                sv_end = None
                if record.info.get("SVTYPE") if "SVTYPE" in declared else None:
                    sv_end = record.stop
                for alt in record.alts or ():
                    key = VariantKey(record.chrom, record.pos, record.ref, alt)
                    facts[key] = SiteFacts(af, source, sv_end)
    except (OSError, ValueError) as error:
        raise InputError(vcf, f"cannot read the locus VCF ({error})", "rerun the extract stage") from error
    return facts


def _has_any(consequence: str, terms: Iterable[str]) -> bool:
    return any(term in consequence for term in terms)


def evaluate(annotation: Mapping[str, str], facts: SiteFacts, settings: PopulationSettings) -> ClassifiedVariant:
    """Apply the variant-level ACMG criteria this pipeline can judge and combine them into a class."""
    key = VariantKey(annotation["chrom"], int(annotation["pos"]), annotation["ref"], annotation["alt"])
    consequence = annotation.get("consequence", "")
    evidence: list[Evidence] = []
    af = facts.population_af
    if annotation.get("lof") == "true":
        strength = annotation.get("pvs1_strength") or (
            "VeryStrong" if annotation.get("lof_confidence") == "HC" else "Supporting"
        )
        reason = annotation.get("lof_reason") or "predicted loss of function"
        evidence.append(Evidence("PVS1", strength, STRENGTH_POINTS[strength], reason))
    elif _has_any(consequence, PROTEIN_LENGTH_CHANGING):
        evidence.append(Evidence("PM4", "Moderate", 2, "protein length changed by an in-frame event or stop loss"))
    if af is not None and af > BA1_MIN_AF:
        evidence.append(Evidence("BA1", "StandAlone", -100, f"population AF {af:g} > {BA1_MIN_AF:g}"))
    elif af is not None and af > settings.af_ceiling:
        evidence.append(
            Evidence("BS1", "Strong", -4, f"population AF {af:g} above the ceiling {settings.af_ceiling:g}")
        )
    elif af is not None and af <= settings.pm2_max_af:
        evidence.append(Evidence("PM2", "Supporting", 1, f"population AF {af:g} <= {settings.pm2_max_af:g}"))
    if _has_any(consequence, BENIGN_BY_LOCATION) and not _has_any(consequence, PROTEIN_OR_SPLICE_TERMS):
        evidence.append(Evidence("BP7", "Supporting", -1, "synonymous or intronic, outside the splice region"))
    classification = classify_points(evidence)
    too_common = af is not None and af > settings.af_ceiling
    qualifying = classification in (Classification.PATHOGENIC, Classification.LIKELY_PATHOGENIC) and not too_common
    if qualifying:
        reason = f"{classification.value}: {'; '.join(e.reason for e in evidence)}"
    elif too_common:
        reason = f"not qualifying: population AF {af:g} above the ceiling {settings.af_ceiling:g}"
    else:
        reason = f"not qualifying: {classification.value}"
    if af is None:
        reason += " (population frequency unknown)"
    candidate_vus = classification == Classification.VUS and (
        annotation.get("impact") in ("HIGH", "MODERATE") or _has_any(consequence, SPLICE_TERMS)
    )
    return ClassifiedVariant(
        key=key,
        annotation=annotation,
        population_af=af,
        population_af_source=facts.population_af_source,
        evidence=tuple(evidence),
        classification=classification,
        qualifying=qualifying,
        candidate_vus=candidate_vus and not too_common,
        reason=reason,
        sv_end=facts.sv_end,
    )


def classify_points(evidence: Sequence[Evidence]) -> Classification:
    """ClinGen SVI Bayesian point thresholds; BA1 is benign on its own."""
    if any(item.code == "BA1" for item in evidence):
        return Classification.BENIGN
    points = sum(item.points for item in evidence)
    if points >= 10:
        return Classification.PATHOGENIC
    if points >= 6:
        return Classification.LIKELY_PATHOGENIC
    if points >= 0:
        return Classification.VUS
    if points >= -6:
        return Classification.LIKELY_BENIGN
    return Classification.BENIGN


def pick_reportable_annotation(rows: Sequence[Mapping[str, str]]) -> Mapping[str, str]:
    """The MANE Select row when there is one (verdicts are made on MANE), else the first row."""
    for row in rows:
        if row.get("is_mane") == "true":
            return row
    return rows[0]


def classify_variants(consequences: Path, vcf: Path, out: Path, population: Mapping[str, object]) -> int:
    """Write one classified row per variant; return how many variants were classified."""
    settings = PopulationSettings.from_config(population)
    facts = read_site_facts(vcf, settings.info_fields)
    grouped: dict[VariantKey, list[dict[str, str]]] = {}
    for row in read_table(consequences, CONSEQUENCE_COLUMNS):
        key = VariantKey(row["chrom"], int(row["pos"]), row["ref"], row["alt"])
        grouped.setdefault(key, []).append(row)
    classified = []
    for key in sorted(grouped):
        site = facts.get(key, SiteFacts(None, "", None))
        classified.append(evaluate(pick_reportable_annotation(grouped[key]), site, settings))
    write_table(out, VARIANT_COLUMNS, (item.as_row() for item in classified))
    log.info("classified %d variants from %s", len(classified), consequences)
    return len(classified)
