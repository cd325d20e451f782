"""verify(): the verdict on holder and disclosure files, field by field.

The fixture registry has accredited `actors.issuer` as "Universiti Teknologi"; each test
issues its own credentials, so expected values come from what the test did (who issued,
when, with which expiry and reason), never from the code under test.
"""

from __future__ import annotations

import json

import pytest

from daftar_registry.errors import InputError
from daftar_registry.formats.credentials import (
    Disclosure,
    DisclosureFile,
    HolderFile,
    TamperedCredential,
    build_credential,
    write_disclosure_file,
    write_holder_file,
)
from daftar_registry.formats.merkle import MerkleTree
from daftar_registry.render import verdict_line, verdict_lines
from daftar_registry.services.verdict import verify
from daftar_registry.status import CredentialStatus as S

EXPLORER = "https://scan.example"  # as the linked_client fixture
ISSUER_NAME = "Universiti Teknologi"
FIELDS = [
    {"name": "Aisyah", "degree": "BSc Computer Science", "ic": "900101-14-5678"},
    {"name": "Boon Keat", "degree": "MSc Blockchain", "ic": "880202-10-1234"},
    {"name": "Chitra", "degree": "PhD Cryptography", "ic": "870303-08-4321"},
]


def _batch(registry, chain, issuer, expires=0, named=None):
    """Issue FIELDS as one batch by `issuer` (documents naming `named`, default the issuer)."""
    docs = [build_credential(f, named or issuer, chain.name, expires) for f in FIELDS]
    tree = MerkleTree(d.credential_hash for d in docs)
    registry.credentials.issueBatch(tree.root, len(docs), expires, "ipfs://b", sender=issuer)
    address = registry.credentials.address
    return [
        HolderFile(d, address, chain.name, tree.root, tuple(tree.proof(d.credential_hash)))
        for d in docs
    ], tree


def _single(registry, chain, issuer, expires=0, named=None, fields=None):
    doc = build_credential(fields or FIELDS[0], named or issuer, chain.name, expires)
    registry.credentials.issue(doc.credential_hash, expires, sender=issuer)
    return HolderFile(doc, registry.credentials.address, chain.name)


def test_valid_batch_member(registry, client, chain, actors):
    before = chain.time()
    holders, tree = _batch(registry, chain, actors.issuer)
    verdict = verify(client, holders[1])
    assert verdict.status is S.VALID and verdict.valid is True
    assert verdict.credential_hash == holders[1].document.credential_hash
    assert verdict.merkle_root == tree.root
    assert verdict.issuer == actors.issuer.address
    assert verdict.issuer_name == ISSUER_NAME
    assert verdict.document_issuer == actors.issuer.address and verdict.issuer_matches
    assert before <= verdict.issued_at <= chain.time()
    assert (verdict.expires_at, verdict.revoked_at, verdict.reason_code) == (0, 0, 0)
    assert verdict.revoked_by is None
    assert verdict.contract == registry.credentials.address and verdict.network == chain.name
    assert verdict.contract_link is None and verdict.issuer_link is None  # no explorer
    assert verdict.kind == "holder" and verdict.source is None
    assert verdict.revealed == FIELDS[1] and verdict.hidden == ()
    assert verdict_line(verdict) == "VALID: " + S.VALID.explain()


def test_valid_single_from_a_file(registry, linked_client, chain, actors, tmp_path):
    """A path is read and checked; on a network with an explorer, addresses get links."""
    expires = chain.time() + 365 * 86400
    holder = _single(registry, chain, actors.issuer, expires)
    path = tmp_path / "aisyah.holder.json"
    write_holder_file(path, holder.document, contract=registry.credentials)
    verdict = verify(linked_client, path)
    assert verdict.status is S.VALID and verdict.valid
    assert verdict.merkle_root is None and verdict.expires_at == expires
    assert verdict.source == str(path)
    address = registry.credentials.address
    assert verdict.contract_link == f"{EXPLORER}/address/{address}"
    assert verdict.issuer_link == f"{EXPLORER}/address/{actors.issuer.address}"
    data = verdict.to_json()
    assert data["holder"] == str(path) and "revealed" not in data
    assert data["status"] == "VALID" and data["valid"] is True and data["merkle_root"] is None
    assert data["expires_at_unix"] == expires and data["expires_at"].endswith("Z")
    assert data["revoked_at"] is None and data["issuer_name"] == ISSUER_NAME
    json.dumps(data)  # one JSON object, as --json prints it
    lines = verdict_lines(verdict)
    assert f"registry:     {address}  {EXPLORER}/address/{address}" in lines


def test_revoked(registry, client, chain, actors):
    holders, tree = _batch(registry, chain, actors.issuer)
    kumar = holders[2]
    before = chain.time()
    registry.credentials.revokeLeaf(
        actors.issuer, tree.root, kumar.credential_hash, list(kumar.proof), 7, sender=actors.issuer
    )
    verdict = verify(client, kumar)
    assert verdict.status is S.REVOKED and not verdict.valid
    assert verdict.reason_code == 7 and before <= verdict.revoked_at <= chain.time()
    assert verdict.revoked_by == "issuer"
    assert verdict.issuer == actors.issuer.address and verdict.issuer_matches
    assert verdict.signer == actors.issuer.address
    assert verify(client, holders[0]).status is S.VALID  # the rest of the batch stands
    assert "reason code:  7" in verdict_lines(verdict)


def test_revoked_single(registry, client, chain, actors):
    holder = _single(registry, chain, actors.issuer)
    registry.credentials.revoke(actors.issuer, holder.credential_hash, 3, sender=actors.issuer)
    verdict = verify(client, holder)
    assert verdict.status is S.REVOKED and verdict.reason_code == 3
    assert verdict.revoked_by == "issuer" and verdict.revoked_at > 0


def test_revoked_by_the_authority(registry, client, chain, actors):
    holder = _single(registry, chain, actors.issuer)
    registry.credentials.authorityRevoke(
        actors.issuer, holder.credential_hash, 9, sender=actors.office
    )
    verdict = verify(client, holder)
    assert verdict.status is S.REVOKED and verdict.revoked_by == "authority"
    assert verdict.to_json()["revoked_by"] == "authority"
    assert any("by the programme office" in line for line in verdict_lines(verdict))


def test_compromised_key(registry, client, chain, actors):
    """Genuine before the theft stays valid; anchored after it is ISSUER_COMPROMISED."""
    genuine = _single(registry, chain, actors.issuer)
    chain.sleep(100)
    stolen_at = chain.time()
    forged = _single(registry, chain, actors.issuer)
    registry.issuers.retireKey(actors.issuer, actors.issuer, stolen_at, sender=actors.office)
    assert verify(client, genuine).valid
    verdict = verify(client, forged)
    assert verdict.status is S.ISSUER_COMPROMISED and not verdict.valid
    assert "compromised" in verdict.explanation


def test_expired(registry, client, chain, actors):
    expires = chain.time() + 100
    holder = _single(registry, chain, actors.issuer, expires)
    assert verify(client, holder).status is S.VALID
    chain.mine(timestamp=expires + 1)
    verdict = verify(client, holder)
    assert verdict.status is S.EXPIRED and not verdict.valid
    assert verdict.expires_at == expires and verdict.revoked_at == 0
    assert verdict.issuer == actors.issuer.address and verdict.issuer_matches


def test_issuer_suspended(registry, client, chain, actors):
    holders, _tree = _batch(registry, chain, actors.issuer)
    registry.issuers.suspend(actors.issuer, 12, 0, sender=actors.office)
    verdict = verify(client, holders[0])
    assert verdict.status is S.ISSUER_SUSPENDED and not verdict.valid
    assert verdict.issuer == actors.issuer.address and verdict.issuer_name == ISSUER_NAME
    assert verdict.revoked_at == 0 and verdict.revoked_by is None and verdict.reason_code == 0
    registry.issuers.reinstate(actors.issuer, sender=actors.office)
    assert verify(client, holders[0]).valid


def test_document_naming_another_issuer_is_not_valid(registry, client, chain, actors):
    """Anchored by the accredited issuer, but the document names issuer2: records are
    scoped by issuer, so issuer2 never anchored it: NOT_ISSUED, never accepted."""
    holder = _single(registry, chain, actors.issuer, named=actors.issuer2)
    verdict = verify(client, holder)
    assert verdict.status is S.NOT_ISSUED
    assert verdict.issuer is None
    assert verdict.document_issuer == actors.issuer2.address
    assert verdict.valid is False and verdict.to_json()["valid"] is False


def test_not_issued(registry, client, chain, actors):
    doc = build_credential(FIELDS[0], actors.issuer, chain.name)
    verdict = verify(client, HolderFile(doc, registry.credentials.address, chain.name))
    assert verdict.status is S.NOT_ISSUED and not verdict.valid
    assert verdict.issuer is None and verdict.issuer_name is None and verdict.issued_at == 0
    assert verdict.issuer_matches  # nothing anchored it, so nothing contradicts it


def test_tampered(registry, client, chain, actors, tmp_path):
    holders, tree = _batch(registry, chain, actors.issuer)
    # A forged document carried with a genuine member's proof: the registry says so.
    forged = build_credential({"name": "Mallory", "degree": "PhD"}, actors.issuer, chain.name)
    address = registry.credentials.address
    carried = HolderFile(forged, address, chain.name, tree.root, holders[0].proof)
    verdict = verify(client, carried)
    assert verdict.status is S.INVALID_PROOF and not verdict.valid
    assert verdict.issuer == actors.issuer.address  # the batch's issuer, as the registry says
    # An altered holder file is an error, never a verdict.
    path = tmp_path / "boon.holder.json"
    member = holders[1]
    write_holder_file(
        path, member.document, contract=address, merkle_root=tree.root, proof=member.proof,
        chain_id=chain.chain_id,
    )  # fmt: skip
    data = json.loads(path.read_text())
    data["document"]["fields"]["degree"] = "PhD Blockchain"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="has been altered"):
        verify(client, path)
    # A disclosure whose revealed value no longer matches its commitment.
    shown = DisclosureFile.from_holder(holders[1], ["degree"])
    salt = shown.disclosure.revealed["degree"][1]
    told = Disclosure(shown.disclosure.salted, {"degree": ("PhD", salt)})
    lie = DisclosureFile(told, shown.contract, shown.network, shown.merkle_root, shown.proof)
    with pytest.raises(TamperedCredential, match="commitment"):
        verify(client, lie)


def test_disclosure(registry, client, chain, actors, tmp_path):
    holders, _tree = _batch(registry, chain, actors.issuer)
    path = tmp_path / "aisyah.disclosure.json"
    write_disclosure_file(path, holders[0], ["name", "degree"])
    verdict = verify(client, path)
    assert verdict.status is S.VALID and verdict.valid and verdict.kind == "disclosure"
    assert verdict.revealed == {"name": "Aisyah", "degree": "BSc Computer Science"}
    assert verdict.hidden == ("ic",)
    assert verdict.credential_hash == holders[0].credential_hash
    assert verdict.document_issuer == actors.issuer.address and verdict.issuer_matches
    data = verdict.to_json()
    assert data["disclosure"] == str(path) and data["hidden"] == ["ic"]
    assert data["revealed"] == {"name": "Aisyah", "degree": "BSc Computer Science"}
    lines = verdict_lines(verdict)
    assert '  name: "Aisyah"' in lines and "hidden:       ic" in lines
    assert FIELDS[0]["ic"] not in "\n".join(lines)


def test_another_registry_or_network_is_refused(registry, client, chain, actors):
    holder = _single(registry, chain, actors.issuer)
    elsewhere = HolderFile(holder.document, registry.issuers.address, chain.name)
    with pytest.raises(InputError, match="not vouched for by this registry"):
        verify(client, elsewhere)
    moved = HolderFile(holder.document, holder.contract, "sepolia")
    with pytest.raises(InputError, match=f"issued on network 'sepolia', not '{chain.name}'"):
        verify(client, moved)
