"""The report stage's entry point: one sample's report as JSON, HTML, variant TSV and optionally PDF."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trpm6_hsh.config import Sample, sample_rows_digest
from trpm6_hsh.extract import read_extract_summary
from trpm6_hsh.files import atomic_paths
from trpm6_hsh.inheritance.document import VerdictDocument, read_verdict
from trpm6_hsh.jsontext import dumps_indented
from trpm6_hsh.population import PopulationSource
from trpm6_hsh.report.copy_number import copy_number_plot
from trpm6_hsh.report.diagram import gene_diagram
from trpm6_hsh.report.document import annotator_run, build_document, load_json, model_versions, validate_document
from trpm6_hsh.report.render import render_html, render_pdf
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import write_table

log = logging.getLogger(__name__)

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
    "acmg_points",
    "acmg_points_total",
    "classification_before_sample_evidence",
    "qualifying",
    "lof",
    "lof_confidence",
    "pvs1_strength",
    "lof_reason",
    "qc_status",
    "transmission",
    "clinvar",
)


def write_report(
    verdict: Path | VerdictDocument,
    resources: Path,
    vcf_checksums: Sequence[Path],
    model: Path,
    schema: Path,
    sample: Sample,
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
    extract_summary: Path | None = None,
    population_source: Mapping[str, Any] | None = None,
    clinvar_min_review_stars: int | None = None,
    children: Sequence[tuple[Sample, Path | VerdictDocument]] = (),
) -> None:
    """Write the report files; the JSON is schema-validated before anything is written.

    ``verdict``: the sample's verdict.json, or its document already in memory (cohort mode builds it
    in the same process). ``consequences``: the sample's batch's consequence table, which states the
    annotator's version. ``extract_summary`` (the batch's extract.json) and ``population_source`` (the
    run plan's :class:`~trpm6_hsh.population.PopulationSource` as JSON) feed the verdict box's cautions.
    ``children``: this sample's children in the run (sheet order), each with its verdict.json or document, for
    the family context of a parent's report.
    """
    checksums = [load_json(path) for path in vcf_checksums]
    if sample_sheet is not None:
        # Lab values, header fields and the family context come from the sheet: the report fingerprints the
        # rows it read (the sample's and its children's), not the whole file, so adding a patient to the sheet
        # leaves every other report, and its checksum, as it was.
        rows = [sample, *(child for child, _ in children)]
        sheet = {
            "role": "sample_sheet_rows",
            "path": str(sample_sheet),
            "sha256": sample_rows_digest(rows),
            "samples": [row.sample_id for row in rows],
        }
        checksums.append({"inputs": [sheet]})
    verdict_doc = verdict if isinstance(verdict, VerdictDocument) else read_verdict(verdict)
    resources_doc = load_json(resources)
    run = annotator_run(annotator, consequences)
    transcript = load_mane_transcript(model)  # read once: for the versions and for the diagram
    document = build_document(
        verdict_doc,
        sample,
        resources_doc,
        checksums,
        build=build,
        config_sha256=config_sha256,
        annotator=run,
        report_settings=report_settings,
        resource_versions=model_versions(model, transcript),
        population_source=PopulationSource.from_json(dict(population_source)) if population_source else None,
        extract=read_extract_summary(extract_summary) if extract_summary else None,
        clinvar_min_review_stars=clinvar_min_review_stars,
        children=[(child, doc if isinstance(doc, VerdictDocument) else read_verdict(doc)) for child, doc in children],
    )
    validate_document(document, schema)
    diagram = gene_diagram(transcript, document["variants"], document["not_assessed"])
    html = render_html(document, diagram, copy_number_plot(document["copy_number"], diagram))
    rows = [dict(v, sample_id=document["sample_id"], evidence=";".join(v["evidence"])) for v in document["variants"]]
    if out_pdf is not None:
        render_pdf(html, out_pdf)
    # The three files appear together or not at all (a full disk must not leave a lone TSV behind).
    with atomic_paths([out_tsv, out_html, out_json]) as (tsv_file, html_file, json_file):
        write_table(tsv_file, VARIANT_TSV_COLUMNS, rows)
        html_file.write_text(html, encoding="utf-8")
        json_file.write_text(dumps_indented(document, ensure_ascii=False) + "\n", "utf-8")
    log.info("report written for %s: %s", document["sample_id"], document["verdict"])
