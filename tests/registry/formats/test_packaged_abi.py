"""The ABIs shipped in daftar_registry/abi are the compiled contracts' ABIs, exactly.

A verifier outside the repository builds its contract objects from these files, so a
contract whose external interface changed without `python -m daftar_registry.abi` would
be asked with a stale ABI: this test fails then, and says how to regenerate them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daftar_registry.abi import CONTRACTS, abi

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def project():
    from daftar.project import Project

    return Project.load(REPO, progress=lambda _m: None)


@pytest.mark.parametrize("name", CONTRACTS)
def test_packaged_abi_equals_the_compiled_one(project, name):
    assert abi(name) == project[name].abi, (
        f"src/daftar_registry/abi/{name}.json is stale: run `python -m daftar_registry.abi` "
        "from the repository root and commit the files"
    )


def test_the_regenerator_writes_exactly_the_files_shipped(project):
    from daftar_registry.abi.__main__ import render

    folder = REPO / "src" / "daftar_registry" / "abi"
    for name in CONTRACTS:
        assert (folder / f"{name}.json").read_text(encoding="utf-8") == render(project[name].abi)


def test_the_verifier_views_are_in_the_packaged_abi():
    names = {item.get("name") for item in abi("CredentialRegistry")}
    assert {"verify", "verifyLeaf", "issuerRegistry"} <= names
    assert "issuerInfo" in {item.get("name") for item in abi("IssuerRegistry")}


def test_callers_get_their_own_copy():
    first = abi("IssuerRegistry")
    first.clear()
    assert abi("IssuerRegistry")


def test_an_unknown_contract_is_a_clear_error():
    with pytest.raises(KeyError, match="no packaged ABI for 'Token'"):
        abi("Token")


def test_the_abi_files_are_package_data():
    text = (REPO / "pyproject.toml").read_text()
    assert '"abi/*.json"' in text
    for name in CONTRACTS:
        json.loads((REPO / "src" / "daftar_registry" / "abi" / f"{name}.json").read_text())
