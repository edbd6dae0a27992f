"""What the report says for a verdict depends on who the patient is: an affected carrier is not reassured."""

from __future__ import annotations

from test_report import RESOURCES, SAMPLE, typed_verdict, verdict_doc

from trpm6_hsh import wording
from trpm6_hsh.config import LabValues, Sample
from trpm6_hsh.model import Verdict
from trpm6_hsh.report import build_document


def carrier_report(sample: Sample) -> dict:
    verdict = typed_verdict({**verdict_doc(), "verdict": "CARRIER", "verdict_text": "carrier", "pm3": []})
    return build_document(
        verdict, sample, RESOURCES, [], build="GRCh38", config_sha256="c" * 64, annotator="builtin",
        report_settings={"laboratory": "Lab", "report_date": "", "referral_reason": "HSH?"},
    )


def test_affected_carrier_is_told_a_second_variant_was_not_found():
    report = carrier_report(SAMPLE)  # affected, magnesium 0.3 mmol/L
    assert report["verdict"] == "CARRIER"
    assert report["result_headline"] == "One qualifying TRPM6 variant; a second was not found"
    said = " ".join([report["verdict_text"], report["what_it_means"], *report["recommendations"]])
    assert "not expected to have HSH" not in said
    for hiding_place in ("deletion or duplication of one or more exons", "deep intronic", "not assessed"):
        assert hiding_place in said
    assert any("Copy-number analysis" in item for item in report["recommendations"])


def test_low_magnesium_counts_as_affected_even_without_the_sheet_flag():
    sample = Sample("S1", "s1.vcf.gz", affected=None, lab_values=LabValues(serum_mg_mmol_l=0.4))
    assert carrier_report(sample)["result_headline"] == wording.AFFECTED_CARRIER.headline


def test_unaffected_carrier_keeps_the_carrier_wording():
    sample = Sample("S1", "s1.vcf.gz", affected=False, lab_values=LabValues())
    report = carrier_report(sample)
    assert report["result_headline"] == wording.VERDICT_WORDING[Verdict.CARRIER].headline
    assert report["verdict_text"] == "carrier"


def test_every_verdict_has_its_own_wording_and_biallelic_vus_is_never_called_negative():
    assert set(wording.VERDICT_WORDING) == set(Verdict)
    vus = wording.VERDICT_WORDING[Verdict.BIALLELIC_VUS]
    assert vus.headline.startswith("Inconclusive") and "not negative" in vus.sentence


def negative_report(callability: dict, qc_pass: bool = True, qualifying: str = "false") -> dict:
    document = verdict_doc()
    document.update(verdict="NEGATIVE", verdict_text="negative", pm3=[], callability=callability)
    document["variants"][0].update(qc_pass=qc_pass, qualifying=qualifying)
    sample = Sample("S1", "s1.vcf.gz", affected=False, lab_values=LabValues())
    return build_document(
        typed_verdict(document), sample, RESOURCES, [], build="GRCh38", config_sha256="c" * 64, annotator="builtin",
        report_settings={"laboratory": "Lab", "report_date": "", "referral_reason": "HSH?"},
    )


COVERED = {"sources": ["gVCF reference blocks"], "settings": {}, "regions": 39, "regions_assessed": 39}
PLAIN = {"sources": ["none (plain VCF)"], "settings": {}, "regions": 39, "regions_assessed": 0}


def test_negative_on_a_plain_vcf_says_coverage_was_not_confirmed_in_its_headline():
    report = negative_report(PLAIN)
    assert report["verdict"] == "NEGATIVE"
    assert report["result_headline"] == "No qualifying TRPM6 variant listed; coverage of TRPM6 could not be confirmed"
    assert "lowers" not in report["what_it_means"]


def test_negative_with_a_low_quality_qualifying_call_is_not_headlined_negative():
    report = negative_report(COVERED, qc_pass=False, qualifying="true")
    assert report["result_headline"].startswith("Not a negative result")
    assert any("orthogonal method" in item for item in report["recommendations"])


def test_negative_with_confirmed_coverage_keeps_the_negative_wording():
    report = negative_report(COVERED)
    assert report["result_headline"] == wording.VERDICT_WORDING[Verdict.NEGATIVE].headline
    assert report["verdict_text"] == "negative"
