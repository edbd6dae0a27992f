"""The workflow and reference data: offline by default, a fetched cache recorded in every report.

Every snakemake run here starts its Python processes (snakemake itself and every stage script) with a
``sitecustomize`` that refuses network connections, so "no socket is opened" is checked for the real
stages, not for a mock. Only the local stand-in of the sources may be reached, and only when a test
allows it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from fetch_local_sources import LocalSources, standard_routes
from test_workflow import DEMO, read_tsv, user_setup, verdicts

pytestmark = pytest.mark.workflow

SAMPLES = ("DEMO01", "DEMO02", "DEMO04")
RELEASES = {"transcripts_release": "115", "clinvar_release": "20250105", "gnomad_release": "gnomad_r4"}
SOURCE_KEYS = ("transcripts_source", "clinvar_source", "gnomad_source")
SOCKET_GUARD = '''
import os, socket
_allowed = os.environ.get("TRPM6_TEST_ALLOWED_ADDRESS", "")
_log = os.environ["TRPM6_TEST_SOCKET_LOG"]
_connect = socket.socket.connect


def _guarded(self, address):
    if self.family == getattr(socket, "AF_UNIX", None) or f"{address[0]}:{address[1]}" == _allowed:
        return _connect(self, address)
    with open(_log, "a") as handle:
        handle.write(f"{os.getpid()} {address!r}\\n")
    raise OSError("network access refused by the test")


socket.socket.connect = _guarded
socket.socket.connect_ex = lambda self, address: _guarded(self, address) or 0
'''


def guarded_snakemake(workdir: Path, config: Path, allowed: str = "", *extra: str) -> subprocess.CompletedProcess:
    """snakemake in a fresh process tree whose every Python refuses network connections (but ``allowed``)."""
    site = workdir / "socket_guard"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SOCKET_GUARD)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
               TRPM6_TEST_SOCKET_LOG=str(workdir / "sockets.log"), TRPM6_TEST_ALLOWED_ADDRESS=allowed)
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--configfile", str(config), "--cores", "2", *extra]
    return subprocess.run(command, capture_output=True, text=True, cwd=workdir, env=env, timeout=600)


def blocked_connections(workdir: Path) -> str:
    log = workdir / "sockets.log"
    return log.read_text() if log.exists() else ""


def subset(rows):
    return [row for row in rows if row["sample_id"] in SAMPLES]


def setup(workdir: Path, **resources) -> Path:
    config_path = user_setup(workdir, DEMO, edit_rows=subset)
    config = yaml.safe_load(config_path.read_text())
    if resources:
        config["resources"] = resources
    config["offline"] = resources.pop("offline", True) if resources else True
    config_path.write_text(yaml.safe_dump(config))
    return config_path


def expected_verdicts() -> dict[str, str]:
    return {r["sample_id"]: r["verdict"] for r in read_tsv(REPO / "config" / "demo_expected.tsv") if r["sample_id"]
            in SAMPLES}


def report(workdir: Path, sample: str) -> dict:
    return json.loads((workdir / "results" / "reports" / f"{sample}.report.json").read_text())


def test_offline_run_without_cache_opens_no_socket(tmp_path):
    config = setup(tmp_path)
    result = guarded_snakemake(tmp_path, config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert blocked_connections(tmp_path) == ""
    assert verdicts(tmp_path) == expected_verdicts()
    for sample in SAMPLES:
        assert not set(SOURCE_KEYS) & set(report(tmp_path, sample)["provenance"]["resources"])


@pytest.fixture(scope="module")
def fetched_run(tmp_path_factory):
    """A run that fills an empty cache from the local sources (offline: false), then the request log."""
    workdir = tmp_path_factory.mktemp("fetched_run")
    with LocalSources() as sources:
        standard_routes(sources)
        config = setup(workdir, cache=str(workdir / "cache"), urls=sources.urls(), attempts=2, offline=False,
                       **RELEASES)
        result = guarded_snakemake(workdir, config, sources.base_url.removeprefix("http://"))
        requests = list(sources.requests)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir, requests


def test_a_run_fills_the_cache_and_every_report_names_the_versions(fetched_run):
    workdir, _requests = fetched_run
    assert blocked_connections(workdir) == ""
    assert verdicts(workdir) == expected_verdicts()
    for sample in SAMPLES:
        resources = report(workdir, sample)["provenance"]["resources"]
        assert "Ensembl REST release 115 (GRCh38, ENST00000360774.6)" in resources["transcripts_source"]
        assert "ClinVar VCF (NCBI) release 20250105 (GRCh38)" in resources["clinvar_source"]
        assert "gnomAD GraphQL API release gnomad_r4 (GRCh38)" in resources["gnomad_source"]
        roles = {item["role"] for item in report(workdir, sample)["provenance"]["inputs"]}
        assert {"transcripts_provenance", "clinvar_provenance", "gnomad_provenance"} <= roles
        html = (workdir / "results" / "reports" / f"{sample}.report.html").read_text()
        assert "ClinVar VCF (NCBI) release 20250105" in html


def test_cached_clinvar_and_gnomad_reach_classification(fetched_run):
    workdir, _requests = fetched_run
    rows = [row for table in sorted((workdir / "results" / "classify").glob("*.variants.tsv"))
            for row in read_tsv(table) if row["pos"] == "74842198" and row["alt"] == "A"]
    assert rows, "demo variant V1 should be classified"
    for row in rows:
        assert "gnomad.trpm6.vcf.gz" in row["population_af_source"]
        assert float(row["population_af"]) == pytest.approx(1 / 1461890, rel=1e-4)
        assert row["clinvar_id"] == "9000010" and row["clinvar_significance"] == "Pathogenic"


def test_no_request_carries_patient_data(fetched_run):
    workdir, requests = fetched_run
    assert requests, "the run should have fetched from the local sources"
    sheet = read_tsv(workdir / "samples.tsv")
    private = {row["sample_id"] for row in sheet} | {row["family_id"] for row in sheet if row["family_id"]}
    private |= {Path(row["vcf"]).name for row in sheet} | {str(workdir), "results/"}
    genotype = re.compile(r"\b[0-9.][/|][0-9.]\b")
    for request in requests:
        text = request.text()
        assert not [item for item in private if item in text], text
        assert not genotype.search(request.path + request.query + request.body.decode()), text
    assert {r.path for r in requests} == {
        "/ensembl/info/data", "/ensembl/lookup/id/ENSG00000119121", "/clinvar/vcf_GRCh38/archive_2.0/2025/"
        "clinvar_20250105.vcf.gz", "/gnomad",
    }


def test_the_filled_cache_then_serves_an_offline_run(fetched_run):
    workdir, _requests = fetched_run
    config = workdir / "config.yaml"
    document = yaml.safe_load(config.read_text())
    document["offline"] = True
    document["resources"]["urls"] = {}
    config.write_text(yaml.safe_dump(document))
    for old in (workdir / "results" / "reports").glob("*"):
        old.unlink()
    result = guarded_snakemake(workdir, config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rule fetch_" not in result.stdout + result.stderr
    assert blocked_connections(workdir) == ""
    for sample in SAMPLES:
        assert set(SOURCE_KEYS) <= set(report(workdir, sample)["provenance"]["resources"])


def test_a_missing_pinned_release_is_refused_offline(tmp_path):
    config = setup(tmp_path, cache=str(tmp_path / "cache"), clinvar_release="20240101")
    target = str(tmp_path / "cache" / "GRCh38" / "clinvar-20240101" / "provenance.json")
    result = guarded_snakemake(tmp_path, config, "", target)
    assert result.returncode != 0
    assert "offline: true forbids fetching it" in result.stdout + result.stderr
    assert "trpm6-hsh resources fetch-clinvar --build GRCh38 --release 20240101" in result.stdout + result.stderr
    assert blocked_connections(tmp_path) == ""
    assert not (tmp_path / "cache" / "GRCh38" / "clinvar-20240101" / "provenance.json").exists()
