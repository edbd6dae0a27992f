"""Variant-level classification: LoF strength, population frequency and ACMG point combination."""

from __future__ import annotations

from conftest import write_vcf

from trpm6_hsh.classify import (
    Evidence,
    PopulationSettings,
    SiteFacts,
    classify_points,
    classify_variants,
    evaluate,
)
from trpm6_hsh.model import Classification
from trpm6_hsh.tsv import read_table, write_table

SETTINGS = PopulationSettings(af_ceiling=0.01, info_fields=("gnomAD_AF",), pm2_max_af=0.0005)


def annotation(consequence: str, lof: bool = False, strength: str = "", impact: str = "MODERATE") -> dict:
    return {
        "chrom": "chr9",
        "pos": "100",
        "ref": "C",
        "alt": "T",
        "consequence": consequence,
        "impact": impact,
        "lof": "true" if lof else "false",
        "lof_confidence": "HC" if strength == "VeryStrong" else ("LC" if lof else ""),
        "pvs1_strength": strength,
        "lof_reason": "NMD_PREDICTED" if lof else "",
    }


def test_novel_high_confidence_lof_is_likely_pathogenic_and_qualifying():
    result = evaluate(annotation("stop_gained", True, "VeryStrong", "HIGH"), SiteFacts(None, "", None), SETTINGS)
    assert result.classification == Classification.LIKELY_PATHOGENIC
    assert result.qualifying
    assert "frequency unknown" in result.reason


def test_rare_lof_with_pm2_reaches_pathogenic_only_with_more_evidence():
    rare = evaluate(
        annotation("stop_gained", True, "VeryStrong", "HIGH"), SiteFacts(0.0001, "INFO/gnomAD_AF", None), SETTINGS
    )
    assert [str(e) for e in rare.evidence] == ["PVS1", "PM2_Supporting"]
    assert rare.points == 9
    assert rare.classification == Classification.LIKELY_PATHOGENIC


def test_common_lof_is_not_qualifying():
    common = evaluate(
        annotation("stop_gained", True, "VeryStrong", "HIGH"), SiteFacts(0.03, "INFO/gnomAD_AF", None), SETTINGS
    )
    assert not common.qualifying
    assert "BS1" in [e.code for e in common.evidence]
    assert "above the ceiling" in common.reason


def test_ba1_is_benign_on_its_own():
    assert evaluate(
        annotation("stop_gained", True, "VeryStrong"), SiteFacts(0.2, "x", None), SETTINGS
    ).classification == (Classification.BENIGN)


def test_nmd_escaping_lof_at_strong_is_not_enough_alone():
    result = evaluate(annotation("stop_gained", True, "Strong", "HIGH"), SiteFacts(None, "", None), SETTINGS)
    assert result.classification == Classification.VUS
    assert not result.qualifying
    assert result.candidate_vus


def test_missense_is_a_candidate_vus_never_qualifying():
    result = evaluate(annotation("missense_variant"), SiteFacts(None, "", None), SETTINGS)
    assert result.classification == Classification.VUS
    assert result.candidate_vus and not result.qualifying


def test_synonymous_is_likely_benign():
    result = evaluate(annotation("synonymous_variant", impact="LOW"), SiteFacts(None, "", None), SETTINGS)
    assert result.classification == Classification.LIKELY_BENIGN
    assert [e.code for e in result.evidence] == ["BP7"]


def test_synonymous_at_splice_region_gets_no_bp7():
    result = evaluate(
        annotation("splice_region_variant&synonymous_variant", impact="LOW"), SiteFacts(None, "", None), SETTINGS
    )
    assert result.classification == Classification.VUS


def test_point_thresholds():
    def points(value):
        return classify_points([Evidence("X", "x", value, "")])

    assert points(10) == Classification.PATHOGENIC
    assert points(6) == Classification.LIKELY_PATHOGENIC
    assert points(0) == Classification.VUS
    assert points(-1) == Classification.LIKELY_BENIGN
    assert points(-7) == Classification.BENIGN


def test_classify_variants_reads_frequency_from_configured_info_field_only(tmp_path):
    vcf = write_vcf(
        tmp_path / "locus.vcf",
        ["S"],
        [
            "chr9 100 . C T . PASS gnomAD_AF=0.02 GT 0/1",
            "chr9 200 . G A . PASS . GT 0/1",
        ],
    )
    columns = ["chrom", "pos", "ref", "alt", "transcript", "is_mane", "consequence", "hgvs_c", "hgvs_p", "lof"]
    rows = [
        dict(annotation("stop_gained", True, "VeryStrong", "HIGH"), transcript="OTHER", is_mane="false"),
        dict(annotation("stop_gained", True, "VeryStrong", "HIGH"), transcript="MANE", is_mane="true", hgvs_c="c.1C>T"),
        dict(annotation("missense_variant"), pos="200", ref="G", alt="A", transcript="MANE", is_mane="true"),
    ]
    table = tmp_path / "consequences.tsv"
    write_table(table, columns + ["impact", "lof_confidence", "pvs1_strength", "lof_reason"], rows)
    out = tmp_path / "variants.tsv"
    assert classify_variants(table, vcf, out, {"af_ceiling": 0.01, "info_fields": ["gnomAD_AF"]}) == 2
    first, second = read_table(out)
    assert first["transcript"] == "MANE" and first["hgvs_c"] == "c.1C>T"
    assert first["population_af"] == "0.02" and first["qualifying"] == "false"
    assert second["population_af"] == "" and second["population_af_source"] == "unknown"
