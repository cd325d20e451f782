"""CredentialRegistry passes an issuer registry's revert data on unchanged.

Kills a mutation-testing survivor in `_bubble` (the `returndatacopy` / `revert` that
forwards the failed `issuingOrganisation` call's data). The real IssuerRegistry's
`issuingOrganisation` never reverts, so a stand-in registry does: a minimal contract whose
every call reverts with IssuerRegistry's own `HistoryIndexOutOfRange(issuer, index,
length)`, fully encoded. An issue call must revert with exactly those bytes.
"""

from __future__ import annotations

import pytest
from eth_abi import decode, encode
from eth_utils import keccak

from daftar.chain.base import Reverted

SELECTOR = keccak(text="HistoryIndexOutOfRange(address,uint256,uint256)")[:4]


def stand_in_code(data: bytes, *, revert: bool = True) -> bytes:
    """Init code of a contract whose runtime code reverts with (or returns) `data` on any call."""
    n = len(data).to_bytes(2, "big")
    end = b"\xfd" if revert else b"\xf3"
    # PUSH2 n, PUSH1 14, PUSH1 0, CODECOPY, PUSH2 n, PUSH1 0, REVERT|RETURN, then the data
    runtime = b"\x61" + n + b"\x60\x0e\x60\x00\x39\x61" + n + b"\x60\x00" + end + data
    r = len(runtime).to_bytes(2, "big")
    # PUSH2 r, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN, then the runtime
    return b"\x61" + r + b"\x80\x60\x0c\x60\x00\x39\x60\x00\xf3" + runtime


@pytest.fixture
def forwarded(project, chain, actors):
    """A CredentialRegistry wired to the stand-in, and the revert data the stand-in gives."""
    data = SELECTOR + encode(["address", "uint256", "uint256"], [actors.issuer.address, 7, 3])
    stand_in = chain.deploy(stand_in_code(data), actors.admin).contract_address
    credentials = project.CredentialRegistry.deploy(
        stand_in, 0, actors.admin, sender=actors.admin, chain=chain
    )
    return credentials, data


def test_issue_reverts_with_the_issuer_registrys_error_unchanged(forwarded, actors):
    """The caller sees the registry's custom error and arguments, byte for byte."""
    credentials, data = forwarded
    with pytest.raises(Reverted) as caught:
        credentials.issue(keccak(text="forwarded"), 0, sender=actors.issuer)
    got = bytes(caught.value.data)
    assert got == data
    assert got[:4] == SELECTOR
    issuer, index, length = decode(["address", "uint256", "uint256"], got[4:])
    assert (issuer.lower(), index, length) == (actors.issuer.address.lower(), 7, 3)


def test_issue_batch_reverts_with_the_issuer_registrys_error_unchanged(forwarded, actors):
    """The batch path asks the registry the same way and forwards the same bytes."""
    credentials, data = forwarded
    with pytest.raises(Reverted) as caught:
        credentials.issueBatch(keccak(text="root"), 2, 0, "", sender=actors.issuer)
    assert bytes(caught.value.data) == data
