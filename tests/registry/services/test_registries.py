"""daftar_registry.services.registries: the registry a file names, vouched for or not.

Invariants: the registry asked is always the one the file names (never another); with
records, it must be one of the network's recorded versions and the verdict names that
version; without records the verdict says the address is unconfirmed; the node's chain
id must be the file's. verify_many gives the same verdicts in one-by-one and batched
modes. Runs on whichever backend the suite runs (the in-process chain by default).
"""

from __future__ import annotations

import json

import pytest

from daftar.config import NetworkConfig
from daftar_registry.formats.credentials import HolderFile, build_credential
from daftar_registry.formats.merkle import MerkleTree
from daftar_registry.services.registries import (
    UnknownRegistry,
    WrongNetwork,
    current_version_of,
    open_registry,
)
from daftar_registry.services.verdict import verify_many
from daftar_registry.status import CredentialStatus as S


def _holders(registry, chain, issuer, n=3):
    docs = [build_credential({"n": i}, issuer, chain.name) for i in range(n)]
    tree = MerkleTree(d.credential_hash for d in docs)
    registry.credentials.issueBatch(tree.root, n, 0, "ipfs://b", sender=issuer)
    address = registry.credentials.address
    return [
        HolderFile(
            d,
            address,
            chain.name,
            tree.root,
            tuple(tree.proof(d.credential_hash)),
            chain_id=chain.chain_id,
            registry_version=1,
        )
        for d in docs
    ]


def _net(chain, chain_id=None):
    return NetworkConfig(name=chain.name, backend="rpc", chain_id=chain_id)


def _records(folder, registry, version_dirs=()):
    """A records folder whose current version holds `registry` (earlier: `version_dirs`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, contract in (("CredentialRegistry", registry.credentials),
                           ("IssuerRegistry", registry.issuers)):  # fmt: skip
        record = {"contract": name, "address": contract.address}
        (folder / f"{name}.json").write_text(json.dumps(record))
    for number, address in version_dirs:
        old = folder / "versions" / str(number)
        old.mkdir(parents=True)
        record = {"contract": "CredentialRegistry", "address": address}
        (old / "CredentialRegistry.json").write_text(json.dumps(record))
    if version_dirs:
        current = max(n for n, _ in version_dirs) + 1
        (folder / "versions.json").write_text(json.dumps({"current": current, "versions": []}))


def test_without_records_the_address_is_unconfirmed(registry, chain, actors):
    holders = _holders(registry, chain, actors.issuer)
    found = open_registry(holders[0], chain, _net(chain))
    assert found.confirmed is False and found.version == 1
    assert any("not confirmed by any deployment record" in n for n in found.notes)
    assert found.issuers.address == registry.issuers.address  # read on chain
    (verdict,) = verify_many(found, holders[:1])
    assert verdict.valid and verdict.registry_confirmed is False
    assert verdict.to_json()["registry_version"] == 1


def test_with_records_the_version_holding_the_address_answers(registry, chain, actors, tmp_path):
    holders = _holders(registry, chain, actors.issuer)
    folder = tmp_path / chain.name
    _records(folder, registry, version_dirs=[(1, "0x" + "11" * 20), (2, "0x" + "22" * 20)])
    assert current_version_of(folder) == 3
    found = open_registry(holders[0], chain, _net(chain), folder=folder)
    assert (found.confirmed, found.version) == (True, 3)
    assert any("says registry version 1" in n for n in found.notes)  # the file claimed 1
    (verdict,) = verify_many(found, holders[:1])
    assert verdict.registry_version == 3 and verdict.valid


def test_an_address_outside_the_records_is_unknown_never_checked_elsewhere(
    registry, chain, actors, tmp_path
):
    holder = _holders(registry, chain, actors.issuer)[0]
    folder = tmp_path / chain.name
    _records(folder, registry)
    stranger = HolderFile(holder.document, "0x" + "ab" * 20, chain.name, holder.merkle_root,
                          holder.proof, chain_id=chain.chain_id, registry_version=1)  # fmt: skip
    with pytest.raises(UnknownRegistry, match="not a recorded deployment"):
        open_registry(stranger, chain, _net(chain), folder=folder)
    with pytest.raises(UnknownRegistry, match="no contract at"):
        open_registry(stranger, chain, _net(chain))
    with pytest.raises(UnknownRegistry, match="given with --registry"):
        open_registry(holder, chain, _net(chain), pinned="0x" + "cd" * 20)
    pinned = open_registry(holder, chain, _net(chain), pinned=holder.contract.lower())
    assert pinned.confirmed is True


def test_the_nodes_chain_id_must_be_the_files(registry, chain, actors, tmp_path):
    holder = _holders(registry, chain, actors.issuer)[0]
    other = HolderFile(holder.document, holder.contract, chain.name, holder.merkle_root,
                       holder.proof, chain_id=chain.chain_id + 1, registry_version=1)  # fmt: skip
    with pytest.raises(WrongNetwork, match=f"reports chain id {chain.chain_id}"):
        open_registry(other, chain, _net(chain))
    with pytest.raises(WrongNetwork, match="in the project's config"):
        open_registry(holder, chain, _net(chain, chain_id=chain.chain_id + 1))
    folder = tmp_path / chain.name
    _records(folder, registry)
    (folder / ".chainId").write_text(f"{chain.chain_id + 1}\n")
    with pytest.raises(WrongNetwork, match="records are on chain id"):
        open_registry(holder, chain, _net(chain), folder=folder)


def test_a_v1_file_takes_the_nodes_chain_id_and_says_so(registry, chain, actors):
    holder = _holders(registry, chain, actors.issuer)[0]
    v1 = HolderFile(holder.document, holder.contract, chain.name, holder.merkle_root, holder.proof)
    found = open_registry(v1, chain, _net(chain))
    assert found.version is None
    assert any("format /1) names no chain id" in n for n in found.notes)


def test_batched_and_one_by_one_verdicts_agree(registry, chain, actors):
    holders = _holders(registry, chain, actors.issuer, n=5)
    registry.credentials.revokeLeaf(actors.issuer, holders[2].merkle_root,
                                    holders[2].credential_hash, list(holders[2].proof), 4,
                                    sender=actors.issuer)  # fmt: skip
    found = open_registry(holders[0], chain, _net(chain))
    one = verify_many(found, holders, batch=1)
    many = verify_many(found, holders, batch=2)
    assert [v.to_json() for v in one] == [v.to_json() for v in many]
    assert [v.status for v in one] == [S.VALID, S.VALID, S.REVOKED, S.VALID, S.VALID]
    assert list(found.names) == [actors.issuer.address]  # the issuer's name asked once
    with pytest.raises(ValueError, match="batch must be at least 1"):
        verify_many(found, holders, batch=0)
