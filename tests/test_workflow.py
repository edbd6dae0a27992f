"""The workflow as a user runs it: lint, the demo end to end, reruns, other builds, and bad input.

Every run happens outside the repository (``--directory``), with a user config whose paths are
absolute, so these tests also show that nothing in the repo has to be edited.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO

pytestmark = pytest.mark.workflow

DEMO = REPO / "resources" / "demo" / "GRCh38"
SCHEMA = json.loads((REPO / "workflow" / "schemas" / "report.schema.json").read_text())


def snakemake(workdir: Path, config: Path | None, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir)]
    command += ["--configfile", str(config)] if config else []
    command += ["--cores", "2", *extra]
    return subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=600)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write_tsv(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def user_setup(workdir: Path, demo_dir: Path, build: str = "GRCh38", edit_rows=None) -> Path:
    """A sample sheet and config outside the repo, pointing at ``demo_dir`` by absolute paths."""
    workdir.mkdir(parents=True, exist_ok=True)
    rows = read_tsv(demo_dir / "samples.tsv")
    for row in rows:
        for column in ("vcf", "sv_vcf", "alignment"):
            if row.get(column):
                row[column] = str((demo_dir / Path(row[column]).name).resolve())
    if edit_rows:
        rows = edit_rows(rows)
    write_tsv(workdir / "samples.tsv", rows)
    config = {
        "samples": str(workdir / "samples.tsv"),
        "reference": {"fasta": str(demo_dir / f"synthetic_trpm6_locus.{build}.fa.gz"), "build": build},
        "population": {"info_fields": ["AF"]},
        "cnv": {"reference_counts": str((demo_dir / "cnv_panel_of_normals.tsv").resolve())},
    }
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    return workdir / "config.yaml"


def make_demo(out: Path, build: str) -> None:
    """Generate the synthetic demo (reference, VCFs, sample sheet) for ``build`` into ``out``."""
    made = subprocess.run(
        [sys.executable, "-m", "trpm6_hsh", "demo", "--build", build, "--out", str(out)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert made.returncode == 0, made.stderr


def verdicts(workdir: Path) -> dict[str, str]:
    return {row["sample_id"]: row["verdict"] for row in read_tsv(workdir / "results" / "cohort" / "summary.tsv")}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("demo_run")
    result = snakemake(workdir, user_setup(workdir, DEMO))
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_lint_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint"], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr


def test_demo_config_dry_run_from_the_repo():
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_demo_verdicts_match_expected_and_reports_exist(demo_run):
    expected = {row["sample_id"]: row["verdict"] for row in read_tsv(REPO / "config" / "demo_expected.tsv")}
    assert verdicts(demo_run) == expected
    for sample_id in expected:
        for extension in ("html", "json", "tsv"):
            assert (demo_run / "results" / "reports" / f"{sample_id}.report.{extension}").is_file()
        report = json.loads((demo_run / "results" / "reports" / f"{sample_id}.report.json").read_text())
        jsonschema.validate(report, SCHEMA)
        assert report["verdict"] == expected[sample_id]
        assert report["synthetic_reference"] is True
    assert (demo_run / "results" / "cohort" / "summary.html").is_file()
    html = (demo_run / "results" / "reports" / "DEMO01.report.html").read_text()
    assert "SYNTHETIC DEMO DATA" in html


def test_demo_reports_show_copy_number_from_read_depth(demo_run):
    """DEMO14's alignment shows a heterozygous deletion of exons 4-5 (with V4 het: phase unknown); DEMO12's
    shows two copies of every exon; a sample without an alignment says copy number was not assessed."""
    reports = demo_run / "results" / "reports"
    deleted = json.loads((reports / "DEMO14.report.json").read_text())
    assert deleted["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    section = deleted["copy_number"]
    assert section["status"] == "assessed"
    assert [(call["exon_text"], call["copy_number"], call["confidence"]) for call in section["calls"]] == [
        ("4-5", 1, "high")
    ]
    html = (reports / "DEMO14.report.html").read_text()
    plot = html[html.index('id="copy-number"'):]
    assert plot.count("<circle") == 39
    assert "heterozygous deletion" in plot and "MLPA, array or long reads" in plot
    normal = json.loads((reports / "DEMO12.report.json").read_text())
    assert normal["verdict"] == "CARRIER" and normal["copy_number"]["status"] == "assessed"
    assert normal["copy_number"]["calls"] == []
    assert {exon["copy_number"] for exon in normal["copy_number"]["exons"]} == {2}
    assert 'id="copy-number"' in (reports / "DEMO12.report.html").read_text()
    verdict = json.loads((demo_run / "results" / "inheritance" / "DEMO12.verdict.json").read_text())
    assert "read depth: two copies of all 39 assessed exons" in " ".join(verdict["evidence"])
    unaligned = (reports / "DEMO04.report.html").read_text()
    assert "Copy number not assessed:</strong> no alignment (BAM/CRAM)" in unaligned


def test_second_run_does_nothing_and_a_deleted_report_alone_is_rebuilt(demo_run):
    config = demo_run / "config.yaml"
    again = snakemake(demo_run, config, "-n")
    assert "Nothing to be done" in again.stdout + again.stderr
    (demo_run / "results" / "reports" / "DEMO04.report.html").unlink()
    plan = snakemake(demo_run, config, "-n", "--quiet", "rules")
    assert plan.returncode == 0
    text = plan.stdout + plan.stderr
    assert "write_report" in text
    for upstream in ("extract_locus", "annotate_builtin", "classify_variants", "call_biallelic_status"):
        assert upstream not in text
    rebuilt = snakemake(demo_run, config)
    assert rebuilt.returncode == 0
    assert (demo_run / "results" / "reports" / "DEMO04.report.html").is_file()


def test_demo_cohort_page_has_the_bytes_of_every_row_rendered_afresh(demo_run, tmp_path):
    """The run's page, built over its row cache, equals the page rendered row by row without one."""
    from test_cohort_page_cache import reference_outputs

    reports = sorted((demo_run / "results" / "reports").glob("*.report.json"))
    cohort = demo_run / "results" / "cohort"
    written = (cohort / "summary.tsv").read_bytes(), (cohort / "summary.html").read_bytes()
    assert written == reference_outputs(reports, tmp_path, link_pdf=False)


def test_json_reports_are_byte_identical_across_runs(demo_run, tmp_path):
    second = tmp_path / "again"
    second.mkdir()
    result = snakemake(second, demo_run / "config.yaml")
    assert result.returncode == 0, result.stderr[-2000:]
    for report in sorted((demo_run / "results" / "reports").glob("*.report.json")):
        twin = second / "results" / "reports" / report.name
        assert report.read_bytes() == twin.read_bytes(), report.name


def test_grch37_run_outside_the_repo(tmp_path):
    demo37 = tmp_path / "demo37"
    make_demo(demo37, "GRCh37")
    workdir = tmp_path / "run37"
    result = snakemake(workdir, user_setup(workdir, demo37, build="GRCh37"))
    assert result.returncode == 0, result.stderr[-3000:]
    expected = {row["sample_id"]: row["verdict"] for row in read_tsv(demo37 / "expected_verdicts.tsv")}
    assert verdicts(workdir) == expected
    report = json.loads((workdir / "results" / "reports" / "DEMO01.report.json").read_text())
    assert report["build"] == "GRCh37"
    assert report["variants"][0]["pos"] > 77_000_000


def _fails_cleanly(workdir: Path, result: subprocess.CompletedProcess, *needles: str) -> str:
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, text[-3000:]
    assert "Fix:" in text
    reports = workdir / "results" / "reports"
    assert not reports.exists() or not any(reports.iterdir())
    for partial in (workdir / "results").rglob("*.tmp") if (workdir / "results").exists() else []:
        raise AssertionError(f"partial output left: {partial}")
    return text


def test_missing_vcf_stops_at_start_up(tmp_path):
    def point_to_missing(rows):
        rows[0]["vcf"] = str(tmp_path / "nowhere" / "missing.vcf.gz")
        return rows

    config = user_setup(tmp_path, DEMO, edit_rows=point_to_missing)
    _fails_cleanly(tmp_path, snakemake(tmp_path, config), "missing.vcf.gz", "does not exist")


def test_truncated_gz_stops_extraction_without_partial_output(tmp_path):
    broken = tmp_path / "broken.vcf.gz"
    data = (DEMO / "demo01.vcf.gz").read_bytes()
    broken.write_bytes(data[: len(data) // 2])

    def use_broken(rows):
        rows = [row for row in rows if row["sample_id"] == "DEMO01"]
        rows[0]["vcf"] = str(broken)
        return rows

    config = user_setup(tmp_path, DEMO, edit_rows=use_broken)
    _fails_cleanly(tmp_path, snakemake(tmp_path, config), "broken.vcf.gz", "truncated")
    assert not list((tmp_path / "results" / "locus").glob("*.vcf.gz"))


def test_sample_not_in_its_vcf(tmp_path):
    def rename(rows):
        rows = [row for row in rows if row["sample_id"] == "DEMO01"]
        rows[0]["sample_id"] = "NOT_THERE"
        return rows

    config = user_setup(tmp_path, DEMO, edit_rows=rename)
    _fails_cleanly(tmp_path, snakemake(tmp_path, config), "NOT_THERE", "demo01.vcf.gz")


def test_vcf_from_the_other_build(tmp_path):
    other = tmp_path / "other"
    make_demo(other, "GRCh37")

    def use_grch37_vcf(rows):
        rows = [row for row in rows if row["sample_id"] == "DEMO01"]
        rows[0]["vcf"] = str(other / "demo01.vcf.gz")
        return rows

    config = user_setup(tmp_path, DEMO, edit_rows=use_grch37_vcf)
    _fails_cleanly(tmp_path, snakemake(tmp_path, config), "demo01.vcf.gz", "GRCh37")


def test_gz_helper_really_truncates():
    data = (DEMO / "demo01.vcf.gz").read_bytes()
    with pytest.raises((EOFError, OSError)):
        gzip.decompress(data[: len(data) // 2])


def test_cohort_mode_gives_the_same_reports_as_per_sample_jobs(demo_run, tmp_path):
    config = yaml.safe_load((demo_run / "config.yaml").read_text())
    config["cohort"] = {"min_samples": 2}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    plan = snakemake(tmp_path, tmp_path / "config.yaml", "-n", "--quiet", "rules")
    text = plan.stdout + plan.stderr
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)$", text, re.M))
    # per sample: the seven samples alone in their VCF (DEMO01, 02, 04, 05, 08, 13, 14); the three multi-sample
    # VCFs (trio, cohort_batch, cohort2) each get one cohort job
    assert jobs.get("call_biallelic_status") == "7" and jobs.get("write_report") == "7", text[-2000:]
    cohort_rules = [rule for rule in jobs if rule.startswith("cohort_") and rule != "cohort_summary"]
    assert len(cohort_rules) == 3 and all(jobs[rule] == "1" for rule in cohort_rules), jobs
    result = snakemake(tmp_path, tmp_path / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    cohort_samples = {"DEMO03", "DEMO03_FA", "DEMO03_MO", "DEMO06", "DEMO07", "DEMO09"}
    cohort_samples |= {"DEMO10", "DEMO10_MO", "DEMO11", "DEMO12"}
    logged = (tmp_path / "results" / "logs" / "report").glob("*.log")
    assert not cohort_samples & {path.name.removesuffix(".log") for path in logged}
    assert verdicts(tmp_path) == verdicts(demo_run)
    for sample_id in sorted(cohort_samples):
        for path in (f"inheritance/{sample_id}.verdict.json", f"reports/{sample_id}.report.tsv"):
            assert (tmp_path / "results" / path).read_bytes() == (demo_run / "results" / path).read_bytes(), path
        cohort, per_sample = (
            json.loads((run / "results" / "reports" / f"{sample_id}.report.json").read_text())
            for run in (tmp_path, demo_run)
        )
        # the config differs only in its job-layout section, which the digest leaves out: the same report
        assert cohort == per_sample, sample_id
