"""Accounts: the well-known local dev accounts, and keys loaded for live networks.

Dev accounts come from the public test mnemonic anvil and Hardhat use, so every local
backend (revm, eth-tester, anvil) has the same ten funded addresses with the same keys:
a test that signs EIP-712 data passes everywhere. Their keys are public; no real key is
ever printed, logged or written in clear.
"""

from __future__ import annotations

from functools import cache

from daftar.chain.base import Account

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_COUNT = 10
DEV_BALANCE = 10_000 * 10**18


@cache
def dev_accounts(count: int = DEV_COUNT) -> tuple[Account, ...]:
    """The first `count` accounts of the dev mnemonic (m/44'/60'/0'/0/i)."""
    from eth_account import Account as EthAccount

    EthAccount.enable_unaudited_hdwallet_features()
    found = []
    for i in range(count):
        acct = EthAccount.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}")
        found.append(Account(acct.address, bytes(acct.key)))
    return tuple(found)


def sign_typed_data(account: Account, typed_data: dict) -> bytes:
    """EIP-712 signature (65 bytes r‖s‖v) by an account whose key daftar holds."""
    from eth_account import Account as EthAccount
    from eth_account.messages import encode_typed_data

    if account.key is None:
        raise ValueError(f"daftar holds no key for {account.address}; it cannot sign")
    signed = EthAccount.sign_message(encode_typed_data(full_message=typed_data), account.key)
    return bytes(signed.signature)
