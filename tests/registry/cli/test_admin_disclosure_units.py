"""The pure parts under `daftar admin` and `credential disclose`: refusal words, disclosure files.

No chain: reverts are built from their ABI encoding, credentials with fixed salts.
"""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak

from daftar.chain.base import Reverted
from daftar.contract.errors import ErrorRegistry
from daftar.keys import dev_accounts
from daftar_registry.formats.credentials import (
    DisclosureFile,
    HolderFile,
    TamperedCredential,
    build_credential,
)
from daftar_registry.formats.merkle import MerkleTree
from daftar_registry.refusals import Refused, explain_refusal

ISSUER = dev_accounts()[3].address


def _refusal(name: str, inputs: list[tuple[str, str]], values: list, where: str) -> str:
    errors = ErrorRegistry()
    abi = [{"name": n, "type": t} for n, t in inputs]
    errors.add_abi([{"type": "error", "name": name, "inputs": abi}])
    types = [t for _n, t in inputs]
    data = keccak(text=f"{name}({','.join(types)})")[:4] + encode(types, values)
    refused = explain_refusal(errors.explain(Reverted(data), where))
    assert isinstance(refused, Refused), refused
    return str(refused)


def test_admin_refusal_words():
    words = _refusal("AccessControlEnforcedDefaultAdminDelay", [("schedule", "uint48")],
                     [1798761600], "IssuerRegistry.acceptDefaultAdminTransfer")  # fmt: skip
    assert "IssuerRegistry can be accepted only after 2027-01-01T00:00:00Z" in words
    words = _refusal("AccessControlEnforcedDefaultAdminDelay", [("schedule", "uint48")], [0],
                     "PilotRegistry.acceptDefaultAdminTransfer")  # fmt: skip
    assert "no admin transfer is scheduled on PilotRegistry" in words
    assert "two-step transfer" in _refusal(
        "AccessControlEnforcedDefaultAdminRules", [], [], "PilotRegistry.grantRole"
    )
    assert _refusal("ExpectedPause", [], [], "CredentialRegistry.unpause") == (
        "CredentialRegistry is not paused; there is nothing to unpause"
    )
    words = _refusal("AccessControlUnauthorizedAccount",
                     [("account", "address"), ("neededRole", "bytes32")], [ISSUER, bytes(32)],
                     "IssuerRegistry.grantRole")  # fmt: skip
    assert words.startswith(f"account {ISSUER} is not the admin of IssuerRegistry")


def _holder() -> HolderFile:
    fields = {"name": "Aisyah", "degree": "BSc", "ic": "900101-14-5678"}
    salts = {n: bytes([i + 1]) * 32 for i, n in enumerate(fields)}
    doc = build_credential(fields, ISSUER, "localhost", salts=salts)
    other = build_credential({"name": "Boon"}, ISSUER, "localhost")
    tree = MerkleTree([doc.credential_hash, other.credential_hash])
    return HolderFile(doc, ISSUER, "localhost", tree.root, tree.proof(doc.credential_hash))


def test_disclosure_file_round_trip_hides_the_rest():
    holder = _holder()
    found = DisclosureFile.from_holder(holder, ["name", "degree"])
    data = found.to_json()
    text = str(data)
    assert "900101-14-5678" not in text and (bytes([3]) * 32).hex() not in text
    again = DisclosureFile.from_json(data)
    assert again.check() == {"name": "Aisyah", "degree": "BSc"}
    assert again.credential_hash == holder.credential_hash and again.issuer == ISSUER
    with pytest.raises(KeyError, match="age"):
        DisclosureFile.from_holder(holder, ["age"])


def test_disclosure_file_tampering_is_caught():
    data = DisclosureFile.from_holder(_holder(), ["degree"]).to_json()
    for change, message in (
        (lambda d: d["revealed"]["degree"].update(value="PhD"), "does not match"),
        (lambda d: d["salted"].update(expiresAt=1), "does not hash"),
        (lambda d: d.update(merkleProof=["0x" + "11" * 32]), "Merkle proof"),
        (lambda d: d.update(credentialHash="0x" + "22" * 32), "does not hash"),
    ):
        forged = {**data, "revealed": {k: dict(v) for k, v in data["revealed"].items()},
                  "salted": dict(data["salted"])}  # fmt: skip
        change(forged)
        with pytest.raises(TamperedCredential, match=message):
            DisclosureFile.from_json(forged)
