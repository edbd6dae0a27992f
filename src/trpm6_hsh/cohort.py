"""Cohort mode: verdicts and reports of many samples of one joint VCF in one process.

On a cluster, one job per sample and stage turns a 2,500-sample joint VCF into 5,000 jobs whose cost is
mostly start-up. Here the genotype matrix of each locus VCF is read once (inheritance.call_batch_verdicts)
and the reports are written one sample after another inside the same job, to the same per-sample paths
the workflow uses (results/inheritance/{sample}.verdict.json, results/reports/{sample}.report.*). A sample
that fails is named at the end and never stops or touches the other samples' files.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trpm6_hsh import inheritance, report
from trpm6_hsh.config import Sample
from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.inheritance import VerdictDocument

log = logging.getLogger(__name__)

REPORT_EXTENSIONS = ("html", "json", "tsv")


class CohortError(Trpm6Error):
    """Some samples of a cohort got no report; the others did."""


@dataclass(frozen=True)
class CohortPaths:
    """Where cohort mode writes: the workflow's own per-sample layout under one results folder."""

    results: Path

    @property
    def verdict_dir(self) -> Path:
        return self.results / "inheritance"

    def verdict(self, sample_id: str) -> Path:
        return self.verdict_dir / f"{sample_id}.verdict.json"

    def report(self, sample_id: str, extension: str) -> Path:
        return self.results / "reports" / f"{sample_id}.report.{extension}"


@dataclass(frozen=True)
class CohortOutcome:
    verdicts: dict[str, str]
    failures: dict[str, str]


def _write_reports(
    work: Sequence[tuple[Sample, VerdictDocument]],
    report_arguments: Mapping[str, Any],
    vcf_checksums: Mapping[str, Sequence[Path]],
    results: Path,
    children: Mapping[str, Sequence[Sample]] | None = None,
    sample_report_arguments: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, str]:
    """Reports of the samples in ``work`` (each with its verdict document), one after another.

    Returns the samples that failed, with why.
    """
    paths = CohortPaths(results)
    failures = {}
    for sample, document in work:
        sample_id = sample.sample_id
        try:
            report.write_report(
                verdict=document,
                vcf_checksums=list(vcf_checksums[sample_id]),
                sample=sample,
                out_html=paths.report(sample_id, "html"),
                out_json=paths.report(sample_id, "json"),
                out_tsv=paths.report(sample_id, "tsv"),
                # the children's verdict.json, as the per-sample rule reads them (this batch's are written above)
                children=[(child, paths.verdict(child.sample_id)) for child in (children or {}).get(sample_id, ())],
                **report_arguments,
                **(sample_report_arguments or {}).get(sample_id, {}),
            )
        except Trpm6Error as error:
            failures[sample_id] = str(error)
            log.error("%s: no report: %s", sample_id, error)
    return failures


def write_cohort_reports(
    samples: Sequence[Sample],
    *,
    verdict_arguments: Mapping[str, Any],
    report_arguments: Mapping[str, Any],
    vcf_checksums: Mapping[str, Sequence[Path]],
    results: Path,
    workers: int = 1,
    raise_on_failure: bool = True,
    children: Mapping[str, Sequence[Sample]] | None = None,
    sample_report_arguments: Mapping[str, Mapping[str, Any]] | None = None,
) -> CohortOutcome:
    """Verdicts of all ``samples`` at once, then their reports in ``workers`` processes (slices of the cohort).

    ``verdict_arguments`` go to :func:`inheritance.call_batch_verdicts` (family_batches, locus_vcfs,
    variant_tables, genotype_qc, model, ...), ``report_arguments`` to :func:`report.write_report` (resources,
    model, schema, build, config_sha256, annotator, consequences, report_settings, ...); ``vcf_checksums``
    gives each sample's input-VCF checksum files, as the workflow's write_report rule does. The reports
    are built from the verdict documents in memory, the same documents written to verdict.json.
    ``children``: per sample, its children in the run (sheet order), whose verdict.json the family context
    of the parent's report reads (those of this batch are written before any report).
    ``sample_report_arguments``: per sample, report arguments that differ between samples (a chunk of
    single-sample files gives each its own consequence table and extract summary).
    """
    paths = CohortPaths(Path(results))
    chosen = list(samples)
    documents = inheritance.call_batch_verdicts(chosen, **verdict_arguments)
    inheritance.write_batch_verdicts(documents, paths.verdict_dir)
    work = [(sample, documents[sample.sample_id]) for sample in chosen]
    workers = max(workers, 1)
    slices = [work[index::workers] for index in range(workers) if work[index::workers]]
    if len(slices) <= 1:
        failures = _write_reports(
            work, report_arguments, vcf_checksums, paths.results, children, sample_report_arguments
        )
    else:
        failures = {}
        with ProcessPoolExecutor(max_workers=len(slices)) as pool:
            futures = [
                pool.submit(
                    _write_reports, part, dict(report_arguments), dict(vcf_checksums), paths.results,
                    dict(children or {}), dict(sample_report_arguments or {}),
                )
                for part in slices
            ]
            for future in futures:
                failures.update(future.result())
    verdicts = {
        sample.sample_id: documents[sample.sample_id].verdict.value
        for sample in chosen
        if sample.sample_id not in failures
    }
    log.info("cohort: %d reports written, %d failed", len(verdicts), len(failures))
    if failures and raise_on_failure:
        names = ", ".join(sorted(failures)[:10]) + (" ..." if len(failures) > 10 else "")
        raise CohortError(f"{len(failures)} of {len(chosen)} samples got no report ({names}); see the log")
    return CohortOutcome(verdicts, failures)
