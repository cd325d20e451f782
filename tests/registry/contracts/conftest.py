"""Fixtures shared by the contract tests (the registry itself: tests/registry/conftest.py)."""

from __future__ import annotations

import pytest
from eth_account import Account as EthAccount
from eth_utils import keccak

from daftar.chain.base import Account


@pytest.fixture
def signer(issuers, actors):
    """An accredited issuer that signs offline and never sends a transaction itself.

    A fresh key rather than a dev account: on the revm backend an account that has sent a
    transaction gets a 1-byte code (see test_issue_with_sig_after_signer_transacted), which
    would send SignatureChecker down the EIP-1271 path.
    """
    key = keccak(text="daftar tests: offline signing issuer")
    acct = Account(EthAccount.from_key(key).address, key)
    issuers.accredit(acct, "Offline Issuer", "", 0, 0, sender=actors.office)
    return acct
