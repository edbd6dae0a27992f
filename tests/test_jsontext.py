"""The fast indented JSON writer gives exactly the text of ``json.dumps(indent=2, sort_keys=True)``.

Report and verdict files are compared byte for byte across runs (and by checksum downstream), so one
differing space would be a silent change of every output.
"""

from __future__ import annotations

import json
from collections import OrderedDict, namedtuple
from enum import IntEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report import document, typed_verdict, verdict_doc

from trpm6_hsh import jsontext
from trpm6_hsh.jsontext import dumps_indented
from trpm6_hsh.model import Verdict

pytestmark = pytest.mark.quick


def reference(value: object, ensure_ascii: bool) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=ensure_ascii)


def outcome(write, value: object, ensure_ascii: bool) -> tuple[str, object]:
    """The text, or the kind and message of the error: the fast path must fail exactly as json.dumps does."""
    try:
        return "text", write(value, ensure_ascii=ensure_ascii)
    except (TypeError, ValueError) as error:
        return type(error).__name__, str(error)


TEXT = st.text(st.characters(codec="utf-8")) | st.sampled_from(
    ["", "ñ", "日本", "\x00", "\x1f\x7f", '"\\/\b\f\n\r\t', "\u2028\u2029", "😀", "\ud800"]
)
FLOATS = st.floats() | st.sampled_from([0.0, -0.0, 1e-05, 1e16, 1e-7, 123456789.125, float("nan"), float("inf")])
INTS = st.integers() | st.sampled_from([2**64, -(2**100), 10**40])
LEAVES = st.none() | st.booleans() | INTS | FLOATS | TEXT
VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(TEXT, children, max_size=5)
    | st.lists(children, max_size=3).map(tuple),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(value=VALUES, ensure_ascii=st.booleans())
def test_the_text_equals_json_dumps_for_any_json_value(value, ensure_ascii):
    assert outcome(dumps_indented, value, ensure_ascii) == outcome(
        lambda v, ensure_ascii: reference(v, ensure_ascii), value, ensure_ascii
    )


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[], {}, [[{}]]]},
        {"z": 1, "a": -0.0, "m": [1e-05, 1e16, 2**70, True, False, None]},
        {"ñ": "ü", "a\nb": "\x01", "\u00e9": ["\u2028"]},
        "only a string",
        {"deep": json.loads("[" * 60 + "1" + "]" * 60)},
        3.5,
        None,
    ],
)
def test_edge_values_are_written_as_json_dumps_writes_them(value, ensure_ascii):
    assert dumps_indented(value, ensure_ascii=ensure_ascii) == reference(value, ensure_ascii)


Pair = namedtuple("Pair", "left right")


class Level(IntEnum):
    HIGH = 3


class Name(str):
    def __lt__(self, other):
        return str.__gt__(self, other)


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize(
    "value",
    [
        {1: "int key", 2: "another"},
        {None: 1},
        {True: 2, 1.5: 3, 0: 4},
        {"nan": float("nan"), "inf": [float("-inf")]},
        {"pair": Pair(1, 2)},
        {"level": Level.HIGH},
        {Name("a"): 1, Name("b"): 2},
        OrderedDict([("b", 1), ("a", 2)]),
    ],
)
def test_values_outside_the_fast_path_get_exactly_the_json_dumps_text(value, ensure_ascii):
    assert dumps_indented(value, ensure_ascii=ensure_ascii) == reference(value, ensure_ascii)


@pytest.mark.parametrize(
    "value",
    [{1: "a", "b": 2}, {"x": object()}, {"set": {1, 2}}, {"bytes": b"x"}],
)
def test_values_json_dumps_refuses_are_refused_with_its_error(value):
    for ensure_ascii in (True, False):
        assert outcome(dumps_indented, value, ensure_ascii)[0] == "TypeError"
        assert outcome(dumps_indented, value, ensure_ascii) == outcome(
            lambda v, ensure_ascii: reference(v, ensure_ascii), value, ensure_ascii
        )


def test_a_cycle_is_refused_as_json_dumps_refuses_it():
    looped: dict = {"a": []}
    looped["a"].append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(looped)


@pytest.fixture()
def no_fallback(monkeypatch):
    """Make any fall back to json.dumps fail, to show a document takes the fast path entirely."""

    class Refuse:
        @staticmethod
        def dumps(*args, **kwargs):
            raise AssertionError("fell back to json.dumps")

    monkeypatch.setattr(jsontext, "json", Refuse)


@pytest.mark.parametrize("verdict", list(Verdict))
def test_report_and_verdict_documents_take_the_fast_path_with_identical_text(verdict, no_fallback):
    raw = verdict_doc("ñ <b> \"quoted\"\n")
    raw["verdict"] = verdict.value
    verdict_json = typed_verdict(raw).to_json()
    report = document("ñ <b> \"quoted\"\n")
    expected_verdict = reference(verdict_json, True)
    expected_report = reference(report, False)
    assert dumps_indented(verdict_json) == expected_verdict
    assert dumps_indented(report, ensure_ascii=False) == expected_report
    assert "\\u00f1" in expected_verdict and "ñ" in expected_report


def test_the_fallback_guard_itself_catches_a_fallback(no_fallback):
    with pytest.raises(AssertionError, match="fell back"):
        dumps_indented({"nan": float("nan")})
