# Validation, sample-sheet loading and input functions. No rules here.

from dataclasses import asdict
import importlib.util
import sys
from pathlib import Path

# The workflow works from a plain checkout too: the package sits in src/ beside workflow/
# (the rule adapters in scripts/stages/ find it the same way, through _package_path.py).
WORKFLOW_DIR = Path(workflow.current_basedir).parent
PACKAGE_DIR = str(WORKFLOW_DIR.parent / "src")
# First on the path even when an installed copy (say, an editable install of another checkout) is there.
if PACKAGE_DIR in sys.path:
    sys.path.remove(PACKAGE_DIR)
sys.path.insert(0, PACKAGE_DIR)

from trpm6_hsh.config import load_samples, validate_config  # noqa: E402
from trpm6_hsh.errors import Trpm6Error  # noqa: E402
from trpm6_hsh.fetch.commands import cache_file_patterns  # noqa: E402
from trpm6_hsh.external_annotators import (
    ANNOTATORS as AVAILABLE_ANNOTATORS,
)  # noqa: E402
from trpm6_hsh.report.browser import find_chromium  # noqa: E402
from trpm6_hsh.report.closing import closing_summary  # noqa: E402
from trpm6_hsh.runlock import clear_stale_locks, locks_held  # noqa: E402
from trpm6_hsh.chunk_manifest import incomplete_chunk_manifests  # noqa: E402
from trpm6_hsh.runplan import (
    CHUNK_MANIFEST,
    COHORT_PLAN,
    CONSEQUENCE_TABLE,
    COPY_NUMBER_STATUS as PLAN_COPY_NUMBER_STATUS,
    EXTRACT_SUMMARY,
    LOCUS_VCF,
    VARIANT_TABLE,
    VCF_CHECKSUMS,
    VERDICT_JSON,
    plan_run,
)  # noqa: E402
from trpm6_hsh.population import warn_without_population_source  # noqa: E402

# A killed run leaves Snakemake's locks behind; clear them when no Snakemake works here (runlock.py).
if workflow.is_main_process and clear_stale_locks(Path.cwd()):
    sys.stderr.write(
        "trpm6-hsh: an interrupted run's locks were cleared; its incomplete outputs are redone\n"
    )

SCHEMAS = WORKFLOW_DIR / "schemas"
RESOURCES = WORKFLOW_DIR.parent / "resources"


def _stop(error):
    """Stop at start-up with our one-line message instead of a traceback."""
    sys.stderr.write(f"trpm6-hsh: error: {error}\n")
    sys.exit(1)


# Config errors name the file the user gave (--configfile), or the demo's config when none was given.
CONFIG_SOURCE = "the workflow config " + (
    ", ".join(str(path) for path in workflow.overwrite_configfiles)
    or "config/config.yaml"
)


def _load():
    try:
        validated = validate_config(
            config, SCHEMAS / "config.schema.yaml", CONFIG_SOURCE
        )
        samples = load_samples(
            Path(validated["samples"]), SCHEMAS / "samples.schema.yaml"
        )
    except Trpm6Error as error:
        _stop(error)
    if validated["annotator"] not in AVAILABLE_ANNOTATORS:
        _stop(
            f"the workflow config: annotator {validated['annotator']!r} is not available in this "
            f"version. Fix: set `annotator: builtin`."
        )
    # Under --sdm conda or apptainer the PDF jobs run in the environment or image, which hold WeasyPrint.
    jobs_use_this_python = not workflow.deployment_settings.deployment_method
    if (
        validated["report"]["pdf"]
        and jobs_use_this_python
        and importlib.util.find_spec("weasyprint") is None
    ):
        _stop(
            "the workflow config: report.pdf is true but WeasyPrint is not installed. "
            "Fix: pip install -e . (it is a dependency), or set report.pdf to false."
        )
    if validated["report"]["screenshots"] and not find_chromium():
        _stop(
            "the workflow config: report.screenshots is true but no Chromium was found on PATH. "
            "Fix: install the Debian package `chromium` (or set CHROMIUM=/path/to/chrome), or set it to false."
        )
    fasta = Path(validated["reference"]["fasta"])
    if not fasta.is_file():
        _stop(
            f"the workflow config: reference FASTA {str(fasta)!r} does not exist. "
            "Fix: set reference.fasta to your reference (absolute path)."
        )
    return validated, samples


VALIDATED_CONFIG, SAMPLES = _load()
# Every start-up decision (transcript model, cached releases, annotator model twins, batches) is taken by
# trpm6_hsh.runplan, where it is tested; the names below only look values up in the plan.
try:
    PLAN = plan_run(VALIDATED_CONFIG, SAMPLES, RESOURCES)
except Trpm6Error as error:
    _stop(error)
CONFIG = PLAN.config
CONFIG_SHA256 = PLAN.config_sha256
BUILD = PLAN.build.value
REFERENCE_FASTA = PLAN.reference_fasta
TRANSCRIPT_MODEL = PLAN.transcript_model
LOCUS_BED = PLAN.locus_bed
CLINVAR_VCF = PLAN.clinvar_vcf
GNOMAD_VCF = PLAN.gnomad_vcf
FETCH_SETTINGS = PLAN.fetch_settings
FETCH_NEEDED = PLAN.fetch_needed
SAMPLES_BY_ID = PLAN.samples_by_id
BATCHES = PLAN.batches
BATCH_OF_SAMPLE = PLAN.batch_of_sample
COHORT_BATCHES = PLAN.cohort_batches
# A batch with no population-frequency source cannot recognise a common allele: said now and in its reports.
POPULATION_SOURCES = warn_without_population_source(
    PLAN.population_sources(), sys.stderr
)

# ---- annotators (rules in annotate.smk; contract in docs/annotators.md)
ANNOTATORS_COMPARED = list(PLAN.annotators_compared)
CUSTOM_OUTPUT_SUFFIX = PLAN.custom_output_suffix
BCFTOOLS_MODEL = PLAN.models.bcftools
SNPEFF_MODEL = PLAN.models.snpeff
SNPEFF_MODEL_FORMAT = PLAN.models.snpeff_format
SNPEFF_GENES_FILE = PLAN.models.snpeff_genes_file
SNPEFF_SEQUENCES_FILE = PLAN.models.snpeff_sequences_file
SNPEFF_DATABASE = PLAN.models.snpeff_database
VEP_MODEL_NAME = PLAN.models.vep_model_name


def cache_outputs(kind):
    return cache_file_patterns(FETCH_NEEDED[kind].folder, kind)


def cached_resource_inputs(wildcards):
    """Provenance (and data file) of every cached release the run uses: checksummed, versions in each report."""
    return PLAN.cached_resource_inputs()


def annotator_output(wildcards):
    """What the annotator rule wrote for this batch (the built-in writes its table directly)."""
    return PLAN.annotator_output(wildcards.annotator, wildcards.batch)


def annotator_output_format(wildcards):
    return PLAN.annotator_output_format(wildcards.annotator)


def snpeff_database_files(wildcards):
    return PLAN.snpeff_database_files()


def snpeff_config_option(wildcards, input):
    return PLAN.snpeff_config_option(input.config if "config" in input.keys() else None)


def vep_model_files(wildcards):
    return PLAN.vep_model_files()


def vep_source_options(wildcards, input):
    return PLAN.vep_source_options(input.model if "model" in input.keys() else None)


def concordance_tables():
    return PLAN.concordance_tables()


wildcard_constraints:
    sample="[A-Za-z0-9][A-Za-z0-9._-]*",
    # A batch ID is the input file's stem and 8 hex digits (config.batch_id_for); anchoring on them keeps
    # "{batch}.tsv" from also matching "{batch}.consequences.tsv" (annotator concordance runs both rules).
    batch="[A-Za-z0-9._-]+-[0-9a-f]{8}",
    chunk="chunk[0-9]+-[0-9]+",


def batch_vcf(wildcards):
    """The input VCF of a batch: a small-variant vcf or an sv_vcf of the sheet."""
    return PLAN.batch_vcfs[wildcards.batch]


def batch_sample_ids(wildcards):
    return [sample.sample_id for sample in BATCHES[wildcards.batch]]


def family_of(sample_id):
    return PLAN.family_of(sample_id)


def stage_files_of(members, stage_path):
    return PLAN.stage_files_of(members, stage_path)


def family_locus_vcfs(wildcards):
    return stage_files_of(family_of(wildcards.sample), LOCUS_VCF)


def family_variant_tables(wildcards):
    return stage_files_of(family_of(wildcards.sample), VARIANT_TABLE)


def family_vcf_checksums(wildcards):
    return stage_files_of(family_of(wildcards.sample), VCF_CHECKSUMS)


def sample_consequence_table(wildcards):
    """The sample's own batch's table: it states the annotator and version the report names."""
    return CONSEQUENCE_TABLE.format(batch=BATCH_OF_SAMPLE[wildcards.sample])


def family_batches(wildcards):
    """Every batch of each family member: its vcf's and, when the sheet gives one, its sv_vcf's."""
    return PLAN.family_batches_of(family_of(wildcards.sample))


def sample_record(wildcards):
    return asdict(SAMPLES_BY_ID[wildcards.sample])


def cohort_rule_name(batch):
    """A rule name for one cohort-mode batch (batch IDs may hold '-' and '.')."""
    return "cohort_" + "".join(c if c.isalnum() else "_" for c in batch)


def cohort_family_members(batch):
    return PLAN.cohort_family_members(batch)


def _children(sample_id):
    return PLAN.children_of(sample_id)


def sample_children(wildcards):
    """This sample's children in the run: a parent's report names their familial variants."""
    return [asdict(child) for child in _children(wildcards.sample)]


def children_verdicts(wildcards):
    return [
        VERDICT_JSON.format(sample=child.sample_id)
        for child in _children(wildcards.sample)
    ]


def cohort_children_verdicts(batch):
    """Children's verdicts other rules write (those of the batch's own samples are this rule's outputs)."""
    inside = {s.sample_id for s in COHORT_BATCHES[batch]}
    wanted = {
        c.sample_id for s in COHORT_BATCHES[batch] for c in _children(s.sample_id)
    }
    return [
        VERDICT_JSON.format(sample=sample_id) for sample_id in sorted(wanted - inside)
    ]


def cohort_outputs(batch, pattern):
    return [pattern.format(sample=s.sample_id) for s in COHORT_BATCHES[batch]]


def sample_alignment(wildcards):
    """The sample's BAM/CRAM for depth-based callability, when the sheet gives one."""
    alignment = SAMPLES_BY_ID[wildcards.sample].alignment
    return [alignment] if alignment else []


def family_alignments(wildcards):
    """BAM/CRAM of the sample and its parents, by sample ID (a parent's reads can show it is reference)."""
    sample = SAMPLES_BY_ID[wildcards.sample]
    members = [SAMPLES_BY_ID[member] for member in [sample.sample_id, *sample.parents]]
    return {
        member.sample_id: member.alignment for member in members if member.alignment
    }


def parent_alignments(wildcards):
    return [
        path
        for member, path in family_alignments(wildcards).items()
        if member != wildcards.sample
    ]


# ---- chunks of many input files (rule in chunks.smk; trpm6_hsh.chunking), config `batching`
CHUNKS = PLAN.chunks
CHUNK_POPULATION_SOURCES = {
    batch: source.to_json() for batch, source in POPULATION_SOURCES.items()
}
# The samples the per-sample rules serve (those no chunk job writes).
PER_SAMPLE_RULE_SAMPLES = PLAN.per_sample_rule_samples()

# A chunk's manifest claims its files are all there; one that is missing a file (deleted by hand, or
# written by another run since) is removed, so the chunk's job runs again and remakes what is missing.
# Not while another run holds the folder (its jobs may be writing those files; this run will not start).
if workflow.is_main_process and not locks_held(Path.cwd()):
    for chunk_name, problem in incomplete_chunk_manifests(
        {name: PLAN.chunk_manifest(name) for name in CHUNKS}
    ).items():
        sys.stderr.write(
            f"trpm6-hsh: chunk {chunk_name}: {problem}; its job runs again\n"
        )
        Path(PLAN.chunk_manifest(chunk_name)).unlink()


def chunk_inputs(wildcards):
    """A chunk's input files, its samples' alignments and copy-number calls (unknown chunks: none)."""
    if wildcards.chunk not in CHUNKS:
        return {}
    return {
        "vcfs": list(PLAN.chunk_vcfs(wildcards.chunk).values()),
        **PLAN.chunk_input_files(wildcards.chunk),
    }


def report_made_by(wildcards):
    """The HTML report, or the manifest of the chunk whose job writes it."""
    return PLAN.report_made_by(wildcards.sample)


# ---- exon copy number from read depth (rule in cnv.smk; samples with an alignment, when cnv.enabled)
COPY_NUMBER_STATUS = PLAN_COPY_NUMBER_STATUS


def copy_number_alignment_files():
    return list(PLAN.copy_number_alignments().values())


def copy_number_result_files():
    return list(PLAN.copy_number_outputs().values())


def family_copy_number_files(wildcards):
    """The copy-number JSON of the sample and each parent that has an alignment."""
    return list(PLAN.copy_number_files_of(family_of(wildcards.sample)).values())


def family_copy_number(wildcards):
    return PLAN.copy_number_files_of(family_of(wildcards.sample))


def clinvar_vcf(wildcards):
    return [CLINVAR_VCF] if CLINVAR_VCF else []


def gnomad_vcf(wildcards):
    return [GNOMAD_VCF] if GNOMAD_VCF else []


def gnomad_coverage_bed(wildcards):
    bed = CONFIG["population"]["gnomad_coverage_bed"]
    return [bed] if bed and GNOMAD_VCF else []


def user_resource_inputs(wildcards):
    """The ClinVar / gnomAD files and coverage BED the user gave: checksummed, named in each report."""
    return PLAN.user_resource_inputs()


def sample_population_source(wildcards):
    return POPULATION_SOURCES[BATCH_OF_SAMPLE[wildcards.sample]].to_json()


def sample_extract_summary(wildcards):
    return EXTRACT_SUMMARY.format(batch=BATCH_OF_SAMPLE[wildcards.sample])


def final_outputs():
    return PLAN.final_outputs()
