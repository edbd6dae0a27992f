"""Family context on the demo trio (DEMO03 with DEMO03_FA and DEMO03_MO), built through the package.

The child is compound heterozygous in trans (V3 from the father, V8 from the mother); each parent's report
names the child's familial variants and says whether this parent carries each; both carry a qualifying one,
so both parents' reports give the couple's 25% recurrence risk and the reproductive options. The cohort path
(reports built in one process) writes the same bytes as the per-sample path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from trpm6_hsh import cohort, wording
from trpm6_hsh.builtin_annotator import annotate_vcf
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.config import children_of, complete_section, load_samples
from trpm6_hsh.extract import extract_locus
from trpm6_hsh.inheritance import call_batch_verdicts, read_verdict
from trpm6_hsh.provenance import checksum_resources
from trpm6_hsh.report import write_report
from trpm6_hsh.report.family import carrier_status

DEMO = REPO / "resources" / "demo" / "GRCh38"
FASTA = DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
BED = REPO / "resources" / "GRCh38" / "trpm6_locus.bed"
SCHEMA = REPO / "workflow" / "schemas" / "report.schema.json"
TRIO = ("DEMO03", "DEMO03_FA", "DEMO03_MO")
POPULATION = {"info_fields": ["gnomAD_AF", "AF"]}


@pytest.fixture(scope="module")
def trio(tmp_path_factory) -> dict:
    """The trio taken through extract, annotate, classify and inheritance; reports per sample and by cohort."""
    root = tmp_path_factory.mktemp("trio")
    sheet = REPO / "config" / "samples.tsv"
    samples = {s.sample_id: s for s in load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml",
                                                    check_files=False)}  # fmt: skip
    members = [samples[name] for name in TRIO]
    locus = root / "trio.vcf.gz"
    extract_locus(DEMO / "trio.vcf.gz", list(TRIO), FASTA, BED, locus, build="GRCh38", summary_json=root / "x.json")
    consequences = root / "trio.consequences.tsv"
    annotate_vcf(FASTA, MODEL, locus, consequences)
    table = root / "trio.variants.tsv"
    classify_variants(consequences, locus, table, population=complete_section("population", POPULATION),
                      build="GRCh38", model=MODEL)  # fmt: skip
    resources = root / "resources.json"
    checksum_resources({"reference_fasta": FASTA, "transcript_model": MODEL}, resources)
    verdict_arguments = {"family_batches": dict.fromkeys(TRIO, "trio"), "locus_vcfs": [locus],
                         "variant_tables": [table], "genotype_qc": complete_section("genotype_qc", {}),
                         "model": MODEL, "population": complete_section("population", POPULATION)}  # fmt: skip
    report_arguments = {"resources": resources, "model": MODEL, "schema": SCHEMA, "build": "GRCh38",
                        "config_sha256": "c" * 64, "annotator": "builtin",
                        "report_settings": complete_section("report", {})}  # fmt: skip
    children = {name: children_of(members, name) for name in TRIO}
    cohort.write_cohort_reports(members, verdict_arguments=verdict_arguments, report_arguments=report_arguments,
                                vcf_checksums=dict.fromkeys(TRIO, []), results=root / "cohort",
                                children=children)  # fmt: skip
    per_sample = root / "per_sample"
    documents = call_batch_verdicts(members, **verdict_arguments)
    for name, document in documents.items():
        document.write(per_sample / f"{name}.verdict.json")
    for sample in members:
        name = sample.sample_id
        write_report(per_sample / f"{name}.verdict.json", vcf_checksums=[], sample=sample,
                     out_html=per_sample / f"{name}.html", out_json=per_sample / f"{name}.json",
                     out_tsv=per_sample / f"{name}.tsv",
                     children=[(child, per_sample / f"{child.sample_id}.verdict.json") for child in children[name]],
                     **report_arguments)  # fmt: skip
    return {"root": root, "per_sample": per_sample, "cohort": root / "cohort" / "reports"}


def report(trio, name) -> dict:
    return json.loads((trio["per_sample"] / f"{name}.json").read_text())


def test_the_demo_trio_has_its_expected_verdicts(trio):
    assert [report(trio, name)["verdict"] for name in TRIO] == ["COMPOUND_HET_TRANS", "CARRIER", "CARRIER"]


@pytest.mark.parametrize(("parent", "carried", "not_carried"), [
    ("DEMO03_FA", "c.1308+1G>A", "c.3404-1G>A"), ("DEMO03_MO", "c.3404-1G>A", "c.1308+1G>A"),
])  # fmt: skip
def test_each_parents_report_names_the_childs_variants_and_whether_the_parent_carries_each(
    trio, parent, carried, not_carried
):
    family = report(trio, parent)["family_context"]
    [child] = family["relatives"]
    assert child["relative"] == "DEMO03" and child["relative_verdict"] == "COMPOUND_HET_TRANS"
    status = {item["variant"].split(" ")[0]: item["status"] for item in child["variants"]}
    assert status[f"NM_017662.5:{carried}"] == "carrier"
    assert status[f"NM_017662.5:{not_carried}"] == "not_carrier"
    html = (trio["per_sample"] / f"{parent}.html").read_text()
    assert "DEMO03" in html[html.index('id="family-context"'):]


@pytest.mark.parametrize("name", TRIO)
def test_carrier_couple_gets_the_recurrence_risk_and_reproductive_options(trio, name):
    family = report(trio, name)["family_context"]
    assert wording.CARRIER_COUPLE in family["notes"]
    assert "25%" in wording.CARRIER_COUPLE and "PGT" in wording.CARRIER_COUPLE
    assert "prenatal testing" in wording.CARRIER_COUPLE


def test_affected_child_gets_counselling_carrier_children_and_partner_testing(trio):
    notes = report(trio, "DEMO03")["family_context"]["notes"]
    assert wording.AFFECTED_COUNSELLING in notes
    for phrase in ("Genetic counselling is recommended", "children will", "carriers", "partner"):
        assert phrase in wording.AFFECTED_COUNSELLING
    assert wording.AFFECTED_COUNSELLING not in report(trio, "DEMO03_FA")["family_context"]["notes"]


@pytest.mark.parametrize("name", TRIO)
def test_every_report_carries_the_reanalysis_statement(trio, name):
    assert report(trio, name)["family_context"]["notes"][-1] == wording.REANALYSIS
    assert wording.REANALYSIS in (trio["per_sample"] / f"{name}.html").read_text()


def test_the_child_has_no_relatives_section_of_its_own_children(trio):
    assert report(trio, "DEMO03")["family_context"]["relatives"] == []


@pytest.mark.parametrize("name", TRIO)
def test_cohort_and_per_sample_reports_are_byte_identical(trio, name):
    assert (trio["cohort"] / f"{name}.report.json").read_bytes() == (trio["per_sample"] / f"{name}.json").read_bytes()


def test_a_parent_without_a_clear_genotype_is_not_determined_never_not_a_carrier():
    assert carrier_status("0/1") == carrier_status("1|0") == carrier_status("1/1") == "carrier"
    assert carrier_status("0/0") == carrier_status("reference (gVCF block, DP 30)") == "not_carrier"
    for unclear in ("./.", "no call", "0/1 (failed QC: DP 3 < 10)", "not called at chr9:1A>G (plain VCF: absent "
                    "is not reference)", "not in the child's analysis", ""):  # fmt: skip
        assert carrier_status(unclear) == "unknown", unclear


def test_the_childs_verdict_is_read_from_its_file(trio):
    child = read_verdict(trio["per_sample"] / "DEMO03.verdict.json")
    assert {entry.key.pos for entry in child.variants} and Path(trio["per_sample"]).is_dir()
