"""What a chunk's job keeps on a rerun, and when its manifest stops holding.

A kept output that should have been redone would be a report made from inputs it does not name; these tests
hold every ingredient of a reuse key to changing it, and a touched or missing output to redoing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trpm6_hsh.chunk_job import Resources, family_keys, run_key
from trpm6_hsh.chunk_manifest import (
    ReuseRecords,
    incomplete_chunk_manifests,
    manifest_problem,
    reuse_key,
    write_chunk_manifest,
)
from trpm6_hsh.chunking import family_units
from trpm6_hsh.config import Sample
from trpm6_hsh.provenance import package_code_digest
from trpm6_hsh.runlock import locks_held

pytestmark = pytest.mark.quick


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_outputs_are_current_only_under_their_key_and_as_written(tmp_path):
    records = ReuseRecords(tmp_path / "results")
    outputs = [_write(tmp_path / "a.json", "{}"), _write(tmp_path / "b.tsv", "x\n")]
    assert not records.is_current("samples", "S1", "k1", outputs)  # never written
    records.remember("samples", "S1", "k1", outputs)
    assert records.is_current("samples", "S1", "k1", outputs)
    assert not records.is_current("samples", "S1", "k2", outputs)  # another key: other inputs
    status = outputs[1].stat()
    os.utime(outputs[1], ns=(status.st_atime_ns, status.st_mtime_ns + 1))  # rewritten since
    assert not records.is_current("samples", "S1", "k1", outputs)
    records.remember("samples", "S1", "k1", outputs)
    outputs[0].unlink()
    assert not records.is_current("samples", "S1", "k1", outputs)
    records.forget("samples", "S1")
    _write(outputs[0], "{}")
    assert not records.is_current("samples", "S1", "k1", outputs)


def test_a_damaged_record_means_redo(tmp_path):
    records = ReuseRecords(tmp_path)
    output = _write(tmp_path / "a.json", "{}")
    records.remember("files", "B1", "k", [output])
    (tmp_path / "chunks" / "reuse" / "files" / "B1.json").write_text("{not json")
    assert not records.is_current("files", "B1", "k", [output])


def test_a_manifest_holds_until_a_file_it_lists_is_missing_or_changed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = [_write(Path("results/reports/S1.report.html"), "<p>"), _write(Path("results/reports/S1.report.json"), "")]
    manifest = Path("results/chunks/chunk2-0.json")
    write_chunk_manifest(manifest, "chunk2-0", {"sample S1": files})
    assert json.loads(manifest.read_text())["chunk"] == "chunk2-0"
    assert manifest_problem(manifest) is None
    assert manifest_problem(Path("results/chunks/chunk2-1.json")) is None  # not written yet: the job runs anyway
    files[1].write_text('{"changed": true}')
    assert manifest_problem(manifest) == (
        "1 of the 2 files it wrote have changed since (first: results/reports/S1.report.json)"
    )
    files[0].unlink()
    assert incomplete_chunk_manifests({"chunk2-0": manifest, "chunk2-1": "results/chunks/chunk2-1.json"}) == {
        "chunk2-0": "1 of the 2 files it wrote are missing (first: results/reports/S1.report.html)"
    }
    manifest.write_text("[")
    assert manifest_problem(manifest) == "its manifest results/chunks/chunk2-0.json cannot be read"


def _resources(tmp_path: Path) -> Resources:
    fasta = _write(tmp_path / "ref.fa", ">chr9\nACGT\n")
    return Resources(fasta, _write(tmp_path / "locus.bed", "chr9\t0\t4\n"), _write(tmp_path / "m.gff3", "#\n"),
                     "GRCh38", None, None, None)  # fmt: skip


def test_the_run_key_follows_settings_resources_and_schema_content_not_the_schema_copy_path(tmp_path):
    resources = _resources(tmp_path)
    schema = _write(tmp_path / "cache1" / "report.schema.json", '{"type": "object"}')
    moved = _write(tmp_path / "cache2" / "report.schema.json", '{"type": "object"}')
    settings = {"genotype_qc": {"min_gq": 20}, "alignments": {"S1": "s1.bam"}}
    report = {"schema": schema, "build": "GRCh38", "config_sha256": "abc"}
    key = run_key(resources, settings, report)
    assert run_key(resources, settings, {**report, "schema": moved}) == key
    assert run_key(resources, {**settings, "alignments": {}}, report) == key  # per sample: in the family key
    assert run_key(resources, {**settings, "genotype_qc": {"min_gq": 30}}, report) != key
    assert run_key(resources, settings, {**report, "config_sha256": "abd"}) != key
    moved.write_text('{"type": "array"}')
    assert run_key(resources, settings, {**report, "schema": moved}) != key
    resources.reference_fasta.write_text(">chr9\nACGTA\n")  # another reference
    assert run_key(resources, settings, report) != key
    assert len(package_code_digest()) == 64


TRIO = [
    Sample("KID", "/d/kid.vcf", paternal_id="DAD", maternal_id="MUM"),
    Sample("DAD", "/d/dad.vcf"),
    Sample("MUM", "/d/mum.vcf"),
    Sample("LONE", "/d/lone.vcf"),
]
BATCHES = {"KID": ["kid"], "DAD": ["dad"], "MUM": ["mum"], "LONE": ["lone"]}


def _keys(samples, file_keys=None, children=None):
    by_id = {sample.sample_id: sample for sample in samples}
    facts = {"family_batches": BATCHES, "children": children or {}, "report": {}}
    file_keys = file_keys or {batch: f"key-{batch}" for batches in BATCHES.values() for batch in batches}
    return family_keys(family_units(samples, BATCHES), by_id, file_keys, "run", facts)


def test_a_change_anywhere_in_a_family_redoes_the_whole_family_and_nothing_else():
    keys = _keys(TRIO)
    assert keys["KID"] == keys["DAD"] == keys["MUM"] != keys["LONE"]
    father_affected = [TRIO[0], Sample("DAD", "/d/dad.vcf", affected=True), *TRIO[2:]]
    changed = _keys(father_affected)
    assert changed["KID"] != keys["KID"] and changed["LONE"] == keys["LONE"]
    new_file = _keys(TRIO, {"kid": "key-kid", "dad": "key-dad", "mum": "other", "lone": "key-lone"})
    assert new_file["KID"] != keys["KID"] and new_file["LONE"] == keys["LONE"]
    named_children = _keys(TRIO, children={"DAD": [{"sample_id": "KID"}]})
    assert named_children["DAD"] != keys["DAD"]


@settings(max_examples=50, deadline=None)
@given(st.permutations(TRIO))
def test_the_sheet_order_does_not_change_a_family_key(order):
    assert _keys(list(order)) == _keys(TRIO)


def test_reuse_keys_read_paths_as_text_and_mappings_in_any_order():
    assert reuse_key({"a": 1, "b": Path("/x")}) == reuse_key({"b": "/x", "a": 1})
    assert reuse_key("a", 1) != reuse_key("a", 2)


def test_manifests_are_checked_only_while_no_run_holds_the_folder(tmp_path):
    """Another run's jobs may be rewriting a chunk's files: its manifests are left alone until it is done."""
    assert not locks_held(tmp_path)
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    assert not locks_held(tmp_path)
    (locks / "0.input.lock").write_text("results/chunks/chunk2-0.json\n")
    assert locks_held(tmp_path)
