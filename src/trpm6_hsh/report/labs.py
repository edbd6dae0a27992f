"""Lab values against reference intervals, and how they relate to the HSH picture (the words are in ``wording``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trpm6_hsh import wording


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
SEVERE_HYPOMAGNESEMIA_MMOL_L = 0.5


def _reading(key: str, value: float, interval: LabRange, calcium: float | None) -> tuple[str, str]:
    """Flag (low, normal, high) and plain-language reading of one value; PTH is read against calcium."""
    if value < interval.low:
        flag, reading = "low", wording.READING_LOW.format(limit=interval.low, unit=interval.unit)
    elif value > interval.high:
        flag, reading = "high", wording.READING_HIGH.format(limit=interval.high, unit=interval.unit)
    else:
        flag, reading = "normal", wording.READING_NORMAL
    if key == "serum_mg_mmol_l" and flag == "low":
        severe = value < SEVERE_HYPOMAGNESEMIA_MMOL_L
        reading = wording.READING_HYPOMAGNESEMIA + (wording.READING_SEVERE_SUFFIX if severe else "")
    if key == "serum_ca_mmol_l" and flag == "low":
        reading = wording.READING_HYPOCALCEMIA
    if key == "pth_pg_ml" and calcium is not None and calcium < LAB_RANGES["serum_ca_mmol_l"].low:
        if flag != "high":
            reading = wording.READING_PTH_LOW_FOR_HYPOCALCEMIA
        else:
            reading = wording.READING_PTH_RAISED_FOR_HYPOCALCEMIA
    return flag, reading


def interpret_lab_values(lab_values: Mapping[str, float | None]) -> list[dict[str, Any]]:
    """Each given lab value with its interval and a plain-language reading; PTH read against calcium."""
    shown = []
    calcium = lab_values.get("serum_ca_mmol_l")
    for key, interval in LAB_RANGES.items():
        value = lab_values.get(key)
        if value is None:
            continue
        flag, reading = _reading(key, value, interval, calcium)
        shown.append(
            {
                "name": interval.name,
                "key": key,
                "value": value,
                "unit": interval.unit,
                "reference_interval": f"{interval.low:g}-{interval.high:g} {interval.unit}",
                "reference_low": interval.low,
                "reference_high": interval.high,
                "flag": flag,
                "interpretation": reading,
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


def lab_thresholds() -> list[dict[str, Any]]:
    """The cut-offs the interpretation uses, with their source, for the report's methods."""
    rows = [
        {
            "name": interval.name,
            "key": key,
            "low": interval.low,
            "high": interval.high,
            "unit": interval.unit,
            "source": wording.LAB_RANGE_SOURCE,
        }
        for key, interval in LAB_RANGES.items()
    ]
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
