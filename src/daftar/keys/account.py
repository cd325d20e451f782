"""The `Account` type and the well-known dev accounts: the bottom layer, importing nothing above.

Dev accounts come from the public test mnemonic anvil and Hardhat use, so every local
backend (revm, eth-tester, anvil) has the same ten funded addresses with the same keys:
a test that signs EIP-712 data passes everywhere. Their keys are public; no real key is
ever printed, logged or written in clear.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import cache

from daftar.errors import AccountError


@dataclass(frozen=True)
class Account:
    """An address, and its key where daftar holds one (dev accounts, a loaded deployer).

    The key is never part of repr() or str(): it cannot leak through a log line.
    """

    address: str
    key: bytes | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        return self.address


DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_COUNT = 10
DEV_BALANCE = 10_000 * 10**18


@cache
def dev_accounts(count: int = DEV_COUNT) -> tuple[Account, ...]:
    """The first `count` accounts of the dev mnemonic (m/44'/60'/0'/0/i).

    Derived by `daftar.keys.hd` (the same keys as eth_account's `from_mnemonic`, without
    its import cost: every local chain's start-up needs these).
    """
    from daftar.keys import hd

    found = []
    for i in range(count):
        key = hd.derive(DEV_MNEMONIC, f"m/44'/60'/0'/0/{i}")
        found.append(Account(hd.address(key), key))
    return tuple(found)


def sign_typed_data(account: Account, typed_data: dict) -> bytes:
    """EIP-712 signature (65 bytes r‖s‖v) by an account whose key daftar holds."""
    from eth_account import Account as EthAccount
    from eth_account.messages import encode_typed_data

    if account.key is None:
        raise ValueError(f"daftar holds no key for {account.address}; it cannot sign")
    signed = EthAccount.sign_message(encode_typed_data(full_message=typed_data), account.key)
    return bytes(signed.signature)


def parse_key(text: str, where: str) -> Account:
    """An account from a hex private key; a bad key is an error that does not echo it."""
    from eth_account import Account as EthAccount

    clean = text.strip()
    clean = clean[2:] if clean[:2].lower() == "0x" else clean
    if not re.fullmatch(r"[0-9a-fA-F]{64}", clean):
        raise AccountError(
            f"{where} is not a valid private key: expected 64 hex digits (32 bytes, optional "
            "0x prefix). The value is not shown."
        )
    try:
        acct = EthAccount.from_key(bytes.fromhex(clean))
    except Exception:
        raise AccountError(
            f"{where} is not a valid private key: it is outside the secp256k1 range. "
            "The value is not shown."
        ) from None
    return Account(acct.address, bytes(acct.key))


#: How many accounts of the public test mnemonic count as well-known (Hardhat shows 20).
PUBLIC_TEST_KEYS = 20


@functools.lru_cache(maxsize=1)
def _public_addresses() -> dict[str, int]:
    return {a.address.lower(): i for i, a in enumerate(dev_accounts(PUBLIC_TEST_KEYS))}


def public_test_key_index(address: str) -> int | None:
    """Which account of the public test mnemonic `address` is (everyone has those keys)."""
    return _public_addresses().get(address.lower())


def refuse_public_test_key(address: str, what: str) -> None:
    """Refuse a well-known dev key where real value is at stake (anything but a local chain)."""
    index = public_test_key_index(address)
    if index is not None:
        raise AccountError(
            f"{what} is {address}, dev account {index} of the public test mnemonic (anvil's "
            "and Hardhat's well-known keys): anyone can sign with it, so it is used only on "
            "local chains (chain id 1337/31337). Use a key of your own "
            "(`daftar accounts new NAME`)."
        )
