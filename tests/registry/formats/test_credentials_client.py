"""Credential documents: canonical hashing, per-field salts, holder files, disclosure."""

from __future__ import annotations

import json
import stat
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daftar_registry import MerkleTree
from daftar_registry.formats.credentials import (
    Disclosure,
    TamperedCredential,
    build_credential,
    canonical_json,
    credential_hash_of,
    field_commitment,
    read_holder_file,
    verify_disclosure,
    verify_document,
    write_holder_file,
)

ISSUER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
FIELDS = {
    "name": "Siti Nurhaliza binti Tarudin",
    "ic": "790111-05-1234",
    "award": "Sijil Kemahiran Malaysia, Tahap 3",
    "grade": "A",
    "modules": ["M1", "M2"],
}

json_scalars = (
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
field_dicts = st.dictionaries(st.text(min_size=1, max_size=10), json_values, min_size=1, max_size=6)


def _doc(**kw):
    return build_credential(kw.pop("fields", FIELDS), ISSUER, "development", **kw)


def test_canonical_json_is_deterministic():
    """Key order and whitespace never matter; UTF-8 is kept as is, not \\u-escaped."""
    a = {"b": 1, "a": {"y": [1, "é"], "x": None}}
    b = json.loads(json.dumps(a, indent=4))
    b = dict(reversed(list(b.items())))
    assert canonical_json(a) == canonical_json(b) == '{"a":{"x":null,"y":[1,"é"]},"b":1}'.encode()
    with pytest.raises(TypeError, match="float"):
        canonical_json({"gpa": 3.5})
    with pytest.raises(TypeError):
        canonical_json({1: "non-string key"})


def test_salted_document_holds_no_personal_data():
    """The salted document is the header and one commitment per field, nothing else.
    (The hash definitions are checked against independent vectors in test_vectors.py.)"""
    doc = _doc(expires_at=2_000_000_000)
    salted = doc.salted()
    assert set(salted) == {"format", "issuer", "network", "expiresAt", "fields"}
    assert salted["expiresAt"] == 2_000_000_000
    assert set(salted["fields"]) == set(FIELDS)
    assert doc.credential_hash == credential_hash_of(salted)
    text = canonical_json(salted).decode()
    assert not any(v in text for v in ("Siti", "790111-05-1234", "Tahap 3", "M1"))


def test_issuer_case_does_not_matter():
    salts = _doc().salts
    lower = build_credential(FIELDS, ISSUER.lower(), "development", salts=salts)
    assert lower.credential_hash == _doc(salts=salts).credential_hash
    assert lower.issuer == ISSUER


def test_salts_differ_per_field_and_per_document():
    a, b = _doc(), _doc()
    assert len(set(a.salts.values())) == len(FIELDS)
    assert all(len(s) == 32 for s in a.salts.values())
    assert not set(a.salts.values()) & set(b.salts.values())
    # Same data, fresh salts: unlinkable hashes, and no commitment repeats.
    assert a.credential_hash != b.credential_hash
    assert not set(a.commitments().values()) & set(b.commitments().values())


@given(fields=field_dicts)
def test_same_salts_same_hash(fields):
    """Hashing is a pure function of fields, salts and header, whatever the dict order."""
    doc = build_credential(fields, ISSUER, "development")
    reordered = dict(reversed(list(fields.items())))
    again = build_credential(reordered, ISSUER, "development", salts=doc.salts)
    assert again.credential_hash == doc.credential_hash
    assert verify_document(again, doc.credential_hash)


@given(fields=field_dicts, data=st.data())
def test_tampering_any_field_breaks_verification(fields, data):
    """Changing any value, salt, field name or header fact changes the credential hash."""
    doc = build_credential(fields, ISSUER, "development")
    h = doc.credential_hash
    name = data.draw(st.sampled_from(sorted(fields)))
    new_value = data.draw(
        json_values.filter(lambda v: canonical_json(v) != canonical_json(fields[name]))
    )
    assert not verify_document(replace(doc, fields={**fields, name: new_value}), h)
    assert not verify_document(replace(doc, salts={**doc.salts, name: bytes(32)}), h)
    renamed = {(n + "_" if n == name else n): v for n, v in fields.items()}
    if len(renamed) == len(fields):
        salts = {(n + "_" if n == name else n): s for n, s in doc.salts.items()}
        assert not verify_document(replace(doc, fields=renamed, salts=salts), h)
    assert not verify_document(replace(doc, expires_at=1), h)
    assert not verify_document(replace(doc, network="mainnet"), h)
    assert not verify_document(replace(doc, issuer="0x" + "11" * 20), h)


def test_build_refuses_bad_input():
    with pytest.raises(ValueError):
        build_credential({}, ISSUER, "development")
    with pytest.raises(ValueError):
        build_credential(FIELDS, "not-an-address", "development")
    with pytest.raises(ValueError):
        build_credential(FIELDS, ISSUER, "development", expires_at=2**40)
    with pytest.raises(TypeError):
        build_credential({"gpa": 3.75}, ISSUER, "development")
    with pytest.raises(ValueError, match="salts"):
        build_credential(FIELDS, ISSUER, "development", salts={"name": bytes(32)})


def test_holder_file_round_trip(tmp_path):
    doc = _doc(expires_at=2_000_000_000)
    path = tmp_path / "holder.json"
    contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    written = write_holder_file(path, doc, contract=contract, chain_id=31337, registry_version=2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: owner only
    back = read_holder_file(path)
    assert back == written
    assert back.document.fields == FIELDS
    assert back.document.salts == doc.salts
    assert back.credential_hash == doc.credential_hash
    data = json.loads(path.read_text())
    assert data["credentialHash"] == "0x" + doc.credential_hash.hex()
    assert data["contract"] == contract and data["network"] == "development"
    assert data["merkleRoot"] is None and data["merkleProof"] == []
    assert data["format"] == "daftar-holder/2"
    assert (data["chainId"], data["registryVersion"]) == (31337, 2)
    assert (back.chain_id, back.registry_version) == (31337, 2)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["document"]["fields"].__setitem__("grade", "A+"),
        lambda d: d["document"].__setitem__("expiresAt", 0),
        lambda d: d["salts"].__setitem__("ic", "0x" + "00" * 32),
        lambda d: d.__setitem__("credentialHash", "0x" + "ab" * 32),
        lambda d: d["merkleProof"].__setitem__(0, "0x" + "cd" * 32),
    ],
    ids=["value", "header", "salt", "hash", "proof"],
)
def test_tampered_holder_file_is_refused(tmp_path, edit):
    docs = [_doc(expires_at=2_000_000_000) for _ in range(3)]
    tree = MerkleTree(d.credential_hash for d in docs)
    h = docs[0].credential_hash
    path = tmp_path / "holder.json"
    write_holder_file(
        path, docs[0], contract=ISSUER, merkle_root=tree.root, proof=tree.proof(h), chain_id=1
    )
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    with pytest.raises(TamperedCredential):
        read_holder_file(path)
    read_holder_file(path, check=False)  # still parseable for forensics


def test_selective_disclosure():
    """Revealing some fields proves them against the credential hash and nothing else."""
    doc = _doc()
    h = doc.credential_hash
    disclosure = doc.disclose(["award", "grade"])
    wire = json.loads(json.dumps(disclosure.to_json()))  # what travels to the verifier
    assert "Siti" not in json.dumps(wire) and "790111" not in json.dumps(wire)
    received = Disclosure.from_json(wire)
    assert verify_disclosure(received, h) == {"award": FIELDS["award"], "grade": "A"}
    # Nothing revealed still proves the header (issuer, network, expiry) belongs to h.
    assert verify_disclosure(doc.disclose([]), h) == {}


def test_disclosure_forgeries_are_refused():
    doc = _doc()
    h = doc.credential_hash
    salts = doc.salts
    good = doc.disclose(["grade"])
    # A different value under the real salt.
    lie = Disclosure(good.salted, {"grade": ("A+", salts["grade"])})
    with pytest.raises(TamperedCredential, match="commitment"):
        verify_disclosure(lie, h)
    # The real value and salt of one field presented as another field.
    swapped = Disclosure(good.salted, {"award": ("A", salts["grade"])})
    with pytest.raises(TamperedCredential):
        verify_disclosure(swapped, h)
    # Rewriting the listed commitment to match a lie changes the document hash.
    forged_fields = {
        **good.salted["fields"],
        "grade": "0x" + field_commitment("grade", "A+", salts["grade"]).hex(),
    }
    forged = Disclosure({**good.salted, "fields": forged_fields}, {"grade": ("A+", salts["grade"])})
    with pytest.raises(TamperedCredential, match="hash"):
        verify_disclosure(forged, h)
    # A field the credential never had.
    with pytest.raises(TamperedCredential, match="not part"):
        verify_disclosure(Disclosure(good.salted, {"extra": ("x", bytes(32))}), h)
    # Against another credential's hash.
    with pytest.raises(TamperedCredential):
        verify_disclosure(good, _doc().credential_hash)


def test_issue_document_hash_and_verify_on_chain(credentials, actors, chain, tmp_path):
    """End to end: the issuer hashes a document, issues the hash; the holder's file proves it."""
    expires = chain.time() + 365 * 24 * 3600
    docs = [
        build_credential({**FIELDS, "ic": f"80010{i}-10-1234"}, actors.issuer, chain.name, expires)
        for i in range(4)
    ]
    single = docs[0]
    credentials.issue(single.credential_hash, single.expires_at, sender=actors.issuer)
    tree = MerkleTree(d.credential_hash for d in docs[1:])
    credentials.issueBatch(tree.root, len(tree), expires, "ipfs://b", sender=actors.issuer)

    write_holder_file(tmp_path / "single.json", single, contract=credentials)
    holder = read_holder_file(tmp_path / "single.json")
    result = credentials.verify(actors.issuer, holder.credential_hash)
    assert (result.status, result.signer, result.expiresAt) == (1, actors.issuer.address, expires)

    member = docs[2]
    path = tmp_path / "batch.json"
    write_holder_file(
        path, member, contract=credentials, merkle_root=tree.root,
        proof=tree.proof(member.credential_hash),
    )  # fmt: skip
    holder = read_holder_file(path)
    status = credentials.verifyLeaf(
        actors.issuer, holder.merkle_root, holder.credential_hash, list(holder.proof)
    )
    assert status.status == 1
    # Selective disclosure ends in the same on-chain check.
    revealed = verify_disclosure(member.disclose(["award"]), member.credential_hash)
    assert revealed == {"award": FIELDS["award"]}
