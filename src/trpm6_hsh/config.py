"""Config and sample-sheet loading, validated against the workflow's JSON schemas.

Validation fills in every schema default, so the rest of the pipeline reads one complete,
explicit configuration and never guesses.

Longer than most modules: the sheet's row, file and pedigree checks stay beside the Sample they build, and
the compiled row check (for 10,000-row sheets at start-up) beside the jsonschema validator it stands in for.
"""

from __future__ import annotations

import csv
import errno
import functools
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

try:
    import fastjsonschema
except ImportError:  # a cluster head node may have Snakemake alone: jsonschema gives the same answers, slower
    fastjsonschema = None

from trpm6_hsh.errors import ConfigError
from trpm6_hsh.lab_units import (
    Age,
    Analyte,
    LabValue,
    LabValueError,
    age_from_record,
    agree,
    fixed_unit_value,
    lab_value_from_record,
    parse_age,
    parse_lab_cell,
)
from trpm6_hsh.shipped import config_schema

NO_PARENT = ("", "0")
_REQUIRED_ONLY = {"samples": "", "reference": {"fasta": ""}}
"""The two keys without a default, left empty: validating this gives every default of the schema."""


@dataclass(frozen=True, init=False)
class LabValues:
    """The sheet's lab values, each as entered and converted (``trpm6_hsh.lab_units``), and the age at sampling.

    ``serum_mg_mmol_l``, ``serum_ca_mmol_l`` and ``pth_pg_ml`` are the converted numbers every rule reads; they
    are also accepted as keyword (or, as before, positional) numbers already in that unit, as the unit-fixed sheet
    columns are.
    """

    serum_mg: LabValue | None
    serum_ca: LabValue | None
    pth: LabValue | None
    age: Age | None

    def __init__(
        self,
        serum_mg: LabValue | None = None,
        serum_ca: LabValue | None = None,
        pth: LabValue | None = None,
        age: Age | None = None,
        *,
        serum_mg_mmol_l: float | None = None,
        serum_ca_mmol_l: float | None = None,
        pth_pg_ml: float | None = None,
    ) -> None:
        for name, value, number, analyte in (
            ("serum_mg", serum_mg, serum_mg_mmol_l, Analyte.MAGNESIUM),
            ("serum_ca", serum_ca, serum_ca_mmol_l, Analyte.CALCIUM),
            ("pth", pth, pth_pg_ml, Analyte.PTH),
        ):
            if isinstance(value, (int, float)):  # the old positional form: a number already in that unit
                value, number = (None, value) if number is None else (value, number)
            if value is not None and number is not None:
                raise ValueError(f"{name} given twice")
            if number is not None:
                value = LabValue(analyte, float(number), analyte.spec.standard_unit, float(number))
            object.__setattr__(self, name, value)
        object.__setattr__(self, "age", age)

    @property
    def serum_mg_mmol_l(self) -> float | None:
        return None if self.serum_mg is None else self.serum_mg.standard

    @property
    def serum_ca_mmol_l(self) -> float | None:
        return None if self.serum_ca is None else self.serum_ca.standard

    @property
    def pth_pg_ml(self) -> float | None:
        return None if self.pth is None else self.pth.standard

    @classmethod
    def from_record(cls, record: LabValues | Mapping[str, Any] | None) -> LabValues:
        """From the dataclass, its ``asdict`` form (the workflow's params) or the old {key_mmol_l: number} form."""
        if record is None:
            return cls()
        if isinstance(record, LabValues):
            return record
        numbers = {key: record[key] for key in ("serum_mg_mmol_l", "serum_ca_mmol_l", "pth_pg_ml") if key in record}
        return cls(
            lab_value_from_record(record.get("serum_mg")),
            lab_value_from_record(record.get("serum_ca")),
            lab_value_from_record(record.get("pth")),
            age_from_record(record.get("age")),
            **{key: None if value is None else float(value) for key, value in numbers.items()},
        )


@dataclass(frozen=True)
class Sample:
    """One row of the sample sheet, with parents resolved to '' when absent."""

    sample_id: str
    vcf: str
    family_id: str = ""
    paternal_id: str = ""
    maternal_id: str = ""
    sex: str = ""
    affected: bool | None = None
    alignment: str = ""
    lab_values: LabValues = LabValues()
    sv_vcf: str = ""
    # Optional report-header fields (sheet columns of the same names); empty ones are left off the report.
    patient_name: str = ""
    date_of_birth: str = ""
    mrn: str = ""
    specimen: str = ""
    collected: str = ""
    ordering_clinician: str = ""
    indication: str = ""
    accession: str = ""

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(p for p in (self.paternal_id, self.maternal_id) if p)


_SAMPLE_FIELDS = tuple(field.name for field in fields(Sample))
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def sample_record(sample: Sample) -> dict[str, Any]:
    """``dataclasses.asdict(sample)``, the same dict in the same order, several times faster.

    A run plan hands every row to the workflow as plain data (10,000 of them in a large run); asdict deep-copies
    each plain value to the same value, so only the lab values (a dataclass) go through it here.
    """
    record: dict[str, Any] = {}
    for name in _SAMPLE_FIELDS:
        value = getattr(sample, name)
        if type(value) in _PLAIN_TYPES:
            record[name] = value
        elif is_dataclass(value) and not isinstance(value, type):
            record[name] = asdict(value)
        else:
            return asdict(sample)
    return record


def sample_rows_digest(rows: Sequence[Sample]) -> str:
    """SHA-256 of sample-sheet rows as the workflow read them (key-order independent), for provenance."""
    canonical = json.dumps([sample_record(row) for row in rows], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def children_of(samples: Sequence[Sample], sample_id: str) -> tuple[Sample, ...]:
    """The samples whose father or mother is ``sample_id``, in sheet order (a parent's report names them)."""
    return tuple(s for s in samples if sample_id and sample_id in (s.paternal_id, s.maternal_id))


def _with_defaults(validator_class: type) -> type:
    """A validator that writes schema defaults into the instance as it validates."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema and name not in instance:
                    instance[name] = json.loads(json.dumps(subschema["default"]))
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


_DefaultFillingValidator = _with_defaults(jsonschema.Draft202012Validator)


@functools.lru_cache(maxsize=16)
def _schema_json(path: str, mtime_ns: int, size: int) -> str:
    with open(path, encoding="utf-8") as handle:
        return json.dumps(yaml.safe_load(handle))


def load_schema(path: Path) -> dict[str, Any]:
    """The parsed schema (a fresh copy). Parsed once per file version: a batch job validates thousands of sections."""
    status = Path(path).stat()
    return json.loads(_schema_json(str(Path(path).resolve()), status.st_mtime_ns, status.st_size))


_FLAT_ROW_KEYS = frozenset(
    {"$schema", "title", "description", "type", "additionalProperties", "required", "properties"}
)
_FLAT_CELL_KEYS = frozenset({"type", "pattern", "minLength", "maxLength", "enum", "default", "description"})


def _is_flat_row_schema(schema: Mapping[str, Any]) -> bool:
    """A schema of one flat object of string-like cells: the only kind the compiled row check stands in for.

    Its keywords mean the same in every draft, its defaults are plain values, and no required cell has a
    default (jsonschema would check ``required`` before filling it in), so filling defaults first and then
    checking decides exactly as the default-filling validator does.
    """
    properties = schema.get("properties")
    return (
        set(schema) <= _FLAT_ROW_KEYS
        and schema.get("type") == "object"
        and schema.get("additionalProperties") is False
        and isinstance(properties, dict)
        and all(isinstance(cell, dict) and set(cell) <= _FLAT_CELL_KEYS for cell in properties.values())
        and all(isinstance(cell.get("default", ""), (str, int, float, bool)) for cell in properties.values())
        and not any("default" in properties.get(name, {}) for name in schema.get("required", ()))
    )


@functools.lru_cache(maxsize=16)
def _compiled_row_check(path: str, mtime_ns: int, size: int) -> Callable[[Any], Any] | None:
    """The sheet-row schema compiled to Python once per file version, or None when it cannot stand in for jsonschema.

    fastjsonschema reads a pattern's ``$`` as end of text (``\\Z``), which differs from jsonschema only for a
    value ending in a line break; a cell never does (such cells are refused, and cells are stripped, before
    the check). A compiled check that is stricter than jsonschema costs nothing but time: every row it
    refuses is judged again by jsonschema.
    """
    schema = json.loads(_schema_json(path, mtime_ns, size))
    if fastjsonschema is None or not _is_flat_row_schema(schema):
        return None
    try:
        return fastjsonschema.compile({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})
    except Exception:  # noqa: BLE001 - any schema it cannot compile is checked by jsonschema alone
        return None


@dataclass(frozen=True)
class _RowCheck:
    """The sample-sheet row check: the compiled one for speed, jsonschema for every row it refuses.

    A 10,000-row sheet takes over a second through jsonschema alone; the messages a lab reads for a bad
    row still come from jsonschema, word for word.
    """

    validator: Any
    compiled: Callable[[Any], Any] | None
    defaults: tuple[tuple[str, Any], ...]

    @classmethod
    def for_schema(cls, schema: Mapping[str, Any], schema_path: Path) -> _RowCheck:
        status = Path(schema_path).stat()
        compiled = None
        if fastjsonschema is not None:
            compiled = _compiled_row_check(str(Path(schema_path).resolve()), status.st_mtime_ns, status.st_size)
        defaults = tuple(
            (name, cell["default"]) for name, cell in schema.get("properties", {}).items()
            if isinstance(cell, dict) and "default" in cell
        )
        return cls(_DefaultFillingValidator(schema), compiled, defaults)

    def problems(self, row: dict[str, Any]) -> str:
        """Fill the schema's defaults into ``row`` (as the default-filling validator does); '' or what is wrong."""
        if self.compiled is not None:
            filled = {**row, **{name: value for name, value in self.defaults if name not in row}}
            try:
                self.compiled(filled)
            except fastjsonschema.JsonSchemaValueException:
                pass
            else:
                row.update(filled)
                return ""
        errors = sorted(self.validator.iter_errors(row), key=lambda e: list(e.absolute_path))
        return "; ".join(_describe(e) for e in errors)


def _describe(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "pattern" and error.schema.get("description"):
        # The key's own description says what is allowed; a regular expression does not, to a lab.
        allowed = error.schema["description"].strip().rstrip(".")
        return f"{where}: {error.instance!r} does not match what is allowed here ({allowed})"
    if error.validator == "maxLength":
        size = f"{len(error.instance)} characters, at most {error.validator_value}"
        return f"{where}: {error.instance[:20]!r}... is too long ({size})"
    return f"{where}: {error.message}"


def validate_config(config: Mapping[str, Any], schema_path: Path, source: str = "config") -> dict[str, Any]:
    """Return a deep copy of ``config`` with defaults filled in, or raise ConfigError."""
    filled = json.loads(json.dumps(dict(config)))
    validator = _DefaultFillingValidator(load_schema(schema_path))
    errors = sorted(validator.iter_errors(filled), key=lambda e: list(e.absolute_path))
    if errors:
        raise ConfigError(
            source,
            "invalid configuration: " + "; ".join(_describe(e) for e in errors),
            "correct these keys (every key is documented in config/README.md)",
        )
    if "genotype_qc" in filled:
        check_thresholds(filled, source)
    return filled


@functools.cache
def _default_config_text() -> str:
    return json.dumps(validate_config(_REQUIRED_ONLY, config_schema(), "the config schema's defaults"))


def default_config() -> dict[str, Any]:
    """A fresh config holding every default of the workflow's config schema (``samples`` and the FASTA empty).

    The schema is the only place a threshold's default is written; settings objects are built from a
    validated config, and code that has no config file (tests, benchmarks) builds them from this one.
    """
    return json.loads(_default_config_text())


def complete_section(name: str, section: Mapping[str, Any] | None) -> dict[str, Any]:
    """One config section (possibly partial, or None) validated, with the schema's defaults for missing keys."""
    config = {**_REQUIRED_ONLY, name: dict(section or {})}
    return validate_config(config, config_schema(), f"config section {name}")[name]


JOB_LAYOUT_SECTIONS = ("batching", "cohort")
"""Config sections that only decide how samples are grouped into jobs: no report can change with them."""


def config_digest(config: Mapping[str, Any]) -> str:
    """SHA-256 of the validated config, key-order independent, for provenance.

    The job-layout sections are left out, so a report is the same byte for byte whichever jobs made it.
    """
    relevant = {key: value for key, value in config.items() if key not in JOB_LAYOUT_SECTIONS}
    canonical = json.dumps(relevant, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_LAB_COLUMNS = (
    (Analyte.MAGNESIUM, "serum_mg", "serum_mg_mmol_l"),
    (Analyte.CALCIUM, "serum_ca", "serum_ca_mmol_l"),
    (Analyte.PTH, "pth", "pth_pg_ml"),
)

_LAB_CELLS = (*(column for _, *columns in _LAB_COLUMNS for column in columns), "age")
_NO_LAB_VALUES = LabValues()


def _lab_values(row: Mapping[str, str]) -> LabValues:
    """The row's lab values: a column with its unit, or the old unit-fixed one; both must agree when both are given.

    Raises LabValueError (the caller adds the sheet and line) for a missing unit, an implausible value or a
    disagreement.
    """
    if not any(row.get(column, "").strip() for column in _LAB_CELLS):
        return _NO_LAB_VALUES  # most rows: nothing to parse
    values = {}
    for analyte, column, fixed_column in _LAB_COLUMNS:
        with_unit = parse_lab_cell(analyte, row.get(column, ""))
        fixed = fixed_unit_value(analyte, row.get(fixed_column, ""))
        if with_unit is not None and fixed is not None and not agree(with_unit, fixed):
            raise LabValueError(
                f"{column} {with_unit.as_entered} (= {with_unit.in_standard_unit}) and {fixed_column} "
                f"{fixed.as_entered} disagree",
                f"give {analyte.spec.name.lower()} once (the {column} column, with its unit), or make both the same "
                "measurement",
            )
        values[column] = with_unit or fixed
    return LabValues(**values, age=parse_age(row.get("age", "")))


HEADER_FIELDS = (
    "patient_name", "date_of_birth", "mrn", "specimen", "collected", "ordering_clinician", "indication", "accession",
)
"""Sample-sheet columns shown in the report header when given (``Sample`` fields of the same names)."""


def _row_to_sample(row: dict[str, str], lab_values: LabValues) -> Sample:
    return Sample(
        sample_id=row["sample_id"],
        vcf=row["vcf"],
        family_id=row["family_id"],
        paternal_id="" if row["paternal_id"] in NO_PARENT else row["paternal_id"],
        maternal_id="" if row["maternal_id"] in NO_PARENT else row["maternal_id"],
        sex=row["sex"],
        affected={"true": True, "false": False}.get(row["affected"]),
        alignment=row["alignment"],
        sv_vcf=row["sv_vcf"],
        **{name: row.get(name, "") for name in HEADER_FIELDS},
        lab_values=lab_values,
    )


def load_samples(sheet: Path, schema_path: Path, check_files: bool = True) -> tuple[Sample, ...]:
    """Read and validate the sample sheet; every problem names the line and the fix."""
    sheet = Path(sheet)
    if sheet.is_dir():
        raise ConfigError(sheet, "the sample sheet is a folder, not a file", "set `samples:` in the config to the TSV")
    if not sheet.is_file():
        raise ConfigError(sheet, "sample sheet not found", "set `samples:` in the config to an existing TSV")
    schema = load_schema(schema_path)
    row_check = _RowCheck.for_schema(schema, schema_path)
    lines = _sheet_lines(sheet)
    reader = csv.DictReader(lines, delimiter="\t")
    header = reader.fieldnames or []
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise ConfigError(
            sheet,
            f"column(s) {', '.join(repeated)} appear more than once in the header",
            "keep one column of each name (only the last would be read)",
        )
    missing = [c for c in schema["required"] if c not in header]
    if missing:
        raise ConfigError(
            sheet,
            f"missing column(s) {', '.join(missing)} (found: {', '.join(header) or 'no header'})",
            "the sheet must be tab-separated with a header line holding at least sample_id and vcf",
        )
    unknown = [c for c in header if c not in schema["properties"]]
    if unknown:
        raise ConfigError(
            sheet,
            f"unknown column(s) {', '.join(unknown)}",
            "use only the columns documented in config/README.md (check spelling and tabs)",
        )
    samples: list[Sample] = []
    seen: dict[str, int] = {}
    for line_number, row in enumerate(reader, start=2):
        record = f"line {line_number}"
        if None in row or any(v is None for v in row.values()):
            raise ConfigError(
                sheet,
                "wrong number of tab-separated fields",
                "give one value (or an empty cell) per column",
                record,
            )
        broken = next((key for key, value in row.items() if "\t" in value or "\n" in value), None)
        if broken is not None:
            raise ConfigError(
                sheet,
                f"the {broken} cell runs over tabs or line ends (a double quote opened and not closed)",
                "remove the stray \" at the start of the cell, or close it on the same cell",
                record,
            )
        row = {key: value.strip() for key, value in row.items()}
        problems = row_check.problems(row)
        if problems:
            raise ConfigError(
                sheet,
                problems,
                "correct the cell as described in config/README.md",
                record,
            )
        sample_id = row["sample_id"]
        if sample_id in seen:
            raise ConfigError(
                sheet,
                f"sample_id {sample_id!r} also appears on line {seen[sample_id]}",
                "give every sample a unique sample_id",
                record,
            )
        seen[sample_id] = line_number
        if check_files:
            _check_row_files(sheet, record, row)
        try:
            lab_values = _lab_values(row)
        except LabValueError as error:
            raise ConfigError(sheet, f"sample {sample_id!r}: {error.problem}", error.fix, record) from error
        samples.append(_row_to_sample(row, lab_values))
    if not samples:
        raise ConfigError(sheet, "no samples listed", "add one row per sample below the header")
    _check_pedigree(sheet, samples, seen)
    _check_no_ancestry_loop(sheet, samples, seen)
    return tuple(samples)


def _sheet_lines(sheet: Path) -> list[str]:
    """The sheet's lines less comments and blank lines; a file that is not UTF-8 text names its first bad line."""
    data = sheet.read_bytes()
    try:
        # utf-8-sig: a spreadsheet's byte-order mark would otherwise become part of the first column's name.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            sheet,
            f"not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}, e.g. a name with accents saved as "
            "Latin-1/Windows-1252)",
            "save the sheet as UTF-8 text (spreadsheets: 'Unicode (UTF-8)' in the export dialog)",
        ) from None
    # Split as the file reader did (\n, \r\n or a lone \r), never at other Unicode line separators inside a cell.
    return [line for line in io.StringIO(text, newline="") if line.strip() and not line.startswith("#")]


def _check_row_files(sheet: Path, record: str, row: Mapping[str, str]) -> None:
    """Each file a row names exists, is a file and can be read; an alignment has its index beside it."""
    sample_id = row["sample_id"]
    for column, label, fix in (
        ("vcf", "VCF", "correct the vcf column (relative paths start in the folder snakemake runs in;"
                       " absolute paths are safest)"),
        ("alignment", "alignment", "correct the alignment column or leave it empty"),
        ("sv_vcf", "SV/CNV VCF", "correct the sv_vcf column or leave it empty"),
    ):
        value = row[column]
        if not value:
            continue
        problem = _file_problem(Path(value))
        if problem:
            raise ConfigError(sheet, f"{label} {value!r} ({column}) of sample {sample_id!r} {problem}", fix, record)
    alignment = row["alignment"]
    if alignment and not _alignment_index(Path(alignment)):
        raise ConfigError(
            sheet,
            f"alignment {alignment!r} of sample {sample_id!r} has no index beside it (.bai/.csi for BAM, .crai for "
            "CRAM), so its reads over TRPM6 cannot be fetched",
            f"run `samtools index {alignment}`",
            record,
        )


_NOT_THERE_ERRNOS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})
"""The stat errors ``Path.is_dir`` and ``Path.is_file`` read as "not there"; any other is raised, as they do."""


def _file_problem(path: Path) -> str:
    """What is wrong with a file a row names ('' when nothing), judged as ``Path.is_dir``/``is_file`` would judge it.

    One stat instead of their two: a 10,000-row sheet names 10,000 files.
    """
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno not in _NOT_THERE_ERRNOS:
            raise
        return "does not exist"
    except ValueError:  # a NUL byte in the name
        return "does not exist"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "does not exist"
    return "" if os.access(path, os.R_OK) else "cannot be read (permission denied)"


def _alignment_index(alignment: Path) -> Path | None:
    stem = alignment.with_suffix("")
    suffixes = (".crai",) if alignment.suffix == ".cram" else (".bai", ".csi")
    candidates = [Path(f"{alignment}{s}") for s in suffixes] + [Path(f"{stem}{s}") for s in suffixes]
    return next((path for path in candidates if path.is_file()), None)


def _check_pedigree(sheet: Path, samples: list[Sample], lines: Mapping[str, int]) -> None:
    by_id = {s.sample_id: s for s in samples}
    for sample in samples:
        record = f"line {lines[sample.sample_id]}"
        if sample.paternal_id and sample.paternal_id == sample.maternal_id:
            raise ConfigError(
                sheet,
                f"sample {sample.sample_id!r} has {sample.paternal_id!r} as both father and mother",
                "one of paternal_id / maternal_id is wrong: write each parent's own sample_id, or 0 for one not "
                "in the sheet",
                record,
            )
        for role, parent_id, expected_sex in (
            ("paternal_id", sample.paternal_id, "male"),
            ("maternal_id", sample.maternal_id, "female"),
        ):
            if not parent_id:
                continue
            parent = by_id.get(parent_id)
            if parent is None:
                raise ConfigError(
                    sheet,
                    f"{role} {parent_id!r} of sample {sample.sample_id!r} is not a sample_id in this sheet",
                    "add the parent as a row, or write 0 / leave the cell empty",
                    record,
                )
            if parent_id == sample.sample_id:
                raise ConfigError(sheet, f"sample {sample.sample_id!r} is its own parent", f"correct {role}", record)
            if parent.sex and parent.sex not in (expected_sex, "unknown"):
                raise ConfigError(
                    sheet,
                    f"{role} {parent_id!r} of {sample.sample_id!r} has sex {parent.sex!r}",
                    f"that parent should be {expected_sex} (or unknown); check the columns",
                    record,
                )


def _check_no_ancestry_loop(sheet: Path, samples: list[Sample], lines: Mapping[str, int]) -> None:
    """A sample cannot be its own ancestor: a loop means a swapped column or ID, and phase from it is nonsense."""
    parents_of = {sample.sample_id: sample.parents for sample in samples}
    for start in parents_of:
        frontier, seen = list(parents_of[start]), set()
        while frontier:
            current = frontier.pop()
            if current == start:
                raise ConfigError(
                    sheet,
                    f"sample {start!r} is listed among its own ancestors (a loop in paternal_id/maternal_id)",
                    "check the parent columns of these samples: a child may have been entered as a parent",
                    f"line {lines[start]}",
                )
            if current in seen:
                continue
            seen.add(current)
            frontier.extend(parents_of.get(current, ()))


def check_thresholds(config: Mapping[str, Any], source: str = "config") -> None:
    """Settings the schema accepts one by one but that cannot be right together."""
    low, high = config["genotype_qc"]["het_allele_balance"]
    if not low < high:
        raise ConfigError(
            source,
            f"genotype_qc.het_allele_balance is [{low}, {high}]: the lower bound must be below the upper, or every "
            "heterozygous call fails QC",
            "write it as [low, high], for example [0.2, 0.8]",
        )
    cnv = config.get("cnv", {})
    if cnv and cnv["max_reference_samples"] < cnv["min_reference_samples"]:
        raise ConfigError(
            source,
            f"cnv.max_reference_samples ({cnv['max_reference_samples']}) is below cnv.min_reference_samples "
            f"({cnv['min_reference_samples']}): no sample could ever be assessed for copy number",
            "make max_reference_samples at least min_reference_samples (defaults 20 and 5)",
        )


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def batch_id_for(vcf: str) -> str:
    """A stable, file-system-safe name for one input VCF (a 'batch' of samples that share it)."""
    path = Path(vcf)
    name = path.name
    for suffix in (".vcf.gz", ".vcf.bgz", ".vcf", ".bcf"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    stem = _UNSAFE.sub("_", name).strip("._-") or "vcf"
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{digest}"


def batches(samples: tuple[Sample, ...]) -> dict[str, tuple[Sample, ...]]:
    """Group samples by the VCF that holds them, in sheet order."""
    grouped: dict[str, list[Sample]] = {}
    for sample in samples:
        grouped.setdefault(batch_id_for(sample.vcf), []).append(sample)
    return {batch: tuple(members) for batch, members in grouped.items()}
