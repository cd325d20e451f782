"""daftar.keys.hd against eth_account's HD wallet (an independent BIP-32/39 implementation)."""

from __future__ import annotations

import pytest
from eth_account import Account as EthAccount
from eth_account.hdaccount.mnemonic import Mnemonic
from hypothesis import given, settings
from hypothesis import strategies as st

from daftar.keys import hd
from daftar.keys.account import DEV_MNEMONIC, dev_accounts

EthAccount.enable_unaudited_hdwallet_features()


def _eth_account(mnemonic: str, path: str, passphrase: str = "") -> EthAccount:
    return EthAccount.from_mnemonic(mnemonic, passphrase=passphrase, account_path=path)


def test_dev_accounts_are_eth_accounts_derivation():
    ours = dev_accounts(20)
    for i, acct in enumerate(ours):
        theirs = _eth_account(DEV_MNEMONIC, f"m/44'/60'/0'/0/{i}")
        assert acct.address == theirs.address
        assert acct.key == bytes(theirs.key)
    # anvil's and Hardhat's documented first and last (of ten) dev addresses
    assert ours[0].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert ours[9].address == "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"


_step = st.tuples(st.integers(0, 2**31 - 1), st.booleans()).map(
    lambda t: f"{t[0]}{chr(39) if t[1] else ''}"
)


@settings(max_examples=40, deadline=None)
@given(
    entropy=st.sampled_from([16, 20, 24, 28, 32]).flatmap(
        lambda n: st.binary(min_size=n, max_size=n)
    ),
    steps=st.lists(_step, min_size=0, max_size=6),
    passphrase=st.sampled_from(["", "TREZOR", "pässwörd"]),
)
def test_any_mnemonic_and_path_match_eth_account(entropy, steps, passphrase):
    """Invariant: for every valid mnemonic, passphrase and path (hardened or not, any depth),
    derive() gives the key and address eth_account's from_mnemonic gives."""
    mnemonic = Mnemonic().to_mnemonic(entropy)
    path = "/".join(["m", *steps])
    theirs = _eth_account(mnemonic, path, passphrase)
    key = hd.derive(mnemonic, path, passphrase)
    assert key == bytes(theirs.key)
    assert hd.address(key) == theirs.address


@pytest.mark.parametrize("bad", ["44'/60'", "m/x", "m/-1", f"m/{2**31}", "m//0"])
def test_bad_paths_are_refused(bad):
    with pytest.raises(ValueError, match="derivation path"):
        hd.parse_path(bad)


def test_path_spellings():
    assert hd.parse_path("m") == []
    assert hd.parse_path("m/44'/60H/0h/7") == [44 + hd.HARDENED, 60 + hd.HARDENED, hd.HARDENED, 7]
