"""Cohort mode: every sample gets its verdict and report at the workflow's paths; one failure stays alone.

The verdict and report functions are replaced by small fakes here: what is tested is cohort.py's own
logic (paths, slicing over worker processes, failure isolation). The real stages run in
scripts/benchmarks/benchmark_cohort.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trpm6_hsh import cohort, inheritance, report
from trpm6_hsh.config import Sample
from trpm6_hsh.errors import InputError
from trpm6_hsh.inheritance import VerdictDocument
from trpm6_hsh.inheritance.document import CallabilityShown
from trpm6_hsh.model import Verdict


def fake_verdicts(samples, **arguments):
    return {sample.sample_id: negative_document(sample.sample_id) for sample in samples}


def negative_document(sample_id):
    return VerdictDocument(
        sample_id=sample_id,
        verdict=Verdict.NEGATIVE,
        verdict_text="",
        evidence=(),
        pairs=(),
        pm3=(),
        variants=(),
        de_novo=(),
        mendelian_inconsistencies=(),
        genotype_qc={},
        callability=CallabilityShown(sources=(), settings={}, regions=0, regions_assessed=0),
        locus_records=0,
        locus_no_calls=0,
        not_assessed=(),
    )


def fake_write_verdicts(documents, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    for sample_id, document in documents.items():
        (out_dir / f"{sample_id}.verdict.json").write_text(json.dumps(document.to_json()))


def fake_report(*, verdict, vcf_checksums, sample, out_html, out_json, out_tsv, **arguments):
    assert isinstance(verdict, VerdictDocument) and verdict.sample_id == sample.sample_id
    if sample.sample_id == "BROKEN":
        raise InputError(Path(f"{sample.sample_id}.verdict.json"), "unreadable verdict", "rerun the inheritance stage")
    document = verdict.to_json()
    out_json.parent.mkdir(parents=True, exist_ok=True)
    for path in (out_html, out_json, out_tsv):
        path.write_text(json.dumps({**document, "checksums": [str(p) for p in vcf_checksums], **arguments}))


@pytest.fixture()
def fakes(monkeypatch):
    monkeypatch.setattr(inheritance, "call_batch_verdicts", fake_verdicts, raising=False)
    monkeypatch.setattr(inheritance, "write_batch_verdicts", fake_write_verdicts, raising=False)
    monkeypatch.setattr(report, "write_report", fake_report)


def run(tmp_path, sample_ids, **options):
    return cohort.write_cohort_reports(
        [Sample(s, "") for s in sample_ids],
        verdict_arguments={"family_batches": {}},
        report_arguments={"build": "GRCh38"},
        vcf_checksums={s: [tmp_path / "batch.vcf.json"] for s in sample_ids},
        results=tmp_path / "results",
        **options,
    )


def test_every_sample_gets_its_verdict_and_report_at_the_workflow_paths(tmp_path, fakes):
    outcome = run(tmp_path, ["A1", "A2", "A3"])
    assert outcome.verdicts == {"A1": "NEGATIVE", "A2": "NEGATIVE", "A3": "NEGATIVE"}
    for sample_id in ("A1", "A2", "A3"):
        assert (tmp_path / "results" / "inheritance" / f"{sample_id}.verdict.json").is_file()
        for extension in cohort.REPORT_EXTENSIONS:
            written = json.loads((tmp_path / "results" / "reports" / f"{sample_id}.report.{extension}").read_text())
            assert written["sample_id"] == sample_id and written["build"] == "GRCh38"


def test_a_failing_sample_is_named_and_the_others_still_get_reports(tmp_path, fakes):
    with pytest.raises(cohort.CohortError, match=r"1 of 3 samples got no report \(BROKEN\)"):
        run(tmp_path, ["A1", "BROKEN", "A3"])
    assert (tmp_path / "results" / "reports" / "A3.report.json").is_file()
    assert not (tmp_path / "results" / "reports" / "BROKEN.report.json").exists()
    outcome = run(tmp_path, ["A1", "BROKEN", "A3"], raise_on_failure=False)
    assert set(outcome.verdicts) == {"A1", "A3"} and set(outcome.failures) == {"BROKEN"}


def test_worker_processes_write_the_same_reports_as_one_process(tmp_path, fakes):
    # Worker processes are forked, so they see the fakes too.
    ids = [f"S{index}" for index in range(7)]
    serial = run(tmp_path / "one", ids)
    parallel = run(tmp_path / "two", ids, workers=3)
    assert run(tmp_path / "zero", ids, workers=0).verdicts == serial.verdicts
    assert serial.verdicts == parallel.verdicts
    for sample_id in ids:
        one = (tmp_path / "one" / "results" / "reports" / f"{sample_id}.report.json").read_text()
        two = (tmp_path / "two" / "results" / "reports" / f"{sample_id}.report.json").read_text()
        assert one.replace("/one/", "/") == two.replace("/two/", "/")
