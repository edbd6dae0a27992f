"""A joint VCF of 1,000 samples with planted cases: the batch path gets every verdict right, and
gives the same documents as the per-sample path."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys

import pytest
from conftest import REPO

from trpm6_hsh.builtin_annotator import annotate_vcf
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.config import Sample
from trpm6_hsh.inheritance import call_batch_verdicts, call_biallelic_status, write_batch_verdicts
from trpm6_hsh.model import Verdict

DEMO = REPO / "resources" / "demo" / "GRCh38"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_joint_vcf", REPO / "scripts" / "make_joint_vcf.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """The joint VCF, classified by the real annotate and classify stages, and the truth table."""
    folder = tmp_path_factory.mktemp("joint")
    vcf = _load_generator().write_joint_vcf(folder, samples=1000)
    batch = "joint"
    consequences = folder / f"{batch}.consequences.tsv"
    annotate_vcf(fasta=DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz", model=MODEL, vcf=vcf, out=consequences)
    table = folder / f"{batch}.variants.tsv"
    classify_variants(consequences, vcf, table, {"af_ceiling": 0.01, "info_fields": ["AF"]})
    with open(folder / "truth.tsv", newline="") as handle:
        truth = list(csv.DictReader(handle, delimiter="\t"))
    assert vcf.name == f"{batch}.vcf.gz"  # the batch name the stage derives from the locus VCF
    return {"vcf": vcf, "table": table, "truth": truth, "folder": folder}


def _samples(truth):
    return [
        Sample(row["sample_id"], "joint.vcf.gz", paternal_id=row["paternal_id"], maternal_id=row["maternal_id"])
        for row in truth
    ]


def test_batch_gets_every_planted_verdict_right(cohort):
    truth = cohort["truth"]
    assert len(truth) == 1000
    documents = call_batch_verdicts(
        _samples(truth),
        {row["sample_id"]: "joint" for row in truth},
        [cohort["vcf"]],
        [cohort["table"]],
        QC,
        MODEL,
    )
    wrong = [
        (row["sample_id"], row["plant"], row["expected_verdict"], documents[row["sample_id"]].verdict.value)
        for row in truth
        if documents[row["sample_id"]].verdict.value != row["expected_verdict"]
    ]
    assert not wrong, wrong[:10]
    for row in truth:
        if row["expected_phase_source"]:
            sources = {pair.phase_source.value for pair in documents[row["sample_id"]].pairs}
            assert row["expected_phase_source"] in sources, (row, sources)
    planted = {row["expected_verdict"] for row in truth if row["plant"] != "background"}
    assert planted == {verdict.value for verdict in Verdict}
    paths = write_batch_verdicts(documents, cohort["folder"] / "verdicts")
    assert len(paths) == 1000


def test_batch_equals_per_sample_path(cohort, tmp_path):
    truth = cohort["truth"]
    chosen = [row for row in truth if row["plant"] != "background"][:40] + [truth[-1]]
    batches = {row["sample_id"]: "joint" for row in truth}
    documents = call_batch_verdicts(_samples(chosen), batches, [cohort["vcf"]], [cohort["table"]], QC, MODEL)
    written = {path.name: path.read_bytes() for path in write_batch_verdicts(documents, tmp_path / "batch")}
    for sample in _samples(chosen):
        out = tmp_path / "single" / f"{sample.sample_id}.verdict.json"
        call_biallelic_status(sample, batches, [cohort["vcf"]], [cohort["table"]], QC, MODEL, out)
        assert out.read_bytes() == written[out.name], sample.sample_id
    assert {json.loads(text)["verdict"] for text in written.values()} >= {"HOMOZYGOUS", "NOT_ASSESSABLE"}
