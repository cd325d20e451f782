"""Format versions: files are written as /2 (chainId, registryVersion); /1 files still read.

The /1 files in tests/registry/formats/v1/ were written by the /1 writers (before /2
existed) with fixed salts; they must keep parsing, keep their credential hashes (the hash
definition did not change), and be written back byte for byte as /1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daftar_registry.formats.credentials import (
    DISCLOSURE_FORMAT,
    HOLDER_FORMAT,
    DisclosureFile,
    HolderFile,
    build_credential,
    read_holder_file,
    write_disclosure_file,
    write_holder_file,
)
from daftar_registry.formats.merkle import MerkleTree

V1 = Path(__file__).parent / "v1"
ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def _text(holder_or_disclosure) -> str:
    return json.dumps(holder_or_disclosure.to_json(), indent=2, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("name", ["batch.holder.json", "single.holder.json"])
def test_a_v1_holder_file_still_reads_and_round_trips_as_v1(name):
    path = V1 / name
    holder = read_holder_file(path)
    assert holder.format == "daftar-holder/1"
    assert holder.chain_id is None and holder.registry_version is None
    assert _text(holder) + "\n" == path.read_text(encoding="utf-8")
    data = json.loads(path.read_text())
    assert "0x" + holder.credential_hash.hex() == data["credentialHash"]


def test_a_v1_disclosure_file_still_reads_and_round_trips_as_v1():
    path = V1 / "batch.disclosure.json"
    found = DisclosureFile.from_json(json.loads(path.read_text()))
    assert found.format == "daftar-disclosure/1" and found.chain_id is None
    assert found.check() == {"degree": "BSc Computer Science", "year": 2026}
    assert found.hidden() == ["honours", "name"]
    assert _text(found) + "\n" == path.read_text(encoding="utf-8")


def test_the_credential_hash_of_a_v1_file_is_unchanged_by_v2():
    """The same document and salts hash the same, whichever holder format carries them."""
    v1 = read_holder_file(V1 / "batch.holder.json")
    again = build_credential(
        dict(v1.document.fields), ISSUER, "sepolia", 1893456000, salts=v1.document.salts
    )
    assert again.credential_hash == v1.credential_hash
    assert "0x" + again.credential_hash.hex() == (
        "0x748ff50d171f081a6ed54cb188dfc1b2a7eebd26519e3013bd52e30822166dc5"
    )


def test_a_v2_holder_and_disclosure_round_trip(tmp_path):
    docs = [build_credential({"name": f"n{i}", "year": 2026}, ISSUER, "sepolia") for i in range(3)]
    tree = MerkleTree(d.credential_hash for d in docs)
    path = tmp_path / "h.json"
    written = write_holder_file(
        path, docs[1], contract=CONTRACT, merkle_root=tree.root,
        proof=tree.proof(docs[1].credential_hash), chain_id=11155111, registry_version=3,
    )  # fmt: skip
    data = json.loads(path.read_text())
    assert data["format"] == HOLDER_FORMAT == "daftar-holder/2"
    assert (data["chainId"], data["registryVersion"], data["contract"]) == (11155111, 3, CONTRACT)
    back = read_holder_file(path)
    assert back == written and (back.chain_id, back.registry_version) == (11155111, 3)
    shown = write_disclosure_file(tmp_path / "d.json", back, ["year"])
    ddata = json.loads((tmp_path / "d.json").read_text())
    assert ddata["format"] == DISCLOSURE_FORMAT == "daftar-disclosure/2"
    assert (ddata["chainId"], ddata["registryVersion"]) == (11155111, 3)
    assert DisclosureFile.from_json(ddata) == shown


def test_the_chain_id_comes_from_the_contract_object(tmp_path):
    class Chain:
        chain_id = 31337

    class Contract:
        address = CONTRACT
        chain = Chain()

    doc = build_credential({"a": 1}, ISSUER, "localhost")
    holder = write_holder_file(tmp_path / "h.json", doc, contract=Contract())
    assert (holder.chain_id, holder.registry_version) == (31337, 1)


def test_a_bare_address_without_a_chain_id_is_refused(tmp_path):
    doc = build_credential({"a": 1}, ISSUER, "localhost")
    with pytest.raises(ValueError, match="pass chain_id="):
        write_holder_file(tmp_path / "h.json", doc, contract=CONTRACT)
    assert not (tmp_path / "h.json").exists()


@pytest.mark.parametrize(
    "edit, needle",
    [
        (lambda d: d.pop("chainId"), "requires 'chainId'"),
        (lambda d: d.pop("registryVersion"), "requires 'registryVersion'"),
        (lambda d: d.__setitem__("chainId", "1"), "chainId must be a positive integer"),
        (lambda d: d.__setitem__("chainId", True), "chainId must be a positive integer"),
        (lambda d: d.__setitem__("registryVersion", 0), "registryVersion must be a positive"),
        (lambda d: d.__setitem__("format", "daftar-holder/3"), "expected one of"),
        (lambda d: d.__setitem__("network", ""), "network must be a non-empty string"),
    ],
    ids=["no-chain", "no-version", "string-chain", "bool-chain", "zero-version", "format/3",
         "no-network"],
)  # fmt: skip
def test_a_malformed_v2_file_is_refused_with_what_is_wrong(tmp_path, edit, needle):
    doc = build_credential({"a": 1}, ISSUER, "localhost")
    write_holder_file(tmp_path / "h.json", doc, contract=CONTRACT, chain_id=31337)
    data = json.loads((tmp_path / "h.json").read_text())
    edit(data)
    with pytest.raises(ValueError, match=needle):
        HolderFile.from_json(data)


def test_a_disclosure_of_a_v1_holder_file_is_v1(tmp_path):
    v1 = read_holder_file(V1 / "single.holder.json")
    shown = write_disclosure_file(tmp_path / "d.json", v1, ["degree"])
    assert shown.format == "daftar-disclosure/1"
    assert "chainId" not in json.loads((tmp_path / "d.json").read_text())
