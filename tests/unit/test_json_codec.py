"""The cache's JSON (incremental/json_codec.py): orjson where it can, the standard library where orjson
refuses, so a cache file reads back exactly as `json` would read it, and never fails to be written."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from themehub.incremental import json_codec

# Any text Python can hold: lone surrogates too (a file name that is not UTF-8 reaches Python so).
TEXT = st.text(st.characters(codec=None, exclude_categories=()))
# The tables `dumps` writes hold texts and integers; floats that are finite come back too.
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20)


@given(VALUES)
def test_what_is_written_reads_back_as_it_was(value: object) -> None:
    assert json_codec.loads(json_codec.dumps(value)) == value


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=20))
def test_a_file_written_by_json_reads_as_json_reads_it(value: object) -> None:
    for written in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        try:
            data = written.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate unescaped: json itself could not write this file
            continue
        assert json_codec.loads(data) == json.loads(data)


def test_what_orjson_refuses_is_read_by_json() -> None:
    value = json_codec.loads(json.dumps({"name": "caf\udce9.md", "score": float("nan"), "big": 2**70}).encode())
    assert value["name"] == "caf\udce9.md" and math.isnan(value["score"]) and value["big"] == 2**70


def test_what_orjson_cannot_write_is_written_by_json() -> None:
    value = {"articles/caf\udce9/index.html": ["fingerprint", 2**70]}
    assert json_codec.loads(json_codec.dumps(value)) == value


@pytest.mark.parametrize("data", [b"", b"{", b'{"a": 1} x', b"\xff\xfe{}", b'{"a": "\xe9"}', b"[1,]"])
def test_what_is_not_json_raises_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        json_codec.loads(data)
