"""The run plan: every decision the workflow takes at start-up, made once from the validated config.

The Snakemake files only look values up in a :class:`RunPlan`; what they would otherwise decide inline
lives here, where it is tested: which transcript model and locus BED a run uses (shipped, configured, or
a cached Ensembl release), which ClinVar / gnomAD files classification reads, which model file each
annotator gets (bcftools csq reads GFF3, SnpEff prefers the GTF twin), how samples group into batches and
which batches run in cohort mode. Paths are plain strings, as the workflow passes them to its rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trpm6_hsh.chunking import Chunk, ChunkSettings, plan_chunks
from trpm6_hsh.config import Sample, batch_id_for, batches, config_digest, sample_record
from trpm6_hsh.errors import ConfigError
from trpm6_hsh.fetch.cache import SourceKind
from trpm6_hsh.fetch.commands import CacheChoice, check_cached_model, choose_cached
from trpm6_hsh.genome_build import parse_build
from trpm6_hsh.model import Build
from trpm6_hsh.model_resources import GFF3_FILE, LOCUS_BED
from trpm6_hsh.population import PopulationSource, population_sources_of_batches

CACHED_CLINVAR_FILE = "clinvar.trpm6.vcf.gz"
CACHED_GNOMAD_FILE = "gnomad.trpm6.vcf.gz"
DEFAULT_SNPEFF_DATABASE = "trpm6"
"""Name of the SnpEff database the workflow builds offline from the transcript model."""

REPORT_EXTENSIONS = ("html", "json", "tsv")
SAMPLE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*"
# The workflow's per-stage files: the rules and the chunk job (trpm6_hsh.chunk_job) write the same paths.
LOCUS_VCF = "results/locus/{batch}.vcf.gz"
EXTRACT_SUMMARY = "results/locus/{batch}.extract.json"
VCF_CHECKSUMS = "results/provenance/{batch}.vcf.json"
BUILTIN_TABLE = "results/annotate/builtin/{batch}.tsv"
BUILTIN_CONSEQUENCES = "results/annotate/builtin/{batch}.consequences.tsv"
CONSEQUENCE_TABLE = "results/annotate/{batch}.consequences.tsv"
CHUNK_MANIFEST = "results/chunks/{chunk}.json"
COHORT_PLAN = "results/plans/{batch}.cohort.json"
VARIANT_TABLE = "results/classify/{batch}.variants.tsv"
VERDICT_JSON = "results/inheritance/{sample}.verdict.json"
REPORT_FILE = "results/reports/{sample}.report.{extension}"
COPY_NUMBER_JSON = "results/cnv/{sample}.copy_number.json"
COPY_NUMBER_STATUS = "results/cnv/copy_number.status.json"


@dataclass(frozen=True)
class AnnotatorModels:
    """The transcript-model file each external annotator reads, and the names it is staged under.

    bcftools csq reads GFF3 only, so a GTF model is replaced by its GFF3 twin. SnpEff is built from the GTF
    twin of a GFF3 model when one lies beside it (the shipped models have both), else from the model as
    given. VEP reads either, by its own flag.
    """

    bcftools: str
    snpeff: str
    snpeff_format: str
    snpeff_genes_file: str
    snpeff_sequences_file: str
    snpeff_database: str
    vep_model_name: str

    @classmethod
    def for_model(cls, transcript_model: str, reference_fasta: str, snpeff_database: str) -> AnnotatorModels:
        model = Path(transcript_model)
        gtf_twin = model.with_suffix(".gtf")
        snpeff = str(gtf_twin) if model.suffix == ".gff3" and gtf_twin.is_file() else str(model)
        snpeff_format = "gtf22" if ".gtf" in Path(snpeff).name else "gff3"
        return cls(
            bcftools=str(model.with_suffix(".gff3")) if model.suffix == ".gtf" else str(model),
            snpeff=snpeff,
            snpeff_format=snpeff_format,
            snpeff_genes_file="genes.gtf" if snpeff_format == "gtf22" else "genes.gff",
            snpeff_sequences_file="sequences.fa.gz" if reference_fasta.endswith(".gz") else "sequences.fa",
            snpeff_database=snpeff_database or DEFAULT_SNPEFF_DATABASE,
            vep_model_name="model.gtf" if ".gtf" in model.name else "model.gff3",
        )


@dataclass(frozen=True)
class RunPlan:
    """What one workflow run reads and makes, resolved from the validated config and the sample sheet.

    ``config`` is the effective configuration: the validated one with the cached ClinVar / gnomAD files
    filled in where their keys were empty, so that ``config_sha256`` covers the files a run uses.
    """

    config: Mapping[str, Any]
    config_sha256: str
    build: Build
    reference_fasta: str
    transcript_model: str
    locus_bed: str
    clinvar_vcf: str
    gnomad_vcf: str
    cached: Mapping[SourceKind, CacheChoice]
    fetch_settings: Mapping[str, Any]
    samples_by_id: Mapping[str, Sample]
    batches: Mapping[str, tuple[Sample, ...]]
    batch_of_sample: Mapping[str, str]
    cohort_batches: Mapping[str, tuple[Sample, ...]]
    annotators_compared: tuple[str, ...]
    custom_output_suffix: str
    models: AnnotatorModels
    batch_vcfs: Mapping[str, str] = field(default_factory=dict)
    sv_batch_of_sample: Mapping[str, str] = field(default_factory=dict)
    chunks: Mapping[str, Chunk] = field(default_factory=dict)

    def _copy_number_called(self, sample_id: str) -> bool:
        """Whether a sample's exon copy number is estimated: it has an alignment, and ``cnv.enabled``."""
        sample = self.samples_by_id.get(sample_id)
        enabled = self.config.get("cnv", {}).get("enabled", True)
        return bool(enabled and sample is not None and sample.alignment)

    @property
    def copy_number_samples(self) -> tuple[str, ...]:
        """The samples whose exon copy number is estimated: those with an alignment, when ``cnv.enabled``."""
        return tuple(sample_id for sample_id in self.samples_by_id if self._copy_number_called(sample_id))

    def copy_number_alignments(self) -> dict[str, str]:
        """Sample -> BAM/CRAM of every sample the copy-number stage calls (one batch: the whole run)."""
        return {sample_id: self.samples_by_id[sample_id].alignment for sample_id in self.copy_number_samples}

    def copy_number_outputs(self) -> dict[str, str]:
        """Sample -> the copy-number JSON the stage writes for it."""
        return {sample_id: COPY_NUMBER_JSON.format(sample=sample_id) for sample_id in self.copy_number_samples}

    def copy_number_files_of(self, members: Iterable[str]) -> dict[str, str]:
        """The copy-number JSON of each of ``members`` that has one (samples without an alignment have none)."""
        # Only the members are looked at: a chunk's job asks this for its own samples, once per chunk.
        called = [member for member in members if self._copy_number_called(member)]
        return {member: COPY_NUMBER_JSON.format(sample=member) for member in called}

    def batches_of(self, member: str) -> list[str]:
        """Every batch holding a member's calls: its small-variant VCF's, then its SV/CNV VCF's (sheet sv_vcf)."""
        found = [self.batch_of_sample[member], self.sv_batch_of_sample.get(member, "")]
        return list(dict.fromkeys(batch for batch in found if batch))

    def family_batches_of(self, members: Iterable[str]) -> dict[str, list[str]]:
        """The batches of each member, as the inheritance stage reads them."""
        return {member: self.batches_of(member) for member in members}

    @property
    def fetch_needed(self) -> dict[str, CacheChoice]:
        """Pinned releases missing from the cache, by source name: a fetch rule makes them."""
        return {kind.value: choice for kind, choice in self.cached.items() if not choice.present}

    def cached_resource_inputs(self) -> dict[str, str]:
        """Provenance (and data file) of every cached release the run uses: checksummed, named in each report."""
        inputs = {f"{kind.value}_provenance": choice.provenance for kind, choice in self.cached.items()}
        clinvar = self.cached.get(SourceKind.CLINVAR)
        if clinvar is not None and self.clinvar_vcf == clinvar.file(CACHED_CLINVAR_FILE):
            inputs["cached_clinvar_vcf"] = self.clinvar_vcf
        gnomad = self.cached.get(SourceKind.GNOMAD)
        if gnomad is not None and self.gnomad_vcf == gnomad.file(CACHED_GNOMAD_FILE):
            inputs["cached_gnomad_vcf"] = self.gnomad_vcf
        return inputs

    def user_resource_inputs(self) -> dict[str, str]:
        """The ClinVar / gnomAD files and coverage BED the user gave (not cached releases): checksummed too."""
        cached = set(self.cached_resource_inputs().values())
        given = {
            "clinvar_vcf": self.clinvar_vcf,
            "gnomad_vcf": self.gnomad_vcf,
            "gnomad_coverage_bed": self.config["population"]["gnomad_coverage_bed"] if self.gnomad_vcf else "",
        }
        return {role: path for role, path in given.items() if path and path not in cached}

    def population_sources(self) -> dict[str, PopulationSource]:
        """Per batch, whether its variants get a population frequency at all (reads each VCF's header once)."""
        batch_vcfs = {batch: members[0].vcf for batch, members in self.batches.items()}
        return population_sources_of_batches(batch_vcfs, self.config["population"]["info_fields"], self.gnomad_vcf)

    @functools.cached_property
    def _children_index(self) -> dict[str, tuple[Sample, ...]]:
        found: dict[str, list[Sample]] = {}
        for sample in self.samples_by_id.values():
            for parent in dict.fromkeys(sample.parents):
                found.setdefault(parent, []).append(sample)
        return {parent: tuple(children) for parent, children in found.items()}

    def children_of(self, sample_id: str) -> tuple[Sample, ...]:
        """The sample's children in the run, in sheet order (a parent's report names their familial variants)."""
        return self._children_index.get(sample_id, ())

    def per_sample_rule_samples(self) -> str:
        """Wildcard pattern of the samples the per-sample rules serve: all, less those a chunk job writes.

        A chunked sample's files belong to its chunk's job (target its manifest to remake them); the
        per-sample rules never write them too, with other mtimes and another job's log.
        """
        chunked = self.chunk_of_sample
        if not chunked:
            return SAMPLE_ID_PATTERN
        served = [re.escape(sample_id) for sample_id in self.samples_by_id if sample_id not in chunked]
        return "|".join(served) if served else "(?!)"

    def family_of(self, sample_id: str) -> list[str]:
        """The sample and the parents listed for it, whose genotypes the verdict may use."""
        return [sample_id, *self.samples_by_id[sample_id].parents]

    def stage_files_of(self, members: Iterable[str], stage_path: str) -> list[str]:
        """One stage's file for the batch of each member (a batch is read once however many members share it)."""
        return sorted({stage_path.format(batch=batch) for member in members for batch in self.batches_of(member)})

    def cohort_family_members(self, batch: str) -> list[str]:
        """Every sample of a cohort-mode batch and every parent listed for them, in sheet order."""
        return list(dict.fromkeys(m for s in self.cohort_batches[batch] for m in self.family_of(s.sample_id)))

    @functools.cached_property
    def chunk_of_sample(self) -> dict[str, str]:
        """The chunk whose job writes each chunked sample's verdict and reports."""
        return {sample_id: name for name, chunk in self.chunks.items() for sample_id in chunk.samples}

    def chunk_manifest(self, name: str) -> str:
        """The one file a chunk's job declares: the list of files it wrote (trpm6_hsh.chunk_job).

        Its samples' verdicts and reports are written at the per-sample rules' paths but not declared: a
        job with tens of thousands of declared outputs costs the workflow seconds of bookkeeping per start.
        """
        return CHUNK_MANIFEST.format(chunk=name)

    def report_made_by(self, sample_id: str) -> str:
        """What a step after the report (PDF, screenshot) waits for: the chunk's manifest, or the HTML report."""
        chunk = self.chunk_of_sample.get(sample_id)
        return self.chunk_manifest(chunk) if chunk else REPORT_FILE.format(sample=sample_id, extension="html")

    def report_sources(self) -> list[str]:
        """What the cohort page waits for: each unchunked sample's report JSON and each chunk's manifest."""
        unchunked = [
            REPORT_FILE.format(sample=sample_id, extension="json")
            for sample_id in self.samples_by_id
            if sample_id not in self.chunk_of_sample
        ]
        return unchunked + [self.chunk_manifest(name) for name in self.chunks]

    def chunk_vcfs(self, name: str) -> dict[str, str]:
        """The input file of each batch of a chunk."""
        return {batch: self.batch_vcfs[batch] for batch in self.chunks[name].batches}

    def chunk_input_files(self, name: str) -> dict[str, list[str]]:
        """A chunk's own inputs besides its checksum file: its samples' alignments and copy-number calls."""
        chunk = self.chunks[name]
        alignments = [self.samples_by_id[s].alignment for s in chunk.samples if self.samples_by_id[s].alignment]
        return {"alignments": alignments, "copy_number": list(self.copy_number_files_of(chunk.samples).values())}

    def chunk_arguments(self, name: str, population_sources: Mapping[str, Any]) -> dict[str, Any]:
        """What the chunk job needs to know of its files and samples, as plain data (the chunk rule's params).

        ``population_sources``: per batch, :class:`~trpm6_hsh.population.PopulationSource` as JSON.
        Only the chunk's own samples appear, so adding a sample elsewhere leaves these params unchanged.
        """
        chunk = self.chunks[name]
        rows = {sample_id: self.samples_by_id[sample_id] for sample_id in chunk.samples}
        children = {
            sample_id: [sample_record(child) for child in self.children_of(sample_id)] for sample_id in chunk.samples
        }
        return {
            "file_samples": {batch: [s.sample_id for s in self.batches[batch]] for batch in chunk.batches},
            "samples": [sample_record(self.samples_by_id[sample_id]) for sample_id in chunk.samples],
            "family_batches": self.family_batches_of(chunk.samples),
            "alignments": {sample_id: row.alignment for sample_id, row in rows.items() if row.alignment},
            "copy_number": self.copy_number_files_of(chunk.samples),
            "vcf_checksums": {s: self.stage_files_of(self.family_of(s), VCF_CHECKSUMS) for s in chunk.samples},
            "children": {sample_id: rows for sample_id, rows in children.items() if rows},
            "per_sample": {
                sample_id: {
                    "consequences": CONSEQUENCE_TABLE.format(batch=self.batch_of_sample[sample_id]),
                    "extract_summary": EXTRACT_SUMMARY.format(batch=self.batch_of_sample[sample_id]),
                    "population_source": population_sources[self.batch_of_sample[sample_id]],
                }
                for sample_id in chunk.samples
            },
        }

    def cohort_arguments(self, batch: str, population_source: Mapping[str, Any]) -> dict[str, Any]:
        """What a cohort-mode job must know of its samples, as plain data (its plan file; see chunk_arguments)."""
        members = self.cohort_family_members(batch)
        chosen = self.cohort_batches[batch]
        return {
            "samples": [sample_record(sample) for sample in chosen],
            "family_batches": self.family_batches_of(members),
            "vcf_checksums": {s.sample_id: self.stage_files_of(self.family_of(s.sample_id), VCF_CHECKSUMS)
                              for s in chosen},  # fmt: skip
            "copy_number": self.copy_number_files_of(members),
            "population_source": dict(population_source),
            "children": {
                s.sample_id: [sample_record(child) for child in self.children_of(s.sample_id)] for s in chosen
            },
        }

    def concordance_tables(self) -> list[str]:
        """The annotator comparison of each batch, when more than one annotator runs."""
        if len(self.annotators_compared) < 2:
            return []
        return [f"results/annotate/{batch}.concordance.tsv" for batch in self.batches]

    def annotator_output(self, annotator: str, batch: str) -> str:
        """What an annotator rule writes for one batch (the built-in writes its table directly)."""
        if annotator == "builtin":
            return f"results/annotate/builtin/{batch}.tsv"
        if annotator == "custom":
            return f"results/annotate/custom/{batch}.{self.custom_output_suffix}"
        return f"results/annotate/{annotator}/{batch}.vcf"

    def annotator_output_format(self, annotator: str) -> str:
        return "tsv" if annotator == "custom" and self.custom_output_suffix == "tsv" else "vcf"

    def snpeff_database_files(self) -> dict[str, str]:
        """The offline-built SnpEff database the run makes, unless the config names a prebuilt one."""
        if self.config["snpeff"]["database"]:
            return {}
        return {
            "config": "results/annotate/snpeff/database/snpEff.config",
            "predictor": f"results/annotate/snpeff/database/{DEFAULT_SNPEFF_DATABASE}/snpEffectPredictor.bin",
        }

    def snpeff_config_option(self, built_config: str | None) -> str:
        """SnpEff's ``-c``: the config the run built, else the configured one, else none (SnpEff's own)."""
        if built_config is not None:
            return f"-c {built_config}"
        configured = self.config["snpeff"]["config"]
        return f"-c {configured}" if configured else ""

    def vep_model_files(self) -> dict[str, str]:
        """--gff/--gtf mode needs the prepared model; cache mode needs nothing from the run."""
        if self.config["vep"]["cache_dir"]:
            return {}
        return {"model": f"results/annotate/vep/model/{self.models.vep_model_name}.gz"}

    def vep_source_options(self, prepared_model: str | None) -> str:
        """Where VEP takes its transcripts from: its cache (for this build, MANE-flagged) or the prepared model."""
        vep = self.config["vep"]
        if vep["cache_dir"]:
            options = ["--cache", "--dir_cache", vep["cache_dir"], "--species", vep["species"],
                       "--assembly", self.build.value]
            options += ["--cache_version", str(vep["cache_version"])] if vep["cache_version"] else []
            return " ".join([*options, "--mane"])
        return f"--{'gtf' if self.models.vep_model_name.endswith('gtf') else 'gff'} {prepared_model}"

    def final_outputs(self) -> list[str]:
        """Every file the default target makes: the reports of each sample, the cohort summary, comparisons."""
        report = self.config["report"]
        unchunked = [s for s in self.samples_by_id if s not in self.chunk_of_sample]
        outputs = [REPORT_FILE.format(sample=s, extension=ext) for s in unchunked for ext in REPORT_EXTENSIONS]
        outputs += [self.chunk_manifest(name) for name in self.chunks]
        if report["pdf"]:
            outputs += [f"results/reports/{s}.report.pdf" for s in self.samples_by_id]
        if report["screenshots"]:
            outputs += [f"results/screenshots/{s}.png" for s in self.samples_by_id]
        return outputs + ["results/cohort/summary.tsv", "results/cohort/summary.html"] + self.concordance_tables()


def _fetch_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    resources = config["resources"]
    return {
        "cache": resources["cache"],
        "offline": config["offline"],
        "urls": resources["urls"],
        "timeout_s": resources["timeout_s"],
        "attempts": resources["attempts"],
    }


def _annotators_compared(config: Mapping[str, Any]) -> tuple[str, ...]:
    compared = tuple(dict.fromkeys([config["annotator"], *config["annotator_concordance"]]))
    if config["custom_annotator"]["command"] == "" and "custom" in compared:
        raise ConfigError(
            "the workflow config",
            "annotator custom needs custom_annotator.command",
            "set it to your command with {vcf}, {fasta}, {model} and {out} (see docs/annotators.md)",
        )
    return compared


def plan_run(
    validated_config: Mapping[str, Any], samples: Sequence[Sample], repository_resources: Path | str
) -> RunPlan:
    """Resolve every path and choice of a run; raises ConfigError (a Trpm6Error) for a config it cannot run.

    ``validated_config`` must come from :func:`trpm6_hsh.config.validate_config` (every default filled in);
    ``repository_resources`` is the checkout's ``resources/`` folder holding the shipped model per build.
    """
    config = dict(validated_config)
    build = parse_build(config["reference"]["build"], "the workflow config reference.build")
    shipped = Path(repository_resources) / build
    transcript_model = config["transcripts"] or str(shipped / GFF3_FILE)
    locus_bed = config["locus_bed"] or str(shipped / LOCUS_BED)

    cached = choose_cached(config["resources"], build)
    transcripts = cached.get(SourceKind.TRANSCRIPTS)
    if transcripts is not None:
        check_cached_model(transcripts)
        transcript_model = config["transcripts"] or transcripts.file(GFF3_FILE)
        locus_bed = config["locus_bed"] or transcripts.file(LOCUS_BED)
    clinvar = cached.get(SourceKind.CLINVAR)
    if clinvar is not None and not config["clinvar_vcf"]:
        config["clinvar_vcf"] = clinvar.file(CACHED_CLINVAR_FILE)
    gnomad = cached.get(SourceKind.GNOMAD)
    if gnomad is not None and not config["gnomad_vcf"]:
        config["gnomad_vcf"] = gnomad.file(CACHED_GNOMAD_FILE)

    annotators_compared = _annotators_compared(config)
    grouped = batches(tuple(samples))
    main_batches = dict(grouped)
    batch_vcfs = {batch: members[0].vcf for batch, members in grouped.items()}
    for sample in samples:
        if sample.sv_vcf:
            sv_batch = batch_id_for(sample.sv_vcf)
            batch_vcfs.setdefault(sv_batch, sample.sv_vcf)
            if sample not in grouped.get(sv_batch, ()):
                grouped[sv_batch] = (*grouped.get(sv_batch, ()), sample)
    min_samples = config["cohort"]["min_samples"]
    reference_fasta = config["reference"]["fasta"]
    cohort_batches = {
        batch: members for batch, members in main_batches.items() if min_samples and len(members) >= min_samples
    }
    sv_batch_of_sample = {s.sample_id: batch_id_for(s.sv_vcf) for s in samples if s.sv_vcf}
    batch_of_sample = {s.sample_id: batch for batch, members in main_batches.items() for s in members}
    chunks = {}
    if annotators_compared == ("builtin",):  # the chunk job runs the built-in annotator in its own process
        files_of = {
            s.sample_id: [b for b in (batch_of_sample[s.sample_id], sv_batch_of_sample.get(s.sample_id)) if b]
            for s in samples
        }
        chunks = plan_chunks(samples, files_of, ChunkSettings.from_config(config["batching"]), cohort_batches)
    return RunPlan(
        config=config,
        config_sha256=config_digest(config),
        build=build,
        reference_fasta=reference_fasta,
        transcript_model=str(transcript_model),
        locus_bed=str(locus_bed),
        clinvar_vcf=config["clinvar_vcf"],
        gnomad_vcf=config["gnomad_vcf"],
        cached=cached,
        fetch_settings=_fetch_settings(config),
        samples_by_id={sample.sample_id: sample for sample in samples},
        batches=grouped,
        batch_of_sample=batch_of_sample,
        cohort_batches=cohort_batches,
        annotators_compared=annotators_compared,
        custom_output_suffix="tsv" if config["custom_annotator"]["output_format"] == "tsv" else "vcf",
        models=AnnotatorModels.for_model(str(transcript_model), reference_fasta, config["snpeff"]["database"]),
        batch_vcfs=batch_vcfs,
        sv_batch_of_sample=sv_batch_of_sample,
        chunks=chunks,
    )
