"""Chunks of many input files: families kept together, membership stable as a run grows, off when it should be."""

from __future__ import annotations

from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from trpm6_hsh.chunking import ChunkSettings, plan_chunks
from trpm6_hsh.config import Sample, batch_id_for, config_digest, validate_config
from trpm6_hsh.runplan import REPORT_FILE, VERDICT_JSON, plan_run

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
RESOURCES = REPO / "resources"


def _singles(n: int, start: int = 1) -> list[Sample]:
    return [Sample(f"P{i:05d}", f"/data/P{i:05d}.vcf.gz") for i in range(start, start + n)]


def _files_of(samples: list[Sample]) -> dict[str, list[str]]:
    return {
        s.sample_id: [batch_id_for(s.vcf), *([batch_id_for(s.sv_vcf)] if s.sv_vcf else [])] for s in samples
    }


def _plan(samples, files_per_job=10, min_files=1, excluded=()):
    return plan_chunks(samples, _files_of(samples), ChunkSettings(files_per_job, min_files), excluded)


def _config(**overrides) -> dict:
    return validate_config({"samples": "samples.tsv", "reference": {"fasta": "ref.fa"}, **overrides}, SCHEMA)


def test_every_sample_and_file_is_in_exactly_one_chunk_and_the_count_is_a_power_of_two():
    samples = _singles(100)
    chunks = _plan(samples, files_per_job=10)
    placed = [sample for chunk in chunks.values() for sample in chunk.samples]
    assert sorted(placed) == sorted(s.sample_id for s in samples)
    assert len({batch for chunk in chunks.values() for batch in chunk.batches}) == 100
    # 100 files at about 10 per job: 16 chunks (the power of two at or above 10), named by it
    assert {name.split("-")[0] for name in chunks} == {"chunk16"}
    assert 8 <= len(chunks) <= 16
    assert max(len(chunk.batches) for chunk in chunks.values()) <= 20


def test_a_family_in_separate_files_is_never_split():
    samples = _singles(60)
    trio = [
        Sample("KID", "/data/kid.vcf.gz", paternal_id="DAD", maternal_id="MUM"),
        Sample("DAD", "/data/dad.vcf.gz", sex="male"),
        Sample("MUM", "/data/mum.vcf.gz", sex="female"),
    ]
    shared = [Sample("A1", "/data/joint_pair.vcf.gz"), Sample("A2", "/data/joint_pair.vcf.gz")]
    chunks = _plan([*samples[:30], *trio, *samples[30:], *shared], files_per_job=4)
    (family_chunk,) = [chunk for chunk in chunks.values() if "KID" in chunk.samples]
    assert {"KID", "DAD", "MUM"} <= set(family_chunk.samples)
    (pair_chunk,) = [chunk for chunk in chunks.values() if "A1" in chunk.samples]
    assert "A2" in pair_chunk.samples
    assert pair_chunk.batches.count(batch_id_for("/data/joint_pair.vcf.gz")) == 1


def test_a_sample_whose_sv_vcf_is_shared_joins_the_family_holding_that_file():
    one = Sample("S1", "/data/s1.vcf.gz", sv_vcf="/data/cnv_calls.vcf.gz")
    two = Sample("S2", "/data/s2.vcf.gz", sv_vcf="/data/cnv_calls.vcf.gz")
    chunks = _plan([*_singles(40), one, two], files_per_job=2)
    (chunk,) = [chunk for chunk in chunks.values() if "S1" in chunk.samples]
    assert "S2" in chunk.samples


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.integers(min_value=1, max_value=300))
def test_adding_a_sample_changes_only_its_own_chunk(n, new_index):
    """Unless the run crosses a power of two, every other chunk keeps its files and samples."""
    before = _plan(_singles(n), files_per_job=8)
    added = Sample(f"NEW{new_index}", f"/data/new{new_index}.vcf.gz")
    after = _plan([*_singles(n)[: new_index % (n + 1)], added, *_singles(n)[new_index % (n + 1):]], files_per_job=8)
    if {name.split("-")[0] for name in before} != {name.split("-")[0] for name in after}:
        return  # the chunk count doubled: chunks are dealt afresh
    changed = [name for name in after if before.get(name) != after[name]]
    assert len(changed) == 1
    assert added.sample_id in after[changed[0]].samples
    previous = before.get(changed[0])
    assert set(after[changed[0]].samples) - {added.sample_id} == set(previous.samples if previous else ())


def test_sheet_order_does_not_change_which_chunk_a_sample_is_in():
    samples = _singles(50)
    forward = _plan(samples, files_per_job=5)
    backward = _plan(list(reversed(samples)), files_per_job=5)
    where = {s: name for name, chunk in forward.items() for s in chunk.samples}
    assert where == {s: name for name, chunk in backward.items() for s in chunk.samples}


def test_no_chunks_when_off_when_small_or_for_a_cohort_mode_file():
    samples = _singles(20)
    assert _plan(samples, files_per_job=0) == {}
    assert _plan(samples, files_per_job=5, min_files=21) == {}
    kept = _plan(samples, files_per_job=5, excluded=[batch_id_for(samples[0].vcf)])
    assert "P00001" not in {s for chunk in kept.values() for s in chunk.samples}


def test_the_run_plan_chunks_only_with_the_builtin_annotator_alone():
    samples = _singles(6)
    chunked = plan_run(_config(batching={"files_per_job": 2, "min_files": 1}), samples, RESOURCES)
    assert sum(len(chunk.samples) for chunk in chunked.chunks.values()) == 6
    with_vep = _config(batching={"files_per_job": 2, "min_files": 1}, annotator="vep")
    assert plan_run(with_vep, samples, RESOURCES).chunks == {}
    concordance = _config(batching={"files_per_job": 2, "min_files": 1}, annotator_concordance=["snpeff"])
    assert plan_run(concordance, samples, RESOURCES).chunks == {}
    assert plan_run(_config(), samples, RESOURCES).chunks == {}  # 6 files: below the default min_files


def test_a_chunk_job_declares_its_manifest_and_the_steps_after_it_wait_for_that():
    """The default target, the cohort page, PDFs and screenshots of chunked samples wait for the manifest."""
    samples = [*_singles(6), Sample("BIG1", "/data/joint.vcf.gz"), Sample("BIG2", "/data/joint.vcf.gz")]
    config = _config(batching={"files_per_job": 2, "min_files": 1}, cohort={"min_samples": 2})
    config["report"]["pdf"] = True
    plan = plan_run(config, samples, RESOURCES)
    name, chunk = next(iter(plan.chunks.items()))
    manifest = plan.chunk_manifest(name)
    assert manifest == f"results/chunks/{name}.json"
    for sample_id in chunk.samples:
        assert plan.chunk_of_sample[sample_id] == name
        assert plan.report_made_by(sample_id) == manifest
    assert plan.report_made_by("BIG1") == REPORT_FILE.format(sample="BIG1", extension="html")
    manifests = [plan.chunk_manifest(other) for other in plan.chunks]
    assert plan.report_sources() == [
        REPORT_FILE.format(sample="BIG1", extension="json"), REPORT_FILE.format(sample="BIG2", extension="json"),
        *manifests,
    ]  # fmt: skip
    final = plan.final_outputs()
    assert set(manifests) <= set(final)
    assert REPORT_FILE.format(sample=chunk.samples[0], extension="json") not in final
    assert REPORT_FILE.format(sample=chunk.samples[0], extension="pdf") in final
    assert VERDICT_JSON.format(sample="BIG1") not in final
    assert plan.chunk_vcfs(name) == {plan.batch_of_sample[s]: f"/data/{s}.vcf.gz" for s in chunk.samples}
    arguments = plan.chunk_arguments(name, {batch: {"batch": batch} for batch in plan.batches})
    assert [row["sample_id"] for row in arguments["samples"]] == list(chunk.samples)
    assert arguments["file_samples"] == {plan.batch_of_sample[s]: [s] for s in chunk.samples}


def test_job_layout_settings_leave_the_config_digest_unchanged():
    """Reports carry the config's SHA-256: however jobs were grouped, the same report, byte for byte."""
    plain = config_digest(_config())
    assert config_digest(_config(batching={"files_per_job": 3, "min_files": 1}, cohort={"min_samples": 2})) == plain
    assert config_digest(_config(population={"af_ceiling": 0.02})) != plain


def test_per_sample_rules_serve_only_the_samples_no_chunk_writes():
    """Otherwise every chunked sample's report would also match the per-sample rule (minutes of DAG at 10,000)."""
    import re as regex

    samples = [*_singles(6), Sample("BIG1", "/data/joint.vcf.gz"), Sample("BIG2", "/data/joint.vcf.gz")]
    plan = plan_run(
        _config(batching={"files_per_job": 2, "min_files": 1}, cohort={"min_samples": 2}), samples, RESOURCES
    )
    pattern = regex.compile(plan.per_sample_rule_samples())
    assert [s.sample_id for s in samples if pattern.fullmatch(s.sample_id)] == ["BIG1", "BIG2"]
    unchunked = plan_run(_config(), samples, RESOURCES)
    assert all(regex.fullmatch(unchunked.per_sample_rule_samples(), s.sample_id) for s in samples)
    everything = plan_run(_config(batching={"files_per_job": 2, "min_files": 1}), _singles(4), RESOURCES)
    assert not regex.fullmatch(everything.per_sample_rule_samples(), "P00001")


def test_children_in_sheet_order():
    kids = [
        Sample("K2", "/d/k2.vcf", paternal_id="DAD"),
        Sample("K1", "/d/k1.vcf", paternal_id="DAD", maternal_id="MUM"),
    ]
    plan = plan_run(_config(), [Sample("DAD", "/d/dad.vcf"), Sample("MUM", "/d/mum.vcf"), *kids], RESOURCES)
    assert [child.sample_id for child in plan.children_of("DAD")] == ["K2", "K1"]
    assert [child.sample_id for child in plan.children_of("MUM")] == ["K1"]
    assert plan.children_of("K1") == ()


def test_a_chunks_copy_number_files_look_only_at_its_members():
    """Asked once per chunk, so it no longer builds the whole run's table; the answer is the table's, as before."""
    samples = [*_singles(4), Sample("A1", "/data/a1.vcf.gz", alignment="/data/a1.bam"),
               Sample("A2", "/data/a2.vcf.gz", alignment="/data/a2.cram")]
    members = ["A2", "P00001", "NOT-IN-RUN", "A1", "A2"]
    for cnv in ({"enabled": True}, {"enabled": False}):
        plan = plan_run(_config(cnv=cnv), samples, RESOURCES)
        table = plan.copy_number_outputs()
        assert plan.copy_number_files_of(members) == {m: table[m] for m in members if m in table}
    assert list(plan_run(_config(), samples, RESOURCES).copy_number_files_of(members)) == ["A2", "A1"]
