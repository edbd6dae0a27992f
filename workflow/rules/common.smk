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

from trpm6_hsh.config import batches, config_digest, load_samples, validate_config  # noqa: E402
from trpm6_hsh.errors import Trpm6Error  # noqa: E402
from trpm6_hsh.external_annotators import ANNOTATORS as AVAILABLE_ANNOTATORS  # noqa: E402
from trpm6_hsh.report.browser import find_chromium  # noqa: E402

SCHEMAS = WORKFLOW_DIR / "schemas"
RESOURCES = WORKFLOW_DIR.parent / "resources"


def _stop(error):
    """Stop at start-up with our one-line message instead of a traceback."""
    sys.stderr.write(f"trpm6-hsh: error: {error}\n")
    sys.exit(1)


def _load():
    try:
        validated = validate_config(config, SCHEMAS / "config.schema.yaml", "the workflow config")
        samples = load_samples(Path(validated["samples"]), SCHEMAS / "samples.schema.yaml")
    except Trpm6Error as error:
        _stop(error)
    if validated["annotator"] not in AVAILABLE_ANNOTATORS:
        _stop(
            f"the workflow config: annotator {validated['annotator']!r} is not available in this "
            f"version. Fix: set `annotator: builtin`."
        )
    # Under --sdm conda or apptainer the PDF jobs run in the environment or image, which hold WeasyPrint.
    jobs_use_this_python = not workflow.deployment_settings.deployment_method
    if validated["report"]["pdf"] and jobs_use_this_python and importlib.util.find_spec("weasyprint") is None:
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


CONFIG, SAMPLES = _load()
BUILD = CONFIG["reference"]["build"]
REFERENCE_FASTA = CONFIG["reference"]["fasta"]
TRANSCRIPT_MODEL = CONFIG["transcripts"] or str(RESOURCES / BUILD / "trpm6_mane_select.gff3")
LOCUS_BED = CONFIG["locus_bed"] or str(RESOURCES / BUILD / "trpm6_locus.bed")
# --- Reference data from a local cache (docs/resources.md). Empty resources.cache: shipped resources only.
# Fetched releases replace the shipped transcript model / locus BED when `transcripts` / `locus_bed` are
# empty, and are the defaults of clinvar_vcf / gnomad_vcf (ClinVar / gnomAD in classification) when those are
# empty. Placed before CONFIG_SHA256, so the config digest covers the cached files a run uses.
from trpm6_hsh.fetch.cache import SourceKind  # noqa: E402
from trpm6_hsh.fetch.commands import cache_file_patterns, check_cached_model, choose_cached  # noqa: E402

RESOURCE_SETTINGS = CONFIG.get("resources", {})
RESOURCE_CACHE = RESOURCE_SETTINGS.get("cache", "")
try:
    CACHED = choose_cached(RESOURCE_SETTINGS, BUILD)
    if SourceKind.TRANSCRIPTS in CACHED:
        check_cached_model(CACHED[SourceKind.TRANSCRIPTS])
except Trpm6Error as error:
    _stop(error)
FETCH_SETTINGS = {
    "cache": RESOURCE_CACHE,
    "offline": CONFIG["offline"],
    "urls": RESOURCE_SETTINGS.get("urls", {}),
    "timeout_s": RESOURCE_SETTINGS.get("timeout_s", 60),
    "attempts": RESOURCE_SETTINGS.get("attempts", 5),
}
if SourceKind.TRANSCRIPTS in CACHED:
    TRANSCRIPT_MODEL = CONFIG["transcripts"] or CACHED[SourceKind.TRANSCRIPTS].file("trpm6_mane_select.gff3")
    LOCUS_BED = CONFIG["locus_bed"] or CACHED[SourceKind.TRANSCRIPTS].file("trpm6_locus.bed")
if SourceKind.CLINVAR in CACHED and not CONFIG.get("clinvar_vcf"):
    CONFIG["clinvar_vcf"] = CACHED[SourceKind.CLINVAR].file("clinvar.trpm6.vcf.gz")
if SourceKind.GNOMAD in CACHED and not CONFIG.get("gnomad_vcf"):
    CONFIG["gnomad_vcf"] = CACHED[SourceKind.GNOMAD].file("gnomad.trpm6.vcf.gz")
CLINVAR_VCF = CONFIG.get("clinvar_vcf", "")
GNOMAD_VCF = CONFIG.get("gnomad_vcf", "")


FETCH_NEEDED = {kind.value: choice for kind, choice in CACHED.items() if not choice.present}
"""Pinned releases missing from the cache: a fetch rule makes them (files already cached are plain inputs)."""


def cache_outputs(kind):
    return cache_file_patterns(FETCH_NEEDED[kind].folder, kind)


def cached_resource_inputs(wildcards):
    """Provenance (and data file) of every cached release the run uses: checksummed, versions in each report."""
    inputs = {f"{kind.value}_provenance": choice.provenance for kind, choice in CACHED.items()}
    if SourceKind.CLINVAR in CACHED and CLINVAR_VCF == CACHED[SourceKind.CLINVAR].file("clinvar.trpm6.vcf.gz"):
        inputs["cached_clinvar_vcf"] = CLINVAR_VCF
    if SourceKind.GNOMAD in CACHED and GNOMAD_VCF == CACHED[SourceKind.GNOMAD].file("gnomad.trpm6.vcf.gz"):
        inputs["cached_gnomad_vcf"] = GNOMAD_VCF
    return inputs


CONFIG_SHA256 = config_digest(CONFIG)
SAMPLES_BY_ID = {sample.sample_id: sample for sample in SAMPLES}
BATCHES = batches(SAMPLES)
BATCH_OF_SAMPLE = {s.sample_id: batch for batch, members in BATCHES.items() for s in members}

# ---- annotators (rules in annotate.smk; contract in docs/annotators.md)
ANNOTATORS_COMPARED = list(dict.fromkeys([CONFIG["annotator"], *CONFIG["annotator_concordance"]]))
if CONFIG["custom_annotator"]["command"] == "" and "custom" in ANNOTATORS_COMPARED:
    _stop(
        "the workflow config: annotator custom needs custom_annotator.command. "
        "Fix: set it to your command with {vcf}, {fasta}, {model} and {out} (see docs/annotators.md)."
    )
CUSTOM_OUTPUT_SUFFIX = "tsv" if CONFIG["custom_annotator"]["output_format"] == "tsv" else "vcf"
# bcftools csq reads GFF3 (a GTF's GFF3 twin); SnpEff is built from the GTF twin of a GFF3 model when there
# is one (the shipped models have both), else from the model as given (snpEff build -gff3 / -gtf22).
_MODEL = Path(str(TRANSCRIPT_MODEL))
BCFTOOLS_MODEL = str(_MODEL.with_suffix(".gff3")) if _MODEL.suffix == ".gtf" else str(_MODEL)
_GTF_TWIN = _MODEL.with_suffix(".gtf")
SNPEFF_MODEL = str(_GTF_TWIN) if _MODEL.suffix == ".gff3" and _GTF_TWIN.is_file() else str(_MODEL)
SNPEFF_MODEL_FORMAT = "gtf22" if ".gtf" in Path(SNPEFF_MODEL).name else "gff3"
SNPEFF_GENES_FILE = "genes.gtf" if SNPEFF_MODEL_FORMAT == "gtf22" else "genes.gff"
SNPEFF_SEQUENCES_FILE = "sequences.fa.gz" if REFERENCE_FASTA.endswith(".gz") else "sequences.fa"
SNPEFF_DATABASE = CONFIG["snpeff"]["database"] or "trpm6"
VEP_MODEL_NAME = "model.gtf" if ".gtf" in _MODEL.name else "model.gff3"


def annotator_output(wildcards):
    """What the annotator rule wrote for this batch (the built-in writes its table directly)."""
    name = wildcards.annotator
    if name == "builtin":
        return f"results/annotate/builtin/{wildcards.batch}.tsv"
    if name == "custom":
        return f"results/annotate/custom/{wildcards.batch}.{CUSTOM_OUTPUT_SUFFIX}"
    return f"results/annotate/{name}/{wildcards.batch}.vcf"


def annotator_output_format(wildcards):
    return "tsv" if wildcards.annotator == "custom" and CUSTOM_OUTPUT_SUFFIX == "tsv" else "vcf"


def snpeff_database_files(wildcards):
    """The offline-built database, unless the user named a prebuilt one (snpeff.database)."""
    if CONFIG["snpeff"]["database"]:
        return {}
    return {
        "config": "results/annotate/snpeff/database/snpEff.config",
        "predictor": "results/annotate/snpeff/database/trpm6/snpEffectPredictor.bin",
    }


def snpeff_config_option(wildcards, input):
    if "config" in input.keys():
        return f"-c {input.config}"
    return f"-c {CONFIG['snpeff']['config']}" if CONFIG["snpeff"]["config"] else ""


def vep_model_files(wildcards):
    """--gff/--gtf mode needs the prepared model; cache mode needs nothing from us."""
    if CONFIG["vep"]["cache_dir"]:
        return {}
    return {"model": f"results/annotate/vep/model/{VEP_MODEL_NAME}.gz"}


def vep_source_options(wildcards, input):
    vep = CONFIG["vep"]
    if vep["cache_dir"]:
        options = ["--cache", "--dir_cache", vep["cache_dir"], "--species", vep["species"], "--assembly", BUILD]
        options += ["--cache_version", str(vep["cache_version"])] if vep["cache_version"] else []
        return " ".join([*options, "--mane"])
    return f"--{'gtf' if VEP_MODEL_NAME.endswith('gtf') else 'gff'} {input.model}"


def concordance_tables():
    if len(ANNOTATORS_COMPARED) < 2:
        return []
    return expand("results/annotate/{batch}.concordance.tsv", batch=BATCHES)



wildcard_constraints:
    sample="[A-Za-z0-9][A-Za-z0-9._-]*",
    batch="[A-Za-z0-9._-]+",


def batch_vcf(wildcards):
    return BATCHES[wildcards.batch][0].vcf


def batch_sample_ids(wildcards):
    return [sample.sample_id for sample in BATCHES[wildcards.batch]]


def family_of(sample_id):
    """The sample and the parents listed for it, whose genotypes the verdict may use."""
    return [sample_id, *SAMPLES_BY_ID[sample_id].parents]


LOCUS_VCF = "results/locus/{batch}.vcf.gz"
VARIANT_TABLE = "results/classify/{batch}.variants.tsv"
VCF_CHECKSUMS = "results/provenance/{batch}.vcf.json"
CONSEQUENCE_TABLE = "results/annotate/{batch}.consequences.tsv"


def stage_files_of(members, stage_path):
    """One stage's file for the batch of each member (a batch is read once however many members share it)."""
    return sorted({stage_path.format(batch=BATCH_OF_SAMPLE[member]) for member in members})


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
    return {s: BATCH_OF_SAMPLE[s] for s in family_of(wildcards.sample)}


def sample_record(wildcards):
    return asdict(SAMPLES_BY_ID[wildcards.sample])


COHORT_BATCHES = {
    batch: members
    for batch, members in BATCHES.items()
    if CONFIG["cohort"]["min_samples"] and len(members) >= CONFIG["cohort"]["min_samples"]
}


def cohort_rule_name(batch):
    """A rule name for one cohort-mode batch (batch IDs may hold '-' and '.')."""
    return "cohort_" + "".join(c if c.isalnum() else "_" for c in batch)


def cohort_family_members(batch):
    """Every sample of the batch and every parent listed for them, in sheet order."""
    return list(dict.fromkeys(m for s in COHORT_BATCHES[batch] for m in family_of(s.sample_id)))


def cohort_vcf_checksums(batch):
    """Each sample's own input-VCF checksum files, as rule write_report gets them."""
    return {s.sample_id: stage_files_of(family_of(s.sample_id), VCF_CHECKSUMS) for s in COHORT_BATCHES[batch]}


def cohort_outputs(batch, pattern):
    return [pattern.format(sample=s.sample_id) for s in COHORT_BATCHES[batch]]


def sample_alignment(wildcards):
    """The sample's BAM/CRAM for depth-based callability, when the sheet gives one."""
    alignment = SAMPLES_BY_ID[wildcards.sample].alignment
    return [alignment] if alignment else []


def _site_vcf(name, config_key):
    """A sites VCF for classification: the resource-cache default (``name``) when defined, else the config key."""
    path = globals().get(name) or CONFIG[config_key]
    return [path] if path else []


def clinvar_vcf(wildcards):
    return _site_vcf("CLINVAR_VCF", "clinvar_vcf")


def gnomad_vcf(wildcards):
    return _site_vcf("GNOMAD_VCF", "gnomad_vcf")


def final_outputs():
    reports = expand(
        "results/reports/{sample}.report.{ext}",
        sample=SAMPLES_BY_ID,
        ext=["html", "json", "tsv"],
    )
    if CONFIG["report"]["pdf"]:
        reports += expand("results/reports/{sample}.report.pdf", sample=SAMPLES_BY_ID)
    if CONFIG["report"]["screenshots"]:
        reports += expand("results/screenshots/{sample}.png", sample=SAMPLES_BY_ID)
    return reports + ["results/cohort/summary.tsv", "results/cohort/summary.html"] + concordance_tables()
