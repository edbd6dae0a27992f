"""The demo cohort under every annotator that runs here: the same verdicts, and a concordance table.

Each run is a user's run: a config outside the repository, only ``annotator:`` changed. SnpEff comes from
Debian's ``snpeff`` package (CI installs it); without it that run is skipped with the reason. VEP cannot be
installed here; its path is tested on real VEP output in tests/test_normalise.py.
"""

from __future__ import annotations

import json
import shutil
import sys

import pytest
import yaml
from conftest import REPO
from test_workflow import DEMO, read_tsv, snakemake, user_setup, verdicts

from trpm6_hsh import __version__

pytestmark = pytest.mark.workflow

EXPECTED = {row["sample_id"]: row["verdict"] for row in read_tsv(REPO / "config" / "demo_expected.tsv")}
HAVE_SNPEFF = shutil.which("snpEff") is not None


def reported_annotators(workdir) -> set[tuple[str, str]]:
    """(name, version) as the report JSONs' provenance states them."""
    reports = sorted((workdir / "results" / "reports").glob("*.report.json"))
    assert reports, "no report written"
    return {tuple(json.loads(path.read_text())["provenance"]["annotator"].values()) for path in reports}


def run_demo(workdir, annotator: str, samples: tuple[str, ...] = (), **extra) -> None:
    """The demo (or only ``samples`` and their parents) with ``annotator`` and further config keys."""

    def keep(rows):
        return [row for row in rows if row["sample_id"].split("_")[0] in samples] if samples else rows

    config_path = user_setup(workdir, DEMO, edit_rows=keep)
    config = yaml.safe_load(config_path.read_text())
    config.update(annotator=annotator, **extra)
    config_path.write_text(yaml.safe_dump(config))
    result = snakemake(workdir, config_path)
    assert result.returncode == 0, result.stderr[-3000:]


def test_bcftools_csq_gives_the_demo_verdicts_and_a_concordance_table(tmp_path):
    # cohort.min_samples 2: the multi-sample VCFs' reports come from the cohort rules, the others per sample
    run_demo(tmp_path, "bcftools_csq", annotator_concordance=["builtin"], cohort={"min_samples": 2})
    assert verdicts(tmp_path) == EXPECTED
    tables = sorted((tmp_path / "results" / "annotate").glob("*.concordance.tsv"))
    assert tables, "no concordance table written"
    rows = [row for table in tables for row in read_tsv(table)]
    assert {"bcftools_csq.consequence", "builtin.consequence", "differs_in"} <= set(rows[0])
    assert all(row["bcftools_csq.lof"] == row["builtin.lof"] for row in rows)
    normalised = read_tsv(next((tmp_path / "results" / "annotate").glob("*.consequences.tsv")))
    assert {row["annotator"] for row in normalised} == {"bcftools_csq"}
    (version,) = {row["annotator_version"] for row in normalised}
    assert version.startswith("1.") and "htslib" in version, version  # the csqVersion line bcftools wrote
    assert reported_annotators(tmp_path) == {("bcftools_csq", version)}
    assert list((tmp_path / "results" / "logs" / "cohort").glob("*.log")), "no cohort rule ran"


@pytest.mark.skipif(not HAVE_SNPEFF, reason="SnpEff is not installed (Debian package `snpeff`; CI installs it)")
def test_snpeff_gives_the_demo_verdicts(tmp_path):
    run_demo(tmp_path, "snpeff")
    assert verdicts(tmp_path) == EXPECTED
    assert (tmp_path / "results" / "annotate" / "snpeff" / "database" / "trpm6" / "snpEffectPredictor.bin").is_file()
    normalised = read_tsv(next((tmp_path / "results" / "annotate").glob("*.consequences.tsv")))
    assert {row["annotator"] for row in normalised} == {"snpeff"}
    (version,) = {row["annotator_version"] for row in normalised}
    assert version and version[0].isdigit(), version  # the SnpEffVersion line SnpEff wrote
    assert reported_annotators(tmp_path) == {("snpeff", version)}


def test_custom_example_annotator_gives_the_demo_verdicts(tmp_path):
    script = REPO / "scripts" / "custom_annotator_example.py"
    command = f"{sys.executable} {script} --vcf {{vcf}} --fasta {{fasta}} --model {{model}} --out {{out}} --format vcf"
    chosen = ("DEMO03", "DEMO05", "DEMO08")  # trio, cis pair, deletion: enough to show the plumbing, half the time
    run_demo(tmp_path, "custom", chosen, custom_annotator={"command": command, "output_format": "vcf"})
    assert verdicts(tmp_path) == {s: v for s, v in EXPECTED.items() if s.split("_")[0] in chosen}
    stated = f"custom_annotator_example 1.0 (trpm6_hsh {__version__} engine)"  # its ##annotator_version line
    assert reported_annotators(tmp_path) == {("custom", stated)}


def test_custom_without_a_command_stops_at_start_up(tmp_path):
    config_path = user_setup(tmp_path, DEMO)
    config = yaml.safe_load(config_path.read_text())
    config["annotator"] = "custom"
    config_path.write_text(yaml.safe_dump(config))
    result = snakemake(tmp_path, config_path, "-n")
    assert result.returncode != 0
    assert "custom_annotator.command" in result.stderr and "Traceback" not in result.stderr


def test_the_readme_concordance_example_plans_with_the_builtin_annotator_first(tmp_path):
    """`annotator_concordance: [builtin, snpeff]` (the README's example) once stopped as an ambiguous rule."""
    config_path = user_setup(tmp_path, DEMO)
    config = yaml.safe_load(config_path.read_text())
    config["annotator_concordance"] = ["builtin", "snpeff"]
    config_path.write_text(yaml.safe_dump(config))
    plan = snakemake(tmp_path, config_path, "-n")
    text = plan.stdout + plan.stderr
    assert plan.returncode == 0, text[-2000:]
    assert "AmbiguousRuleException" not in text
    for rule in ("annotate_builtin", "annotate_snpeff", "annotator_concordance"):
        assert rule in text, rule


def test_vep_rules_plan_in_gff_mode_and_with_a_cache(tmp_path):
    """VEP is not installed here: check the planned commands (dry run) for both modes."""
    config_path = user_setup(tmp_path, DEMO)
    config = yaml.safe_load(config_path.read_text())
    config["annotator"] = "vep"
    config_path.write_text(yaml.safe_dump(config))
    plan = snakemake(tmp_path, config_path, "-n", "-p")
    assert plan.returncode == 0, plan.stderr[-2000:]
    text = plan.stdout + plan.stderr
    assert "prepare_vep_model" in text and "--gff results/annotate/vep/model/model.gff3.gz" in text
    assert "--offline" in text and "--hgvs" in text
    config["vep"] = {"cache_dir": "/vep/cache", "cache_version": "113", "extra_args": "--plugin LoF"}
    config_path.write_text(yaml.safe_dump(config))
    plan = snakemake(tmp_path, config_path, "-n", "-p")
    text = plan.stdout + plan.stderr
    assert plan.returncode == 0, plan.stderr[-2000:]
    assert "--cache --dir_cache /vep/cache" in text and "--cache_version 113" in text and "--plugin LoF" in text
    assert "prepare_vep_model" not in text


def test_vep_rule_runs_end_to_end_with_a_stand_in_command(tmp_path):
    """The annotate_vep and prepare_vep_model rules as they run, with a stand-in for ``vep`` that checks its
    arguments and writes VEP-style CSQ (VEP's allele and HGVS conventions)."""
    stand_in = REPO / "tests" / "data" / "annotator" / "vep_stand_in.py"
    chosen = ("DEMO02", "DEMO04", "DEMO08")  # indels (VEP allele '-' style), phase, deletion
    run_demo(tmp_path, "vep", chosen, vep={"command": f"{sys.executable} {stand_in}"})
    assert verdicts(tmp_path) == {s: v for s, v in EXPECTED.items() if s.split("_")[0] in chosen}
    rows = [row for table in (tmp_path / "results" / "annotate").glob("*.consequences.tsv") for row in read_tsv(table)]
    assert {row["annotator"] for row in rows} == {"vep"}
    assert reported_annotators(tmp_path) == {("vep", "v000.0-stand-in")}  # the ##VEP line the stand-in wrote
    frameshift = next(row for row in rows if row["consequence"] == "frameshift_variant")
    assert frameshift["hgvs_source"] == "tool" and frameshift["hgvs_c"].startswith("c.")
