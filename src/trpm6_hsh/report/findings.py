"""What the report says about each variant in a counselor's words, and the evidence a reviewer can check.

The verdict box names variants in HGVS (``NM_017662.5:c.298C>T p.(Gln100Ter)``, or genomic
``NC_000009.12:g.`` when there is no c. name, with uncertain breakpoints for an imprecise structural variant)
with zygosity, class and phase in plain words; the inheritance stage's machine evidence stays in the JSON
and in the report's details. Each variant gets a one- or two-sentence narrative, its criteria met / not met /
not evaluable with points, and badges for exactly what counted. Words come from ``trpm6_hsh.wording``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from trpm6_hsh import wording
from trpm6_hsh.config import LabValues, Sample
from trpm6_hsh.inheritance.document import VariantEntry, VerdictDocument
from trpm6_hsh.model import Classification, Verdict, Zygosity

GENOMIC_ACCESSION = {"GRCh38": "NC_000009.12", "GRCh37": "NC_000009.11"}
TRANSCRIPT = "NM_017662.5"
DELETION_ALTS = ("<DEL>", "<CN0>", "<CN1>")
STRENGTH_POINTS = {"VeryStrong": 8, "Strong": 4, "Moderate": 2, "Supporting": 1}
DEFAULT_POINTS = {"PVS": 8, "PS": 4, "PM": 2, "PP": 1, "BS": -4, "BP": -1}
STAND_ALONE = "BA1"
FREQUENCY_CRITERIA = ("PM2", "BS1", "BA1")
VARIANT_CRITERIA = ("PVS1", "PM4", "PM2", "BS1", "BA1", "BP7")
"""The variant-level criteria this pipeline evaluates (docs/interpretation.md); PM3 and PP4 are per sample."""
BENIGN = (Classification.BENIGN.value, Classification.LIKELY_BENIGN.value)


def code_points(code: str) -> int | None:
    """Points of an evidence code such as PVS1, PM2_Supporting or BS1 (None for the stand-alone BA1)."""
    base, _, strength = code.partition("_")
    if base == STAND_ALONE:
        return None
    if strength in STRENGTH_POINTS:
        sign = -1 if base.startswith("B") else 1
        return sign * STRENGTH_POINTS[strength]
    prefix = re.match(r"[A-Z]+", base)
    return DEFAULT_POINTS.get(prefix.group(0) if prefix else "", 0)


def genomic_hgvs(entry: VariantEntry, build: str) -> str:
    """HGVS genomic name on the build's RefSeq chr9 accession; an imprecise SV gets uncertain breakpoints."""
    accession = GENOMIC_ACCESSION.get(build, entry.key.chrom)
    key, record = entry.key, entry.classified
    if key.alt.startswith("<"):
        end = record.sv_end if record is not None and record.sv_end else None
        kind = {"<DUP>": "dup", "<INV>": "inv"}.get(key.alt, "del" if key.alt in DELETION_ALTS else "")
        if entry.sv_start_range or entry.sv_end_range:
            start_range = entry.sv_start_range
            first = f"({start_range[0] + 1}_{start_range[1] + 1})" if start_range else str(key.pos + 1)
            last = f"({entry.sv_end_range[0]}_{entry.sv_end_range[1]})" if entry.sv_end_range else str(end or "?")
            return f"{accession}:g.{first}_{last}{kind or key.alt}"
        return f"{accession}:g.{key.pos + 1}_{end or '?'}{kind or key.alt}"
    if record is not None and record.hgvs_g.startswith("g."):
        return f"{accession}:{record.hgvs_g}"
    ref, alt, pos = key.ref, key.alt, key.pos
    if len(ref) == 1 and len(alt) == 1:
        change = f"{pos}{ref}>{alt}"
    elif len(alt) == 1 and ref.startswith(alt):
        change = f"{pos + 1}del" if len(ref) == 2 else f"{pos + 1}_{pos + len(ref) - 1}del"
    elif len(ref) == 1 and alt.startswith(ref):
        change = f"{pos}_{pos + 1}ins{alt[1:]}"
    else:
        change = f"{pos}_{pos + len(ref) - 1}delins{alt}"
    return f"{accession}:g.{change}"


def imprecise(entry: VariantEntry) -> bool:
    return entry.sv_start_range is not None or entry.sv_end_range is not None


def variant_name(entry: VariantEntry, build: str) -> str:
    """The name a counselor reads: c. and p. on the transcript, else the genomic HGVS name.

    An imprecise structural variant is named genomically with its uncertain breakpoints (its c. name would state
    exact ones), with the exons it removes when known.
    """
    record = entry.classified
    if record is None or not record.hgvs_c or imprecise(entry):
        name = genomic_hgvs(entry, build)
        notes = []
        if record is not None and record.exon and entry.key.alt in DELETION_ALTS:
            notes.append(wording.SV_EXONS.format(exons=record.exon))
        if imprecise(entry):
            notes.append(wording.SV_IMPRECISE)
        return f"{name} ({'; '.join(notes)})" if notes else name
    accession = record.transcript_accession or TRANSCRIPT
    hgvs_c = record.hgvs_c if ":" in record.hgvs_c else f"{accession}:{record.hgvs_c}"
    return f"{hgvs_c} {record.hgvs_p}" if record.hgvs_p else hgvs_c


def _class_text(entry: VariantEntry) -> str:
    return entry.classified.classification_text if entry.classified is not None else ""


def summary_line(entry: VariantEntry, build: str, verdict: Verdict | None = None) -> str:
    phase = ""
    if entry.zygosity == Zygosity.HET and entry.phase.value in wording.SUMMARY_PHASE:
        source = wording.SUMMARY_PHASE_SOURCE.get(entry.phase_source.value, "")
        phase = wording.SUMMARY_PHASE[entry.phase.value].format(source=source)
    line = wording.SUMMARY_VARIANT.format(
        name=variant_name(entry, build),
        zygosity=_zygosity_words(entry, verdict),
        classification=_class_text(entry) or "not classified",
        phase=phase,
    )
    return line + ("" if entry.qc_pass else wording.SUMMARY_LOW_QUALITY)


def _zygosity_words(entry: VariantEntry, verdict: Verdict | None) -> str:
    """'apparently homozygous' where the verdict says a deletion of the other copy is not excluded."""
    if verdict == Verdict.POSSIBLE_HEMIZYGOUS and entry.zygosity in (Zygosity.HOM_ALT, Zygosity.HEMI):
        return wording.ZYGOSITY_APPARENT
    return wording.ZYGOSITY_WORDS.get(entry.zygosity.value, entry.zygosity.value)


def shown_in_summary(entry: VariantEntry) -> bool:
    """The variants a verdict rests on or leaves open: qualifying, candidate VUS and unclassified calls."""
    record = entry.classified
    return record is None or record.qualifying or record.candidate_vus


def verdict_summary(verdict_doc: VerdictDocument, build: str) -> list[str]:
    """The verdict box's lines: the deciding variants in counselor words, and what could not be covered."""
    entries = sorted(
        (entry for entry in verdict_doc.variants if shown_in_summary(entry)),
        key=lambda e: (not (e.classified is not None and e.classified.qualifying), e.key.pos, e.key.ref, e.key.alt),
    )
    lines = [summary_line(entry, build, verdict_doc.verdict) for entry in entries]
    if not lines:  # never "none found" where nothing could be assessed
        not_assessable = verdict_doc.verdict == Verdict.NOT_ASSESSABLE
        lines.append(wording.SUMMARY_NOT_ASSESSABLE if not_assessable else wording.SUMMARY_NO_VARIANT)
    if verdict_doc.not_assessed:
        lines.append(wording.SUMMARY_NOT_ASSESSED.format(count=len(verdict_doc.not_assessed)))
    return lines


def _labs_complete(labs: LabValues) -> bool:
    return all(value is not None for value in (labs.serum_mg_mmol_l, labs.serum_ca_mmol_l, labs.pth_pg_ml))


def criteria(entry: VariantEntry, sample: Sample) -> list[dict[str, Any]]:
    """Each criterion this pipeline evaluates, as met / not met / not evaluable, with points and whether it counted."""
    record = entry.classified
    rows: list[dict[str, Any]] = []
    codes = list(record.evidence) if record is not None else []
    stand_alone = any(code.startswith(STAND_ALONE) for code in codes)
    for criterion in VARIANT_CRITERIA:
        met = [code for code in codes if code.split("_")[0] == criterion]
        if record is None:
            rows.append(_criterion(criterion, "not_evaluable", wording.CRITERION_NOT_EVALUABLE_UNLISTED))
        elif met:
            for code in met:
                counted = code.startswith(STAND_ALONE) or not stand_alone
                rows.append(_criterion(code, "met", "", code_points(code), counted))
        elif criterion in FREQUENCY_CRITERIA and record.population_af is None:
            rows.append(_criterion(criterion, "not_evaluable", wording.CRITERION_NOT_EVALUABLE_FREQUENCY))
        else:
            rows.append(_criterion(criterion, "not_met", ""))
    counted_sample = {item.code: item for item in entry.sample_evidence}
    for code in ("PM3", "PP4"):
        item = counted_sample.get(code)
        if item is not None:
            rows.append(_criterion(item.label, "met", item.reason, item.points, not stand_alone))
        elif code == "PP4" and not _labs_complete(sample.lab_values):
            rows.append(_criterion(code, "not_evaluable", wording.CRITERION_PP4_NOT_EVALUABLE))
        else:
            reason = wording.CRITERION_PM3_NOT_COUNTED if code == "PM3" else wording.CRITERION_PP4_NOT_COUNTED
            rows.append(_criterion(code, "not_met", reason))
    return rows


def _criterion(code: str, status: str, reason: str, points: int | None = None, counted: bool = False):
    return {"code": code, "status": status, "reason": reason, "points": points, "counted": counted}


def badges(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The evidence codes shown as badges: exactly those that counted towards the class."""
    return [row["code"] for row in rows if row["status"] == "met" and row["counted"]]


def lof_badge(entry: VariantEntry, rows: Sequence[Mapping[str, Any]]) -> bool:
    """A predicted LoF wears the LoF badges (confidence, PVS1 strength) only when it qualifies and PVS1 counted;
    a common or benign-classed truncating variant is said to be a predicted LoF that does not qualify."""
    record = entry.classified
    if record is None or record.lof is not True or not record.qualifying or record.classification_text in BENIGN:
        return False
    return any(row["code"].startswith("PVS1") for row in rows if row["status"] == "met" and row["counted"])


def narrative(entry: VariantEntry, rows: Sequence[Mapping[str, Any]], build: str, clinvar: str) -> str:
    """One or two sentences: what the variant is and why it is classed so."""
    record = entry.classified
    where = ""
    if record is not None and record.exon:
        where = f" in exon {record.exon}"
    elif record is not None and record.intron:
        where = f" in intron {record.intron}"
    # the most severe term only (the annotator lists it first): "exon loss", not four joined terms
    consequence = (entry.consequence or "sequence").split("&")[0].removesuffix("_variant").replace("_", " ")
    what = wording.NARRATIVE_WHAT.format(
        name=variant_name(entry, build), article="an" if consequence[:1] in "aeiou" else "a",
        consequence=consequence, where=where,
        zygosity=wording.ZYGOSITY_WORDS.get(entry.zygosity.value, entry.zygosity.value),
    )  # fmt: skip
    if record is None:
        return f"{what} {wording.NARRATIVE_WHY_UNLISTED}"
    classification = record.classification_text or "not classified"
    counted = [row for row in rows if row["status"] == "met" and row["counted"]]
    if any(row["code"].startswith(STAND_ALONE) for row in counted):
        why = wording.NARRATIVE_WHY_STANDALONE.format(classification=classification, code=STAND_ALONE)
    elif counted:
        total = entry.acmg_points_total if entry.acmg_points_total is not None else record.acmg_points
        codes = ", ".join(f"{row['code']} ({row['points']:+d})" for row in counted if row["points"] is not None)
        why = wording.NARRATIVE_WHY_POINTS.format(classification=classification, total=total, codes=codes)
    else:
        why = wording.NARRATIVE_WHY_NONE.format(classification=classification)
    return f"{what} {why}" + (wording.NARRATIVE_CLINVAR.format(clinvar=clinvar) if clinvar else "")


def references(provenance_resources: Mapping[str, str], inputs: Sequence[Mapping[str, Any]]) -> list[str]:
    """The literature the interpretation follows, then each data release the run used (or that it used none)."""
    lines = list(wording.REFERENCES)
    for key in sorted(provenance_resources):
        if key.endswith("_source") or key in ("transcript_model_source", "transcript"):
            lines.append(wording.REFERENCE_DATA_RELEASE.format(name=key.replace("_", " "),
                                                               version=provenance_resources[key]))  # fmt: skip
    for source in ("clinvar", "gnomad"):
        used = sorted(str(item["path"]).rsplit("/", 1)[-1] for item in inputs if source in str(item.get("role", "")))
        label = {"clinvar": "ClinVar", "gnomad": "gnomAD"}[source]
        lines.append(f"{label}: " + (", ".join(used) if used else "not used") + ".")
    return lines



def variant_findings(entry: VariantEntry, sample: Sample, build: str, clinvar: str) -> dict[str, Any]:
    """The report's per-variant additions: names, narrative, criteria, and badges consistent with what counted."""
    rows = criteria(entry, sample)
    shown_lof = lof_badge(entry, rows)
    record = entry.classified
    lof_note = ""
    if record is not None and record.lof is True and not shown_lof:
        lof_note = wording.LOF_NOT_COUNTED.format(classification=record.classification_text or "not classified")
    return {
        "name": variant_name(entry, build),
        "hgvs_genomic": genomic_hgvs(entry, build),
        "narrative": narrative(entry, rows, build, clinvar),
        "criteria": rows,
        "badges": badges(rows),
        "lof_badge": shown_lof,
        "lof_note": lof_note,
    }


def header_fields(sample: Sample, report_settings: Mapping[str, Any]) -> list[dict[str, str]]:
    """The optional header fields that were given (sheet, then config), each with its label; absent ones left off."""
    given = [(name, getattr(sample, name, "")) for name in wording.HEADER_LABELS if hasattr(sample, name)]
    given += [(name, str(report_settings.get(name) or "")) for name in ("test_method", "laboratory_accreditation")]
    return [{"key": name, "label": wording.HEADER_LABELS[name], "value": value} for name, value in given if value]
