"""Phase honesty: what a trans/cis reading rests on is said, and a weak one asks for parental testing.

Rules and their tests:
- read-backed phase shows its phase set and the distance between the variants, and parental testing is
  recommended when the trans/cis decision rests on reads only (test_read_backed_trans_shows_phase_set_and_distance_
  and_recommends_parental_testing); a parental reading does not add it (test_parental_trans_adds_no_recommendation);
- a site absent from a parent's plain VCF is "not called", not "not carried" (test_absent_from_a_parents_plain_
  vcf_is_not_evidence_of_non_carriage, test_absent_from_a_parents_plain_vcf_does_not_make_a_homozygote_hemizygous);
  a gVCF reference block passing QC is (test_absent_but_covered_by_a_gvcf_block_is_reference);
- CIS_NOT_BIALLELIC in an affected sample recommends parental testing (test_cis_in_an_affected_sample_...).
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_vcf
from test_inheritance import FMT, FRAMESHIFT, HET, HOM, REF, STOP
from test_inheritance import _family_sheet_run as _run
from test_report import RESOURCES, SCHEMA

from trpm6_hsh.config import Sample
from trpm6_hsh.inheritance import read_verdict
from trpm6_hsh.inheritance.genotypes import GenotypeCall
from trpm6_hsh.inheritance.phase import parent_carries, parent_genotype_text
from trpm6_hsh.model import VariantKey, Zygosity
from trpm6_hsh.report.document import build_document, validate_document

PHASED_TRANS = [
    f"{FRAMESHIFT} . PASS . GT:DP:GQ:AD:PS 0|1:30:99:15,15:74800100",
    f"{STOP} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:74800100",
]

TWO_HETS = [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"]


def _report(path: Path, sample: Sample) -> dict:
    built = build_document(read_verdict(path), sample, RESOURCES, [], build="GRCh38", config_sha256="c" * 64,
                           annotator="builtin", report_settings={})  # fmt: skip
    validate_document(built, SCHEMA)
    return built


def test_read_backed_trans_shows_phase_set_and_distance_and_recommends_parental_testing(tmp_path):
    kid = write_vcf(tmp_path / "kid.vcf", ["KID"], PHASED_TRANS)
    sample = Sample("KID", str(kid))
    result = _run(tmp_path, {"KID": kid}, sample)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "read_backed"
    assert result["pairs"][0]["detail"] == "same phase set 74800100, 14,300 bp apart"
    assert (
        "chr9:74827800AG>A and chr9:74842100C>T in trans by read-backed phasing only (same phase set 74800100, "
        "14,300 bp apart): reads can switch phase over long distances; parental testing is recommended to confirm it"
    ) in result["evidence"]
    assert len(result["extra_recommendations"]) == 1
    assert result["extra_recommendations"][0].startswith("Test both parents for chr9:74827800AG>A and chr9:74842100C>T")
    report = _report(tmp_path / "KID.verdict.json", sample)
    assert report["recommendations"][-1] == result["extra_recommendations"][0]


def test_parental_trans_adds_no_recommendation(tmp_path):
    joint = write_vcf(
        tmp_path / "trio.vcf",
        ["KID", "DAD", "MUM"],
        [f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {REF} {HET}"],
    )
    sample = Sample("KID", str(joint), paternal_id="DAD", maternal_id="MUM")
    result = _run(tmp_path, {"KID": joint, "DAD": joint, "MUM": joint}, sample)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"
    assert result["extra_recommendations"] == []
    assert not any("read-backed phasing only" in line for line in result["evidence"])


def test_absent_from_a_parents_plain_vcf_is_not_evidence_of_non_carriage(tmp_path):
    kid = write_vcf(tmp_path / "kid.vcf", ["KID"], TWO_HETS)
    # Single-sample plain VCFs: each parent lists only the variant it carries.
    dad = write_vcf(tmp_path / "dad.vcf", ["DAD"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}"])
    mum = write_vcf(tmp_path / "mum.vcf", ["MUM"], [f"{STOP} . PASS . {FMT} {HET}"])
    sample = Sample("KID", str(kid), paternal_id="DAD", maternal_id="MUM")
    result = _run(tmp_path, {"KID": kid, "DAD": dad, "MUM": mum}, sample)
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert result["pairs"][0]["phase"] == "unknown"
    by_pos = {v["pos"]: v for v in result["variants"]}
    assert by_pos[74842100]["parental_genotypes"]["DAD"] == (
        "not called at chr9:74842100C>T (plain VCF: absent is not reference)"
    )
    assert "DAD: chr9:74827800AG>A 0/1, chr9:74842100C>T not called at chr9:74842100C>T (plain VCF: absent is " \
        "not reference)" in result["evidence"][0]
    assert by_pos[74842100]["transmission"] == "unknown"


def test_absent_from_a_parents_plain_vcf_does_not_make_a_homozygote_hemizygous(tmp_path):
    kid = write_vcf(tmp_path / "kid.vcf", ["KID"], [f"{STOP} . PASS . {FMT} {HOM}"])
    dad = write_vcf(tmp_path / "dad.vcf", ["DAD"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}"])
    mum = write_vcf(tmp_path / "mum.vcf", ["MUM"], [f"{STOP} . PASS . {FMT} {HET}"])
    sample = Sample("KID", str(kid), paternal_id="DAD", maternal_id="MUM")
    result = _run(tmp_path, {"KID": kid, "DAD": dad, "MUM": mum}, sample)
    assert result["verdict"] == "HOMOZYGOUS"
    assert not any("does not carry" in line for line in result["evidence"])
    assert result["mendelian_inconsistencies"] == []


def test_absent_but_covered_by_a_gvcf_block_is_reference(tmp_path):
    block = "GT:DP:GQ 0/0:35:60"
    kid = write_vcf(tmp_path / "kid.vcf", ["KID"], TWO_HETS)
    dad = write_vcf(
        tmp_path / "dad.vcf",
        ["DAD"],
        [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"chr9 74827802 . N <NON_REF> . . END=74850000 {block}"],
    )
    mum = write_vcf(
        tmp_path / "mum.vcf",
        ["MUM"],
        [f"chr9 74800000 . N <NON_REF> . . END=74842099 {block}", f"{STOP} . PASS . {FMT} {HET}"],
    )
    sample = Sample("KID", str(kid), paternal_id="DAD", maternal_id="MUM")
    result = _run(tmp_path, {"KID": kid, "DAD": dad, "MUM": mum}, sample)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"
    by_pos = {v["pos"]: v for v in result["variants"]}
    assert by_pos[74842100]["parental_genotypes"]["DAD"] == "reference (gVCF block, DP 35)"
    assert by_pos[74827800]["parental_genotypes"]["MUM"] == "reference (gVCF block, DP 35)"


def test_cis_in_an_affected_sample_recommends_parental_testing(tmp_path):
    joint = write_vcf(
        tmp_path / "trio.vcf",
        ["KID", "DAD", "MUM"],
        [f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {HET} {REF}"],
    )
    affected = Sample("KID", str(joint), paternal_id="DAD", maternal_id="MUM", affected=True)
    result = _run(tmp_path, {"KID": joint, "DAD": joint, "MUM": joint}, affected)
    assert result["verdict"] == "CIS_NOT_BIALLELIC"
    assert any(line.startswith("the sample is recorded as affected") for line in result["evidence"])
    assert result["extra_recommendations"][0].startswith("The patient is affected but the qualifying variants")
    report = _report(tmp_path / "KID.verdict.json", affected)
    assert report["recommendations"][-1] == result["extra_recommendations"][0]

    unaffected = Sample("KID", str(joint), paternal_id="DAD", maternal_id="MUM", affected=False)
    assert _run(tmp_path, {"KID": joint, "DAD": joint, "MUM": joint}, unaffected)["extra_recommendations"] == []


def test_parent_carries_is_unknown_for_a_site_a_plain_mapping_lacks():
    key = VariantKey("chr9", 74842100, "C", "T")
    other = VariantKey("chr9", 74827800, "AG", "A")
    call = GenotypeCall(other, Zygosity.HET, "0/1", False, None, (1,), 30, 99, 0.5, "PASS", ())
    assert parent_carries({other: call}, key) is None
    assert parent_carries({other: call}, other) is True
    assert parent_genotype_text({other: call}, key) == f"not called at {key} (plain VCF: absent is not reference)"
