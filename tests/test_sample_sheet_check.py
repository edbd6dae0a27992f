"""The sample sheet's compiled row check stands in for jsonschema without changing a result or a message.

A 10,000-row sheet took over a second through jsonschema alone at workflow start-up; the compiled check
(fastjsonschema) answers first and jsonschema judges every row it refuses. These tests hold the two paths to
the same samples, the same filled defaults and the same error text, and the start-up to work without
fastjsonschema installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpm6_hsh import config
from trpm6_hsh.config import _RowCheck, load_samples, sample_rows_digest
from trpm6_hsh.errors import ConfigError

SAMPLES_SCHEMA = REPO / "workflow" / "schemas" / "samples.schema.yaml"
SCHEMA = config.load_schema(SAMPLES_SCHEMA)
COLUMNS = tuple(SCHEMA["properties"])


def fast_check() -> _RowCheck:
    check = _RowCheck.for_schema(SCHEMA, SAMPLES_SCHEMA)
    assert check.compiled is not None, "the compiled check is not in use"
    return check


def slow_check() -> _RowCheck:
    check = fast_check()
    return _RowCheck(check.validator, None, check.defaults)


def load_both(sheet, monkeypatch):
    """The sheet read with the compiled check, then with jsonschema alone (as on a node without fastjsonschema)."""
    assert fast_check().compiled is not None
    fast = load_samples(sheet, SAMPLES_SCHEMA)
    with monkeypatch.context() as patch:
        patch.setattr(config, "fastjsonschema", None)
        assert _RowCheck.for_schema(SCHEMA, SAMPLES_SCHEMA).compiled is None
        slow = load_samples(sheet, SAMPLES_SCHEMA)
    return fast, slow


def error_both(sheet, monkeypatch) -> tuple[str, str]:
    messages = []
    for missing in (False, True):
        with monkeypatch.context() as patch:
            if missing:
                patch.setattr(config, "fastjsonschema", None)
            with pytest.raises(ConfigError) as caught:
                load_samples(sheet, SAMPLES_SCHEMA)
            messages.append(str(caught.value))
    return messages[0], messages[1]


def write_sheet(folder, columns, rows) -> object:
    path = folder / "samples.tsv"
    lines = ["\t".join(columns)] + ["\t".join(row.get(column, "") for column in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    vcf = tmp_path / "cohort.vcf"
    vcf.write_text("")
    sv = tmp_path / "sv.vcf"
    sv.write_text("")
    bam = tmp_path / "P1.bam"
    bam.write_text("")
    (tmp_path / "P1.bam.bai").write_text("")
    return {"vcf": str(vcf), "sv_vcf": str(sv), "alignment": str(bam)}


def varied_rows(files):
    return [
        {"sample_id": "F1", "vcf": files["vcf"], "family_id": "FAM1", "sex": "male", "affected": "false",
         "paternal_id": "0", "maternal_id": ""},
        {"sample_id": "M1", "vcf": files["vcf"], "family_id": "FAM1", "sex": "female", "affected": "false",
         "serum_mg_mmol_l": "0.8", "pth_pg_ml": "35"},
        {"sample_id": "P1", "vcf": files["vcf"], "family_id": "FAM1", "paternal_id": "F1", "maternal_id": "M1",
         "sex": "unknown", "affected": "true", "alignment": files["alignment"], "sv_vcf": files["sv_vcf"],
         "serum_mg": "0.3 mmol/L", "serum_ca": "7.2 mg/dL", "pth": "12 pg/mL", "age": "3m",
         "patient_name": "Zoë Müller", "date_of_birth": "2024-01-02", "mrn": "MRN 7", "specimen": "blood EDTA",
         "collected": "2024-04-01", "ordering_clinician": "Dr. A", "indication": "seizures, low Mg",
         "accession": "ACC-1"},
        {"sample_id": "S.2_b-3", "vcf": files["vcf"], "serum_mg": "1.1 mg/dL", "serum_mg_mmol_l": "0.45",
         "age": "  21d "},
        {"sample_id": "S4", "vcf": files["vcf"]},
    ]


def test_both_paths_read_a_sheet_with_every_column_identically(tmp_path, files, monkeypatch):
    path = write_sheet(tmp_path, COLUMNS, varied_rows(files))
    fast, slow = load_both(path, monkeypatch)
    assert fast == slow
    assert sample_rows_digest(fast) == sample_rows_digest(slow)
    patient = fast[2]
    assert patient.affected is True and patient.parents == ("F1", "M1") and patient.lab_values.age is not None
    assert patient.lab_values.serum_ca_mmol_l == pytest.approx(1.7964, abs=1e-3)  # 7.2 mg/dL


def test_both_paths_fill_the_same_defaults_for_a_sheet_of_few_columns(tmp_path, files, monkeypatch):
    rows = [{k: v for k, v in row.items() if k in ("sample_id", "vcf", "sex", "pth")} for row in varied_rows(files)]
    fast, slow = load_both(write_sheet(tmp_path, ("sample_id", "vcf", "sex", "pth"), rows), monkeypatch)
    assert fast == slow
    assert fast[4].family_id == "" and fast[4].affected is None and fast[0].sex == "male"


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"sample_id": "P 1"}, "does not match what is allowed here"),
        ({"sample_id": "x" * 201}, "is too long (201 characters, at most 200)"),
        ({"sex": "M"}, "'M' is not one of"),
        ({"affected": "yes"}, "'yes' is not one of"),
        ({"serum_mg": "low"}, "serum_mg: 'low' does not match"),
        ({"serum_mg_mmol_l": "0,8", "age": "three"}, "age: 'three' does not match"),
        ({"vcf": ""}, "vcf: '' should be non-empty"),
    ],
)
def test_both_paths_refuse_a_bad_row_with_the_same_message(tmp_path, files, monkeypatch, bad, expected):
    rows = varied_rows(files)
    rows[3] = {**rows[3], **bad}
    fast, slow = error_both(write_sheet(tmp_path, COLUMNS, rows), monkeypatch)
    assert fast == slow
    assert expected in fast and "line 5" in fast


# Cells as load_samples hands them to the check: stripped, without tabs or line ends (those stop it earlier).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=12)
CELLS = st.one_of(
    st.sampled_from(["", "0", "P1", "male", "female", "unknown", "true", "false", "0.45 mmol/L", "1,1 mg/dL",
                     "12pg/mL", "3y", "8 m", "1.5", "1.", ".5", "x" * 200, "x" * 201, "é", "P 1", "-P1", "0.8\u2028"]),
    CELL_TEXT.map(str.strip),
)
ANY_CELLS = st.dictionaries(st.sampled_from([*COLUMNS, "Sample_ID", "notes"]), CELLS, max_size=10)
MOSTLY_VALID = st.fixed_dictionaries({}, optional={
    column: st.sampled_from([""] * 8 + (cell.get("enum") or ["12", "0.45 mmol/L", "3y", "P 1"]))
    for column, cell in SCHEMA["properties"].items()
})
WITH_IDS = st.tuples(
    st.sampled_from(["P1", "a.B_c-9", "x" * 200, "P 1", "x" * 201]),
    st.sampled_from(["a.vcf", "a.vcf", ""]),
    st.one_of(MOSTLY_VALID, ANY_CELLS),
).map(lambda parts: {**parts[2], "sample_id": parts[0], "vcf": parts[1]})
ROWS = st.one_of(ANY_CELLS, WITH_IDS, WITH_IDS.map(lambda row: {**row, "sample_id": "P1", "vcf": "a.vcf"}))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=ROWS)
def test_the_compiled_check_accepts_exactly_what_jsonschema_accepts(row):
    fast, slow = fast_check(), slow_check()
    fast_row, slow_row = dict(row), dict(row)
    fast_problems, slow_problems = fast.problems(fast_row), slow.problems(slow_row)
    assert fast_problems == slow_problems
    assert list(fast_row.items()) == list(slow_row.items())  # the same defaults, in the same order
    filled = {**row, **{name: value for name, value in fast.defaults if name not in row}}
    try:
        fast.compiled(filled)
        compiled_accepts = True
    except config.fastjsonschema.JsonSchemaValueException:
        compiled_accepts = False
    assert compiled_accepts == (slow_problems == "")


def test_an_unusual_schema_is_checked_by_jsonschema_alone(tmp_path):
    """A schema the compiled check cannot stand in for (a nested object) keeps jsonschema's own defaults."""
    schema = {**SCHEMA, "properties": {**SCHEMA["properties"], "extra": {"type": "object", "properties": {}}}}
    path = tmp_path / "nested.schema.yaml"
    path.write_text(json.dumps(schema))
    assert _RowCheck.for_schema(schema, path).compiled is None


HEAD_NODE = r"""
import sys
from importlib.abc import MetaPathFinder
from pathlib import Path

class NoFastJsonSchema(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "fastjsonschema":
            raise ImportError("fastjsonschema is not installed")
        return None

sys.meta_path.insert(0, NoFastJsonSchema())
from trpm6_hsh.config import ConfigError, load_samples
sheet, schema, bad = map(Path, sys.argv[1:4])
print(len(load_samples(sheet, schema)))
try:
    load_samples(bad, schema)
except ConfigError as error:
    print(error)
"""


def test_start_up_reads_the_sheet_without_fastjsonschema(tmp_path, files, monkeypatch):
    good = write_sheet(tmp_path, COLUMNS, varied_rows(files))
    bad_folder = tmp_path / "bad"
    bad_folder.mkdir()
    bad = write_sheet(bad_folder, ("sample_id", "vcf", "sex"), [{"sample_id": "P1", "vcf": files["vcf"], "sex": "M"}])
    result = subprocess.run(
        [sys.executable, "-c", HEAD_NODE, str(good), str(SAMPLES_SCHEMA), str(bad)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert result.returncode == 0, result.stderr
    count, message = result.stdout.splitlines()
    with pytest.raises(ConfigError) as caught:
        load_samples(bad, SAMPLES_SCHEMA)
    assert count == "5" and message == str(caught.value) and "'M' is not one of" in message


def old_file_problem(path) -> str:
    """How the sheet judged a named file before (two stats): the one-stat check must answer the same."""
    return (
        "is a folder, not a file" if path.is_dir()
        else "does not exist" if not path.is_file()
        else "cannot be read (permission denied)" if not os.access(path, os.R_OK)
        else ""
    )


def test_one_stat_judges_every_named_file_as_the_two_did(tmp_path):
    (tmp_path / "file.vcf").write_text("")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    (tmp_path / "link.vcf").symlink_to(tmp_path / "file.vcf")
    unreadable = tmp_path / "locked.vcf"
    unreadable.write_text("")
    unreadable.chmod(0)
    names = ["file.vcf", "file.vcf/", "file.vcf/x", "folder", "folder/", "pipe", "loop", "dangling", "link.vcf",
             "locked.vcf", "missing.vcf", "nul\0.vcf", ".", "folder/../file.vcf"]
    answers = {name: config._file_problem(config.Path(tmp_path / name)) for name in names}
    assert answers == {name: old_file_problem(config.Path(tmp_path / name)) for name in names}
    assert answers["folder"] == "is a folder, not a file" and answers["pipe"] == "does not exist"
    assert answers["file.vcf/"] == "" and answers["loop"] == "does not exist"


def test_sample_record_is_asdict_in_the_same_order(tmp_path, files):
    from dataclasses import asdict

    from trpm6_hsh.config import LabValues, Sample, sample_record

    samples = [*load_samples(write_sheet(tmp_path, COLUMNS, varied_rows(files)), SAMPLES_SCHEMA),
               Sample("OLD", "a.vcf", lab_values=LabValues(0.4, 2.0, 30.0)), Sample("BARE", "a.vcf")]
    for sample in samples:
        assert list(sample_record(sample).items()) == list(asdict(sample).items())
    assert sample_record(samples[2])["lab_values"]["serum_mg"]["unit"] == "mmol/L"
