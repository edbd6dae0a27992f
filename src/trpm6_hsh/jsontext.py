"""Indented, key-sorted JSON text, byte-identical to ``json.dumps(value, indent=2, sort_keys=True)``, faster.

Why: with ``indent`` set the standard library falls back to its pure-Python encoder, a generator per
container level and a ``yield`` per token; writing a sample's report and verdict documents spent most of
its time there. Here each container is one ``str.join`` and each string goes through the C string
encoder the standard library itself uses, so the text is the same. A tuple is written as a list, as
``json.dumps`` does.

Exactness first: anything this path does not reproduce by construction (a non-``str`` key, a NaN or an
infinity, a subclass of ``str``/``int``/``float``/``dict``/``list``, any other type, a cycle or a
nesting deeper than the recursion limit) makes :func:`dumps_indented` hand the whole value to
``json.dumps`` with the same arguments, so the result (or the error) is always what ``json.dumps`` gives.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring, encode_basestring_ascii

INDENT = 2
_INFINITY = float("inf")
_int_text = int.__repr__
_float_text = float.__repr__


class _Unhandled(Exception):
    """A value whose text only ``json.dumps`` itself is trusted to produce."""


# "\n" plus the indentation of each level, grown on demand (nesting is shallow in practice).
_NEWLINES: list[str] = ["\n" + " " * (INDENT * level) for level in range(32)]


def _newline(level: int) -> str:
    while level >= len(_NEWLINES):
        _NEWLINES.append("\n" + " " * (INDENT * len(_NEWLINES)))
    return _NEWLINES[level]


def _scalar_text(item: object, kind: type) -> str:
    """The text of a non-string scalar (strings are quoted inline by the callers, they are the most common)."""
    if item is None:
        return "null"
    if kind is bool:
        return "true" if item else "false"
    if kind is int:
        return _int_text(item)
    if kind is float and -_INFINITY < item < _INFINITY:  # NaN compares false both ways
        return _float_text(item)
    raise _Unhandled


# The quoted key and ": " of keys met before, per string encoder: documents repeat the same few hundred keys.
_KEY_CACHE_LIMIT = 4096
_KEY_TEXTS: dict[object, dict[str, str]] = {encode_basestring_ascii: {}, encode_basestring: {}}


def _dict_text(value: dict, quote, level: int) -> str:
    if not value:
        return "{}"
    below = level + 1
    parts = []
    append = parts.append
    key_texts = _KEY_TEXTS[quote]
    for key in sorted(value):
        if type(key) is not str:
            raise _Unhandled
        key_text = key_texts.get(key)
        if key_text is None:
            key_text = quote(key) + ": "
            if len(key_texts) < _KEY_CACHE_LIMIT:
                key_texts[key] = key_text
        item = value[key]
        kind = type(item)
        if kind is str:
            append(key_text + quote(item))
        elif kind is dict:
            append(key_text + _dict_text(item, quote, below))
        elif kind is list or kind is tuple:
            append(key_text + _list_text(item, quote, below))
        elif item is None:
            append(key_text + "null")
        elif item is True:
            append(key_text + "true")
        elif item is False:
            append(key_text + "false")
        else:
            append(key_text + _scalar_text(item, kind))
    inner = _newline(below)
    return "{" + inner + ("," + inner).join(parts) + _NEWLINES[level] + "}"


def _list_text(value: list | tuple, quote, level: int) -> str:
    if not value:
        return "[]"
    below = level + 1
    parts = []
    append = parts.append
    for item in value:
        kind = type(item)
        if kind is str:
            append(quote(item))
        elif kind is dict:
            append(_dict_text(item, quote, below))
        elif kind is list or kind is tuple:
            append(_list_text(item, quote, below))
        elif item is None:
            append("null")
        else:
            append(_scalar_text(item, kind))
    inner = _newline(below)
    return "[" + inner + ("," + inner).join(parts) + _NEWLINES[level] + "]"


def dumps_indented(value: object, *, ensure_ascii: bool = True) -> str:
    """``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=ensure_ascii)``, the same text, faster."""
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    kind = type(value)
    try:
        if kind is dict:
            return _dict_text(value, quote, 0)
        if kind is list or kind is tuple:
            return _list_text(value, quote, 0)
        if kind is str:
            return quote(value)
        return _scalar_text(value, kind)
    except (_Unhandled, RecursionError, TypeError):  # TypeError: keys sorted() cannot order
        return json.dumps(value, indent=INDENT, sort_keys=True, ensure_ascii=ensure_ascii)
