"""Lab values against age-appropriate reference intervals, and how they relate to the HSH picture.

Values arrive converted (``trpm6_hsh.lab_units``: mmol/L, PTH in pg/mL) and are shown as entered and converted.
The PTH reading follows the magnesium: below about 0.4 mmol/L magnesium PTH secretion fails (the HSH picture);
with normal magnesium a low calcium with a low or normal PTH points to hypoparathyroidism. The words are in
``wording``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trpm6_hsh import wording
from trpm6_hsh.config import LabValues
from trpm6_hsh.lab_units import DAYS_PER, Age, Analyte, LabValue, format_number, likely_units


@dataclass(frozen=True)
class LabRange:
    """A reference interval used to interpret a lab value."""

    name: str
    unit: str
    low: float
    high: float


LAB_RANGES = {
    "serum_mg_mmol_l": LabRange("Serum magnesium", "mmol/L", 0.70, 1.05),
    "serum_ca_mmol_l": LabRange("Serum total calcium", "mmol/L", 2.10, 2.60),
    "pth_pg_ml": LabRange("Intact PTH", "pg/mL", 15.0, 65.0),
}
"""The adult intervals (Tietz), used when no age is given and from 18 years."""

KEY_OF = {Analyte.MAGNESIUM: "serum_mg_mmol_l", Analyte.CALCIUM: "serum_ca_mmol_l", Analyte.PTH: "pth_pg_ml"}
SEVERE_HYPOMAGNESEMIA_MMOL_L = 0.5
PTH_SECRETION_FAILS_BELOW_MMOL_L = 0.4
"""About 0.8 mEq/L: below it the parathyroid glands fail to secrete PTH (wording.REFERENCE_MG_PTH)."""

_YEAR, _MONTH = DAYS_PER["y"], DAYS_PER["m"]
ADULT_FROM_DAYS = 18 * _YEAR


@dataclass(frozen=True)
class AgeInterval:
    """A reference interval for one age band [from_days, to_days), with the band's name and its source."""

    band: str
    from_days: float
    to_days: float
    low: float
    high: float
    source: str


def _adult(key: str) -> AgeInterval:
    interval = LAB_RANGES[key]
    return AgeInterval("adult", ADULT_FROM_DAYS, math.inf, interval.low, interval.high, wording.LAB_SOURCE_ADULT)


_MG, _CA, _PTH = wording.LAB_SOURCE_MG_PAEDIATRIC, wording.LAB_SOURCE_CA_PAEDIATRIC, wording.LAB_SOURCE_PTH_PAEDIATRIC
AGE_INTERVALS = {
    Analyte.MAGNESIUM: (
        AgeInterval("neonate, first week", 0, 7, 0.60, 1.00, _MG),
        AgeInterval("neonate from day 7 and infant", 7, _YEAR, 0.65, 1.10, _MG),
        AgeInterval("child and adolescent", _YEAR, ADULT_FROM_DAYS, 0.65, 1.10, _MG),
        _adult("serum_mg_mmol_l"),
    ),
    Analyte.CALCIUM: (
        AgeInterval("neonate, days 0-10", 0, 11, 1.90, 2.60, _CA),
        AgeInterval("neonate from day 11, infant and toddler to 2 years", 11, 3 * _YEAR, 2.25, 2.75, _CA),
        AgeInterval("child 3-12 years", 3 * _YEAR, 13 * _YEAR, 2.20, 2.70, _CA),
        AgeInterval("adolescent 13-17 years", 13 * _YEAR, ADULT_FROM_DAYS, 2.10, 2.55, _CA),
        _adult("serum_ca_mmol_l"),
    ),
    Analyte.PTH: (
        AgeInterval("neonate, first month", 0, _MONTH, 7.0, 59.0, _PTH),
        AgeInterval("infant 1-11 months", _MONTH, _YEAR, 8.0, 61.0, _PTH),
        AgeInterval("child 1-10 years", _YEAR, 11 * _YEAR, 11.0, 59.0, _PTH),
        AgeInterval("adolescent 11-17 years", 11 * _YEAR, ADULT_FROM_DAYS, 15.0, 68.0, _PTH),
        _adult("pth_pg_ml"),
    ),
}


def reference_interval(analyte: Analyte, age: Age | None) -> AgeInterval:
    """The interval for this age; the adult one (saying no age was given) when the age is unknown."""
    if age is None:
        adult = _adult(KEY_OF[analyte])
        return AgeInterval("adult (no age given)", 0, math.inf, adult.low, adult.high, adult.source)
    return next(band for band in AGE_INTERVALS[analyte] if band.from_days <= age.days < band.to_days)


def _flag(value: float, interval: AgeInterval) -> str:
    return "low" if value < interval.low else "high" if value > interval.high else "normal"


def _unit_check(value: LabValue, interval: AgeInterval) -> str:
    """For a high Mg or Ca: the other units in which the figure would be low (the dangerous mix-up), if any."""
    low_in = [
        wording.READING_UNIT_CHECK_ITEM.format(unit=unit, standard=f"{format_number(standard)} {value.standard_unit}")
        for unit, standard in likely_units(value.analyte, value.entered, exclude=value.unit)
        if standard < interval.low
    ]
    if not low_in:
        return ""
    entered = value.entered_text or format_number(value.entered)
    return wording.READING_UNIT_CHECK.format(entered=entered, readings=" or ".join(low_in))


def _pth_reading(flag: str, labs: LabValues, calcium_flag: str | None) -> str | None:
    """PTH read against the calcium and the magnesium; None when the calcium is not low (plain reading)."""
    if calcium_flag != "low":
        return None
    if flag == "high":
        return wording.READING_PTH_RAISED_FOR_HYPOCALCEMIA
    magnesium = labs.serum_mg_mmol_l
    threshold = {"threshold": PTH_SECRETION_FAILS_BELOW_MMOL_L, "threshold_meq": 2 * PTH_SECRETION_FAILS_BELOW_MMOL_L}
    if magnesium is None:
        return wording.READING_PTH_LOW_MG_NOT_GIVEN.format(**threshold)
    if magnesium < PTH_SECRETION_FAILS_BELOW_MMOL_L:
        return wording.READING_PTH_LOW_MG_BELOW_SECRETION.format(**threshold)
    if _flag(magnesium, reference_interval(Analyte.MAGNESIUM, labs.age)) == "low":
        return wording.READING_PTH_LOW_MG_LOW.format(**threshold)
    return wording.READING_PTH_LOW_MG_NORMAL


def _as_lab_values(lab_values: LabValues | Mapping[str, Any]) -> LabValues:
    return LabValues.from_record(lab_values)


def interpret_lab_values(lab_values: LabValues | Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each given value as entered and converted, with its age-appropriate interval and a reading.

    PTH is read against the calcium and the magnesium. ``lab_values`` may be the sheet's LabValues or the old
    mapping of numbers in mmol/L (pg/mL for PTH).
    """
    labs = _as_lab_values(lab_values)
    given = {Analyte.MAGNESIUM: labs.serum_mg, Analyte.CALCIUM: labs.serum_ca, Analyte.PTH: labs.pth}
    calcium_flag = None
    if labs.serum_ca is not None:
        calcium_flag = _flag(labs.serum_ca.standard, reference_interval(Analyte.CALCIUM, labs.age))
    shown = []
    for analyte, value in given.items():
        if value is None:
            continue
        interval = reference_interval(analyte, labs.age)
        unit = value.standard_unit
        flag = _flag(value.standard, interval)
        reading = {
            "low": wording.READING_LOW.format(limit=interval.low, unit=unit),
            "high": wording.READING_HIGH.format(limit=interval.high, unit=unit),
            "normal": wording.READING_NORMAL,
        }[flag]
        if analyte is Analyte.MAGNESIUM and flag == "low":
            severe = value.standard < SEVERE_HYPOMAGNESEMIA_MMOL_L
            reading = wording.READING_HYPOMAGNESEMIA + (wording.READING_SEVERE_SUFFIX if severe else "")
        if analyte is Analyte.CALCIUM and flag == "low":
            reading = wording.READING_HYPOCALCEMIA
        if analyte is Analyte.PTH:
            reading = _pth_reading(flag, labs, calcium_flag) or reading
        unit_check = _unit_check(value, interval) if analyte is not Analyte.PTH and flag == "high" else ""
        reading += unit_check
        shown.append(
            {
                "name": analyte.spec.name,
                "key": KEY_OF[analyte],
                "value": float(f"{value.standard:.4g}"),
                "unit": unit,
                "entered": value.as_entered,
                "entered_value": value.entered,
                "entered_unit": value.unit,
                "reference_interval": f"{interval.low:g}-{interval.high:g} {unit}",
                "reference_low": interval.low,
                "reference_high": interval.high,
                "reference_band": interval.band,
                "reference_source": interval.source,
                "flag": flag,
                "interpretation": reading,
                "unit_check": bool(unit_check),
            }
        )
    return shown


def clinical_correlation(readings: Sequence[Mapping[str, Any]]) -> str:
    """One sentence relating the lab values to the HSH picture (or saying what is missing)."""
    flags = {item["key"]: item["flag"] for item in readings}
    values = {item["key"]: item["value"] for item in readings}
    if not flags:
        return wording.CORRELATION_NO_VALUES
    magnesium, calcium, pth = (flags.get(k) for k in ("serum_mg_mmol_l", "serum_ca_mmol_l", "pth_pg_ml"))
    if magnesium is None:
        return wording.CORRELATION_NO_MAGNESIUM
    if magnesium != "low":
        if any(item["key"] == "serum_mg_mmol_l" and item.get("unit_check") for item in readings):
            return wording.CORRELATION_MAGNESIUM_UNIT_CHECK
        if calcium == "low" and pth in ("low", "normal"):
            return wording.CORRELATION_HYPOPARATHYROIDISM
        return wording.CORRELATION_MAGNESIUM_NOT_LOW
    parts = [wording.PICTURE_HYPOMAGNESEMIA]
    if values["serum_mg_mmol_l"] < SEVERE_HYPOMAGNESEMIA_MMOL_L:
        parts[0] = wording.PICTURE_SEVERE_HYPOMAGNESEMIA.format(threshold=SEVERE_HYPOMAGNESEMIA_MMOL_L)
    typical = calcium == "low" and pth in ("low", "normal")
    if calcium == "low":
        parts.append(wording.PICTURE_HYPOCALCEMIA)
    if typical:
        parts.append(wording.PICTURE_LOW_PTH)
    picture = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    if typical:
        return wording.CORRELATION_TYPICAL.format(picture=picture)
    missing = [name for key, name in wording.PICTURE_MISSING.items() if key not in flags]
    tail = wording.PICTURE_NOT_GIVEN.format(names=" and ".join(missing)) if missing else ""
    return wording.CORRELATION_COMPATIBLE.format(picture=picture, missing=tail)


def physiology_notes(readings: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The physiology that applies to these numbers, each fact with its reference; none without magnesium."""
    flags = {item["key"]: item["flag"] for item in readings}
    values = {item["key"]: item["value"] for item in readings}
    magnesium, calcium, pth = (flags.get(k) for k in ("serum_mg_mmol_l", "serum_ca_mmol_l", "pth_pg_ml"))
    notes: list[dict[str, str]] = []

    def note(topic: str, text: str, reference: str) -> None:
        notes.append({"topic": topic, "text": text, "reference": reference})

    if magnesium is None:
        return notes
    if magnesium != "low":
        if calcium == "low" and pth in ("low", "normal"):
            note("hypoparathyroidism", wording.PHYSIOLOGY_HYPOPARATHYROIDISM, wording.REFERENCE_MG_PTH)
        return notes
    mg = values["serum_mg_mmol_l"]
    if mg < PTH_SECRETION_FAILS_BELOW_MMOL_L:
        text = wording.PHYSIOLOGY_PTH_SECRETION.format(
            threshold=PTH_SECRETION_FAILS_BELOW_MMOL_L, threshold_meq=2 * PTH_SECRETION_FAILS_BELOW_MMOL_L, mg=mg
        )
        note("pth_secretion", text, wording.REFERENCE_MG_PTH)
    if calcium == "low":
        note("end_organ_resistance", wording.PHYSIOLOGY_END_ORGAN_RESISTANCE, wording.REFERENCE_MG_PTH)
        note("refractory", wording.PHYSIOLOGY_REFRACTORY, wording.REFERENCE_HSH_GENES)
    note("course", wording.PHYSIOLOGY_COURSE, f"{wording.REFERENCE_HSH_GENES}; {wording.REFERENCE_HSH_REVIEW}")
    return notes


def lab_reference_source(lab_values: LabValues | Mapping[str, Any]) -> str:
    """Where the intervals come from: age-appropriate for the given age, else the adult ones (said so)."""
    labs = _as_lab_values(lab_values)
    if labs.age is None:
        return f"{wording.LAB_SOURCE_NO_AGE} {wording.LAB_PLAUSIBILITY_NOTE}"
    return f"{wording.LAB_SOURCE_WITH_AGE.format(age=labs.age.words)} {wording.LAB_PLAUSIBILITY_NOTE}"


def lab_thresholds(lab_values: LabValues | Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The cut-offs the interpretation uses for this sample (its age band), with their source, for the methods."""
    age = None if lab_values is None else _as_lab_values(lab_values).age
    rows = []
    for analyte, key in KEY_OF.items():
        interval = reference_interval(analyte, age)
        rows.append(
            {
                "name": analyte.spec.name,
                "band": interval.band,
                "key": key,
                "low": interval.low,
                "high": interval.high,
                "unit": analyte.spec.standard_unit,
                "source": interval.source,
            }
        )
    rows.append(
        {
            "name": wording.PTH_SECRETION_THRESHOLD_NAME,
            "key": "serum_mg_mmol_l",
            "low": PTH_SECRETION_FAILS_BELOW_MMOL_L,
            "high": None,
            "unit": "mmol/L",
            "source": wording.REFERENCE_MG_PTH,
        }
    )
    rows.append(
        {
            "name": wording.SEVERE_HYPOMAGNESEMIA_NAME,
            "key": "serum_mg_mmol_l",
            "low": SEVERE_HYPOMAGNESEMIA_MMOL_L,
            "high": None,
            "unit": "mmol/L",
            "source": wording.HSH_PICTURE_SOURCE,
        }
    )
    return rows
