"""Variant-level classification: LoF strength, population frequency and ACMG point combination."""

from __future__ import annotations

from pathlib import Path

from conftest import write_vcf

from trpm6_hsh.classify import (
    Evidence,
    PopulationSettings,
    SiteFacts,
    classify_points,
    classify_variants,
    evaluate,
)
from trpm6_hsh.config import default_config
from trpm6_hsh.model import Classification
from trpm6_hsh.tsv import read_table, write_table

DEFAULTS = default_config()
SETTINGS = PopulationSettings.from_config(
    {**DEFAULTS["population"], "info_fields": ["gnomAD_AF"]},
    {"min_review_stars": DEFAULTS["clinvar_min_review_stars"]},
)


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


# ------------------------------------------------------------------ ClinVar and population VCFs

CLINVAR_HEADER = """##fileformat=VCFv4.1
##contig=<ID=9>
##INFO=<ID=CLNSIG,Number=.,Type=String,Description="Aggregate germline classification">
##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="Review status">
##INFO=<ID=CLNSIGCONF,Number=.,Type=String,Description="Conflicting classifications">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO
"""
GNOMAD_HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr9>
##INFO=<ID=AF,Number=A,Type=Float,Description="Alternate allele frequency">
##INFO=<ID=AF_grpmax,Number=A,Type=Float,Description="Maximum group AF">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO
"""
CONSEQUENCE_HEADER = ["chrom", "pos", "ref", "alt", "transcript", "is_mane", "consequence", "hgvs_c", "hgvs_p", "lof"]


def _sites(path, header: str, lines: list[str]):
    path.write_text(header + "".join("\t".join(line.split()) + "\n" for line in lines))
    return path


def _classify_with(
    tmp_path,
    rows: list[dict],
    clinvar_lines=(),
    gnomad_lines=None,
    clinvar_header=CLINVAR_HEADER,
    gnomad_header=GNOMAD_HEADER,
    build=None,
    **population,
):
    """Classify annotation rows against a locus VCF plus optional ClinVar / gnomAD sites VCFs."""
    records = [f"chr9 {row['pos']} . {row['ref']} {row['alt']} . PASS . GT 0/1" for row in rows]
    vcf = write_vcf(tmp_path / "locus.vcf", ["S"], records)
    table = tmp_path / "consequences.tsv"
    full = [dict(row, transcript="MANE", is_mane="true") for row in rows]
    write_table(table, CONSEQUENCE_HEADER + ["impact", "lof_confidence", "pvs1_strength", "lof_reason"], full)
    clinvar = _sites(tmp_path / "clinvar.vcf", clinvar_header, list(clinvar_lines)) if clinvar_lines else None
    gnomad = _sites(tmp_path / "gnomad.vcf", gnomad_header, gnomad_lines) if gnomad_lines is not None else None
    out = tmp_path / "variants.tsv"
    settings = {"af_ceiling": 0.01, "info_fields": ["gnomAD_AF"], **population}
    classify_variants(table, vcf, out, settings, {"min_review_stars": 1}, clinvar, gnomad, build)
    return {row["pos"]: row for row in read_table(out)}


MISSENSE_ROW = dict(annotation("missense_variant"), pos="300", ref="G", alt="A")
STOP_ROW = dict(annotation("stop_gained", True, "VeryStrong", "HIGH"), pos="400", ref="C", alt="T")


def test_clinvar_pathogenic_missense_qualifies_with_its_evidence(tmp_path):
    lines = ["9 300 12345 G A . . CLNSIG=Pathogenic;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts"]
    row = _classify_with(tmp_path, [MISSENSE_ROW], lines)["300"]
    assert row["qualifying"] == "true"
    assert row["classification"] == "Pathogenic"
    assert "ClinVar_PathogenicOrLikely" in row["evidence"].split(";")
    assert row["clinvar_id"] == "12345" and row["clinvar_stars"] == "2"
    assert "ClinVar 12345: Pathogenic" in row["clinvar_evidence"]


def test_clinvar_matches_on_allele_not_position(tmp_path):
    lines = ["9 300 1 G T . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel"]
    row = _classify_with(tmp_path, [MISSENSE_ROW], lines)["300"]
    assert row["qualifying"] == "false" and row["clinvar_id"] == ""


def test_clinvar_without_review_criteria_does_not_qualify(tmp_path):
    lines = ["9 300 7 G A . . CLNSIG=Likely_pathogenic;CLNREVSTAT=no_assertion_criteria_provided"]
    row = _classify_with(tmp_path, [MISSENSE_ROW], lines)["300"]
    assert row["qualifying"] == "false"
    assert row["candidate_vus"] == "true"
    assert "fewer than the 1 required" in row["classification_reason"]


def test_clinvar_conflicting_is_shown_never_qualifying(tmp_path):
    lines = [
        "9 300 8 G A . . CLNSIG=Conflicting_classifications_of_pathogenicity;"
        "CLNREVSTAT=criteria_provided,_conflicting_classifications;CLNSIGCONF=Pathogenic(1),Benign(2)"
    ]
    row = _classify_with(tmp_path, [MISSENSE_ROW], lines)["300"]
    assert row["qualifying"] == "false" and row["candidate_vus"] == "true"
    assert "ClinVar_Conflicting" in row["evidence"]
    assert "conflicting classifications" in row["classification_reason"]


def test_clinvar_benign_blocks_a_predicted_lof_for_review(tmp_path):
    lines = ["9 400 9 C T . . CLNSIG=Benign/Likely_benign;CLNREVSTAT=reviewed_by_expert_panel"]
    row = _classify_with(tmp_path, [STOP_ROW], lines)["400"]
    assert row["qualifying"] == "false"
    assert row["candidate_vus"] == "true"
    assert "needs review" in row["classification_reason"]


def test_clinvar_significance_categories():
    from trpm6_hsh.clinvar import ClinvarCategory, categorise

    assert categorise("Pathogenic/Likely_pathogenic") == ClinvarCategory.PATHOGENIC
    assert categorise("Likely_pathogenic,_low_penetrance") == ClinvarCategory.PATHOGENIC
    assert categorise("Pathogenic|drug_response") == ClinvarCategory.PATHOGENIC
    assert categorise("Conflicting_interpretations_of_pathogenicity") == ClinvarCategory.CONFLICTING
    assert categorise("Benign/Likely_benign") == ClinvarCategory.BENIGN
    assert categorise("Uncertain_significance") == ClinvarCategory.UNCERTAIN
    assert categorise("not_provided") == ClinvarCategory.OTHER
    assert categorise("risk_factor") == ClinvarCategory.OTHER


def test_gnomad_vcf_frequency_is_matched_on_allele_and_configurable(tmp_path):
    gnomad = ["chr9 400 . C T . PASS AF=0.002;AF_grpmax=0.03", "chr9 300 . G C . PASS AF=0.2;AF_grpmax=0.3"]
    rows = _classify_with(tmp_path, [STOP_ROW, MISSENSE_ROW], gnomad_lines=gnomad, gnomad_af_field="AF_grpmax")
    assert rows["400"]["population_af"] == "0.03"
    assert rows["400"]["population_af_source"].endswith("/AF_grpmax")
    assert rows["400"]["qualifying"] == "false"
    # G>A at 300 is not the G>C allele gnomAD lists: absent, so PM2 but the frequency stays unknown
    assert rows["300"]["population_af"] == ""
    assert rows["300"]["population_af_source"].startswith("not in gnomAD VCF")
    assert "PM2_Supporting" in rows["300"]["evidence"]


def test_unknown_frequency_is_never_shown_as_rare(tmp_path):
    row = _classify_with(tmp_path, [STOP_ROW])["400"]
    assert row["population_af"] == "" and row["population_af_source"] == "unknown"
    assert "PM2" not in row["evidence"]
    assert "frequency unknown" in row["classification_reason"]


def test_exon_deletion_gets_no_bp7():
    deletion = annotation(
        "exon_loss_variant&coding_sequence_variant&intron_variant&feature_truncation", True, "VeryStrong", "HIGH"
    )
    result = evaluate(deletion, SiteFacts(None, "", 200), SETTINGS)
    assert "BP7" not in [e.code for e in result.evidence]


def test_clinvar_vcf_of_another_build_is_refused(tmp_path):
    import pytest

    from trpm6_hsh.errors import InputError

    header = CLINVAR_HEADER.replace("##contig=<ID=9>", "##contig=<ID=9>\n##reference=GRCh37")
    lines = ["9 300 1 G A . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel"]
    with pytest.raises(InputError, match="ClinVar VCF is for GRCh37, but the run is on GRCh38"):
        _classify_with(tmp_path, [MISSENSE_ROW], lines, clinvar_header=header, build="GRCh38")
    assert _classify_with(tmp_path, [MISSENSE_ROW], lines, clinvar_header=header, build="GRCh37")["300"]["qualifying"]


def test_gnomad_vcf_of_another_build_is_refused_by_contig_length(tmp_path):
    import pytest

    from trpm6_hsh.errors import InputError

    header = GNOMAD_HEADER.replace("##contig=<ID=chr9>", "##contig=<ID=chr9,length=141213431>")
    lines = ["chr9 400 . C T . PASS AF=0.1"]
    with pytest.raises(InputError, match="population \\(gnomAD\\) VCF is for GRCh37"):
        _classify_with(tmp_path, [STOP_ROW], gnomad_lines=lines, gnomad_header=header, build="GRCh38")


def test_indexed_clinvar_vcf_without_contig_lines_is_read(tmp_path):
    import pysam

    header = CLINVAR_HEADER.replace("##contig=<ID=9>\n", "##reference=GRCh38\n")
    lines = ["9 300 12345 G A . . CLNSIG=Likely_pathogenic;CLNREVSTAT=criteria_provided,_single_submitter"]
    plain = _sites(tmp_path / "clinvar_plain.vcf", header, lines)
    indexed = Path(pysam.tabix_index(str(plain), preset="vcf", force=True))
    from trpm6_hsh.clinvar import read_clinvar

    found = read_clinvar(indexed, "chr9", 1, 1000, build="GRCh38")
    assert found[(300, "G", "A")].category.value == "pathogenic"
    assert found[(300, "G", "A")].stars == 1


def test_variants_table_reads_back_as_typed_records_and_rewrites_byte_identically(tmp_path):
    from trpm6_hsh.classify import read_variant_table, write_variant_table

    lines = ["9 300 12345 G A . . CLNSIG=Pathogenic;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts"]
    gnomad = ["chr9 400 . C T . . AF=0.00001"]
    _classify_with(tmp_path, [MISSENSE_ROW, STOP_ROW], lines, gnomad)
    out = tmp_path / "variants.tsv"
    records = read_variant_table(out)
    assert [record.cells() for record in records.values()] == read_table(out)
    missense, stop = records.values()
    assert missense.qualifying is True and missense.clinvar_stars == 2 and missense.population_af is None
    assert stop.classification == Classification.LIKELY_PATHOGENIC and stop.lof is True and stop.population_af == 1e-05
    assert "PVS1" in stop.evidence and isinstance(stop.acmg_points, int)
    again = tmp_path / "again.tsv"
    write_variant_table(again, records.values())
    assert again.read_bytes() == out.read_bytes() and read_variant_table(again) == records


def test_a_table_with_some_columns_reads_with_defaults_and_gives_back_only_its_cells(tmp_path):
    from trpm6_hsh.classify import read_variant_table

    table = tmp_path / "partial.variants.tsv"
    columns = ["chrom", "pos", "ref", "alt", "classification", "qualifying"]
    write_table(table, columns, [{"chrom": "chr9", "pos": 5, "ref": "G", "alt": "A", "classification": "",
                                  "qualifying": "true"}])
    (record,) = read_variant_table(table).values()
    assert record.classification is None and record.qualifying and not record.candidate_vus
    assert record.cells() == read_table(table)[0]
