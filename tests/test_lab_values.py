"""Lab values with units: conversions, plausibility errors that name the unit mix-up, age bands, and the PTH
reading that follows the magnesium (issue 15, items 1 and 2)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_report import _write, verdict_doc

from trpm6_hsh.config import LabValues, Sample, load_samples
from trpm6_hsh.errors import ConfigError
from trpm6_hsh.inheritance import sample_from_record
from trpm6_hsh.inheritance.evidence import Patient, assess_pp4
from trpm6_hsh.lab_units import Analyte, LabValue, LabValueError, parse_age, parse_lab_cell
from trpm6_hsh.report.labs import (
    clinical_correlation,
    interpret_lab_values,
    physiology_notes,
    reference_interval,
)

SCHEMA = Path(__file__).resolve().parents[1] / "workflow" / "schemas" / "samples.schema.yaml"
MG, CA, PTH = Analyte.MAGNESIUM, Analyte.CALCIUM, Analyte.PTH


def labs(**cells: str) -> LabValues:
    """LabValues from sheet cells, e.g. labs(serum_mg="1.2 mg/dL", age="8m")."""
    values = {name: parse_lab_cell(Analyte(name), text) for name, text in cells.items() if name != "age"}
    return LabValues(**values, age=parse_age(cells.get("age", "")))


def readings_of(lab_values: LabValues) -> dict[str, dict]:
    return {item["key"]: item for item in interpret_lab_values(lab_values)}


def load(tmp_path: Path, header: str, row: str):
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(f"sample_id\tvcf\t{header}\nS1\tx.vcf\t{row}\n", encoding="utf-8")
    return load_samples(sheet, SCHEMA, check_files=False)


# ----------------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("analyte", "cell", "standard"),
    [
        (MG, "0.45 mmol/L", 0.45),
        (MG, "0.9 mEq/L", 0.45),
        (MG, "2.43 mg/dL", 1.0),
        (MG, "1.2 mg/dL", 0.4938),
        (CA, "2.1 mmol/L", 2.1),
        (CA, "4.2 mEq/L", 2.1),
        (CA, "8.016 mg/dL", 2.0),
        (CA, "7.0 mg/dL", 1.7465),
        (PTH, "12 pg/mL", 12.0),
        (PTH, "12 ng/L", 12.0),
        (PTH, "1 pmol/L", 9.43),
        (PTH, "1.3 pmol/L", 12.259),
    ],
)
def test_each_unit_converts_to_mmol_l_or_pg_ml(analyte, cell, standard):
    value = parse_lab_cell(analyte, cell)
    assert value.standard == pytest.approx(standard, abs=1e-4)
    assert value.as_entered == cell  # shown exactly as entered


@pytest.mark.parametrize(
    ("analyte", "unit"), [(MG, "mEq/L"), (MG, "mg/dL"), (CA, "mEq/L"), (CA, "mg/dL"), (PTH, "pmol/L")]
)
@given(fraction=st.floats(min_value=0.0, max_value=1.0))
def test_conversion_back_gives_the_value_entered(analyte, unit, fraction):
    """Both ways: a plausible value in the standard unit, expressed in another unit and read back, is the same."""
    low, high = analyte.spec.plausible
    standard = low + fraction * (high - low)
    factor = analyte.spec.factors[unit]
    value = LabValue.of(analyte, standard / factor, unit)
    assert value.standard == pytest.approx(standard, rel=1e-5, abs=1e-5)


def test_mg_dl_figures_are_the_stated_factors():
    assert MG.spec.factors["mg/dL"] * 2.43 == pytest.approx(1.0)
    assert CA.spec.factors["mg/dL"] * 4.008 == pytest.approx(1.0)
    assert MG.spec.factors["mEq/L"] == CA.spec.factors["mEq/L"] == 0.5
    assert PTH.spec.factors["pmol/L"] == 9.43


# ----------------------------------------------------------------------------- plausibility stops the run


def test_calcium_7_in_mmol_l_stops_the_run_naming_mg_dl(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, "serum_ca", "7.0 mmol/L")
    message = str(caught.value)
    assert "line 2" in message and "'S1'" in message
    assert "Serum total calcium 7.0 mmol/L is outside what is physiologically possible (0.75-4.5 mmol/L)" in message
    assert "likely in mg/dL (7.0 mg/dL = 1.75 mmol/L" in message
    assert "Fix:" in message and "\n" not in message


def test_calcium_7_in_the_old_mmol_l_column_is_refused_too(tmp_path):
    with pytest.raises(ConfigError, match=r"line 2.*likely in mg/dL \(7\.0 mg/dL = 1\.75 mmol/L"):
        load(tmp_path, "serum_ca_mmol_l", "7.0")


def test_magnesium_2_9_mmol_l_is_implausible_but_1_2_may_be_real(tmp_path):
    with pytest.raises(ConfigError, match=r"Serum magnesium 2\.9 mmol/L.*likely in mg/dL \(2\.9 mg/dL = 1\.19 mmol/L"):
        load(tmp_path, "serum_mg", "2.9 mmol/L")
    (sample,) = load(tmp_path, "serum_mg", "1.2 mmol/L")
    assert sample.lab_values.serum_mg_mmol_l == 1.2


def test_a_high_magnesium_that_would_be_low_in_mg_dl_says_check_the_unit():
    """1.2 'mmol/L' passes plausibility, but the reading must not simply reassure: as mg/dL it is 0.494 (low)."""
    reading = readings_of(labs(serum_mg="1.2 mmol/L"))["serum_mg_mmol_l"]
    assert reading["flag"] == "high"
    assert reading["interpretation"] == (
        "above 1.05 mmol/L; check the unit: a high value is unusual, and 1.2 would be low in mEq/L (0.6 mmol/L) "
        "or mg/dL (0.494 mmol/L)"
    )
    assert "confirm the unit" in clinical_correlation(interpret_lab_values(labs(serum_mg="1.2 mmol/L")))
    assert "check the unit" not in readings_of(labs(serum_mg="0.3 mmol/L"))["serum_mg_mmol_l"]["interpretation"]
    assert "confirm the unit" not in clinical_correlation(interpret_lab_values(labs(serum_mg="0.9 mmol/L")))


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        ("serum_mg", "0.45", "has no unit"),
        ("serum_mg", "0,45 mmol/L", "decimal point (not a comma)"),
        ("serum_ca", "2.1 mg/L", "unit 'mg/L' is not one this analyte is reported in"),
        ("pth", "12 mmol/L", "unit 'mmol/L' is not one this analyte is reported in"),
        ("pth", "600 pmol/L", "5658 pg/mL is outside"),
        ("age", "3 years", "write the age at sampling like '3y'"),
        ("age", "200y", "over 130 years"),
    ],
)
def test_unreadable_cells_name_line_and_fix(tmp_path, header, row, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, header, row)
    assert "line 2" in str(caught.value) and message in str(caught.value) and "Fix:" in str(caught.value)


def test_both_columns_disagreeing_is_an_error_naming_the_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, "serum_mg\tserum_mg_mmol_l", "1.2 mg/dL\t0.8")
    message = str(caught.value)
    assert "line 2" in message
    assert "serum_mg 1.2 mg/dL (= 0.494 mmol/L) and serum_mg_mmol_l 0.8 mmol/L disagree" in message


def test_both_columns_agreeing_within_rounding_are_accepted(tmp_path):
    (sample,) = load(tmp_path, "serum_ca\tserum_ca_mmol_l\tpth\tpth_pg_ml", "9.2 mg/dL\t2.3\t1.3 pmol/L\t12.3")
    assert sample.lab_values.serum_ca.unit == "mg/dL"
    assert sample.lab_values.serum_ca_mmol_l == pytest.approx(2.2954, abs=1e-4)
    assert sample.lab_values.pth.unit == "pmol/L"


def test_lab_values_travel_through_the_workflow_params_unchanged(tmp_path):
    (sample,) = load(tmp_path, "serum_mg\tpth\tage", "1.2 mg/dL\t1.3 pmol/L\t8m")
    assert sample_from_record(asdict(sample)) == sample
    assert sample.lab_values.age.days == pytest.approx(8 * 365.25 / 12)


# ----------------------------------------------------------------------------- age bands


@pytest.mark.parametrize(
    ("age", "analyte", "band", "low", "high"),
    [
        ("3d", MG, "neonate, first week", 0.60, 1.00),
        ("21d", MG, "neonate from day 7 and infant", 0.65, 1.10),
        ("3y", MG, "child and adolescent", 0.65, 1.10),
        ("30y", MG, "adult", 0.70, 1.05),
        ("5d", CA, "neonate, days 0-10", 1.90, 2.60),
        ("8m", CA, "neonate from day 11, infant and toddler to 2 years", 2.25, 2.75),
        ("6y", CA, "child 3-12 years", 2.20, 2.70),
        ("20y", CA, "adult", 2.10, 2.60),
        ("21d", PTH, "neonate, first month", 7.0, 59.0),
        ("8m", PTH, "infant 1-11 months", 8.0, 61.0),
        ("3y", PTH, "child 1-10 years", 11.0, 59.0),
        ("14y", PTH, "adolescent 11-17 years", 15.0, 68.0),
    ],
)
def test_age_picks_the_band(age, analyte, band, low, high):
    interval = reference_interval(analyte, parse_age(age))
    assert (interval.band, interval.low, interval.high) == (band, low, high)
    assert interval.source


def test_the_age_band_changes_the_reading_and_the_report_names_its_source():
    """Calcium 2.2 mmol/L is normal for an adult but low for an 8-month-old (2.25-2.75)."""
    infant = readings_of(labs(serum_ca="2.2 mmol/L", age="8m"))["serum_ca_mmol_l"]
    adult = readings_of(labs(serum_ca="2.2 mmol/L"))["serum_ca_mmol_l"]
    assert infant["flag"] == "low" and infant["reference_interval"] == "2.25-2.75 mmol/L"
    assert "Tietz paediatric" in infant["reference_source"]
    assert adult["flag"] == "normal" and adult["reference_band"] == "adult (no age given)"


# ----------------------------------------------------------------------------- PTH follows the magnesium


def test_low_calcium_and_normal_pth_with_magnesium_below_0_4_is_the_hsh_picture():
    values = labs(serum_mg="0.5 mEq/L", serum_ca="7.0 mg/dL", pth="20 pg/mL", age="2m")
    readings = interpret_lab_values(values)
    pth = {item["key"]: item for item in readings}["pth_pg_ml"]["interpretation"]
    assert "with magnesium below 0.4 mmol/L (0.8 mEq/L) PTH secretion fails, the picture of HSH" in pth
    assert "typical of HSH" in clinical_correlation(readings)
    topics = {note["topic"]: note for note in physiology_notes(readings)}
    assert set(topics) == {"pth_secretion", "end_organ_resistance", "refractory", "course"}
    assert "magnesium is 0.25 mmol/L" in topics["pth_secretion"]["text"]
    assert "refractory to calcium and vitamin D alone" in topics["refractory"]["text"]
    assert "tetany and generalized seizures" in topics["course"]["text"]
    assert "developmental delay, failure to thrive, heart failure" in topics["course"]["text"]
    assert "Schlingmann et al., Nat Genet 2002" in topics["course"]["reference"]
    assert "Walder et al., Nat Genet 2002" in topics["refractory"]["reference"]
    assert "Rude et al." in topics["end_organ_resistance"]["reference"]


def test_low_calcium_and_normal_pth_with_normal_magnesium_points_to_hypoparathyroidism_not_hsh():
    readings = interpret_lab_values(labs(serum_mg="0.85 mmol/L", serum_ca="1.7 mmol/L", pth="20 pg/mL"))
    pth = {item["key"]: item for item in readings}["pth_pg_ml"]["interpretation"]
    assert "points to hypoparathyroidism, not to HSH" in pth
    assert "magnesium deficiency impairs" not in pth and "secretion fails" not in pth  # magnesium is not blamed
    correlation = clinical_correlation(readings)
    assert "points to hypoparathyroidism, not to HSH" in correlation
    notes = physiology_notes(readings)
    assert [note["topic"] for note in notes] == ["hypoparathyroidism"]
    assert not any("refractory" in note["text"] or "tetany" in note["text"] for note in notes)


def test_mildly_low_magnesium_reads_pth_with_both_possibilities():
    readings = interpret_lab_values(labs(serum_mg="0.6 mmol/L", serum_ca="1.8 mmol/L", pth="30 pg/mL"))
    pth = {item["key"]: item for item in readings}["pth_pg_ml"]["interpretation"]
    assert "fails below about 0.4 mmol/L" in pth and "consider hypoparathyroidism too" in pth
    assert "pth_secretion" not in {note["topic"] for note in physiology_notes(readings)}


def test_pth_without_magnesium_says_what_each_magnesium_would_mean():
    pth = readings_of(labs(serum_ca="1.8 mmol/L", pth="30 pg/mL"))["pth_pg_ml"]["interpretation"]
    assert "magnesium was not given" in pth and "hypoparathyroidism" in pth


def test_raised_pth_for_the_hypocalcemia_stays_an_appropriate_response():
    pth = readings_of(labs(serum_mg="0.3 mmol/L", serum_ca="1.8 mmol/L", pth="12 pmol/L"))["pth_pg_ml"]
    assert pth["value"] == pytest.approx(113.2) and "appropriate response" in pth["interpretation"]


# ----------------------------------------------------------------------------- PP4 and the report use mmol/L


def test_pp4_reads_values_entered_in_mg_dl_and_pmol_l():
    patient = Patient(labs(serum_mg="0.73 mg/dL", serum_ca="7.2 mg/dL", pth="2.1 pmol/L"), affected=True)
    assessment = assess_pp4(patient)
    assert assessment.criterion is not None
    assert "magnesium 0.3 mmol/L" in assessment.note and "calcium 1.8 mmol/L" in assessment.note
    assert "PTH (19.8 pg/mL, not above 65)" in assessment.note


def test_pp4_not_met_when_the_mg_dl_value_is_not_severe():
    patient = Patient(labs(serum_mg="1.7 mg/dL", serum_ca="7.2 mg/dL", pth="20 pg/mL"), affected=True)
    assessment = assess_pp4(patient)
    assert assessment.criterion is None and "magnesium 0.7 mmol/L is not below 0.5" in assessment.note


def test_report_shows_each_value_as_entered_and_in_mmol_l(tmp_path):
    values = labs(serum_mg="1.2 mg/dL", serum_ca="7.0 mg/dL", pth="1.3 pmol/L", age="8m")
    sample = Sample("S1", "s1.vcf.gz", affected=True, lab_values=values)
    out = _write(tmp_path, verdict=verdict_doc(), sample=sample)
    report = json.loads(out["json"].read_text())
    by_key = {item["key"]: item for item in report["lab_values"]}
    assert by_key["serum_mg_mmol_l"]["entered"] == "1.2 mg/dL" and by_key["serum_mg_mmol_l"]["value"] == 0.4938
    assert by_key["serum_ca_mmol_l"]["entered"] == "7.0 mg/dL" and by_key["serum_ca_mmol_l"]["value"] == 1.747
    assert by_key["pth_pg_ml"]["entered"] == "1.3 pmol/L" and by_key["pth_pg_ml"]["value"] == 12.26
    assert "8 month(s)" in report["lab_reference_source"]
    html = out["html"].read_text()
    assert '<td class="lab-entered">1.2 mg/dL</td><td class="lab-converted">0.4938 mmol/L</td>' in html
    assert '<td class="lab-entered">1.3 pmol/L</td><td class="lab-converted">12.26 pg/mL</td>' in html
    assert 'id="lab-physiology"' in html and "Rude et al." in html
    assert "infant 1-11 months" in html


def test_report_without_age_says_adult_intervals_were_used(tmp_path):
    sample = Sample("S1", "s1.vcf.gz", affected=True, lab_values=LabValues(serum_mg_mmol_l=0.3))
    report = json.loads(_write(tmp_path, verdict=verdict_doc(), sample=sample)["json"].read_text())
    assert report["lab_reference_source"].startswith("No age at sampling was given, so adult reference intervals")


def test_lab_value_error_carries_problem_and_fix():
    with pytest.raises(LabValueError) as caught:
        parse_lab_cell(CA, "9.5 mmol/L")
    assert "likely in mg/dL (9.5 mg/dL = 2.37 mmol/L" in caught.value.fix
