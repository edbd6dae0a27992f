# Validation, sample-sheet loading and input functions. No rules here.

from dataclasses import asdict
import importlib.util
import sys
from pathlib import Path

# The workflow works from a plain checkout too: the package sits in src/ beside workflow/
# (the rule adapters in scripts/stages/ find it the same way, through _package_path.py).
WORKFLOW_DIR = Path(workflow.current_basedir).parent
PACKAGE_DIR = str(WORKFLOW_DIR.parent / "src")
if PACKAGE_DIR not in sys.path:
    sys.path.insert(0, PACKAGE_DIR)

from trpm6_hsh.config import batches, config_digest, load_samples, validate_config  # noqa: E402
from trpm6_hsh.errors import Trpm6Error  # noqa: E402
from trpm6_hsh.report_browser import find_chromium  # noqa: E402

SCHEMAS = WORKFLOW_DIR / "schemas"
RESOURCES = WORKFLOW_DIR.parent / "resources"
AVAILABLE_ANNOTATORS = ("builtin",)


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
    if validated["report"]["pdf"] and importlib.util.find_spec("weasyprint") is None:
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


def family_locus_vcfs(wildcards):
    return sorted({f"results/locus/{BATCH_OF_SAMPLE[s]}.vcf.gz" for s in family_of(wildcards.sample)})


def family_variant_tables(wildcards):
    return sorted(
        {f"results/classify/{BATCH_OF_SAMPLE[s]}.variants.tsv" for s in family_of(wildcards.sample)}
    )


def family_vcf_checksums(wildcards):
    return sorted({f"results/provenance/{BATCH_OF_SAMPLE[s]}.vcf.json" for s in family_of(wildcards.sample)})


def family_batches(wildcards):
    return {s: BATCH_OF_SAMPLE[s] for s in family_of(wildcards.sample)}


def sample_record(wildcards):
    return asdict(SAMPLES_BY_ID[wildcards.sample])


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
    return reports + ["results/cohort/summary.tsv", "results/cohort/summary.html"]
