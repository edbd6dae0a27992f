"""The exon copy-number engine on tiny simulated batches (exome-like depth over the synthetic locus)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pysam
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpm6_hsh.copy_number import (
    CopyNumberSettings,
    ExonCounts,
    call_batch,
    call_copy_number,
    count_batch,
    read_counts,
    write_counts,
)
from trpm6_hsh.copy_number.counts import count_reads, design_targets
from trpm6_hsh.copy_number.results import ASSESSED, NOT_ASSESSED
from trpm6_hsh.copy_number.simulate import PlantedEvent, SimulationSettings, simulate_batch
from trpm6_hsh.errors import ConfigError, InputError
from trpm6_hsh.transcripts import load_transcripts

REPO = Path(__file__).resolve().parents[1]
FASTA = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
SAMPLES = [f"P{number}" for number in range(1, 10)]
EVENTS = (
    PlantedEvent("P2", 4, 5, 1),  # heterozygous deletion of two exons
    PlantedEvent("P3", 10, 10, 0),  # homozygous deletion of one exon
    PlantedEvent("P4", 20, 22, 3),  # duplication of three exons
)
SIMULATION = SimulationSettings(depth=60.0, seed=2024)


@pytest.fixture(scope="module")
def transcript():
    return next(t for t in load_transcripts(MODEL) if t.is_mane)


@pytest.fixture(scope="module")
def batch(tmp_path_factory, transcript):
    return simulate_batch(tmp_path_factory.mktemp("cnv"), FASTA, transcript, SAMPLES, EVENTS, SIMULATION)


@pytest.fixture(scope="module")
def results(batch, transcript):
    return call_copy_number(batch, FASTA, transcript, CopyNumberSettings())


@pytest.fixture(scope="module")
def counts(batch, transcript):
    return count_batch(batch, FASTA, transcript, CopyNumberSettings())


def test_the_targets_are_the_39_mane_exons_in_transcript_order_then_controls(transcript):
    targets = design_targets(transcript, FASTA, CopyNumberSettings())
    exons = [t for t in targets if t.kind == "exon"]
    assert [t.exon for t in exons] == list(range(1, 40))
    assert exons[0].start > exons[1].start  # minus strand: exon 1 is the 3'-most in genomic coordinates
    assert [t.name for t in targets if t.kind == "control"] == [f"control_left_{n}" for n in (3, 2, 1)] + [
        f"control_right_{n}" for n in (1, 2, 3)]
    assert all(0.2 < t.gc < 0.8 for t in targets)
    ends = sorted((t.start, t.end) for t in targets)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(ends, ends[1:], strict=False))


def test_a_heterozygous_two_exon_deletion_is_called_copy_number_1(results):
    (call,) = results["P2"].calls
    assert (call.first_exon, call.last_exon, call.copy_number, call.kind) == (4, 5, 1, "deletion")
    assert call.exons == (4, 5)
    assert call.log10_bayes_factor >= 6 and call.confidence == "high"
    assert [e.copy_number for e in results["P2"].exons if e.exon in (4, 5)] == [1, 1]


def test_a_homozygous_one_exon_deletion_is_called_copy_number_0(results, transcript):
    (call,) = results["P3"].calls
    assert (call.exons, call.copy_number) == ((10,), 0)
    exon = next(e for e in transcript.exons if e.number == 10)
    assert (call.chrom, call.start, call.end) == ("chr9", exon.start, exon.end)
    assert results["P3"].exons[9].ratio < 0.1


def test_a_duplication_is_called_copy_number_3(results):
    (call,) = results["P4"].calls
    assert (call.exons, call.copy_number, call.kind) == ((20, 21, 22), 3, "duplication")
    assert call.log10_bayes_factor >= 3


@pytest.mark.parametrize("sample", ["P1", "P5", "P6", "P7", "P8", "P9"])
def test_a_sample_without_an_event_has_no_call_and_two_copies_of_every_exon(results, sample):
    result = results[sample]
    assert result.status == ASSESSED and result.calls == ()
    assert [e.copy_number for e in result.exons] == [2] * 39
    assert all(e.status == ASSESSED and e.posterior > 0.5 for e in result.exons)
    assert sample not in result.reference_samples and len(result.reference_samples) >= 5


def test_a_batch_smaller_than_the_minimum_reference_set_is_not_assessed(batch, transcript):
    small = {sample: batch[sample] for sample in SAMPLES[:4]}
    results = call_copy_number(small, FASTA, transcript, CopyNumberSettings(min_reference_samples=5))
    for result in results.values():
        assert result.status == NOT_ASSESSED and result.calls == ()
        assert "only 3 other sample(s)" in result.reason and "at least 5" in result.reason
        assert all(e.status == NOT_ASSESSED and e.reason == result.reason for e in result.exons)


def test_a_panel_of_normals_completes_a_small_batch(tmp_path, batch, counts, transcript):
    panel_file = tmp_path / "panel.tsv"
    write_counts(panel_file, [c for c in counts if c.sample in ("P5", "P6", "P7", "P8", "P9")])
    small = {sample: batch[sample] for sample in ("P1", "P2")}
    results = call_copy_number(small, FASTA, transcript, CopyNumberSettings(), read_counts(panel_file))
    assert results["P2"].calls[0].exons == (4, 5) and results["P1"].calls == ()
    assert set(results["P2"].reference_samples) <= {"P1", "P5", "P6", "P7", "P8", "P9"}


def test_a_panel_counted_over_other_targets_is_refused(batch, counts, transcript):
    other = count_batch({"P5": batch["P5"]}, FASTA, transcript, CopyNumberSettings(padding=10))
    with pytest.raises(InputError, match="recount the panel"):
        call_copy_number(batch, FASTA, transcript, CopyNumberSettings(), other, reference_source="panel.tsv")


def test_counts_round_trip_through_the_tsv(tmp_path, counts):
    path = tmp_path / "reference_counts.tsv"
    write_counts(path, counts)
    assert read_counts(path) == tuple(counts)
    header = path.read_text().splitlines()[0].split("\t")
    assert header == ["sample", "target", "kind", "exon", "chrom", "start", "end", "gc", "count"]


def test_same_inputs_give_byte_identical_json(batch, transcript, results):
    again = call_copy_number(dict(reversed(list(batch.items()))), FASTA, transcript, CopyNumberSettings())
    for sample in SAMPLES:
        assert again[sample].to_json() == results[sample].to_json()
    document = json.loads(results["P2"].to_json())
    assert document["calls"][0]["kind"] == "deletion" and len(document["exons"]) == 39
    assert results["P2"].to_json() == json.dumps(document, sort_keys=True, indent=2) + "\n"


@pytest.fixture(scope="module")
def baseline(counts, transcript):
    return call_batch(counts, transcript, CopyNumberSettings())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(SAMPLES))))
def test_reordering_the_batch_never_changes_a_call(counts, transcript, baseline, order):
    shuffled = call_batch([counts[i] for i in order], transcript, CopyNumberSettings())
    assert list(shuffled) == [counts[i].sample for i in order]
    for sample, result in baseline.items():
        assert shuffled[sample].calls == result.calls
        assert shuffled[sample].to_json() == result.to_json()


def test_the_simulation_is_deterministic_and_a_cram_counts_like_the_bam(tmp_path, batch, counts, transcript):
    again = simulate_batch(tmp_path / "cram", FASTA, transcript, SAMPLES[:1], EVENTS, replace(SIMULATION, cram=True))
    assert again["P1"].suffix == ".cram" and Path(f"{again['P1']}.crai").exists()
    targets = counts[0].targets
    assert count_reads(again["P1"], "P1", targets, CopyNumberSettings(), FASTA) == counts[0]


def test_skipped_records_are_not_counted(tmp_path, transcript):
    targets = design_targets(transcript, FASTA, CopyNumberSettings())
    exon = targets[0]
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr9", "LN": 138394717}]}
    path = tmp_path / "flags.bam"
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for number, (flag, mapq) in enumerate([(0, 60), (0x400, 60), (0x100, 60), (0x800, 60), (0x200, 60),
                                               (0, 5), (16, 60)]):
            read = pysam.AlignedSegment(out.header)
            read.query_name, read.flag, read.mapping_quality = f"r{number}", flag, mapq
            read.reference_id, read.reference_start, read.cigarstring = 0, exon.start + 20, "100M"
            read.query_sequence = "A" * 100
            out.write(read)
    pysam.index(str(path))
    counted = count_reads(path, "X", targets, CopyNumberSettings(), FASTA)
    assert isinstance(counted, ExonCounts) and counted.exon_counts()[1] == 2 and sum(counted.counts) == 2


def test_unknown_or_bad_settings_are_config_errors():
    assert CopyNumberSettings.from_config({"min_reference_samples": "7"}).min_reference_samples == 7
    with pytest.raises(ConfigError, match="unknown key"):
        CopyNumberSettings.from_config({"min_reference": 3})
    with pytest.raises(ConfigError, match="max_reference_samples"):
        CopyNumberSettings(min_reference_samples=10, max_reference_samples=5)


def test_the_count_script_writes_a_panel_the_caller_accepts(tmp_path, batch, counts):
    out = tmp_path / "panel.tsv"
    arguments = [f"{sample}={batch[sample]}" for sample in ("P5", "P6")]
    completed = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "count_exon_reads.py"), "--fasta", str(FASTA), "--out", str(out),
         *arguments], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert read_counts(out) == tuple(c for c in counts if c.sample in ("P5", "P6"))


def test_a_copy_number_test_is_recommended_with_what_read_depth_already_showed():
    from trpm6_hsh import wording
    from trpm6_hsh.report.copy_number import recommendations_given_depth

    generic = "Copy-number analysis of TRPM6 (MLPA, array or exome/genome depth) to look for an exon deletion."
    others = ["Test both parents.", generic]
    normal = {"status": "assessed", "calls": []}
    deletion = {"status": "assessed", "calls": [{"copy_number": 1, "exons": [4, 5]}]}
    not_assessed = {"status": "not_assessed", "calls": []}
    assert recommendations_given_depth(others, normal) == [
        "Test both parents.",
        wording.COPY_NUMBER_DEPTH_NORMAL_RECOMMENDATION,
    ]
    assert "MLPA" in wording.COPY_NUMBER_DEPTH_NORMAL_RECOMMENDATION  # never dropped: depth misses small events
    assert recommendations_given_depth(others, deletion) == others
    assert recommendations_given_depth(others, not_assessed) == others
