"""The report JSON document: assembled from the verdict and provenance, and validated against its schema.

The document is the truth machines read: it holds nothing that changes between runs of the same inputs
(no wall-clock time), and the HTML, TSV and cohort summary are all derived from it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from trpm6_hsh import __version__, wording
from trpm6_hsh.classify import VariantRecord
from trpm6_hsh.config import Sample, default_config
from trpm6_hsh.errors import InputError, Trpm6Error
from trpm6_hsh.extract import ExtractSummary
from trpm6_hsh.inheritance.document import NOT_CLASSIFIED, VariantEntry, VerdictDocument
from trpm6_hsh.inheritance.pm3 import Pm3Entry
from trpm6_hsh.model import Verdict
from trpm6_hsh.population import PopulationSource
from trpm6_hsh.report.copy_number import (
    copy_number_limitations,
    copy_number_section,
    recommendations_given_depth,
)
from trpm6_hsh.report.family import family_context
from trpm6_hsh.report.findings import header_fields, references, variant_findings, verdict_summary
from trpm6_hsh.report.labs import (
    clinical_correlation,
    interpret_lab_values,
    lab_reference_source,
    lab_thresholds,
    physiology_notes,
)
from trpm6_hsh.transcripts import Transcript
from trpm6_hsh.tsv import read_first_row

SCHEMA_VERSION = "1.2.0"
GENE = {
    "symbol": "TRPM6",
    "hgnc": "HGNC:17995",
    "transcript": "NM_017662.5",
    "ensembl_transcript": "ENST00000360774.6",
    "protein": "NP_060132.3",
    "disease": "Hypomagnesemia with secondary hypocalcemia (HSH)",
    "omim": "602014",
    "mondo": "MONDO:0011176",
    "inheritance": "autosomal recessive",
}


def _points_text(listed: VariantRecord | None) -> str:
    """The ACMG points as text; none for an unlisted variant or a table without the column (not 0)."""
    return str(listed.acmg_points) if listed is not None and "acmg_points" in listed.columns else ""


def clinvar_shown(record: VariantRecord, min_review_stars: int) -> tuple[str, bool | None]:
    """The ClinVar line the report shows, and whether the record counts (None without a record).

    A record below the configured minimum of review stars is shown and said not to count; the classify stage
    has not counted it either way, so it neither raises a class nor holds back a predicted loss of function.
    """
    if not record.clinvar_significance:
        return "", None
    if record.clinvar_stars is None:
        return wording.CLINVAR_STARS_UNKNOWN.format(significance=record.clinvar_significance), False
    line = wording.CLINVAR_SHOWN.format(significance=record.clinvar_significance, stars=record.clinvar_stars)
    if record.clinvar_stars < min_review_stars:
        return line + wording.CLINVAR_BELOW_MINIMUM.format(minimum=min_review_stars), False
    return line, True


def _report_variant(entry: VariantEntry, pm3: Sequence[Pm3Entry], min_review_stars: int) -> dict[str, Any]:
    """One variant as the report shows it: the call's facts, and its row of variants.tsv when it has one
    (with the class this sample's verdict uses: PM3 and PP4 counted, see ``sample_evidence``)."""
    listed = entry.classified
    record = listed if listed is not None else VariantRecord(entry.key)  # an unlisted variant shows empty cells
    # Only what counted for the class: PM3 that did not count here stays in the in-trans section, not a badge.
    evidence = list(record.evidence) + [item.label for item in entry.sample_evidence]
    clinvar_line, clinvar_counted = clinvar_shown(record, min_review_stars)
    return {
        "chrom": entry.key.chrom,
        "pos": entry.key.pos,
        "ref": entry.key.ref,
        "alt": entry.key.alt,
        "transcript": record.transcript_accession or record.transcript,
        "protein": record.protein_accession,
        "hgvs_g": record.hgvs_g,
        "hgvs_c": record.hgvs_c,
        "hgvs_p": record.hgvs_p,
        "consequence": entry.consequence,
        "exon": record.exon,
        "intron": record.intron,
        "zygosity": entry.zygosity.value,
        "genotype": entry.genotype,
        "phase": entry.phase.value,
        "phase_source": entry.phase_source.value,
        "phase_set": entry.phase_set,
        "parental_genotypes": dict(entry.parental_genotypes),
        "depth": entry.depth,
        "genotype_quality": entry.genotype_quality,
        "allele_balance": entry.allele_balance,
        "filter": entry.filter,
        "qc_pass": entry.qc_pass,
        "qc_failures": list(entry.qc_failures),
        "population_af": record.population_af,
        "population_af_source": record.population_af_source or "unknown",
        "classification": record.classification_text or NOT_CLASSIFIED,
        "classification_reason": record.classification_reason,
        "evidence": evidence,
        "acmg_points": _points_text(listed),
        "sample_evidence": [item.to_json() for item in entry.sample_evidence],
        "acmg_points_total": entry.acmg_points_total,
        "classification_before_sample_evidence": entry.classification_before_sample_evidence,
        "clinvar_stars": record.clinvar_stars,
        "clinvar_counted": clinvar_counted,
        "clinvar_shown": clinvar_line,
        "qualifying": record.qualifying,
        "lof": record.lof is True,
        "lof_confidence": record.lof_confidence.value,
        "pvs1_strength": record.pvs1_strength.value,
        "lof_reason": record.lof_reason,
        "annotation_flags": record.annotation_flags,
        "clinvar": record.clinvar_evidence,
        "qc_status": entry.qc_status.value,
        "qc_notes": list(entry.qc_notes),
        "transmission": entry.transmission.value,
        "transmission_detail": entry.transmission_detail,
        "sv_end": record.sv_end,
        "variant_id": "",  # neither the call nor variants.tsv carries the VCF's ID column
    }


def model_versions(model: Path, transcript: Transcript) -> dict[str, str]:
    """Versions the transcript model declares: its source column (e.g. MANE_v1.5) and the transcript's ID."""
    source = ""
    with open(model, encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                source = line.split("\t")[1] if "\t" in line else ""
                break
    return {
        "transcript_model_file": Path(model).name,
        "transcript_model_source": source,
        "transcript": transcript.versioned_id,
    }


@dataclass(frozen=True)
class AnnotatorRun:
    """The annotator the verdicts rest on, and its version as the tool itself stated it."""

    name: str
    version: str

    def provenance(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


def annotator_run(configured: str, consequences: Path | None = None) -> AnnotatorRun:
    """Name and version from the consequence table, where the normaliser copied them from the tool's header.

    One annotator serves the whole run, so the first row of any batch's table speaks for all. Without a
    table the version is "unknown"; a table that states none (a custom tool, or no variant to annotate)
    says so plainly; the built-in annotator is this package, so its version is always known.
    """
    if consequences is None:
        return AnnotatorRun(configured, __version__ if configured == "builtin" else "unknown")
    first = read_first_row(Path(consequences), ("annotator", "annotator_version")) or {}
    if first and first["annotator"] != configured:
        raise InputError(
            consequences,
            f"written by annotator {first['annotator']!r}, but the config names {configured!r}",
            "rerun the annotate rules so the table matches the config",
        )
    version = (first.get("annotator_version") or "").strip()
    if not version:
        version = __version__ if configured == "builtin" else wording.ANNOTATOR_VERSION_NOT_STATED
    return AnnotatorRun(configured, version)


def wording_for(
    verdict_doc: VerdictDocument, sample: Sample, readings: Sequence[Mapping[str, Any]]
) -> wording.VerdictWording:
    """The verdict's wording, refined where the plain wording would reassure more than the evidence allows.

    A CARRIER who is affected (or whose magnesium is low) is told the second allele was not found, not that
    carriers are well; a NEGATIVE resting on a qualifying call that failed QC, or on a VCF whose coverage of
    TRPM6 is unknown, says so in its headline.
    """
    verdict = verdict_doc.verdict
    # The readings hold magnesium converted to mmol/L from the unit entered, flagged against the age's interval.
    magnesium_low = any(item["key"] == "serum_mg_mmol_l" and item["flag"] == "low" for item in readings)
    if verdict == Verdict.CARRIER and (sample.affected is True or magnesium_low):
        return wording.AFFECTED_CARRIER
    if verdict == Verdict.NEGATIVE:
        low_quality = any(
            entry.classified is not None and entry.classified.qualifying and not entry.qc_pass
            for entry in verdict_doc.variants
        )
        if low_quality:
            return wording.NEGATIVE_LOW_QUALITY_CALL
        coverage = verdict_doc.callability
        if coverage.regions and coverage.regions_assessed == 0:
            return wording.NEGATIVE_COVERAGE_UNKNOWN
    return wording.VERDICT_WORDING[verdict]


def build_document(
    verdict_doc: VerdictDocument,
    sample: Sample,
    resources: Mapping[str, Any],
    vcf_checksums: Sequence[Mapping[str, Any]],
    *,
    build: str,
    config_sha256: str,
    annotator: AnnotatorRun | str,
    report_settings: Mapping[str, Any],
    resource_versions: Mapping[str, str] | None = None,
    population_source: PopulationSource | None = None,
    extract: ExtractSummary | None = None,
    clinvar_min_review_stars: int | None = None,
    children: Sequence[tuple[Sample, VerdictDocument]] = (),
) -> dict[str, Any]:
    """Assemble the report JSON from the sample's verdict document and provenance (pure: same inputs, same output).

    ``annotator`` is an :class:`AnnotatorRun`, or just a name when no consequence table is at hand.
    ``population_source`` and ``extract`` (the batch's extract summary) add what the input could not tell
    to the verdict box (:func:`input_cautions`); ``clinvar_min_review_stars`` is the config's (the schema's
    default when not given). ``children``: this sample's children in the run with their verdict documents
    (sheet order), for the family context of a parent's report.
    """
    if clinvar_min_review_stars is None:
        clinvar_min_review_stars = int(default_config()["clinvar_min_review_stars"])
    if isinstance(annotator, str):
        annotator = annotator_run(annotator)
    verdict = verdict_doc.verdict
    variants = []
    for entry in verdict_doc.variants:
        shown = _report_variant(entry, verdict_doc.pm3, clinvar_min_review_stars)
        variants.append({**shown, **variant_findings(entry, sample, build, shown["clinvar_shown"])})
    copy_number = copy_number_section(verdict_doc.copy_number, sample)
    variants.sort(key=lambda v: (not v["qualifying"], v["chrom"], v["pos"], v["ref"], v["alt"]))
    readings = interpret_lab_values(sample.lab_values)
    said = wording_for(verdict_doc, sample, readings)
    inputs = list(resources.get("inputs", []))
    for document in vcf_checksums:
        inputs.extend(document.get("inputs", []))
    provenance_resources = {
        "transcript_model": GENE["transcript"],
        "reference_header": resources.get("reference_header", ""),
        **dict(resources.get("source_versions", {})),
        "consequence_ranking": f"trpm6_hsh {__version__} (src/trpm6_hsh/data/consequences.tsv)",
        **dict(resource_versions or {}),
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "sample_id": verdict_doc.sample_id,
        "status": "DRAFT",
        "synthetic_reference": bool(resources.get("synthetic_reference")),
        "report_date": report_settings.get("report_date") or None,
        "laboratory": report_settings.get("laboratory", ""),
        "build": build,
        "gene": GENE,
        "sample": {
            "family_id": sample.family_id,
            "sex": sample.sex,
            "affected": sample.affected,
            "paternal_id": sample.paternal_id,
            "maternal_id": sample.maternal_id,
            "referral_reason": report_settings.get("referral_reason", ""),
        },
        "verdict": verdict.value,
        "result_headline": said.headline,
        "what_it_means": said.what_it_means,
        "verdict_text": said.sentence if said in wording.REFINED_WORDING else verdict_doc.verdict_text,
        "verdict_evidence": list(verdict_doc.evidence),
        "verdict_summary": verdict_summary(verdict_doc, build),
        "header_fields": header_fields(sample, report_settings),
        "family_context": family_context(sample, verdict_doc, children, build),
        "references": references(provenance_resources, inputs),
        "input_cautions": input_cautions(population_source, extract),
        **({"population_frequency_source": population_source.to_json()} if population_source else {}),
        "pairs": [pair.to_json() for pair in verdict_doc.pairs],
        "pm3": [entry.to_json() for entry in verdict_doc.pm3],
        "variants": variants,
        "not_assessed": [dict(region) for region in verdict_doc.not_assessed],
        "lab_values": readings,
        "lab_reference_source": lab_reference_source(sample.lab_values),
        "lab_thresholds": lab_thresholds(sample.lab_values),
        "clinical_correlation": clinical_correlation(readings),
        "lab_physiology": physiology_notes(readings),
        "recommendations": recommendations_given_depth(
            [*said.recommendations, *verdict_doc.extra_recommendations], copy_number
        ),
        "limitations": [*wording.LIMITATIONS, *copy_number_limitations(copy_number)],
        "copy_number": copy_number,
        "genotype_qc": dict(verdict_doc.genotype_qc),
        "callability": verdict_doc.callability.to_json(),
        "de_novo": list(verdict_doc.de_novo),
        "mendelian_inconsistencies": list(verdict_doc.mendelian_inconsistencies),
        "provenance": {
            "pipeline_version": __version__,
            "config_sha256": config_sha256,
            "annotator": annotator.provenance(),
            "resources": provenance_resources,
            "inputs": sorted(inputs, key=lambda item: (item["role"], item["path"])),
        },
    }


def input_cautions(population_source: PopulationSource | None, extract: ExtractSummary | None) -> list[str]:
    """Lines for the verdict box about what the input could not tell (never left for the reader to infer)."""
    cautions = []
    if population_source is not None and not population_source.assessed:
        cautions.append(population_source.reason or wording.POPULATION_NOT_ASSESSED)
    if extract is not None and extract.build_unconfirmed:
        contig = extract.regions[0].split(":")[0] if extract.regions else "chr9"
        cautions.append(
            wording.CHROMOSOME_RECORDS_OUTSIDE_LOCUS.format(
                count=extract.chromosome_records_outside_locus, contig=contig, build=extract.build.value
            )
        )
    return cautions


@functools.lru_cache(maxsize=4)
def _compiled_schema(schema_path: str, mtime_ns: int) -> tuple[dict[str, Any], Callable[[Any], Any]]:
    """The schema and its compiled check, once per process: a chunk or cohort job validates thousands of reports.

    The report schema uses only keywords whose meaning is the same in every JSON Schema draft (type,
    properties, required, items, enum, pattern, minimum, additionalProperties), so the compiled check and
    jsonschema agree; a test holds them to it.
    """
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    draft07 = {**schema, "$schema": "http://json-schema.org/draft-07/schema#"}
    return schema, fastjsonschema.compile(draft07)


def validate_document(document: Mapping[str, Any], schema_path: Path) -> None:
    """Refuse a document that does not match the versioned schema, naming the first few mismatches."""
    schema, check = _compiled_schema(str(Path(schema_path).resolve()), Path(schema_path).stat().st_mtime_ns)
    try:
        check(document)
        return
    except fastjsonschema.JsonSchemaValueException:
        pass  # jsonschema names every mismatch, not only the first
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: e.path)
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5])
        raise Trpm6Error(f"report for {document.get('sample_id')} does not match {schema_path}: {details}")


def _number_ranges(numbers: Sequence[int]) -> str:
    """1,2,3,5 -> '1-3, 5' (exon lists stay readable)."""
    ranges: list[list[int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in ranges)


def group_not_assessed(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Regions sharing a status and reason shown as one line (39 identical rows help nobody)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        key = (str(item.get("status", "")), str(item.get("reason", "")))
        group = groups.setdefault(key, {"status": key[0], "reason": key[1], "exons": [], "regions": []})
        if isinstance(item.get("exon"), int):
            group["exons"].append(item["exon"])
        else:
            group["regions"].append(str(item.get("region", "")))
    shown = []
    for group in groups.values():
        parts = []
        if group["exons"]:
            label = "exon" if len(group["exons"]) == 1 else "exons"
            parts.append(wording.NOT_ASSESSED_EXONS.format(label=label, numbers=_number_ranges(group["exons"])))
        parts += group["regions"]
        shown.append({"where": "; ".join(parts), "status": group["status"], "reason": group["reason"],
                      "count": len(group["exons"]) + len(group["regions"])})  # fmt: skip
    return shown


def load_json(path: Path) -> Any:
    """A JSON file another stage wrote, or an input error saying which stage to rerun."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(path, f"cannot read JSON ({error})", "rerun the stage that writes it") from error
