"""One job for a chunk of input files: every stage, from extraction to the reports, in one process.

The per-file rules run six jobs per input file (checksum, extract, annotate, normalise, classify) and two
per sample (verdict, report), each a fresh Python process. Here the same package functions run one file
after another in one process and write the same files to the same paths (results/locus/{batch}.*,
results/annotate/..., results/classify/{batch}.variants.tsv, results/inheritance/{sample}.verdict.json,
results/reports/{sample}.report.*), so the outputs are byte for byte those of the per-file rules. The
workflow declares only the verdicts and reports as the job's outputs, and one plan file (the chunk's samples
and the checksums of its files) as the stand-in for its input files and per-sample params: Snakemake records
every input and param against every output, which grows as files x outputs.
Chunks are planned by trpm6_hsh.chunking (families never span two chunks).

A file that fails (bad input) is named with its message at the end; the other files and samples of the
chunk are still processed, so one run shows every problem of the chunk at once.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trpm6_hsh.builtin_annotator import annotate_vcf
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.cohort import write_cohort_reports
from trpm6_hsh.config import Sample
from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.external_annotators.normalise import normalise_annotation
from trpm6_hsh.extract import extract_locus
from trpm6_hsh.provenance import write_vcf_checksum
from trpm6_hsh.runplan import (
    BUILTIN_CONSEQUENCES,
    BUILTIN_TABLE,
    CONSEQUENCE_TABLE,
    EXTRACT_SUMMARY,
    LOCUS_VCF,
    VARIANT_TABLE,
    VCF_CHECKSUMS,
)

log = logging.getLogger(__name__)


class ChunkError(Trpm6Error):
    """Some input files or samples of a chunk could not be processed; the message names each."""


@dataclass(frozen=True)
class ChunkFile:
    """One input file of the chunk (a batch), its SHA-256 and the sheet's samples it holds, in extraction order."""

    batch: str
    vcf: str
    sha256: str
    sample_ids: tuple[str, ...]


@dataclass(frozen=True)
class Resources:
    """What every file of the run is read against."""

    reference_fasta: Path
    locus_bed: Path
    model: Path
    build: str
    clinvar_vcf: Path | None
    population_vcf: Path | None
    coverage_bed: Path | None


def _under(results: Path, pattern: str, **names: str) -> Path:
    """A stage path of the workflow (patterns start with results/) under ``results``."""
    return results / Path(pattern.format(**names)).relative_to("results")


def prepare_file(
    entry: ChunkFile,
    resources: Resources,
    *,
    population: Mapping[str, Any],
    clinvar_min_review_stars: int,
    results: Path,
) -> None:
    """The per-file stages of one input file, in the order and with the arguments the per-file rules use."""
    batch = entry.batch
    locus = _under(results, LOCUS_VCF, batch=batch)
    write_vcf_checksum(entry.vcf, entry.sha256, _under(results, VCF_CHECKSUMS, batch=batch))
    extract_locus(
        entry.vcf, list(entry.sample_ids), resources.reference_fasta, resources.locus_bed, locus,
        build=resources.build, summary_json=_under(results, EXTRACT_SUMMARY, batch=batch),
    )  # fmt: skip
    builtin_table = _under(results, BUILTIN_TABLE, batch=batch)
    annotate_vcf(resources.reference_fasta, resources.model, locus, builtin_table)
    builtin_consequences = _under(results, BUILTIN_CONSEQUENCES, batch=batch)
    normalise_annotation(
        "builtin", builtin_table, locus, resources.reference_fasta, resources.model, builtin_consequences
    )
    consequences = _under(results, CONSEQUENCE_TABLE, batch=batch)
    partial = consequences.with_name(consequences.name + ".part")
    shutil.copyfile(builtin_consequences, partial)
    partial.replace(consequences)
    classify_variants(
        consequences=consequences,
        vcf=locus,
        out=_under(results, VARIANT_TABLE, batch=batch),
        population=dict(population),
        clinvar={"min_review_stars": clinvar_min_review_stars},
        clinvar_vcf=resources.clinvar_vcf,
        population_vcf=resources.population_vcf,
        build=resources.build,
        coverage_bed=resources.coverage_bed,
        model=resources.model,
    )


def _prepare_files(
    files: Sequence[ChunkFile], resources: Resources, settings: Mapping[str, Any], results: Path
) -> dict[str, str]:
    """Prepare each file; return the files that failed, with why (bad input never stops the others)."""
    failed = {}
    for entry in files:
        try:
            prepare_file(entry, resources, results=results, **settings)
        except Trpm6Error as error:
            failed[entry.vcf] = str(error)
    return failed


def chunk_files(plan: Mapping[str, Any]) -> list[ChunkFile]:
    """The chunk's files from its plan (trpm6_hsh.provenance.write_job_plan), in batch order."""
    checksums = plan["files"]
    return [
        ChunkFile(batch, checksums[batch]["path"], checksums[batch]["sha256"], tuple(samples))
        for batch, samples in plan["arguments"]["file_samples"].items()
    ]


def run_chunk(
    *,
    files: Sequence[ChunkFile],
    samples: Sequence[Sample],
    resources: Resources,
    family_batches: Mapping[str, Sequence[str]],
    verdict_settings: Mapping[str, Any],
    report_arguments: Mapping[str, Any],
    sample_report_arguments: Mapping[str, Mapping[str, Any]],
    vcf_checksums: Mapping[str, Sequence[Path]],
    children: Mapping[str, Sequence[Sample]],
    results: Path = Path("results"),
    workers: int = 1,
) -> dict[str, str]:
    """Process every file of a chunk, then every sample's verdict and report; return verdicts by sample.

    ``verdict_settings``: genotype_qc, callability, phenotype, population, copy_number, cnv, alignments
    (as :func:`inheritance.call_batch_verdicts` takes them). ``report_arguments`` are shared by all the
    chunk's reports, ``sample_report_arguments`` differ per sample (its batch's consequence table, extract
    summary and population source).
    """
    settings = {
        "population": dict(verdict_settings["population"]),
        "clinvar_min_review_stars": int(report_arguments["clinvar_min_review_stars"]),
    }
    slices = [list(files[index :: max(workers, 1)]) for index in range(max(workers, 1))]
    slices = [part for part in slices if part]
    if len(slices) <= 1:
        failed_files = _prepare_files(files, resources, settings, results)
    else:
        failed_files = {}
        with ProcessPoolExecutor(max_workers=len(slices)) as pool:
            futures = [pool.submit(_prepare_files, part, resources, settings, results) for part in slices]
            for future in futures:
                failed_files.update(future.result())
    for message in failed_files.values():
        log.error("%s", message)
    if failed_files:
        # Verdicts need every family member's files; rather than guess which samples are untouched, stop
        # here naming each file, as the per-file rules would (a rerun redoes this chunk only).
        shown = list(failed_files.values())[:3]
        more = len(failed_files) - len(shown)
        raise ChunkError(
            f"{len(failed_files)} input file(s) of this chunk could not be read, so none of its samples got a "
            "report: " + " | ".join(shown) + (f" | and {more} more, each named in this log" if more else "")
        )
    ready = sorted({batch for batches in family_batches.values() for batch in batches})
    outcome = write_cohort_reports(
        list(samples),
        verdict_arguments={
            "family_batches": dict(family_batches),
            "locus_vcfs": [_under(results, LOCUS_VCF, batch=batch) for batch in ready],
            "variant_tables": [_under(results, VARIANT_TABLE, batch=batch) for batch in ready],
            "model": resources.model,
            "reference_fasta": resources.reference_fasta,
            **verdict_settings,
        },
        report_arguments=report_arguments,
        sample_report_arguments=sample_report_arguments,
        vcf_checksums=vcf_checksums,
        results=results,
        workers=workers,
        children=children,
    )
    return outcome.verdicts
