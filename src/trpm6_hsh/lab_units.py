"""Lab values with their units: parsing a sheet cell, converting to one unit, and refusing implausible values.

A figure read in the wrong unit is the most dangerous kind of lab error here: calcium 7.0 (a mg/dL figure) read
as mmol/L is "high", magnesium 1.2 mg/dL (0.49 mmol/L, severe) read as mmol/L is "does not fit HSH". So every
value carries its unit, is converted to one standard unit (mmol/L; pg/mL for PTH), and a value that cannot be
real in the unit given stops the run, naming the unit it most likely is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

MMOL_L = "mmol/L"
MG_DL = "mg/dL"
MEQ_L = "mEq/L"
PG_ML = "pg/mL"
PMOL_L = "pmol/L"
NG_L = "ng/L"


@dataclass(frozen=True)
class AnalyteSpec:
    """One analyte: its standard unit, how many standard units one unit is, and what a living person can have.

    ``plausible`` bounds are in the standard unit and deliberately wide (physiologically possible, not normal):
    a value outside them is taken as a unit mix-up, not a patient. ``typical`` is the middle of the adult
    reference interval, used only to rank which other unit a rejected value most likely was.
    """

    name: str
    standard_unit: str
    factors: Mapping[str, float]
    plausible: tuple[float, float]
    typical: float
    plausible_source: str


class Analyte(Enum):
    MAGNESIUM = "serum_mg"
    CALCIUM = "serum_ca"
    PTH = "pth"

    @property
    def spec(self) -> AnalyteSpec:
        return ANALYTES[self]


# 1 unit = factor x standard unit. Mg: 1 mmol/L = 2 mEq/L = 2.43 mg/dL (24.305 g/mol);
# Ca: 1 mmol/L = 2 mEq/L = 4.008 mg/dL (40.08 g/mol); PTH(1-84): 1 pmol/L = 9.43 pg/mL; ng/L = pg/mL.
ANALYTES = {
    Analyte.MAGNESIUM: AnalyteSpec(
        "Serum magnesium",
        MMOL_L,
        {MMOL_L: 1.0, MEQ_L: 0.5, MG_DL: 1 / 2.43},
        (0.05, 2.5),
        0.875,
        "0.05-2.5 mmol/L: set by this project wider than values seen in living patients; HSH itself goes down to "
        "about 0.1 mmol/L (Schlingmann et al., Nat Genet 2002), and values above 2.5 mmol/L occur only with "
        "magnesium infusion or poisoning",
    ),
    Analyte.CALCIUM: AnalyteSpec(
        "Serum total calcium",
        MMOL_L,
        {MMOL_L: 1.0, MEQ_L: 0.5, MG_DL: 1 / 4.008},
        (0.75, 4.5),
        2.35,
        "0.75-4.5 mmol/L: set by this project wider than values seen in living patients (total calcium below "
        "about 1 mmol/L or above about 4.5 mmol/L, a hypercalcaemic crisis, is at the edge of survival)",
    ),
    Analyte.PTH: AnalyteSpec(
        "Intact PTH",
        PG_ML,
        {PG_ML: 1.0, NG_L: 1.0, PMOL_L: 9.43},
        (0.0, 5000.0),
        40.0,
        "0-5000 pg/mL: set by this project above the highest values of severe secondary hyperparathyroidism "
        "in kidney failure (a few thousand pg/mL); an undetectable PTH is entered as 0 or as the detection limit",
    ),
}

_UNIT_SPELLINGS = {"mmol/l": MMOL_L, "mg/dl": MG_DL, "meq/l": MEQ_L, "pg/ml": PG_ML, "pmol/l": PMOL_L, "ng/l": NG_L}
_VALUE_WITH_UNIT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z/]+)$")
_NUMBER = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
AGREEMENT_TOLERANCE = 0.02
"""Two entries of one analyte agree when they differ by at most 2% after conversion (lab rounding)."""


class LabValueError(ValueError):
    """A cell that cannot be read as a plausible value; ``problem`` and ``fix`` go into the sheet's ConfigError."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}. Fix: {fix}")
        self.problem = problem
        self.fix = fix


@dataclass(frozen=True)
class LabValue:
    """A lab value as entered (number and unit) and in the analyte's standard unit (mmol/L; pg/mL for PTH)."""

    analyte: Analyte
    entered: float
    unit: str
    standard: float
    entered_text: str = ""
    """The number exactly as written in the sheet ('7.0'), so the report shows it as entered."""

    @classmethod
    def of(cls, analyte: Analyte, entered: float, unit: str, entered_text: str = "") -> LabValue:
        """The value converted to the standard unit; raises LabValueError for an unknown unit or implausible value."""
        spec = analyte.spec
        if unit not in spec.factors:
            raise LabValueError(
                f"{spec.name}: unit {unit!r} is not one this analyte is reported in",
                f"use one of {', '.join(spec.factors)}",
            )
        value = cls(analyte, entered, unit, round(entered * spec.factors[unit], 6), entered_text)
        value.check_plausible()
        return value

    @property
    def standard_unit(self) -> str:
        return self.analyte.spec.standard_unit

    @property
    def as_entered(self) -> str:
        return f"{self.entered_text or format_number(self.entered)} {self.unit}"

    @property
    def in_standard_unit(self) -> str:
        return f"{format_number(self.standard)} {self.standard_unit}"

    def check_plausible(self) -> None:
        """Raise LabValueError naming the likely unit mix-up when the value cannot be real in its unit."""
        spec = self.analyte.spec
        low, high = spec.plausible
        if low <= self.standard <= high:
            return
        shown = self.as_entered if self.unit == spec.standard_unit else f"{self.as_entered} = {self.in_standard_unit}"
        problem = (
            f"{spec.name} {shown} is outside what is physiologically possible ({low:g}-{high:g} {spec.standard_unit})"
        )
        likely = likely_units(self.analyte, self.entered, exclude=self.unit)
        if likely:
            number = self.entered_text or format_number(self.entered)
            unit_name = spec.standard_unit
            readings = [f"{number} {unit} = {format_number(standard)} {unit_name}" for unit, standard in likely]
            fix = (
                f"the figure is likely in {likely[0][0]} ({readings[0]}"
                + (f"; or {'; '.join(readings[1:])}" if readings[1:] else "")
                + f"). Check the lab report and enter the value with its unit, e.g. '{number} {likely[0][0]}'"
            )
        else:
            fix = "check the value and its unit against the lab report"
        raise LabValueError(problem, f"{fix} (plausibility bounds: {spec.plausible_source})")


def format_number(value: float) -> str:
    """Three significant digits, without an exponent (5660, not 5.66e+03)."""
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def likely_units(analyte: Analyte, entered: float, exclude: str = "") -> list[tuple[str, float]]:
    """The other units in which ``entered`` would be plausible, most likely first (closest to the adult middle)."""
    spec = analyte.spec
    low, high = spec.plausible
    found: list[tuple[str, float]] = []
    for unit, factor in spec.factors.items():
        standard = entered * factor
        same_as_listed = any(spec.factors[other] == factor for other, _ in found)
        if unit == exclude or factor == spec.factors.get(exclude) or same_as_listed or not low <= standard <= high:
            continue
        found.append((unit, round(standard, 6)))
    return sorted(found, key=lambda item: abs(math.log(max(item[1], 1e-9) / spec.typical)))


def parse_lab_cell(analyte: Analyte, text: str) -> LabValue | None:
    """A sheet cell '0.45 mmol/L', '1.1 mg/dL', '12 pg/mL' as a LabValue; '' is None."""
    text = text.strip()
    if not text:
        return None
    spec = analyte.spec
    example = f"'{spec.typical:g} {spec.standard_unit}'"
    if _NUMBER.match(text):
        raise LabValueError(
            f"{spec.name} {text!r} has no unit",
            f"write the unit after the number, e.g. {example} (units: {', '.join(spec.factors)})",
        )
    match = _VALUE_WITH_UNIT.match(text)
    if not match:
        raise LabValueError(
            f"{spec.name} {text!r} is not a number with a unit",
            f"write it like {example}: digits with a decimal point (not a comma), a space, then one of "
            f"{', '.join(spec.factors)}; for a value below the detection limit enter the limit",
        )
    number, unit_text = match.groups()
    unit = _UNIT_SPELLINGS.get(unit_text.lower(), unit_text)
    return LabValue.of(analyte, float(number), unit, number)


def fixed_unit_value(analyte: Analyte, text: str) -> LabValue | None:
    """A cell of an old unit-fixed column (serum_mg_mmol_l, serum_ca_mmol_l, pth_pg_ml): a bare number."""
    text = text.strip()
    return None if not text else LabValue.of(analyte, float(text), analyte.spec.standard_unit, text)


def agree(first: LabValue, second: LabValue) -> bool:
    return math.isclose(first.standard, second.standard, rel_tol=AGREEMENT_TOLERANCE, abs_tol=1e-9)


# ----------------------------------------------------------------------------- age at sampling

_AGE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([ymwd])$")
DAYS_PER = {"y": 365.25, "m": 365.25 / 12, "w": 7.0, "d": 1.0}
_AGE_WORDS = {"y": "year(s)", "m": "month(s)", "w": "week(s)", "d": "day(s)"}


@dataclass(frozen=True)
class Age:
    """Age at sampling as entered ('3y', '8m', '21d'), and in days for choosing a reference interval."""

    amount: float
    unit: str

    @property
    def days(self) -> float:
        return self.amount * DAYS_PER[self.unit]

    @property
    def text(self) -> str:
        return f"{self.amount:g}{self.unit}"

    @property
    def words(self) -> str:
        return f"{self.amount:g} {_AGE_WORDS[self.unit]}"


def parse_age(text: str) -> Age | None:
    text = text.strip()
    if not text:
        return None
    match = _AGE.match(text.lower())
    if not match:
        raise LabValueError(
            f"age {text!r} is not a number with y, m, w or d",
            "write the age at sampling like '3y', '8m', '6w' or '21d'",
        )
    age = Age(float(match.group(1)), match.group(2))
    if age.days > 130 * 365.25:
        raise LabValueError(f"age {text!r} is over 130 years", "check the age and its unit (y, m, w, d)")
    return age


def lab_value_from_record(record: object) -> LabValue | None:
    """A LabValue from its dataclass or its ``asdict`` form (how the workflow passes a sample to a script)."""
    if record is None or isinstance(record, LabValue):
        return record
    if isinstance(record, Mapping):
        analyte = record["analyte"]
        return LabValue(
            analyte if isinstance(analyte, Analyte) else Analyte(analyte),
            float(record["entered"]),
            str(record["unit"]),
            float(record["standard"]),
            str(record.get("entered_text") or ""),
        )
    raise TypeError(f"not a lab value: {record!r}")


def age_from_record(record: object) -> Age | None:
    if record is None or isinstance(record, Age):
        return record
    if isinstance(record, Mapping):
        return Age(float(record["amount"]), str(record["unit"]))
    if isinstance(record, str):
        return parse_age(record)
    raise TypeError(f"not an age: {record!r}")
