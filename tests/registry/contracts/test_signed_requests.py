"""Signed request files (`daftar-signed-request/1`) against the real CredentialRegistry.

One account (the accredited issuer) signs; the request goes through a file (written and
read back); another account (the relayer) submits `request.arguments()` to
`request.function`. The contract is the independent judge: it accepts the signature only
if the file's typed data is exactly what its own type hashes and domain expect.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daftar.keys import sign_typed_data
from daftar_registry import MerkleTree
from daftar_registry.errors import InputError
from daftar_registry.formats.requests import (
    ACTIONS,
    REQUEST_FORMAT,
    new_request,
    read_request,
    write_request,
)
from daftar_registry.formats.signing import (
    domain_of,
    issue_batch_typed_data,
    issue_typed_data,
    revoke_typed_data,
)
from daftar_registry.status import CredentialStatus, Revoker


def h32(label: str) -> bytes:
    from daftar.util.hashing import keccak256

    return keccak256(label.encode())


def _request(credentials: Any, chain: Any, signer: Any, action: str, **values: Any) -> Any:
    """A request of `action` signed by `signer` with its current nonce."""
    domain = domain_of(credentials)
    nonce, deadline = credentials.nonces(signer.address), chain.time() + 3_600
    key = signer.address
    if action == "issue":
        typed = issue_typed_data(domain, key, values["h"], 0, nonce, deadline)
    elif action == "issueBatch":
        typed = issue_batch_typed_data(
            domain, key, values["root"], 2, 0, "ipfs://b", nonce, deadline
        )
    else:
        kwargs = {k: v for k, v in (("credential_hash", values.get("h")),
                                    ("merkle_root", values.get("root"))) if v is not None}  # fmt: skip
        typed = revoke_typed_data(domain, key, key, values["reason"], nonce, deadline, **kwargs)
    return new_request(
        action, network=chain.name, organisation=key, domain=domain, message=typed["message"],
        signature=sign_typed_data(signer, typed), proof=tuple(values.get("proof", ())),
    )  # fmt: skip


def _relay(credentials: Any, request: Any, tmp: Path, relayer: Any) -> Any:
    """Through a file and back, then submitted by the relayer."""
    path = tmp / f"{request.action}.request.json"
    write_request(path, request)
    again = read_request(path)
    assert again == request
    return getattr(credentials, again.function)(*again.arguments(), sender=relayer)


def test_every_action_is_accepted_by_the_contract(credentials, actors, chain, tmp_path):
    issuer, relayer = actors.issuer, actors.relayer
    single, (a, b) = h32("single"), (h32("leaf-a"), h32("leaf-b"))
    tree = MerkleTree([a, b])

    rc = _relay(credentials, _request(credentials, chain, issuer, "issue", h=single), tmp_path,
                relayer)  # fmt: skip
    assert rc.event("CredentialIssued").signer == issuer.address
    rc = _relay(credentials, _request(credentials, chain, issuer, "issueBatch", root=tree.root),
                tmp_path, relayer)  # fmt: skip
    assert rc.event("BatchIssued").merkleRoot == tree.root
    assert credentials.verifyLeaf(issuer, tree.root, a, tree.proof(a)).status == 1

    revoke = _request(credentials, chain, issuer, "revoke", h=single, reason=11)
    _relay(credentials, revoke, tmp_path, relayer)
    v = credentials.verify(issuer, single)
    assert (v.status, v.reasonCode, v.revokedBy) == (CredentialStatus.REVOKED, 11, Revoker.ISSUER)

    leaf = _request(credentials, chain, issuer, "revokeLeaf", h=a, root=tree.root, reason=12,
                    proof=tree.proof(a))  # fmt: skip
    _relay(credentials, leaf, tmp_path, relayer)
    assert credentials.verifyLeaf(issuer, tree.root, a, tree.proof(a)).reasonCode == 12
    assert credentials.verifyLeaf(issuer, tree.root, b, tree.proof(b)).status == 1

    batch = _request(credentials, chain, issuer, "revokeBatch", root=tree.root, reason=13)
    _relay(credentials, batch, tmp_path, relayer)
    assert credentials.verifyLeaf(issuer, tree.root, b, tree.proof(b)).reasonCode == 13
    assert credentials.nonces(issuer) == 5  # each request spent exactly one nonce


def test_file_holds_no_secret_and_names_its_format(credentials, actors, chain, tmp_path):
    request = _request(credentials, chain, actors.issuer, "issue", h=h32("x"))
    path = tmp_path / "r.json"
    write_request(path, request)
    data = json.loads(path.read_text())
    assert data["format"] == REQUEST_FORMAT and data["action"] == "issue"
    assert set(data["message"]) == set(ACTIONS["issue"][1])
    key = actors.issuer.key
    assert key is not None and key.hex() not in path.read_text()


_TAMPER = st.sampled_from(
    [("message", "reasonCode"), ("message", "nonce"), ("message", "deadline"),
     ("message", "credentialHash"), ("message", "issuer"), ("domain", "chainId"),
     ("domain", "verifyingContract"), ("domain", "version")]
)  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=_TAMPER, seed=st.integers(min_value=1, max_value=2**16 - 1))
def test_any_altered_field_is_refused(credentials, actors, chain, tmp_path, where, seed):
    """Invariant: changing any one signed value of a request file (a message field or a
    domain field) to any other valid value makes reading it fail with "altered after
    signing", so a relayer can never submit values the signer did not sign."""
    request = _request(credentials, chain, actors.issuer, "revoke", h=h32("t"), reason=1)
    data = request.to_json()
    part, name = where
    old = data[part][name]
    if isinstance(old, int):
        new: Any = old ^ seed
    elif name == "version":
        new = f"{old}.{seed}"
    else:
        raw = bytearray(bytes.fromhex(old[2:]))
        raw[seed % len(raw)] ^= 1 + seed % 255
        new = "0x" + raw.hex()
    data[part][name] = new
    path = tmp_path / f"t{seed}.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="altered after signing"):
        read_request(path)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d.update(format="daftar-holder/2"), "is not a signed request"),
        (lambda d: d.update(action="mint"), "action 'mint' is not one of"),
        (lambda d: d["message"].pop("deadline"), "must have exactly"),
        (lambda d: d["message"].update(extra=1), "must have exactly"),
        (lambda d: d["message"].update(reasonCode=70_000), "reasonCode must be an integer"),
        (lambda d: d["message"].update(nonce=True), "nonce must be an integer"),
        (lambda d: d["message"].update(credentialHash="0x12"), "credentialHash must be 0x"),
        (lambda d: d["message"].update(issuer="0xnothex"), "is not an address"),
        (lambda d: d.update(signature="0x" + "00" * 64), "signature must be 0x and 65 bytes"),
        (lambda d: d.pop("organisation"), "'organisation' is missing"),
        (lambda d: d["domain"].pop("name"), "'domain' must have exactly"),
    ],
)
def test_malformed_files_are_refused_with_the_field_named(
    credentials, actors, chain, tmp_path, change, needle
):
    data = _request(credentials, chain, actors.issuer, "revoke", h=h32("m"), reason=1).to_json()
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=needle) as err:
        read_request(path)
    assert str(path) in str(err.value)
