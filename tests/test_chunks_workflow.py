"""Chunks in the workflow: the same files as the per-file rules, byte for byte, and a growing run stays incremental.

The demo (every verdict; families in one file and across files; BCF, plain, bgzipped with and without index,
an sv_vcf; copy number from alignments) runs once with one job per file and stage, once dealt into chunks.
"""

from __future__ import annotations

import gzip
import re
import shutil

import pytest
import yaml
from test_workflow import DEMO, read_tsv, snakemake, user_setup, write_tsv

from trpm6_hsh.report.summary import ROW_CACHE

pytestmark = pytest.mark.workflow

CHUNKED = {"batching": {"files_per_job": 3, "min_files": 1}}


def _results(workdir):
    """Every output file by its path under results/, logs (they name the jobs) and the page's row cache aside."""
    root = workdir / "results"
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not str(path.relative_to(root)).startswith("logs/") and path.name != ROW_CACHE
    }


def _config(inputs, name, **settings):
    """The demo's sheet and config, shared by both runs (reports name the sheet and the config's checksum)."""
    values = yaml.safe_load((inputs / "config.yaml").read_text())
    values.update(settings)
    config = inputs / name
    config.write_text(yaml.safe_dump(values))
    return config


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("inputs")
    user_setup(inputs, DEMO)
    per_file, chunked = tmp_path_factory.mktemp("per_file"), tmp_path_factory.mktemp("chunked")
    result = snakemake(per_file, _config(inputs, "per_file.yaml"))
    assert result.returncode == 0, result.stderr[-3000:]
    config = _config(inputs, "chunked.yaml", **CHUNKED)
    result = snakemake(chunked, config)
    assert result.returncode == 0, result.stderr[-3000:]
    return per_file, chunked, config, result


def test_chunk_jobs_write_what_the_per_file_rules_write_byte_for_byte(runs):
    per_file, chunked, _, result = runs
    assert re.search(r"rule chunk:", result.stderr), "the demo did not run in chunks"
    assert not re.search(r"rule (extract_locus|call_biallelic_status|write_report):", result.stderr)
    expected, got = _results(per_file), _results(chunked)
    # the chunk jobs' manifests (the files each wrote) and reuse records are the chunked path's own files
    own = [name for name in got if name.startswith("chunks/")]
    manifests = [name for name in own if re.fullmatch(r"chunks/chunk4-\d\.json", name)]
    assert len(manifests) == len(re.findall(r"rule chunk:", result.stderr)) >= 2
    got = {name: content for name, content in got.items() if name not in own}
    assert sorted(got) == sorted(expected)
    # reports name their working folder nowhere; every file is the same, reports and verdicts included
    differing = [name for name in expected if expected[name] != got[name]]
    assert differing == []
    assert len([name for name in got if name.endswith(".report.json")]) == len(read_tsv(DEMO / "samples.tsv"))


def _stamps(workdir):
    """Modification time of every verdict and report, by path under results/."""
    root = workdir / "results"
    found = [*root.glob("inheritance/*.verdict.json"), *root.glob("reports/*.report.*")]
    return {str(path.relative_to(root)): path.stat().st_mtime_ns for path in found}


def test_adding_a_sample_reruns_only_its_own_chunk_which_redoes_only_that_sample(runs):
    _, chunked, config, _ = runs
    # a new patient, in a file of its own: the demo's first single-sample VCF under another name
    source = DEMO / "demo01.vcf.gz"
    text = gzip.decompress(source.read_bytes()).decode()
    new_vcf = config.parent / "new_patient.vcf"
    new_vcf.write_text(text.replace("\tDEMO01\n", "\tNEW01\n", 1))
    sheet = config.parent / "samples.tsv"
    original = sheet.read_text()
    rows = read_tsv(sheet)
    rows.append({**{key: "" for key in rows[0]}, "sample_id": "NEW01", "vcf": str(new_vcf)})
    write_tsv(sheet, rows)
    before = _stamps(chunked)
    try:
        dry = snakemake(chunked, config, "-n")
        assert dry.returncode == 0, dry.stderr[-2000:]
        jobs = dict(re.findall(r"^(\S+)\s+(\d+)$", dry.stdout.split("Job stats:")[1].split("Reasons")[0], re.M))
        jobs.pop("total", None)
        # its chunk runs again (a new sample, a new file), then the cohort page
        assert jobs == {"chunk": "1", "cohort_summary": "1", "all": "1"}
        assert "new_patient.vcf" in dry.stdout
        run = snakemake(chunked, config)
        assert run.returncode == 0, run.stderr[-3000:]
        after = _stamps(chunked)
        # every report there was is the file it was; the new sample has its own
        assert {name: after[name] for name in before} == before
        assert {name for name in after if name not in before} == {
            "inheritance/NEW01.verdict.json", *(f"reports/NEW01.report.{ext}" for ext in ("html", "json", "tsv"))
        }
        (log,) = [path for path in (chunked / "results" / "logs" / "chunks").glob("*.log") if "NEW01" in
                  path.read_text()]  # fmt: skip
        assert re.search(r"1 of \d+ files and 1 of \d+ samples redone", log.read_text())
        summary = read_tsv(chunked / "results" / "cohort" / "summary.tsv")
        assert "NEW01" in {row["sample_id"] for row in summary}
    finally:
        sheet.write_text(original)
        shutil.rmtree(chunked / ".snakemake" / "incomplete", ignore_errors=True)


def test_a_report_deleted_by_hand_is_remade_by_its_chunk_and_nothing_else_is(runs):
    per_file, chunked, config, _ = runs
    snakemake(chunked, config)  # the sheet as it was (the test above may have added a sample)
    report = chunked / "results" / "reports" / "DEMO05.report.html"
    report.unlink()
    before = _stamps(chunked)
    run = snakemake(chunked, config)
    assert run.returncode == 0, run.stderr[-3000:]
    assert re.search(r"chunk chunk4-\d: 1 of the \d+ files it wrote are missing \(first: "
                     r"results/reports/DEMO05.report.html\); its job runs again", run.stderr)  # fmt: skip
    assert report.read_bytes() == (per_file / "results" / "reports" / "DEMO05.report.html").read_bytes()
    after = _stamps(chunked)
    changed = {name for name in before if after[name] != before[name]}
    # the sample's verdict and reports are written again, as one set; no other sample's file is touched
    assert changed == {"inheritance/DEMO05.verdict.json", "reports/DEMO05.report.json", "reports/DEMO05.report.tsv"}
    assert "reports/DEMO05.report.html" in after
    again = snakemake(chunked, config, "-n")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_chunks_dealt_afresh_keep_every_finished_output(runs):
    """Another chunk size (as when a run doubles past a power of two): new chunks, nothing redone."""
    _, chunked, config, _ = runs
    snakemake(chunked, config)  # the sheet as it was (a test above may have added a sample)
    before = _stamps(chunked)
    resized = config.with_name("resized.yaml")
    settings = {**yaml.safe_load(config.read_text()), "batching": {"files_per_job": 2, "min_files": 1}}
    resized.write_text(yaml.safe_dump(settings))
    run = snakemake(chunked, resized)
    assert run.returncode == 0, run.stderr[-3000:]
    assert re.search(r"wildcards: chunk=chunk8-\d", run.stderr)
    assert _stamps(chunked) == before
    logs = [path.read_text() for path in (chunked / "results" / "logs" / "chunks").glob("chunk8-*.log")]
    assert logs and all(re.search(r": 0 of \d+ files and 0 of \d+ samples redone", log) for log in logs)


def test_lint_is_clean_with_chunk_rules(runs):
    _, chunked, config, _ = runs
    result = snakemake(chunked, config, "--lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr


def test_a_truncated_file_in_a_chunk_is_named_with_its_fix_and_no_traceback(tmp_path):
    inputs = tmp_path / "inputs"
    user_setup(inputs, DEMO)
    sheet = inputs / "samples.tsv"
    rows = read_tsv(sheet)
    (broken,) = [row for row in rows if row["sample_id"] == "DEMO01"]
    data = (DEMO / "demo01.vcf.gz").read_bytes()
    truncated = inputs / "demo01_truncated.vcf.gz"
    truncated.write_bytes(data[: len(data) // 2])
    broken["vcf"] = str(truncated)
    write_tsv(sheet, rows)
    run = tmp_path / "run"
    run.mkdir()
    result = snakemake(run, _config(inputs, "chunked.yaml", **CHUNKED))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "demo01_truncated.vcf.gz: truncated" in result.stderr
    assert "Fix:" in result.stderr
    assert not (run / "results" / "reports" / "DEMO01.report.json").exists()
