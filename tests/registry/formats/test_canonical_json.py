"""Canonical JSON is RFC 8785: cross-checked against the `rfc8785` package (an independent
implementation), and what RFC 8785 cannot hold is refused with a message, never guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from daftar_registry.cli.credential import read_fields
from daftar_registry.errors import InputError
from daftar_registry.formats.credentials import MAX_SAFE_INTEGER, canonical_json

# Names and strings from the whole of Unicode (surrogates excluded: not valid UTF-8), so
# member order beyond the Basic Multilingual Plane is exercised.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
scalars = st.none() | st.booleans() | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | text
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=5),
    max_leaves=20,
)


@given(documents)
def test_canonical_json_equals_rfc8785(value):
    """Invariant: on every value in the documented domain, our bytes are rfc8785's."""
    assert canonical_json(value) == rfc8785.dumps(value)


def test_member_order_is_by_utf16_code_units():
    # U+FF61 sorts after U+1F600 by code point, before it by UTF-16 (0xD83D < 0xFF61).
    value = {"\uff61": 1, "\U0001f600": 2}
    assert canonical_json(value) == rfc8785.dumps(value)
    assert canonical_json(value).decode().index("\U0001f600") < canonical_json(
        value
    ).decode().index("\uff61")


@pytest.mark.parametrize(
    "value, needle",
    [
        ({"n": 2**53}, "2^53"),
        ({"n": -(2**53)}, "2^53"),
        ({"n": 1.5}, "floats are not canonical"),
        ({"n": float("inf")}, "floats are not canonical"),
        ({1: "x"}, "keys must be strings"),
    ],
)
def test_values_outside_rfc8785_are_refused(value, needle):
    with pytest.raises(TypeError, match=needle.replace("^", r"\^")):
        canonical_json(value)


@pytest.mark.parametrize(
    "text, needle",
    [
        ('{"name": "A", "name": "B"}', "appears twice"),
        ('{"n": NaN}', "not a JSON number"),
        ('{"n": Infinity}', "not a JSON number"),
        ('{"n": 9007199254740993}', "2^53"),
    ],
)
def test_credential_files_outside_rfc8785_are_refused(tmp_path: Path, text, needle):
    path = tmp_path / "doc.json"
    path.write_text(text)
    with pytest.raises(InputError, match=needle.replace("^", r"\^")) as info:
        read_fields(path)
    assert str(path) in str(info.value)


def test_a_plain_credential_file_reads(tmp_path: Path):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"name": "Aisyah", "year": 2026}))
    assert read_fields(path) == {"name": "Aisyah", "year": 2026}
