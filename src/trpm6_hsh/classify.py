"""Classify stage: per variant on the MANE transcript, population frequency, ACMG evidence, class.

Evidence is combined with the ClinGen SVI point system (Tavtigian et al. 2020): Very strong 8,
Strong 4, Moderate 2, Supporting 1 (benign evidence negative). Sample-level evidence such as PM3
(in trans with a pathogenic variant) is added by the inheritance stage.

The stage's output row, :class:`VariantRecord`, sits here with its writer and reader
(:func:`write_variant_table`, :func:`read_variant_table`) so variants.tsv is one typed contract for the
inheritance and report stages; that is why the module is over 500 lines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pysam

from trpm6_hsh import locus_header, wording
from trpm6_hsh.callability import REFERENCE_BLOCK_ALLELES
from trpm6_hsh.clinvar import ClinvarAssertion, ClinvarCategory, read_clinvar
from trpm6_hsh.config import complete_section, default_config
from trpm6_hsh.errors import InputError
from trpm6_hsh.model import Classification, LofConfidence, Pvs1Strength, VariantKey
from trpm6_hsh.population import PopulationCoverage, population_coverage
from trpm6_hsh.sitevcf import allele_value, read_site_alleles
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import read_table, write_table

log = logging.getLogger(__name__)

BA1_MIN_AF = 0.05
STRENGTH_POINTS = {"VeryStrong": 8, "Strong": 4, "Moderate": 2, "Supporting": 1}
PROTEIN_LENGTH_CHANGING = ("inframe_deletion", "inframe_insertion", "stop_lost")
BENIGN_BY_LOCATION = frozenset({"synonymous_variant", "intron_variant"})
SPLICE_TERMS = ("splice_donor", "splice_acceptor", "splice_region", "splice_polypyrimidine")
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
    "clinvar_id",
    "clinvar_significance",
    "clinvar_review_status",
    "clinvar_stars",
    "clinvar_evidence",
    "evidence",
    "acmg_points",
    "classification",
    "qualifying",
    "candidate_vus",
    "classification_reason",
)


# Columns of variants.tsv copied from the reportable annotation row as text.
_ANNOTATION_COLUMNS = (
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
    "lof_reason",
)
_KEY_COLUMNS = ("chrom", "pos", "ref", "alt")


@dataclass(frozen=True)
class VariantRecord:
    """One row of variants.tsv: the hand-off from the classify stage to inheritance and the report.

    Cells are typed here and formatted only by :meth:`cells`, so what is written and what is read
    back are the same values. ``columns`` are the columns the row was read with (all of
    ``VARIANT_COLUMNS`` for a table this stage wrote); :meth:`cells` gives exactly those.
    ``lof`` is None for an empty cell; ``classification`` is None for an empty or absent cell.
    """

    key: VariantKey
    sv_end: int | None = None
    gene: str = ""
    transcript: str = ""
    transcript_accession: str = ""
    protein_accession: str = ""
    hgvs_g: str = ""
    hgvs_c: str = ""
    hgvs_p: str = ""
    consequence: str = ""
    impact: str = ""
    exon: str = ""
    intron: str = ""
    lof: bool | None = None
    lof_confidence: LofConfidence = LofConfidence.NONE
    pvs1_strength: Pvs1Strength = Pvs1Strength.NONE
    lof_reason: str = ""
    annotation_flags: str = ""
    population_af: float | None = None
    population_af_source: str = ""
    clinvar_id: str = ""
    clinvar_significance: str = ""
    clinvar_review_status: str = ""
    clinvar_stars: int | None = None
    clinvar_evidence: str = ""
    evidence: tuple[str, ...] = ()
    acmg_points: int = 0
    classification: Classification | None = None
    qualifying: bool = False
    candidate_vus: bool = False
    classification_reason: str = ""
    columns: tuple[str, ...] = field(default=VARIANT_COLUMNS, compare=False, repr=False)

    @property
    def classification_text(self) -> str:
        """The class as the table writes it ('' when the table gives none)."""
        return self.classification.value if self.classification is not None else ""

    def cells(self) -> dict[str, str]:
        """The row as variants.tsv holds it, one text cell per column in ``columns``."""
        every = {
            "chrom": self.key.chrom,
            "pos": str(self.key.pos),
            "ref": self.key.ref,
            "alt": self.key.alt,
            "sv_end": _number_text(self.sv_end),
            **{name: getattr(self, name) for name in _ANNOTATION_COLUMNS},
            "lof": "" if self.lof is None else _flag_text(self.lof),
            "lof_confidence": self.lof_confidence.value,
            "pvs1_strength": self.pvs1_strength.value,
            "annotation_flags": self.annotation_flags,
            "population_af": _number_text(self.population_af),
            "population_af_source": self.population_af_source,
            "clinvar_id": self.clinvar_id,
            "clinvar_significance": self.clinvar_significance,
            "clinvar_review_status": self.clinvar_review_status,
            "clinvar_stars": _number_text(self.clinvar_stars),
            "clinvar_evidence": self.clinvar_evidence,
            "evidence": ";".join(self.evidence),
            "acmg_points": str(self.acmg_points),
            "classification": self.classification_text,
            "qualifying": _flag_text(self.qualifying),
            "candidate_vus": _flag_text(self.candidate_vus),
            "classification_reason": self.classification_reason,
        }
        return {column: every[column] for column in self.columns}

    @classmethod
    def from_cells(cls, cells: Mapping[str, str]) -> VariantRecord:
        """Parse one row of variants.tsv; columns the row lacks keep their defaults."""
        present = tuple(column for column in VARIANT_COLUMNS if column in cells)
        parsed: dict[str, object] = {
            name: cells[name] for name in (*_ANNOTATION_COLUMNS, *_TEXT_COLUMNS) if name in cells
        }
        for name, parse in _PARSERS.items():
            if name in cells:
                parsed[name] = parse(cells[name])
        key = VariantKey(cells["chrom"], int(cells["pos"]), cells["ref"], cells["alt"])
        return cls(key=key, columns=present, **parsed)


_TEXT_COLUMNS = (
    "annotation_flags",
    "population_af_source",
    "clinvar_id",
    "clinvar_significance",
    "clinvar_review_status",
    "clinvar_evidence",
    "classification_reason",
)


def _flag(text: str) -> bool | None:
    return None if text == "" else text == "true"


def _flag_text(value: bool) -> str:
    return "true" if value else "false"


def _optional_int(text: str) -> int | None:
    return int(text) if text else None


def _optional_float(text: str) -> float | None:
    return float(text) if text else None


def _cell_text(value: object) -> str:
    """A value of a pass-through column as the table writes it (as the annotation held it)."""
    if isinstance(value, bool):
        return _flag_text(value)
    return _number_text(value) if value is None or isinstance(value, float) else str(value)


def _number_text(value: float | None) -> str:
    """A number as the stage files write it: floats to 6 significant digits, nothing for None."""
    if value is None:
        return ""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


_PARSERS = {
    "sv_end": _optional_int,
    "lof": _flag,
    "lof_confidence": LofConfidence,
    "pvs1_strength": Pvs1Strength,
    "population_af": _optional_float,
    "clinvar_stars": _optional_int,
    "evidence": lambda text: tuple(code for code in text.split(";") if code),
    "acmg_points": int,
    "classification": lambda text: Classification(text) if text else None,
    "qualifying": lambda text: text == "true",
    "candidate_vus": lambda text: text == "true",
}


def write_variant_table(out: Path, records: Iterable[VariantRecord]) -> None:
    """Write variants.tsv (atomically) with the columns in ``VARIANT_COLUMNS`` order."""
    write_table(out, VARIANT_COLUMNS, (record.cells() for record in records))


def read_variant_table(path: Path) -> dict[VariantKey, VariantRecord]:
    """Read variants.tsv back into records, keyed by variant."""
    return {record.key: record for record in map(VariantRecord.from_cells, read_table(path, _KEY_COLUMNS))}


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


PM2_MAX_AF = 0.0005
"""PM2 (absent or extremely rare) applies up to this population frequency; a rule, not a config setting."""


@dataclass(frozen=True)
class PopulationSettings:
    af_ceiling: float
    info_fields: tuple[str, ...]
    pm2_max_af: float
    gnomad_af_field: str
    clinvar_min_review_stars: int

    @classmethod
    def from_config(cls, section: Mapping[str, object], clinvar: Mapping[str, object]) -> PopulationSettings:
        """From the validated config's ``population`` section and ``{"min_review_stars": ...}`` (the config's
        ``clinvar_min_review_stars``); their defaults are the schema's."""
        return cls(
            af_ceiling=float(section["af_ceiling"]),
            info_fields=tuple(section["info_fields"]),
            pm2_max_af=PM2_MAX_AF,
            gnomad_af_field=str(section["gnomad_af_field"]),
            clinvar_min_review_stars=int(clinvar["min_review_stars"]),
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
    clinvar: ClinvarAssertion | None = None

    @property
    def points(self) -> int:
        return sum(item.points for item in self.evidence)

    def record(self) -> VariantRecord:
        """The row of variants.tsv this classification is written as."""
        annotation = self.annotation
        clinvar = self.clinvar
        return VariantRecord(
            key=self.key,
            sv_end=self.sv_end,
            **{name: _cell_text(annotation.get(name)) for name in _ANNOTATION_COLUMNS},
            lof=_flag(_cell_text(annotation.get("lof"))),
            lof_confidence=LofConfidence(_cell_text(annotation.get("lof_confidence"))),
            pvs1_strength=Pvs1Strength(_cell_text(annotation.get("pvs1_strength"))),
            annotation_flags=_cell_text(annotation.get("flags")),
            population_af=self.population_af,
            population_af_source=self.population_af_source or "unknown",
            clinvar_id=_cell_text(clinvar.variation_id) if clinvar else "",
            clinvar_significance=_cell_text(clinvar.significance) if clinvar else "",
            clinvar_review_status=_cell_text(clinvar.review_status) if clinvar else "",
            clinvar_stars=clinvar.stars if clinvar else None,
            clinvar_evidence=clinvar.describe() if clinvar else "",
            evidence=tuple(str(item) for item in self.evidence),
            acmg_points=self.points,
            classification=self.classification,
            qualifying=self.qualifying,
            candidate_vus=self.candidate_vus,
            classification_reason=self.reason,
        )


@dataclass(frozen=True)
class SiteFacts:
    """What the locus VCF says about a site beyond genotypes."""

    population_af: float | None
    population_af_source: str
    sv_end: int | None
    clinvar: ClinvarAssertion | None = None
    absent_from_population_vcf: bool = False


def _first_number(value: object) -> float | None:
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    if value is None or value == ".":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


IN_SAMPLE_INFO_FIELDS = frozenset({"AF", "AC", "AN", "MLEAF", "MLEAC", "AF1"})
"""INFO fields a variant caller writes about the samples in its own file (VCF spec, GATK, bcftools)."""
_POPULATION_SOURCE = re.compile(r"population|gnomad|exac|1000 ?genomes|\b1000g\b|\b1kg\b|topmed|esp6500", re.IGNORECASE)


def population_info_fields(header: pysam.VariantHeader, configured: Sequence[str], vcf: Path) -> list[str]:
    """The configured INFO fields that hold a population frequency in this VCF, in the configured order.

    A caller's own ``AF`` (the frequency among the samples in the file: 1.0 for a homozygous single sample)
    read as a population frequency would class a rare stop Benign and turn a positive report NEGATIVE. So a
    field the VCF specification reserves for in-sample counts is accepted only when its header says it holds
    a population frequency; otherwise the run stops and says why.
    """
    fields = []
    for name in configured:
        if name not in header.info:
            continue
        description = header.info[name].description or ""
        if name in IN_SAMPLE_INFO_FIELDS and not _POPULATION_SOURCE.search(description):
            source = locus_header.source_of(header) or Path(vcf).name
            raise InputError(
                source,
                f"population.info_fields lists INFO/{name}, but this VCF's header describes it as "
                f"{description!r}: the variant caller's frequency among the samples in this file, not a "
                "population frequency (a homozygous call would read as a common allele)",
                f"remove {name} from population.info_fields and give a population source (gnomad_vcf, or an "
                "INFO field such as gnomAD_AF added by an annotator); list a field named AF only when its "
                "header says it is a population frequency",
            )
        fields.append(name)
    return fields


def read_site_facts(vcf: Path, info_fields: Sequence[str]) -> dict[VariantKey, SiteFacts]:
    """Population frequency (first configured population INFO field present) and SV END per site."""
    facts: dict[VariantKey, SiteFacts] = {}
    try:
        with pysam.VariantFile(str(vcf)) as reader:
            declared = set(reader.header.info)
            fields = population_info_fields(reader.header, info_fields, vcf)
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


def _only_benign_location(consequence: str) -> bool:
    """True when every SO term is synonymous or intronic (BP7 never applies to an exon loss or splice change)."""
    terms = {term for term in consequence.split("&") if term}
    return bool(terms) and terms <= BENIGN_BY_LOCATION


_CLINVAR_STRENGTH = {
    ClinvarCategory.PATHOGENIC: "PathogenicOrLikely",
    ClinvarCategory.CONFLICTING: "Conflicting",
    ClinvarCategory.UNCERTAIN: "Uncertain",
    ClinvarCategory.BENIGN: "BenignOrLikely",
    ClinvarCategory.OTHER: "Other",
}
_PATHOGENIC_CLASSES = (Classification.PATHOGENIC, Classification.LIKELY_PATHOGENIC)


def _population_evidence(af: float | None, facts: SiteFacts, settings: PopulationSettings) -> list[Evidence]:
    if af is not None and af > BA1_MIN_AF:
        return [Evidence("BA1", "StandAlone", -100, f"population AF {af:g} > {BA1_MIN_AF:g}")]
    if af is not None and af > settings.af_ceiling:
        return [Evidence("BS1", "Strong", -4, f"population AF {af:g} above the ceiling {settings.af_ceiling:g}")]
    if af is not None and af <= settings.pm2_max_af:
        return [Evidence("PM2", "Supporting", 1, f"population AF {af:g} <= {settings.pm2_max_af:g}")]
    if af is None and facts.absent_from_population_vcf:
        return [Evidence("PM2", "Supporting", 1, f"absent from the population VCF ({facts.population_af_source})")]
    return []


def evaluate(annotation: Mapping[str, str], facts: SiteFacts, settings: PopulationSettings) -> ClassifiedVariant:
    """Apply the variant-level ACMG criteria this pipeline can judge and combine them into a class.

    A variant qualifies when its class is P/LP by points, or when the user's ClinVar VCF calls it
    P/LP with enough review stars; in both cases only if its population frequency is not above the
    ceiling. A ClinVar benign assertion (with enough stars) stops a predicted LoF from qualifying:
    the conflict is shown for review instead of being resolved silently.
    """
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
    evidence.extend(_population_evidence(af, facts, settings))
    if annotation.get("lof") != "true" and _only_benign_location(consequence):
        evidence.append(Evidence("BP7", "Supporting", -1, "synonymous or intronic, outside the splice region"))
    classification = classify_points(evidence)
    too_common = af is not None and af > settings.af_ceiling
    clinvar = facts.clinvar
    trusted = clinvar is not None and clinvar.stars >= settings.clinvar_min_review_stars
    clinvar_pathogenic = trusted and clinvar.category == ClinvarCategory.PATHOGENIC
    clinvar_benign = trusted and clinvar.category == ClinvarCategory.BENIGN
    if clinvar is not None:
        evidence.append(Evidence("ClinVar", _CLINVAR_STRENGTH[clinvar.category], 0, clinvar.describe()))
    if clinvar_pathogenic and not too_common and classification not in _PATHOGENIC_CLASSES:
        classification = Classification(clinvar.pathogenic_label)
    elif clinvar_pathogenic and not too_common and clinvar.pathogenic_label == "Pathogenic":
        classification = Classification.PATHOGENIC
    by_points = classification in _PATHOGENIC_CLASSES
    qualifying = by_points and not too_common and not clinvar_benign
    if qualifying:
        reason = f"{classification.value}: {'; '.join(e.reason for e in evidence)}"
    elif too_common:
        reason = f"not qualifying: population AF {af:g} above the ceiling {settings.af_ceiling:g}"
    elif clinvar_benign and by_points:
        reason = (
            f"not qualifying: predicted {classification.value} but {clinvar.describe()}; "
            "the conflict needs review by a qualified professional"
        )
    else:
        reason = f"not qualifying: {classification.value}"
    if clinvar is not None and not trusted:
        reason += (
            f" (ClinVar {clinvar.significance} has {clinvar.stars} review star(s), fewer than the "
            f"{settings.clinvar_min_review_stars} required)"
        )
    if clinvar is not None and clinvar.category == ClinvarCategory.CONFLICTING:
        reason += f" (ClinVar: conflicting classifications, {clinvar.conflict_detail or 'see ClinVar'})"
    if af is None:
        reason += " (population frequency unknown)"
    candidate_vus = classification == Classification.VUS and (
        annotation.get("impact") in ("HIGH", "MODERATE") or _has_any(consequence, SPLICE_TERMS)
    )
    disputed = (clinvar_benign and by_points) or (
        clinvar is not None
        and clinvar.category in (ClinvarCategory.CONFLICTING, ClinvarCategory.PATHOGENIC)
        and not qualifying
    )
    return ClassifiedVariant(
        key=key,
        annotation=annotation,
        population_af=af,
        population_af_source=facts.population_af_source,
        evidence=tuple(evidence),
        classification=classification,
        qualifying=qualifying,
        candidate_vus=(candidate_vus or disputed) and not too_common and not qualifying,
        reason=reason,
        sv_end=facts.sv_end,
        clinvar=clinvar,
    )


def classify_points(evidence: Sequence[Evidence]) -> Classification:
    """ClinGen SVI Bayesian point thresholds; BA1 is benign on its own."""
    if any(item.code == "BA1" for item in evidence):
        return Classification.BENIGN
    return class_for_points(sum(item.points for item in evidence))


def class_for_points(points: int) -> Classification:
    """The class a point total reaches (ClinGen SVI: P >= 10, LP 6-9, VUS 0-5, LB -1 to -6, B <= -7)."""
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


def read_population_vcf(
    path: Path, field_name: str, chrom: str, start: int, end: int, build: str | None = None
) -> dict[tuple, float | None]:
    """Population AF per (pos, ref, alt) from a gnomAD-style sites VCF; None when the field is empty."""
    frequencies = {}
    for key, allele in read_site_alleles(path, chrom, start, end, "population (gnomAD) VCF", build).items():
        frequencies[key] = _first_number(allele_value(allele, field_name))
    return frequencies


def _with_external_facts(
    key: VariantKey,
    site: SiteFacts,
    clinvar: Mapping[tuple, ClinvarAssertion],
    population: Mapping[tuple, float | None] | None,
    population_name: str,
    coverage: PopulationCoverage | None = None,
) -> SiteFacts:
    """Add the ClinVar assertion and the population file's frequency; absence counts only where the file looked."""
    allele = (key.pos, key.ref.upper(), key.alt.upper())
    af, source, absent = site.population_af, site.population_af_source, False
    if population is not None and allele in population and population[allele] is not None:
        af, source = population[allele], population_name
    elif population is not None and allele not in population and af is None:
        if coverage is None or coverage.covers(key, site.sv_end):
            source, absent = wording.POPULATION_NOT_IN_FILE.format(source=population_name), True
        else:
            source = wording.POPULATION_OUTSIDE_COVERAGE.format(coverage=coverage.description)
    return SiteFacts(af, source, site.sv_end, clinvar.get(allele), absent)


def classify_variants(
    consequences: Path,
    vcf: Path,
    out: Path,
    population: Mapping[str, object],
    clinvar: Mapping[str, object] | None = None,
    clinvar_vcf: Path | None = None,
    population_vcf: Path | None = None,
    build: str | None = None,
    coverage_bed: Path | None = None,
    model: Path | None = None,
) -> int:
    """Write one classified row per variant; return how many variants were classified.

    ``coverage_bed`` (population.gnomad_coverage_bed) bounds where absence from ``population_vcf`` means
    rare; without it an exome-only file covers the coding exons of ``model``'s MANE transcript ± 50 bp.
    """
    settings = PopulationSettings.from_config(
        complete_section("population", population),
        clinvar or {"min_review_stars": default_config()["clinvar_min_review_stars"]},
    )
    facts = read_site_facts(vcf, settings.info_fields)
    grouped: dict[VariantKey, list[dict[str, str]]] = {}
    for row in read_table(consequences, CONSEQUENCE_COLUMNS):
        if row["alt"] in REFERENCE_BLOCK_ALLELES:
            continue  # a gVCF reference block: coverage, not a variant (read by the inheritance stage)
        key = VariantKey(row["chrom"], int(row["pos"]), row["ref"], row["alt"])
        grouped.setdefault(key, []).append(row)
    known: Mapping[tuple, ClinvarAssertion] = {}
    frequencies = None
    coverage: PopulationCoverage | None = None
    population_name = f"gnomAD VCF {Path(population_vcf).name}/{settings.gnomad_af_field}" if population_vcf else ""
    if grouped:
        chrom = next(iter(grouped)).chrom
        start = min(key.pos for key in grouped)
        end = max(key.pos + len(key.ref) for key in grouped)
        if clinvar_vcf:
            known = read_clinvar(Path(clinvar_vcf), chrom, start, end, build)
        if population_vcf:
            frequencies = read_population_vcf(Path(population_vcf), settings.gnomad_af_field, chrom, start, end, build)
            transcript = load_mane_transcript(model) if model else None
            coverage = population_coverage(Path(population_vcf), coverage_bed, chrom, transcript)
    classified = []
    for key in sorted(grouped):
        site = facts.get(key, SiteFacts(None, "", None))
        site = _with_external_facts(key, site, known, frequencies, population_name, coverage)
        classified.append(evaluate(pick_reportable_annotation(grouped[key]), site, settings))
    write_variant_table(out, (item.record() for item in classified))
    log.info(
        "classified %d variants from %s (%d ClinVar matches)",
        len(classified),
        consequences,
        sum(1 for item in classified if item.clinvar),
    )
    return len(classified)
