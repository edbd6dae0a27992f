"""One job for a chunk of input files: every stage, from extraction to the reports, in one process.

The per-file rules run six jobs per input file (checksum, extract, annotate, normalise, classify) and two
per sample (verdict, report), each a fresh Python process. Here the same package functions run one file
after another in one process and write the same files to the same paths (results/locus/{batch}.*,
results/annotate/..., results/classify/{batch}.variants.tsv, results/inheritance/{sample}.verdict.json,
results/reports/{sample}.report.*), so the outputs are byte for byte those of the per-file rules. The
workflow declares one output of the job, its manifest (trpm6_hsh.chunk_manifest: the files it wrote);
on a rerun the job keeps the outputs of files and families whose reuse key is unchanged. Chunks are
planned by trpm6_hsh.chunking (families never span two chunks).

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
from trpm6_hsh.chunk_manifest import ReuseRecords, file_stamp, reuse_key, write_chunk_manifest
from trpm6_hsh.chunking import family_units
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.cohort import write_cohort_reports
from trpm6_hsh.config import Sample, sample_record
from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.external_annotators.normalise import normalise_annotation
from trpm6_hsh.extract import extract_locus
from trpm6_hsh.provenance import package_code_digest, sha256_of, write_vcf_checksum
from trpm6_hsh.runplan import (
    BUILTIN_CONSEQUENCES,
    BUILTIN_TABLE,
    CONSEQUENCE_TABLE,
    EXTRACT_SUMMARY,
    LOCUS_VCF,
    REPORT_EXTENSIONS,
    REPORT_FILE,
    VARIANT_TABLE,
    VCF_CHECKSUMS,
    VERDICT_JSON,
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


def chunk_files(arguments: Mapping[str, Any], vcfs: Mapping[str, str]) -> list[ChunkFile]:
    """The chunk's files (its rule's params: arguments, and the input VCF of each batch), in batch order.

    Each file's SHA-256 is taken here: it is what the reports name, and what decides whether a file's
    stage outputs from an earlier run of the job can be kept.
    """
    return [
        ChunkFile(batch, str(vcfs[batch]), sha256_of(Path(vcfs[batch])), tuple(samples))
        for batch, samples in arguments["file_samples"].items()
    ]


def file_outputs(results: Path, batch: str) -> list[Path]:
    """Every file the per-file stages write for one input file (see :func:`prepare_file`)."""
    locus = _under(results, LOCUS_VCF, batch=batch)
    patterns = (VCF_CHECKSUMS, EXTRACT_SUMMARY, BUILTIN_TABLE, BUILTIN_CONSEQUENCES, CONSEQUENCE_TABLE, VARIANT_TABLE)
    return [locus, locus.with_name(locus.name + ".tbi"), *(_under(results, p, batch=batch) for p in patterns)]


def sample_outputs(results: Path, sample_id: str) -> list[Path]:
    """A sample's verdict and its report files."""
    reports = [_under(results, REPORT_FILE, sample=sample_id, extension=ext) for ext in REPORT_EXTENSIONS]
    return [_under(results, VERDICT_JSON, sample=sample_id), *reports]


def _content_digest(path: Path | None) -> str | None:
    return sha256_of(Path(path)) if path is not None and Path(path).is_file() else None


def run_key(resources: Resources, verdict_settings: Mapping[str, Any], report_arguments: Mapping[str, Any]) -> str:
    """What every output of the chunk is made from besides its own rows and files.

    Large resources (the reference, the gnomAD file) count by path, size and modification time, as the
    workflow itself judges them; the small ones the reports quote (resource checksums, schema) by content.
    """
    shared = {name: value for name, value in verdict_settings.items() if name not in ("alignments", "copy_number")}
    resource_files = [resources.reference_fasta, resources.locus_bed, resources.model, resources.clinvar_vcf,
                      resources.population_vcf, resources.coverage_bed]  # fmt: skip
    return reuse_key(
        package_code_digest(),
        resources.build,
        {str(path): file_stamp(path) for path in resource_files if path is not None},
        shared,
        # the schema's path is a per-run copy (Snakemake's source cache): it counts by content only
        {name: value for name, value in report_arguments.items() if name != "schema"},
        _content_digest(report_arguments.get("resources")),
        _content_digest(report_arguments.get("schema")),
    )


def family_keys(
    units: Sequence[Sequence[str]],
    samples: Mapping[str, Sample],
    file_keys: Mapping[str, str],
    key_of_run: str,
    facts: Mapping[str, Mapping[str, Any]],
) -> dict[str, str]:
    """Per sample, the reuse key of its family: any member's row, file or setting that changes redoes all of it."""
    keys = {}
    for unit in units:
        members = [  # by ID: the sheet's order is not what the outputs are made from
            {"row": sample_record(samples[member]), **{name: facts[name].get(member) for name in facts}}
            for member in sorted(unit)
        ]
        batches = sorted({batch for member in unit for batch in facts["family_batches"][member]})
        key = reuse_key(key_of_run, members, {batch: file_keys.get(batch) for batch in batches})
        keys.update(dict.fromkeys(unit, key))
    return keys


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
    manifest: Path,
    chunk: str,
    results: Path = Path("results"),
    workers: int = 1,
) -> dict[str, str]:
    """Process the chunk's files, then its samples' verdicts and reports; write the manifest; return verdicts.

    ``verdict_settings``: genotype_qc, callability, phenotype, population, copy_number, cnv, alignments
    (as :func:`inheritance.call_batch_verdicts` takes them). ``report_arguments`` are shared by all the
    chunk's reports, ``sample_report_arguments`` differ per sample (its batch's consequence table, extract
    summary and population source). Files and families whose outputs are current
    (:class:`~trpm6_hsh.chunk_manifest.ReuseRecords`) are kept as they are; only verdicts of samples
    redone are returned.
    """
    results = Path(results)
    records = ReuseRecords(results)
    key_of_run = run_key(resources, verdict_settings, report_arguments)
    file_keys = {
        entry.batch: reuse_key(key_of_run, entry.batch, entry.vcf, entry.sha256, entry.sample_ids) for entry in files
    }
    stale_files = [
        entry
        for entry in files
        if not records.is_current("files", entry.batch, file_keys[entry.batch], file_outputs(results, entry.batch))
    ]
    for entry in stale_files:
        records.forget("files", entry.batch)
    settings = {
        "population": dict(verdict_settings["population"]),
        "clinvar_min_review_stars": int(report_arguments["clinvar_min_review_stars"]),
    }
    slices = [list(stale_files[index :: max(workers, 1)]) for index in range(max(workers, 1))]
    slices = [part for part in slices if part]
    if len(slices) <= 1:
        failed_files = _prepare_files(stale_files, resources, settings, results)
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
    for entry in stale_files:
        records.remember("files", entry.batch, file_keys[entry.batch], file_outputs(results, entry.batch))

    by_id = {sample.sample_id: sample for sample in samples}
    units = family_units(samples, family_batches)
    facts = {
        "family_batches": family_batches,
        "children": {s: [sample_record(child) for child in found] for s, found in children.items()},
        "report": sample_report_arguments,
        "vcf_checksums": {s: [str(path) for path in paths] for s, paths in vcf_checksums.items()},
        "alignment": {s: file_stamp(path) for s, path in verdict_settings.get("alignments", {}).items()},
        "copy_number": {s: _content_digest(path) for s, path in verdict_settings.get("copy_number", {}).items()},
    }
    keys_of_families = family_keys(units, by_id, file_keys, key_of_run, facts)
    stale_ids = {
        member
        for unit in units
        if not all(
            records.is_current("samples", member, keys_of_families[member], sample_outputs(results, member))
            for member in unit
        )
        for member in unit
    }
    stale_samples = [sample for sample in samples if sample.sample_id in stale_ids]
    log.info(
        "chunk %s: %d of %d files and %d of %d samples redone, the others' outputs kept (unchanged)",
        chunk, len(stale_files), len(files), len(stale_samples), len(samples),
    )  # fmt: skip
    verdicts: dict[str, str] = {}
    if stale_samples:
        for sample in stale_samples:
            records.forget("samples", sample.sample_id)
        needed = sorted({batch for sample in stale_samples for batch in family_batches_of(sample, family_batches)})
        outcome = write_cohort_reports(
            stale_samples,
            verdict_arguments={
                "family_batches": dict(family_batches),
                "locus_vcfs": [_under(results, LOCUS_VCF, batch=batch) for batch in needed],
                "variant_tables": [_under(results, VARIANT_TABLE, batch=batch) for batch in needed],
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
        verdicts = outcome.verdicts
        for sample in stale_samples:
            sample_id = sample.sample_id
            records.remember("samples", sample_id, keys_of_families[sample_id], sample_outputs(results, sample_id))
    outputs = {f"file {entry.batch}": file_outputs(results, entry.batch) for entry in files}
    outputs.update({f"sample {sample.sample_id}": sample_outputs(results, sample.sample_id) for sample in samples})
    write_chunk_manifest(manifest, chunk, outputs)
    return verdicts


def family_batches_of(sample: Sample, family_batches: Mapping[str, Sequence[str]]) -> list[str]:
    """The batches a sample's verdict reads: its own and its parents' (those in the run)."""
    members = [sample.sample_id, *sample.parents]
    return [batch for member in members for batch in family_batches.get(member, ())]
