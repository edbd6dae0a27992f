"""Sample-level evidence: PM3 counted from the pairing in this patient, PP4 from the lab values, ClinVar stars.

Each test writes a tiny VCF and a variants.tsv with classify-stage points, runs the inheritance stage and
asserts the verdict, the variant's class, points and criteria in verdict.json (checked against the schema
and read back unchanged), and the evidence sentence a counselor reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import REPO, write_vcf
from hypothesis import given
from hypothesis import strategies as st

from trpm6_hsh.classify import VariantRecord, write_variant_table
from trpm6_hsh.config import LabValues, Sample
from trpm6_hsh.inheritance import call_biallelic_status, read_verdict
from trpm6_hsh.inheritance.evidence import Pairing, Patient, SampleEvidenceSettings, classify_in_sample
from trpm6_hsh.model import Classification, Phase, PhaseSource, VariantKey
from trpm6_hsh.report.document import build_document, clinvar_shown, validate_document

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}
VERDICT_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((REPO / "workflow" / "schemas" / "verdict.schema.json").read_text())
)
REPORT_SCHEMA = REPO / "workflow" / "schemas" / "report.schema.json"

STOP = VariantKey("chr9", 74842100, "C", "T")  # pathogenic stop, 10 points
VUS4 = VariantKey("chr9", 74800300, "G", "A")  # missense VUS at 4 points
VUS5 = VariantKey("chr9", 74810000, "C", "G")  # missense VUS at 5 points
FMT = "GT:DP:GQ:AD"
HET, HOM, REF = "0/1:30:99:15,15", "1/1:30:99:0,30", "0/0:30:99:30,0"
HSH_LABS = LabValues(serum_mg_mmol_l=0.3, serum_ca_mmol_l=1.8, pth_pg_ml=30.0)
NO_LABS = LabValues()
DEFAULTS = SampleEvidenceSettings.from_config()


def _record(key: VariantKey, points: int, clinvar: tuple[str, int] | None = None, af: float | None = 1e-5):
    pathogenic = points >= 10
    return VariantRecord(
        key=key,
        consequence="stop_gained" if pathogenic else "missense_variant",
        impact="HIGH" if pathogenic else "MODERATE",
        population_af=af,
        population_af_source="INFO/gnomAD_AF",
        clinvar_significance=clinvar[0] if clinvar else "",
        clinvar_stars=clinvar[1] if clinvar else None,
        evidence=("PVS1", "PM2_Supporting") if pathogenic else ("PM2_Supporting",),
        acmg_points=points,
        classification=Classification.PATHOGENIC if pathogenic else Classification.VUS,
        qualifying=pathogenic,
        candidate_vus=not pathogenic,
        classification_reason="Pathogenic: PVS1" if pathogenic else "not qualifying: Uncertain significance",
    )


TABLE = {STOP: _record(STOP, 10), VUS4: _record(VUS4, 4), VUS5: _record(VUS5, 5)}


def _line(key: VariantKey, *genotypes: str) -> str:
    return f"{key.chrom} {key.pos} . {key.ref} {key.alt} . PASS . {FMT} " + " ".join(genotypes)


def _verdict(tmp_path: Path, samples, records, *, father="", mother="", labs=NO_LABS, affected=True, **config):
    vcf = write_vcf(tmp_path / "batch.vcf", samples, records)
    table = tmp_path / "batch.variants.tsv"
    write_variant_table(table, TABLE.values())
    out = tmp_path / "verdict.json"
    sample = Sample("P1", str(vcf), paternal_id=father, maternal_id=mother, affected=affected, lab_values=labs)
    call_biallelic_status(
        sample=sample,
        family_batches={member: "batch" for member in samples},
        locus_vcfs=[vcf],
        variant_tables=[table],
        genotype_qc=QC,
        model=MODEL,
        out=out,
        **config,
    )
    document = json.loads(out.read_text())
    VERDICT_SCHEMA.validate(document)
    assert read_verdict(out).to_json() == document
    return document


def _variant(document: dict, key: VariantKey) -> dict:
    wanted = (key.chrom, key.pos, key.ref, key.alt)
    return next(v for v in document["variants"] if (v["chrom"], v["pos"], v["ref"], v["alt"]) == wanted)


def _trio_in_trans(second: VariantKey) -> tuple[list[str], list[str]]:
    """P1 carries the stop from the father and ``second`` from the mother."""
    samples = ["P1", "FA", "MO"]
    return samples, [_line(STOP, HET, HET, REF), _line(second, HET, REF, HET)]


def test_vus_in_trans_with_pathogenic_stop_gets_pm3_moderate_and_is_compound_het(tmp_path):
    samples, records = _trio_in_trans(VUS4)
    document = _verdict(tmp_path, samples, records, father="FA", mother="MO")
    assert document["verdict"] == "COMPOUND_HET_TRANS"
    vus = _variant(document, VUS4)
    assert vus["classification"] == "Likely pathogenic" and vus["qualifying"] == "true"
    assert vus["classification_before_sample_evidence"] == "Uncertain significance"
    assert vus["acmg_points"] == "4" and vus["acmg_points_total"] == 6
    assert [(c["code"], c["strength"], c["points"]) for c in vus["sample_evidence"]] == [("PM3", "Moderate", 2)]
    raised = [line for line in document["evidence"] if "class raised" in line]
    assert raised == [
        f"{VUS4}: class raised from Uncertain significance to Likely pathogenic by PM3_Moderate: in trans "
        f"(parental genotypes) with {STOP} (Pathogenic without PM3): 1 point(s) "
        "(PM3 applies only if the patient's phenotype fits HSH)"
    ]
    assert "raised from Uncertain significance" in vus["classification_reason"]
    stop = _variant(document, STOP)  # the stop's partner is a VUS without PM3: 0.25, no PM3
    assert stop["sample_evidence"] == [] and stop["acmg_points_total"] == 10


def test_vus_phase_unknown_with_stop_gets_pm3_supporting_and_stays_vus(tmp_path):
    document = _verdict(tmp_path, ["P1"], [_line(STOP, HET), _line(VUS4, HET)])
    assert document["verdict"] == "QUALIFYING_PLUS_VUS"
    vus = _variant(document, VUS4)
    assert vus["classification"] == "Uncertain significance" and vus["acmg_points_total"] == 5
    assert [(c["code"], c["strength"], c["points"]) for c in vus["sample_evidence"]] == [("PM3", "Supporting", 1)]
    assert "phase unknown" in vus["sample_evidence"][0]["reason"]
    assert f"{VUS4}: 4 classify-stage point(s) + PM3_Supporting (+1) = 5 points, Uncertain significance" in (
        document["evidence"]
    )
    assert not any("class raised" in line for line in document["evidence"])


def test_partner_lifted_only_by_pm3_never_grants_pm3_back(tmp_path):
    """VUS5 is in trans with the stop (LP by PM3); VUS4 is in trans with VUS5 and in cis with the stop."""
    samples = ["P1", "FA", "MO"]
    records = [_line(STOP, HET, HET, REF), _line(VUS5, HET, REF, HET), _line(VUS4, HET, HET, REF)]
    document = _verdict(tmp_path, samples, records, father="FA", mother="MO")
    assert _variant(document, VUS5)["classification"] == "Likely pathogenic"
    lifted_partner = _variant(document, VUS4)
    assert lifted_partner["classification"] == "Uncertain significance"
    assert lifted_partner["sample_evidence"] == [] and lifted_partner["acmg_points_total"] == 4
    assert document["verdict"] == "COMPOUND_HET_TRANS"


def test_two_vus_in_trans_do_not_lift_each_other(tmp_path):
    samples = ["P1", "FA", "MO"]
    records = [_line(VUS5, HET, HET, REF), _line(VUS4, HET, REF, HET)]
    document = _verdict(tmp_path, samples, records, father="FA", mother="MO")
    for key in (VUS4, VUS5):
        assert _variant(document, key)["classification"] == "Uncertain significance"
        assert _variant(document, key)["sample_evidence"] == []  # 0.25 point each: below PM3_Supporting
    assert document["verdict"] not in ("COMPOUND_HET_TRANS", "COMPOUND_HET_PHASE_UNKNOWN", "HOMOZYGOUS", "CARRIER")


def test_pm3_partner_rule_is_not_circular_in_either_order():
    """Unit level: each VUS's partner is judged without PM3, whatever order the variants come in."""
    pairings = {
        VUS5: [Pairing(VUS4, Phase.TRANS, PhaseSource.PARENTAL)],
        VUS4: [Pairing(VUS5, Phase.TRANS, PhaseSource.PARENTAL)],
    }
    _, classes = classify_in_sample({VUS4: TABLE[VUS4], VUS5: TABLE[VUS5]}, pairings, Patient())
    assert {key: sample.record.classification for key, sample in classes.items()} == {
        VUS4: Classification.VUS,
        VUS5: Classification.VUS,
    }


def test_homozygous_vus_gets_pm3_supporting_and_can_qualify(tmp_path):
    document = _verdict(tmp_path, ["P1"], [_line(VUS5, HOM)])
    assert document["verdict"] == "HOMOZYGOUS"
    vus = _variant(document, VUS5)
    assert vus["classification"] == "Likely pathogenic" and vus["acmg_points_total"] == 6
    assert vus["sample_evidence"][0]["reason"].startswith("homozygous occurrence in this patient: 0.5 point(s)")


def test_homozygous_vus_at_four_points_stays_uncertain(tmp_path):
    document = _verdict(tmp_path, ["P1"], [_line(VUS4, HOM)])
    assert document["verdict"] != "HOMOZYGOUS"
    assert _variant(document, VUS4)["classification"] == "Uncertain significance"
    assert _variant(document, VUS4)["acmg_points_total"] == 5


def test_pp4_counted_when_the_labs_show_the_hsh_picture(tmp_path):
    document = _verdict(tmp_path, ["P1"], [_line(STOP, HET), _line(VUS4, HET)], labs=HSH_LABS)
    vus = _variant(document, VUS4)
    assert [c["code"] for c in vus["sample_evidence"]] == ["PM3", "PP4"]
    assert vus["acmg_points_total"] == 6 and vus["classification"] == "Likely pathogenic"
    assert document["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    pp4 = next(line for line in document["evidence"] if line.startswith("PP4"))
    assert "severe hypomagnesemia" in pp4 and "secondary hypocalcemia" in pp4
    assert "inappropriately normal PTH" in pp4 and "(phenotype highly specific for HSH)" in pp4
    assert vus["sample_evidence"][1]["reason"] == (
        "PP4: severe hypomagnesemia with secondary hypocalcemia and inappropriately normal PTH "
        "(phenotype highly specific for HSH)"
    )


def test_pp4_off_in_the_config_is_not_counted(tmp_path):
    records = [_line(STOP, HET), _line(VUS4, HET)]
    document = _verdict(tmp_path, ["P1"], records, labs=HSH_LABS, phenotype={"pp4": False})
    assert document["verdict"] == "QUALIFYING_PLUS_VUS"
    assert [c["code"] for c in _variant(document, VUS4)["sample_evidence"]] == ["PM3"]
    assert "PP4 not considered: phenotype.pp4 is false in the config" in document["evidence"]


def test_pp4_not_met_when_magnesium_is_not_severely_low(tmp_path):
    labs = LabValues(serum_mg_mmol_l=0.6, serum_ca_mmol_l=1.8, pth_pg_ml=30.0)
    document = _verdict(tmp_path, ["P1"], [_line(STOP, HET), _line(VUS4, HET)], labs=labs)
    assert document["verdict"] == "QUALIFYING_PLUS_VUS"
    assert "PP4" not in [c["code"] for c in _variant(document, VUS4)["sample_evidence"]]
    assert any(
        line.startswith("PP4 not met") and "magnesium 0.6 mmol/L is not below 0.5" in line
        for line in document["evidence"]
    )


def test_pp4_threshold_is_configurable(tmp_path):
    labs = LabValues(serum_mg_mmol_l=0.6, serum_ca_mmol_l=1.8, pth_pg_ml=30.0)
    records = [_line(STOP, HET), _line(VUS4, HET)]
    document = _verdict(tmp_path, ["P1"], records, labs=labs, phenotype={"serum_mg_below_mmol_l": 0.7})
    assert [c["code"] for c in _variant(document, VUS4)["sample_evidence"]] == ["PM3", "PP4"]


def test_pp4_not_met_when_pth_is_raised(tmp_path):
    labs = LabValues(serum_mg_mmol_l=0.3, serum_ca_mmol_l=1.8, pth_pg_ml=120.0)
    document = _verdict(tmp_path, ["P1"], [_line(STOP, HET), _line(VUS4, HET)], labs=labs)
    assert any("PTH 120 pg/mL is above 65" in line for line in document["evidence"])


def test_pp4_not_evaluable_without_lab_values_and_said_so(tmp_path):
    document = _verdict(tmp_path, ["P1"], [_line(STOP, HET), _line(VUS4, HET)])
    assert any(line.startswith("PP4 not evaluable: magnesium and calcium and PTH not given") for line in (
        document["evidence"]
    ))  # fmt: skip
    partial = LabValues(serum_mg_mmol_l=0.3)
    document = _verdict(tmp_path, ["P1"], [_line(STOP, HET), _line(VUS4, HET)], labs=partial)
    assert any(line.startswith("PP4 not evaluable: calcium and PTH not given") for line in document["evidence"])


def test_unaffected_sample_gets_neither_pm3_nor_pp4(tmp_path):
    samples, records = _trio_in_trans(VUS4)
    document = _verdict(tmp_path, samples, records, father="FA", mother="MO", labs=HSH_LABS, affected=False)
    assert _variant(document, VUS4)["sample_evidence"] == []
    assert _variant(document, VUS4)["classification"] == "Uncertain significance"
    assert any("recorded as unaffected" in line for line in document["evidence"])
    assert document["verdict"] == "QUALIFYING_PLUS_VUS"


def test_too_common_variant_never_qualifies_through_sample_evidence():
    common = _record(VUS5, 5, af=0.02)
    pairings = {common.key: [Pairing(STOP, Phase.TRANS, PhaseSource.PARENTAL)]}
    _, classes = classify_in_sample({STOP: TABLE[STOP], common.key: common}, pairings, Patient())
    sample = classes[common.key]
    assert sample.total == 7 and sample.record.classification == Classification.LIKELY_PATHOGENIC
    assert sample.record.qualifying is False


def test_clinvar_below_minimum_stars_is_shown_and_not_counted():
    line, counted = clinvar_shown(_record(VUS4, 4, clinvar=("Pathogenic", 0)), 1)
    assert line == "ClinVar: Pathogenic, 0 star(s) — below the configured minimum of 1, not counted"
    assert counted is False
    line, counted = clinvar_shown(_record(VUS4, 4, clinvar=("Pathogenic", 2)), 1)
    assert line == "ClinVar: Pathogenic, 2 star(s)" and counted is True
    assert clinvar_shown(_record(VUS4, 4), 1) == ("", None)


def test_report_json_carries_points_criteria_and_stars_and_validates(tmp_path):
    TABLE[VUS4] = _record(VUS4, 4, clinvar=("Benign", 0))
    try:
        samples, records = _trio_in_trans(VUS4)
        _verdict(tmp_path, samples, records, father="FA", mother="MO", labs=HSH_LABS)
    finally:
        TABLE[VUS4] = _record(VUS4, 4)
    sample = Sample("P1", "p1.vcf", paternal_id="FA", maternal_id="MO", affected=True, lab_values=HSH_LABS)
    report = build_document(
        read_verdict(tmp_path / "verdict.json"),
        sample,
        {"inputs": [], "reference_header": "chr9"},
        [],
        build="GRCh38",
        config_sha256="c" * 64,
        annotator="builtin",
        report_settings={},
        clinvar_min_review_stars=1,
    )
    validate_document(report, REPORT_SCHEMA)
    assert report["verdict"] == "COMPOUND_HET_TRANS"  # a 0-star ClinVar benign holds nothing back
    vus = next(v for v in report["variants"] if v["pos"] == VUS4.pos)
    assert vus["classification"] == "Likely pathogenic" and vus["qualifying"] is True
    assert vus["classification_before_sample_evidence"] == "Uncertain significance"
    assert vus["acmg_points"] == "4" and vus["acmg_points_total"] == 4 + 2 + 1
    assert "PM3_Moderate" in vus["evidence"] and "PP4_Supporting" in vus["evidence"]
    assert vus["clinvar_shown"] == "ClinVar: Benign, 0 star(s) — below the configured minimum of 1, not counted"
    assert vus["clinvar_counted"] is False and vus["clinvar_stars"] == 0


_CLASSES = [Classification.PATHOGENIC, Classification.LIKELY_PATHOGENIC, Classification.VUS]


@given(
    points=st.integers(min_value=-8, max_value=12),
    phase=st.sampled_from([Phase.TRANS, Phase.UNKNOWN, Phase.CIS]),
    partner_points=st.integers(min_value=0, max_value=12),
    labs=st.sampled_from([HSH_LABS, NO_LABS]),
)
def test_sample_evidence_adds_points_and_never_lowers_a_class(points, phase, partner_points, labs):
    record = _record(VUS4, min(points, 5))
    partner = _record(STOP, partner_points)
    pairings = {VUS4: [Pairing(STOP, phase, PhaseSource.PARENTAL)]}
    _, classes = classify_in_sample({VUS4: record, STOP: partner}, pairings, Patient(labs, True, DEFAULTS))
    sample = classes[VUS4]
    assert sample.total == record.acmg_points + sum(item.points for item in sample.criteria)
    order = [*_CLASSES, Classification.LIKELY_BENIGN, Classification.BENIGN]
    assert order.index(sample.record.classification) <= order.index(record.classification)
    if partner_points < 10 or phase == Phase.CIS:  # no P/LP partner in trans or unknown phase: no PM3 above 0.25
        assert "PM3" not in [item.code for item in sample.criteria]
