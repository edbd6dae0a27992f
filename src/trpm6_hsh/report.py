"""Report stage: the counselor's report per sample (HTML, JSON, TSV) and the cohort summary.

The JSON is the truth machines read: it is validated against the versioned schema when written,
and it holds nothing that changes between runs of the same inputs (no wall-clock time). The HTML
is rendered from the same document by Jinja2 with autoescaping, so no input string can become
markup.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jsonschema

from trpm6_hsh import __version__
from trpm6_hsh.errors import InputError, Trpm6Error
from trpm6_hsh.files import atomic_path, write_text_atomic
from trpm6_hsh.inheritance import verdict_transcript
from trpm6_hsh.model import Verdict
from trpm6_hsh.provenance import sha256_of
from trpm6_hsh.transcripts import Transcript
from trpm6_hsh.tsv import read_first_row, write_table

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1.2.0"
POSITIVE_VERDICTS = (Verdict.HOMOZYGOUS, Verdict.COMPOUND_HET_TRANS)
ATTENTION_VERDICTS = (
    Verdict.COMPOUND_HET_PHASE_UNKNOWN,
    Verdict.QUALIFYING_PLUS_VUS,
    Verdict.POSSIBLE_HEMIZYGOUS,
    Verdict.NOT_ASSESSABLE,
)
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
VARIANT_TSV_COLUMNS = (
    "sample_id",
    "chrom",
    "pos",
    "ref",
    "alt",
    "sv_end",
    "transcript",
    "hgvs_c",
    "hgvs_p",
    "consequence",
    "exon",
    "intron",
    "zygosity",
    "genotype",
    "phase",
    "phase_source",
    "depth",
    "genotype_quality",
    "allele_balance",
    "qc_pass",
    "population_af",
    "population_af_source",
    "classification",
    "evidence",
    "qualifying",
    "lof",
    "lof_confidence",
    "pvs1_strength",
    "lof_reason",
    "qc_status",
    "transmission",
    "clinvar",
)


@dataclass(frozen=True)
class LabRange:
    """A reference interval used to interpret a lab value, with where it comes from."""

    name: str
    unit: str
    low: float
    high: float


LAB_RANGES = {
    "serum_mg_mmol_l": LabRange("Serum magnesium", "mmol/L", 0.70, 1.05),
    "serum_ca_mmol_l": LabRange("Serum total calcium", "mmol/L", 2.10, 2.60),
    "pth_pg_ml": LabRange("Intact PTH", "pg/mL", 15.0, 65.0),
}
LAB_RANGE_SOURCE = (
    "Common adult reference intervals (Tietz Textbook of Laboratory Medicine); paediatric intervals "
    "differ, so apply the ordering laboratory's own age-specific intervals."
)
SEVERE_HYPOMAGNESEMIA_MMOL_L = 0.5
HSH_PICTURE_SOURCE = (
    "Severe hypomagnesemia (typically below 0.5 mmol/L, often 0.1-0.3 mmol/L) with secondary hypocalcemia "
    "and inappropriately low PTH is the picture described for TRPM6 deficiency (Schlingmann et al., Nat Genet "
    "2002; Walder et al., Nat Genet 2002; OMIM 602014)."
)

RESULT_HEADLINES = {
    Verdict.HOMOZYGOUS: "Positive: biallelic TRPM6 variants, consistent with HSH",
    Verdict.COMPOUND_HET_TRANS: "Positive: biallelic TRPM6 variants, consistent with HSH",
    Verdict.COMPOUND_HET_PHASE_UNKNOWN: "Likely positive, phase to be confirmed: two TRPM6 variants",
    Verdict.CIS_NOT_BIALLELIC: "Not biallelic: two TRPM6 variants on the same copy of the gene",
    Verdict.QUALIFYING_PLUS_VUS: "Inconclusive: one qualifying TRPM6 variant and one of uncertain significance",
    Verdict.CARRIER: "Carrier: one qualifying TRPM6 variant",
    Verdict.POSSIBLE_HEMIZYGOUS: "Inconclusive: apparently homozygous TRPM6 variant over a possible deletion",
    Verdict.NEGATIVE: "Negative: no qualifying TRPM6 variant in the regions assessed",
    Verdict.NOT_ASSESSABLE: "Not assessable: the data did not allow a conclusion",
}
WHAT_IT_MEANS = {
    Verdict.HOMOZYGOUS: (
        "HSH is autosomal recessive: disease needs both copies of TRPM6 to be affected. The same qualifying "
        "variant was found on both copies, which explains the disease if the clinical picture fits. Parental "
        "testing confirms that each parent carries it and rules out a deletion on the other copy."
    ),
    Verdict.COMPOUND_HET_TRANS: (
        "HSH is autosomal recessive: disease needs both copies of TRPM6 to be affected. Two different qualifying "
        "variants were found, and they lie on different copies (in trans), so neither copy is intact."
    ),
    Verdict.COMPOUND_HET_PHASE_UNKNOWN: (
        "Two qualifying variants were found, but it is not known whether they lie on different copies (which "
        "would explain the disease) or on the same copy (which would not). Until the phase is known the result "
        "is not a confirmed diagnosis."
    ),
    Verdict.CIS_NOT_BIALLELIC: (
        "Both qualifying variants lie on the same copy of TRPM6; the other copy has no qualifying variant in the "
        "regions assessed, so this does not by itself explain an autosomal-recessive disease."
    ),
    Verdict.QUALIFYING_PLUS_VUS: (
        "One variant qualifies; the other is of uncertain significance and cannot be used to confirm the "
        "diagnosis. The result may change if new evidence reclassifies it."
    ),
    Verdict.CARRIER: (
        "One qualifying variant was found on one copy. Carriers of one TRPM6 variant are not expected to have "
        "HSH; a second variant in the other copy was not found in the regions assessed."
    ),
    Verdict.POSSIBLE_HEMIZYGOUS: (
        "The variant looks homozygous, but a deletion of the other copy may be present, in which case the patient "
        "is hemizygous. Either way both copies may be affected, but the two situations differ for the family."
    ),
    Verdict.NEGATIVE: (
        "No qualifying TRPM6 variant was found in the regions assessed. This lowers, but does not remove, the "
        "likelihood of TRPM6-related HSH; see the regions not assessed and the limitations."
    ),
    Verdict.NOT_ASSESSABLE: (
        "The data for this sample did not allow an assessment of TRPM6; no conclusion about HSH can be drawn."
    ),
}
PHASE_SOURCE_TEXT = {
    "read_backed": "read-backed phasing in the VCF (GT | with phase set)",
    "parental": "parental genotypes",
    "both": "read-backed phasing and parental genotypes",
    "unknown": "not determined",
    "not_applicable": "not applicable",
}

LIMITATIONS = (
    "Only the TRPM6 locus was analysed; other causes of hypomagnesemia were not assessed.",
    "Copy-number changes (exon or whole-gene deletions and duplications) are detected only when the "
    "input VCF carries them as structural-variant records; their absence does not exclude them.",
    "Deep intronic and regulatory variants outside the annotated region, and variants in regions "
    "not assessed (listed above), cannot be excluded.",
    "Low-level mosaicism below the variant caller's sensitivity cannot be excluded.",
    "Variant classification is automated (ACMG/AMP criteria the pipeline can evaluate) and must be "
    "reviewed by a qualified professional before clinical use.",
)

MANAGEMENT = (
    "in HSH, management usually starts with magnesium repletion (often intravenous at first, then "
    "lifelong high-dose oral magnesium); calcium and vitamin D alone are often ineffective because the "
    "hypocalcemia follows from the magnesium deficiency. Treatment decisions rest with the treating clinician."
)
MANAGEMENT_NOTE = "For the clinician: " + MANAGEMENT


def interpret_lab_values(lab_values: Mapping[str, float | None]) -> list[dict[str, Any]]:
    """Each given lab value with its interval and a plain-language reading; PTH read against calcium."""
    shown = []
    calcium = lab_values.get("serum_ca_mmol_l")
    for key, interval in LAB_RANGES.items():
        value = lab_values.get(key)
        if value is None:
            continue
        if value < interval.low:
            flag, reading = "low", f"below {interval.low:g} {interval.unit}"
        elif value > interval.high:
            flag, reading = "high", f"above {interval.high:g} {interval.unit}"
        else:
            flag, reading = "normal", "within the reference interval"
        if key == "serum_mg_mmol_l" and flag == "low":
            reading = "hypomagnesemia" + (
                " (severe, as typical of HSH)" if value < SEVERE_HYPOMAGNESEMIA_MMOL_L else ""
            )
        if key == "serum_ca_mmol_l" and flag == "low":
            reading = "hypocalcemia"
        if key == "pth_pg_ml" and calcium is not None and calcium < LAB_RANGES["serum_ca_mmol_l"].low:
            if flag != "high":
                reading = (
                    "inappropriately low or normal for the hypocalcemia (magnesium deficiency impairs "
                    "PTH secretion), as seen in HSH"
                )
            else:
                reading = "raised, an appropriate response to hypocalcemia"
        shown.append(
            {
                "name": interval.name,
                "key": key,
                "value": value,
                "unit": interval.unit,
                "reference_interval": f"{interval.low:g}-{interval.high:g} {interval.unit}",
                "reference_low": interval.low,
                "reference_high": interval.high,
                "flag": flag,
                "interpretation": reading,
            }
        )
    return shown


def clinical_correlation(readings: Sequence[Mapping[str, Any]]) -> str:
    """One sentence relating the lab values to the HSH picture (or saying what is missing)."""
    flags = {item["key"]: item["flag"] for item in readings}
    values = {item["key"]: item["value"] for item in readings}
    if not flags:
        return (
            "No laboratory values were given: correlate the genetic result with serum magnesium, calcium "
            "and PTH measured before any magnesium treatment."
        )
    magnesium, calcium, pth = (flags.get(k) for k in ("serum_mg_mmol_l", "serum_ca_mmol_l", "pth_pg_ml"))
    if magnesium is None:
        return "Serum magnesium was not given; it is the key measurement for HSH and should be obtained."
    if magnesium != "low":
        return (
            "Serum magnesium is not low, which does not fit untreated HSH: check whether the sample was "
            "taken during magnesium supplementation."
        )
    parts = ["hypomagnesemia"]
    if values["serum_mg_mmol_l"] < SEVERE_HYPOMAGNESEMIA_MMOL_L:
        parts[0] = f"severe hypomagnesemia (below {SEVERE_HYPOMAGNESEMIA_MMOL_L:g} mmol/L)"
    if calcium == "low":
        parts.append("hypocalcemia")
    if calcium == "low" and pth in ("low", "normal"):
        parts.append("an inappropriately low or normal PTH")
    picture = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    typical = calcium == "low" and pth in ("low", "normal")
    if typical:
        return f"The laboratory picture ({picture}) is typical of HSH."
    missing = [name for key, name in (("serum_ca_mmol_l", "calcium"), ("pth_pg_ml", "PTH")) if key not in flags]
    tail = f"; {' and '.join(missing)} not given" if missing else ""
    return f"The laboratory picture ({picture}{tail}) is compatible with, but not specific for, HSH."


def lab_thresholds() -> list[dict[str, Any]]:
    """The cut-offs the interpretation uses, with their source, for the report's methods."""
    rows = [
        {
            "name": interval.name,
            "key": key,
            "low": interval.low,
            "high": interval.high,
            "unit": interval.unit,
            "source": LAB_RANGE_SOURCE,
        }
        for key, interval in LAB_RANGES.items()
    ]
    rows.append(
        {
            "name": "Severe hypomagnesemia",
            "key": "serum_mg_mmol_l",
            "low": SEVERE_HYPOMAGNESEMIA_MMOL_L,
            "high": None,
            "unit": "mmol/L",
            "source": HSH_PICTURE_SOURCE,
        }
    )
    return rows


def recommendations_for(verdict: Verdict) -> list[str]:
    """What typically follows from each verdict, as information for the clinician."""
    cascade = (
        "Cascade testing: siblings of the patient can be offered testing for the familial variant(s); "
        "each further child of two carrier parents has a 25% chance of being affected, 50% of being a "
        "carrier."
    )
    by_verdict = {
        Verdict.HOMOZYGOUS: [
            "Test both parents to confirm that each carries the variant (this excludes a deletion of "
            "the other copy and uniparental disomy).",
            cascade,
            MANAGEMENT_NOTE,
        ],
        Verdict.COMPOUND_HET_TRANS: [cascade, MANAGEMENT_NOTE],
        Verdict.COMPOUND_HET_PHASE_UNKNOWN: [
            "Test both parents (segregation) to establish whether the two variants are in trans; only "
            "then is the result biallelic.",
            cascade,
            "For the clinician, if the variants are confirmed in trans: " + MANAGEMENT,
        ],
        Verdict.CIS_NOT_BIALLELIC: [
            "The second copy of TRPM6 has no detected qualifying variant: if the clinical picture "
            "strongly suggests HSH, consider copy-number analysis of TRPM6 and review of the regions "
            "not assessed.",
            "Carrier testing can be offered to relatives.",
        ],
        Verdict.QUALIFYING_PLUS_VUS: [
            "Test both parents to establish the phase of the two variants.",
            "The variant of uncertain significance should be re-evaluated as evidence accrues; it must "
            "not be used for predictive testing of relatives.",
        ],
        Verdict.CARRIER: [
            "A second variant may have been missed (copy-number change, deep intronic, or regions not "
            "assessed): if HSH is strongly suspected, consider copy-number analysis of TRPM6.",
            "Partners of carriers can be offered carrier testing: if both partners carry a TRPM6 variant, each "
            "child has a 25% chance of being affected.",
        ],
        Verdict.POSSIBLE_HEMIZYGOUS: [
            "Test both parents and perform copy-number analysis of TRPM6 (e.g. MLPA or array) to "
            "establish whether the other copy is deleted.",
            MANAGEMENT_NOTE,
        ],
        Verdict.NEGATIVE: [
            "A negative result does not exclude HSH: review the regions not assessed, and consider "
            "copy-number analysis and other causes of hypomagnesemia if clinically indicated.",
        ],
        Verdict.NOT_ASSESSABLE: [
            "Repeat the analysis on a new sample or sequencing run; no conclusion can be drawn from this data.",
        ],
    }
    return by_verdict[verdict]


def _float_or_none(value: object) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


def _report_variant(entry: Mapping[str, Any], pm3: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    key = f"{entry['chrom']}:{entry['pos']}{entry['ref']}>{entry['alt']}"
    evidence = [code for code in str(entry.get("evidence", "")).split(";") if code]
    evidence += [str(item["code"]) for item in pm3 if item.get("variant") == key and item.get("code")]
    return {
        "chrom": str(entry["chrom"]),
        "pos": int(entry["pos"]),
        "ref": str(entry["ref"]),
        "alt": str(entry["alt"]),
        "transcript": entry.get("transcript_accession") or entry.get("transcript") or "",
        "protein": entry.get("protein_accession") or "",
        "hgvs_g": entry.get("hgvs_g") or "",
        "hgvs_c": entry.get("hgvs_c") or "",
        "hgvs_p": entry.get("hgvs_p") or "",
        "consequence": entry.get("consequence") or "",
        "exon": entry.get("exon") or "",
        "intron": entry.get("intron") or "",
        "zygosity": entry["zygosity"],
        "genotype": entry.get("genotype", ""),
        "phase": entry["phase"],
        "phase_source": entry["phase_source"],
        "phase_set": entry.get("phase_set"),
        "parental_genotypes": entry.get("parental_genotypes", {}),
        "depth": entry.get("depth"),
        "genotype_quality": entry.get("genotype_quality"),
        "allele_balance": entry.get("allele_balance"),
        "filter": entry.get("filter", ""),
        "qc_pass": bool(entry.get("qc_pass")),
        "qc_failures": list(entry.get("qc_failures", [])),
        "population_af": _float_or_none(entry.get("population_af")),
        "population_af_source": entry.get("population_af_source") or "unknown",
        "classification": entry.get("classification") or "Not classified",
        "classification_reason": entry.get("classification_reason") or "",
        "evidence": evidence,
        "acmg_points": entry.get("acmg_points") or "",
        "qualifying": entry.get("qualifying") == "true",
        "lof": entry.get("lof") == "true",
        "lof_confidence": entry.get("lof_confidence") or "",
        "pvs1_strength": entry.get("pvs1_strength") or "",
        "lof_reason": entry.get("lof_reason") or "",
        "annotation_flags": entry.get("annotation_flags") or "",
        "clinvar": entry.get("clinvar_evidence") or "",
        "qc_status": entry.get("qc_status") or ("pass" if entry.get("qc_pass") else "fail"),
        "qc_notes": list(entry.get("qc_notes", [])),
        "transmission": entry.get("transmission") or "not_applicable",
        "transmission_detail": entry.get("transmission_detail") or "",
        "sv_end": int(entry["sv_end"]) if entry.get("sv_end") not in (None, "") else None,
        "variant_id": str(entry.get("id") or entry.get("variant_id") or ""),
    }


def model_versions(model: Path) -> dict[str, str]:
    """Versions the transcript model declares: its source column (e.g. MANE_v1.5) and transcript IDs."""
    transcript = verdict_transcript(model)
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


ANNOTATOR_VERSION_NOT_STATED = "not stated by the tool"


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
        raise InputError(consequences, f"written by annotator {first['annotator']!r}, but the config names "
                         f"{configured!r}", "rerun the annotate rules so the table matches the config")
    version = (first.get("annotator_version") or "").strip()
    if not version:
        version = __version__ if configured == "builtin" else ANNOTATOR_VERSION_NOT_STATED
    return AnnotatorRun(configured, version)


def build_document(
    verdict_doc: Mapping[str, Any],
    sample: Mapping[str, Any],
    resources: Mapping[str, Any],
    vcf_checksums: Sequence[Mapping[str, Any]],
    *,
    build: str,
    config_sha256: str,
    annotator: AnnotatorRun | str,
    report_settings: Mapping[str, Any],
    resource_versions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Assemble the report JSON from the verdict and provenance (pure: same inputs, same output).

    ``annotator`` is an :class:`AnnotatorRun`, or just a name when no consequence table is at hand.
    """
    if isinstance(annotator, str):
        annotator = annotator_run(annotator)
    verdict = Verdict(verdict_doc["verdict"])
    lab_values = sample.get("lab_values") or {}
    variants = [_report_variant(entry, verdict_doc.get("pm3", [])) for entry in verdict_doc["variants"]]
    variants.sort(key=lambda v: (not v["qualifying"], v["chrom"], v["pos"], v["ref"], v["alt"]))
    readings = interpret_lab_values(lab_values)
    inputs = list(resources.get("inputs", []))
    for document in vcf_checksums:
        inputs.extend(document.get("inputs", []))
    return {
        "schema_version": SCHEMA_VERSION,
        "sample_id": verdict_doc["sample_id"],
        "status": "DRAFT",
        "synthetic_reference": bool(resources.get("synthetic_reference")),
        "report_date": report_settings.get("report_date") or None,
        "laboratory": report_settings.get("laboratory", ""),
        "build": build,
        "gene": GENE,
        "sample": {
            "family_id": sample.get("family_id", ""),
            "sex": sample.get("sex", ""),
            "affected": sample.get("affected"),
            "paternal_id": sample.get("paternal_id", ""),
            "maternal_id": sample.get("maternal_id", ""),
            "referral_reason": report_settings.get("referral_reason", ""),
        },
        "verdict": verdict.value,
        "result_headline": RESULT_HEADLINES[verdict],
        "what_it_means": WHAT_IT_MEANS[verdict],
        "verdict_text": verdict_doc["verdict_text"],
        "verdict_evidence": list(verdict_doc.get("evidence", [])),
        "pairs": list(verdict_doc.get("pairs", [])),
        "pm3": list(verdict_doc.get("pm3", [])),
        "variants": variants,
        "not_assessed": list(verdict_doc.get("not_assessed", [])),
        "lab_values": readings,
        "lab_reference_source": LAB_RANGE_SOURCE,
        "lab_thresholds": lab_thresholds(),
        "clinical_correlation": clinical_correlation(readings),
        "recommendations": recommendations_for(verdict),
        "limitations": list(LIMITATIONS),
        "genotype_qc": verdict_doc.get("genotype_qc", {}),
        "callability": verdict_doc.get("callability", {}),
        "de_novo": list(verdict_doc.get("de_novo", [])),
        "mendelian_inconsistencies": list(verdict_doc.get("mendelian_inconsistencies", [])),
        "provenance": {
            "pipeline_version": __version__,
            "config_sha256": config_sha256,
            "annotator": annotator.provenance(),
            "resources": {
                "transcript_model": GENE["transcript"],
                "reference_header": resources.get("reference_header", ""),
                **dict(resources.get("source_versions", {})),
                "consequence_ranking": f"trpm6_hsh {__version__} (src/trpm6_hsh/data/consequences.tsv)",
                **dict(resource_versions or {}),
            },
            "inputs": sorted(inputs, key=lambda item: (item["role"], item["path"])),
        },
    }


def validate_document(document: Mapping[str, Any], schema_path: Path) -> None:
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
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
            parts.append(f"{label} {_number_ranges(group['exons'])} (coding bases and canonical splice sites)")
        parts += group["regions"]
        shown.append({"where": "; ".join(parts), "status": group["status"], "reason": group["reason"],
                      "count": len(group["exons"]) + len(group["regions"])})  # fmt: skip
    return shown


# ----------------------------------------------------------------------------- gene diagram

DIAGRAM_WIDTH = 960
DIAGRAM_MARGIN = 20
INTRON_GAP = 6


def gene_diagram(transcript: Transcript, variants: Sequence[Mapping[str, Any]], not_assessed) -> dict[str, Any]:
    """Exons to scale in transcript order (introns drawn as fixed gaps), variants placed on them."""
    usable = DIAGRAM_WIDTH - 2 * DIAGRAM_MARGIN - INTRON_GAP * (len(transcript.exons) - 1)
    scale = usable / sum(exon.length for exon in transcript.exons)
    unknown_exons = {item.get("exon") for item in not_assessed}
    boxes, x = [], float(DIAGRAM_MARGIN)
    starts_by_number = {}
    for exon in transcript.exons:
        width = exon.length * scale
        starts_by_number[exon.number] = x
        coding_start = max(exon.start, transcript.cds_start)
        coding_end = min(exon.end, transcript.cds_end)
        boxes.append(
            {
                "number": exon.number,
                "x": round(x, 2),
                "width": round(max(width, 1.0), 2),
                "coding": coding_start <= coding_end,
                "not_assessed": exon.number in unknown_exons,
                "label": f"exon {exon.number}: {exon.length} bp",
            }
        )
        x += width + INTRON_GAP
    marks, spans = [], []
    offsets = list(itertools.accumulate((exon.length for exon in transcript.exons), initial=0))

    def x_of(pos: int) -> tuple[float, int] | None:
        tx_index, intron_offset = transcript.genomic_to_tx(pos)
        if tx_index < 1 or tx_index > transcript.length:
            return None
        number = max(i for i, start in enumerate(offsets, start=1) if start < tx_index)
        inside = tx_index - offsets[number - 1] - 1
        position = starts_by_number[number] + inside * scale
        if intron_offset:
            position += (INTRON_GAP / 2) * (1 if intron_offset > 0 else -1)
        return min(max(position, DIAGRAM_MARGIN), DIAGRAM_WIDTH - DIAGRAM_MARGIN), number

    for variant in variants:
        placed = x_of(int(variant["pos"]))
        if variant.get("sv_end"):
            ends = [x_of(p) for p in (int(variant["pos"]), int(variant["sv_end"]))]
            xs = sorted(end[0] for end in ends if end)
            if xs:
                label = variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']} deletion"
                spans.append({"x": round(xs[0], 2), "width": round(max(xs[-1] - xs[0], 2.0), 2), "label": label})
        if placed is None:
            continue
        position, number = placed
        marks.append(
            {
                "x": round(position, 2),
                "label": variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']}",
                "qualifying": variant["qualifying"],
                "exon": number,
            }
        )
    for row, mark in enumerate(sorted(marks, key=lambda m: m["x"])):
        mark["row"] = row % 3
        mark["anchor"] = "end" if mark["x"] > DIAGRAM_WIDTH * 0.7 else "start"
    return {"width": DIAGRAM_WIDTH, "exons": boxes, "variants": marks, "deletions": spans}


@functools.cache
def _environment() -> jinja2.Environment:
    """One template environment per process: compiling the templates dominates a small report's cost."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("trpm6_hsh", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def verdict_tone(verdict: str) -> str:
    value = Verdict(verdict)
    if value in POSITIVE_VERDICTS:
        return "positive"
    if value in ATTENTION_VERDICTS:
        return "attention"
    return "neutral"


def render_html(document: Mapping[str, Any], diagram: Mapping[str, Any]) -> str:
    template = _environment().get_template("report.html")
    return template.render(
        report=document,
        diagram=diagram,
        tone=verdict_tone(document["verdict"]),
        not_assessed_groups=group_not_assessed(document["not_assessed"]),
        phase_source_text=PHASE_SOURCE_TEXT,
    )


def render_pdf(html: str, out_pdf: Path) -> None:
    """Print the self-contained HTML to PDF with WeasyPrint (no network: every resource is inline)."""
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):  # quiet before import: it logs then
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import weasyprint
        import weasyprint.urls
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise Trpm6Error(
            "report.pdf is true but WeasyPrint is not installed. Fix: pip install weasyprint "
            "(and the Debian packages libpango-1.0-0 libpangoft2-1.0-0), or set report.pdf: false."
        ) from error

    refused: list[str] = []

    class RefuseEveryFetch(weasyprint.urls.URLFetcher):
        """Nothing is fetched: not the network, not local files (data: URLs are decoded inline)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"external resource refused: {url}")

    document = weasyprint.HTML(string=html, url_fetcher=RefuseEveryFetch()).render()
    if refused:
        wanted = ", ".join(refused)
        raise Trpm6Error(f"the report asks for external resources ({wanted}); reports must be self-contained")
    with atomic_path(out_pdf) as temporary:
        document.write_pdf(temporary)


def print_pdf(html: Path, out_pdf: Path) -> None:
    """The written HTML report as PDF (the rule runs after the HTML exists)."""
    try:
        text = Path(html).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(html, f"cannot read the HTML report ({error.strerror})", "rerun write_report") from error
    render_pdf(text, out_pdf)
    log.info("PDF written: %s", out_pdf)


def _load_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(path, f"cannot read JSON ({error})", "rerun the stage that writes it") from error


def write_report(
    verdict: Path,
    resources: Path,
    vcf_checksums: Sequence[Path],
    model: Path,
    schema: Path,
    sample: Mapping[str, Any],
    *,
    build: str,
    config_sha256: str,
    annotator: str,
    report_settings: Mapping[str, Any],
    out_html: Path,
    out_json: Path,
    out_tsv: Path,
    out_pdf: Path | None = None,
    sample_sheet: Path | None = None,
    consequences: Path | None = None,
) -> None:
    """Write the report files; the JSON is schema-validated before anything is written.

    ``consequences``: the sample's batch's consequence table, which states the annotator's version.
    """
    checksums = [_load_json(path) for path in vcf_checksums]
    if sample_sheet is not None:  # lab values and family come from it: it is an input like any other
        sheet = {"role": "sample_sheet", "path": str(sample_sheet), "sha256": sha256_of(Path(sample_sheet))}
        checksums.append({"inputs": [sheet]})
    document = build_document(
        _load_json(verdict),
        sample,
        _load_json(resources),
        checksums,
        build=build,
        config_sha256=config_sha256,
        annotator=annotator_run(annotator, consequences),
        report_settings=report_settings,
        resource_versions=model_versions(model),
    )
    validate_document(document, schema)
    diagram = gene_diagram(verdict_transcript(model), document["variants"], document["not_assessed"])
    html = render_html(document, diagram)
    rows = [dict(v, sample_id=document["sample_id"], evidence=";".join(v["evidence"])) for v in document["variants"]]
    if out_pdf is not None:
        render_pdf(html, out_pdf)
    write_table(out_tsv, VARIANT_TSV_COLUMNS, rows)
    write_text_atomic(out_html, html)
    write_text_atomic(out_json, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    log.info("report written for %s: %s", document["sample_id"], document["verdict"])


# ----------------------------------------------------------------------------- cohort summary

SUMMARY_COLUMNS = (
    "sample_id",
    "verdict",
    "family_id",
    "affected",
    "qualifying_variants",
    "other_variants",
    "not_assessed_regions",
    "report_html",
    "report_json",
    "report_pdf",
)


def summarise(report_paths: Sequence[Path], out_tsv: Path, out_html: Path, link_pdf: bool = False) -> None:
    """One row per sample: verdict and key variants, linking each report (relative links)."""
    rows = []
    for path in report_paths:
        document = _load_json(Path(path))

        def describe(variant: Mapping[str, Any]) -> str:
            name = variant["hgvs_c"] or f"{variant['chrom']}:{variant['pos']}{variant['ref']}>{variant['alt']}"
            protein = f" {variant['hgvs_p']}" if variant["hgvs_p"] else ""
            return f"{name}{protein} ({variant['zygosity']})"

        qualifying = [describe(v) for v in document["variants"] if v["qualifying"]]
        others = [describe(v) for v in document["variants"] if not v["qualifying"]]
        sample_id = document["sample_id"]
        rows.append(
            {
                "sample_id": sample_id,
                "verdict": document["verdict"],
                "family_id": document["sample"].get("family_id", ""),
                "affected": document["sample"].get("affected"),
                "qualifying_variants": "; ".join(qualifying),
                "other_variants": "; ".join(others),
                "not_assessed_regions": len(document["not_assessed"]),
                "report_html": f"../reports/{sample_id}.report.html",
                "report_json": f"../reports/{sample_id}.report.json",
                "report_pdf": f"../reports/{sample_id}.report.pdf" if link_pdf else "",
                "headline": document.get("result_headline", ""),
                "tone": verdict_tone(document["verdict"]),
                "synthetic": document.get("synthetic_reference", False),
            }
        )
    rows.sort(key=lambda row: row["sample_id"])
    write_table(out_tsv, SUMMARY_COLUMNS, rows)
    environment = _environment()
    script = environment.loader.get_source(environment, "_sort_table.js")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    html = environment.get_template("summary.html").render(
        rows=rows, version=__version__, sort_script=script, script_hash=f"sha256-{digest}"
    )
    write_text_atomic(out_html, html)
