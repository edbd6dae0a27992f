"""The run plan: each start-up decision of the workflow, taken from a validated config and a sample sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from trpm6_hsh.config import Sample, batch_id_for, config_digest, validate_config
from trpm6_hsh.errors import ConfigError
from trpm6_hsh.fetch.cache import CACHE_FILES, ResourceCache, SourceKind
from trpm6_hsh.model import Build
from trpm6_hsh.runplan import plan_run

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
RESOURCES = REPO / "resources"

CHILD = Sample("KID", "cohort.vcf.gz", paternal_id="DAD", maternal_id="MUM")
DAD = Sample("DAD", "cohort.vcf.gz", sex="male")
MUM = Sample("MUM", "mum.vcf.gz", sex="female")
SAMPLES = (CHILD, DAD, MUM)


def _config(**overrides) -> dict:
    return validate_config({"samples": "samples.tsv", "reference": {"fasta": "ref.fa"}, **overrides}, SCHEMA)


def _publish(cache: Path, kind: SourceKind, release: str, build: Build = Build.GRCH38, **provenance) -> Path:
    store = ResourceCache(cache)
    with store.staging(kind, build) as staging:
        for name in CACHE_FILES[kind]:
            (staging / name).write_text(f"{kind.value} {release} {name}\n")
        return store.publish(staging, kind, build, release, provenance).folder


def test_the_shipped_model_and_locus_of_the_build_by_default():
    for build in Build:
        plan = plan_run(_config(reference={"fasta": "ref.fa", "build": build.value}), SAMPLES, RESOURCES)
        assert plan.build is build
        assert plan.transcript_model == str(RESOURCES / build.value / "trpm6_mane_select.gff3")
        assert plan.locus_bed == str(RESOURCES / build.value / "trpm6_locus.bed")
        assert plan.reference_fasta == "ref.fa"
        assert (plan.clinvar_vcf, plan.gnomad_vcf, dict(plan.cached), plan.fetch_needed) == ("", "", {}, {})


def test_a_configured_model_and_bed_win():
    plan = plan_run(_config(transcripts="my.gtf", locus_bed="my.bed"), SAMPLES, RESOURCES)
    assert (plan.transcript_model, plan.locus_bed) == ("my.gtf", "my.bed")


def test_a_cached_release_replaces_the_shipped_files_and_fills_empty_site_vcfs(tmp_path):
    cache = tmp_path / "cache"
    transcripts = _publish(cache, SourceKind.TRANSCRIPTS, "115", agrees_with_shipped_model={"coding_agrees": True})
    clinvar = _publish(cache, SourceKind.CLINVAR, "20250105")
    gnomad = _publish(cache, SourceKind.GNOMAD, "gnomad_r4")
    validated = _config(resources={"cache": str(cache)})
    plan = plan_run(validated, SAMPLES, RESOURCES)
    assert plan.transcript_model == str(transcripts / "trpm6_mane_select.gff3")
    assert plan.locus_bed == str(transcripts / "trpm6_locus.bed")
    assert plan.clinvar_vcf == plan.config["clinvar_vcf"] == str(clinvar / "clinvar.trpm6.vcf.gz")
    assert plan.gnomad_vcf == plan.config["gnomad_vcf"] == str(gnomad / "gnomad.trpm6.vcf.gz")
    assert validated["clinvar_vcf"] == "", "the validated config itself is left as it was"
    assert plan.config_sha256 == config_digest(plan.config) != config_digest(validated)
    assert plan.fetch_needed == {}
    assert plan.cached_resource_inputs() == {
        "transcripts_provenance": str(transcripts / "provenance.json"),
        "clinvar_provenance": str(clinvar / "provenance.json"),
        "gnomad_provenance": str(gnomad / "provenance.json"),
        "cached_clinvar_vcf": str(clinvar / "clinvar.trpm6.vcf.gz"),
        "cached_gnomad_vcf": str(gnomad / "gnomad.trpm6.vcf.gz"),
    }


def test_configured_files_win_over_the_cache(tmp_path):
    cache = tmp_path / "cache"
    _publish(cache, SourceKind.TRANSCRIPTS, "115", agrees_with_shipped_model={"coding_agrees": True})
    clinvar = _publish(cache, SourceKind.CLINVAR, "20250105")
    validated = _config(resources={"cache": str(cache)}, transcripts="my.gff3", locus_bed="my.bed",
                        clinvar_vcf="own_clinvar.vcf.gz")
    plan = plan_run(validated, SAMPLES, RESOURCES)
    assert (plan.transcript_model, plan.locus_bed, plan.clinvar_vcf) == ("my.gff3", "my.bed", "own_clinvar.vcf.gz")
    assert plan.cached_resource_inputs() == {
        "transcripts_provenance": str(cache / "GRCh38" / "transcripts-115" / "provenance.json"),
        "clinvar_provenance": str(clinvar / "provenance.json"),
    }


def test_a_pinned_release_missing_from_the_cache_is_to_be_fetched(tmp_path):
    cache = tmp_path / "cache"
    plan = plan_run(_config(resources={"cache": str(cache), "clinvar_release": "20240101"}), SAMPLES, RESOURCES)
    assert list(plan.fetch_needed) == ["clinvar"]
    assert plan.fetch_needed["clinvar"].release == "20240101"
    assert plan.clinvar_vcf == str(cache / "GRCh38" / "clinvar-20240101" / "clinvar.trpm6.vcf.gz")
    assert plan.fetch_settings == {
        "cache": str(cache), "offline": True, "urls": plan.config["resources"]["urls"], "timeout_s": 60, "attempts": 5
    }


def test_a_cached_model_with_other_coding_exons_is_refused(tmp_path):
    cache = tmp_path / "cache"
    _publish(cache, SourceKind.TRANSCRIPTS, "115", agrees_with_shipped_model={"coding_agrees": False})
    with pytest.raises(ConfigError, match="coding structure differs"):
        plan_run(_config(resources={"cache": str(cache)}), SAMPLES, RESOURCES)


def test_annotator_model_twins_for_the_shipped_gff3():
    plan = plan_run(_config(), SAMPLES, RESOURCES)
    shipped = RESOURCES / "GRCh38"
    assert plan.models.bcftools == str(shipped / "trpm6_mane_select.gff3")
    assert plan.models.snpeff == str(shipped / "trpm6_mane_select.gtf")
    assert (plan.models.snpeff_format, plan.models.snpeff_genes_file) == ("gtf22", "genes.gtf")
    assert plan.models.snpeff_sequences_file == "sequences.fa"
    assert plan.models.snpeff_database == "trpm6"
    assert plan.models.vep_model_name == "model.gff3"


def test_annotator_model_twins_for_a_gtf_and_a_lone_gff3(tmp_path):
    gtf = plan_run(_config(transcripts="models/x.gtf", reference={"fasta": "ref.fa.gz"}), SAMPLES, RESOURCES).models
    assert (gtf.bcftools, gtf.snpeff, gtf.snpeff_format) == ("models/x.gff3", "models/x.gtf", "gtf22")
    assert (gtf.vep_model_name, gtf.snpeff_sequences_file) == ("model.gtf", "sequences.fa.gz")
    lone = tmp_path / "lone.gff3"
    gff3 = plan_run(_config(transcripts=str(lone), snpeff={"database": "GRCh38.105"}), SAMPLES, RESOURCES).models
    assert (gff3.bcftools, gff3.snpeff, gff3.snpeff_format, gff3.snpeff_genes_file) == (
        str(lone), str(lone), "gff3", "genes.gff"
    )
    assert gff3.snpeff_database == "GRCh38.105"


def test_batches_group_samples_by_vcf_and_know_each_family():
    plan = plan_run(_config(), SAMPLES, RESOURCES)
    cohort, mum = batch_id_for("cohort.vcf.gz"), batch_id_for("mum.vcf.gz")
    assert plan.batches == {cohort: (CHILD, DAD), mum: (MUM,)}
    assert plan.batch_of_sample == {"KID": cohort, "DAD": cohort, "MUM": mum}
    assert plan.family_of("KID") == ["KID", "DAD", "MUM"]
    assert plan.stage_files_of(plan.family_of("KID"), "results/locus/{batch}.vcf.gz") == sorted(
        [f"results/locus/{cohort}.vcf.gz", f"results/locus/{mum}.vcf.gz"]
    )
    assert plan.cohort_batches == {}


def test_cohort_mode_from_min_samples():
    plan = plan_run(_config(cohort={"min_samples": 2}), SAMPLES, RESOURCES)
    cohort = batch_id_for("cohort.vcf.gz")
    assert list(plan.cohort_batches) == [cohort]
    assert plan.cohort_family_members(cohort) == ["KID", "DAD", "MUM"]
    assert plan_run(_config(cohort={"min_samples": 0}), SAMPLES, RESOURCES).cohort_batches == {}


def test_annotators_compared_and_their_outputs():
    plan = plan_run(_config(annotator="vep", annotator_concordance=["builtin", "vep"]), SAMPLES, RESOURCES)
    assert plan.annotators_compared == ("vep", "builtin")
    assert plan.concordance_tables() == [f"results/annotate/{batch}.concordance.tsv" for batch in plan.batches]
    assert plan.annotator_output("builtin", "b") == "results/annotate/builtin/b.tsv"
    assert plan.annotator_output("vep", "b") == "results/annotate/vep/b.vcf"
    assert plan.annotator_output("custom", "b") == "results/annotate/custom/b.vcf"
    assert plan.annotator_output_format("custom") == "vcf"
    assert plan_run(_config(), SAMPLES, RESOURCES).concordance_tables() == []


def test_a_custom_annotator_writing_tsv():
    custom = {"command": "run {vcf} {out}", "output_format": "tsv"}
    plan = plan_run(_config(annotator="custom", custom_annotator=custom), SAMPLES, RESOURCES)
    assert plan.custom_output_suffix == "tsv"
    assert plan.annotator_output("custom", "b") == "results/annotate/custom/b.tsv"
    assert (plan.annotator_output_format("custom"), plan.annotator_output_format("vep")) == ("tsv", "vcf")


def test_a_custom_annotator_without_a_command_is_refused():
    with pytest.raises(ConfigError, match="annotator custom needs custom_annotator.command"):
        plan_run(_config(annotator_concordance=["custom"]), SAMPLES, RESOURCES)


def test_final_outputs_follow_the_report_settings():
    plain = plan_run(_config(), SAMPLES, RESOURCES).final_outputs()
    assert plain[:3] == ["results/reports/KID.report.html", "results/reports/KID.report.json",
                         "results/reports/KID.report.tsv"]
    assert len(plain) == 3 * 3 + 2 and plain[-2:] == ["results/cohort/summary.tsv", "results/cohort/summary.html"]
    full = plan_run(_config(report={"pdf": True, "screenshots": True}, annotator_concordance=["vep"]),
                    SAMPLES, RESOURCES).final_outputs()
    assert "results/reports/MUM.report.pdf" in full and "results/screenshots/DAD.png" in full
    assert full[-1].endswith(".concordance.tsv")


def test_snpeff_database_built_by_the_run_or_prebuilt():
    built = plan_run(_config(), SAMPLES, RESOURCES)
    assert built.snpeff_database_files() == {
        "config": "results/annotate/snpeff/database/snpEff.config",
        "predictor": "results/annotate/snpeff/database/trpm6/snpEffectPredictor.bin",
    }
    assert built.snpeff_config_option("results/annotate/snpeff/database/snpEff.config") == (
        "-c results/annotate/snpeff/database/snpEff.config"
    )
    prebuilt = plan_run(_config(snpeff={"database": "GRCh38.105", "config": "/db/snpEff.config"}), SAMPLES, RESOURCES)
    assert prebuilt.snpeff_database_files() == {}
    assert prebuilt.snpeff_config_option(None) == "-c /db/snpEff.config"
    assert plan_run(_config(snpeff={"database": "GRCh38.105"}), SAMPLES, RESOURCES).snpeff_config_option(None) == ""


def test_vep_reads_the_prepared_model_or_its_cache():
    model_mode = plan_run(_config(), SAMPLES, RESOURCES)
    assert model_mode.vep_model_files() == {"model": "results/annotate/vep/model/model.gff3.gz"}
    assert model_mode.vep_source_options("m.gff3.gz") == "--gff m.gff3.gz"
    gtf = plan_run(_config(transcripts="x.gtf"), SAMPLES, RESOURCES)
    assert gtf.vep_source_options("m.gtf.gz") == "--gtf m.gtf.gz"
    vep = {"cache_dir": "/vep", "species": "homo_sapiens_refseq", "cache_version": "113"}
    cache_mode = plan_run(_config(vep=vep, reference={"fasta": "r.fa", "build": "GRCh37"}), SAMPLES, RESOURCES)
    assert cache_mode.vep_model_files() == {}
    assert cache_mode.vep_source_options(None) == (
        "--cache --dir_cache /vep --species homo_sapiens_refseq --assembly GRCh37 --cache_version 113 --mane"
    )


def test_user_given_clinvar_gnomad_and_coverage_bed_are_checksummed_inputs():
    plan = plan_run(
        _config(clinvar_vcf="/d/clinvar.vcf.gz", gnomad_vcf="/d/gnomad.vcf.gz",
                population={"gnomad_coverage_bed": "/d/exomes.bed"}),
        SAMPLES, RESOURCES,
    )  # fmt: skip
    assert plan.user_resource_inputs() == {
        "clinvar_vcf": "/d/clinvar.vcf.gz", "gnomad_vcf": "/d/gnomad.vcf.gz", "gnomad_coverage_bed": "/d/exomes.bed"
    }
    assert plan_run(_config(), SAMPLES, RESOURCES).user_resource_inputs() == {}


def test_cached_releases_are_not_checksummed_twice(tmp_path):
    cache = tmp_path / "cache"
    _publish(cache, SourceKind.CLINVAR, "20240101")
    plan = plan_run(_config(resources={"cache": str(cache)}), SAMPLES, RESOURCES)
    assert "cached_clinvar_vcf" in plan.cached_resource_inputs()
    assert plan.user_resource_inputs() == {}


def test_population_sources_per_batch_read_each_vcf_header(tmp_path):
    annotated = tmp_path / "annotated.vcf"
    annotated.write_text(
        "##fileformat=VCFv4.2\n"
        '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    )
    samples = (Sample("A", str(annotated)), Sample("B", str(tmp_path / "missing.vcf")))
    sources = plan_run(_config(), samples, RESOURCES).population_sources()
    by_vcf = {Path(members[0].vcf).name: sources[batch] for batch, members in plan_run(_config(), samples, RESOURCES)
              .batches.items()}  # fmt: skip
    assert by_vcf["annotated.vcf"].assessed
    assert not by_vcf["missing.vcf"].assessed
    with_gnomad = plan_run(_config(gnomad_vcf="/d/gnomad.vcf.gz"), samples, RESOURCES).population_sources()
    assert all(source.assessed for source in with_gnomad.values())


def test_copy_number_runs_for_the_samples_with_an_alignment_and_their_families_read_it():
    samples = (Sample("KID", "cohort.vcf.gz", paternal_id="DAD", alignment="kid.bam"), DAD,
               Sample("SIB", "cohort.vcf.gz", alignment="sib.cram"))  # fmt: skip
    plan = plan_run(_config(), samples, RESOURCES)
    assert plan.copy_number_alignments() == {"KID": "kid.bam", "SIB": "sib.cram"}
    assert plan.copy_number_outputs()["KID"] == "results/cnv/KID.copy_number.json"
    assert plan.copy_number_files_of(["KID", "DAD"]) == {"KID": "results/cnv/KID.copy_number.json"}
    assert plan.copy_number_files_of(["DAD"]) == {}  # no alignment: no file, the report says not assessed


def test_copy_number_disabled_runs_for_no_sample():
    samples = (Sample("KID", "cohort.vcf.gz", alignment="kid.bam"),)
    plan = plan_run(_config(cnv={"enabled": False}), samples, RESOURCES)
    assert plan.copy_number_samples == () and plan.copy_number_files_of(["KID"]) == {}
