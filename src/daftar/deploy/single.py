"""One transaction from a command line, in the order a user can act on.

    funds checked → signed → broadcast (the node accepted it: `on_sent(hash)`) → mined

`send_and_wait` checks the balance covers the gas limit at the max fee before signing,
reports the hash (with its explorer link, by the caller) the moment the node accepts the
transaction, and then waits. Its errors say which of these happened:

- `NotSent`: nothing reached the node (would revert, insufficient funds, node refused);
- `Dropped`: the node accepted it but no longer knows it, and its nonce is free;
- `StillPending`: accepted, not mined within the wait; it may still be mined.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from daftar.chain.base import Account, Chain, NodeRefused, Receipt
from daftar.errors import DaftarError, NetworkError


class NotSent(DaftarError):
    """Nothing reached the chain: the transaction was refused before or at broadcast."""


class Dropped(NetworkError):
    """The node accepted the transaction, then dropped it; it will not be mined."""

    def __init__(self, message: str, tx_hash: str) -> None:
        super().__init__(message)
        self.tx_hash = tx_hash


class StillPending(NetworkError):
    """Accepted but not mined in time: it may still be mined (check, don't resend)."""

    def __init__(self, message: str, tx_hash: str) -> None:
        super().__init__(message)
        self.tx_hash = tx_hash


def _eth(wei: int) -> str:
    return f"{wei / 10**18:.6f}"


def send_and_wait(
    chain: Chain,
    signer: Account,
    to: str | None,
    data: bytes,
    *,
    gas: int,
    on_sent: Callable[[str], None] | None = None,
    value: int = 0,
    timeout: float = 300.0,
    poll: float = 0.5,
    dropped_after: float = 15.0,
) -> Receipt:
    """Sign `data` to `to` with `signer`'s key, broadcast, wait for the receipt.

    `gas` is the limit (the caller estimated it: a revert is its error to explain).
    """
    from eth_account import Account as EthAccount

    if signer.key is None:
        raise NotSent(f"no key loaded for {signer.address}: nothing can be signed")
    fees = chain.fees()
    max_fee = 2 * fees.base_fee + fees.priority_fee
    need = gas * max_fee + value
    balance = chain.balance(signer.address)
    if balance < need:
        raise NotSent(
            f"insufficient funds: the transaction needs up to {_eth(need)} ETH (gas {gas:,} × "
            f"max fee {max_fee / 1e9:.3f} gwei), {signer.address} has {_eth(balance)} ETH on "
            f"{chain.name}. Nothing was sent; fund it and retry."
        )
    nonce = chain.pending_nonce(signer.address)
    tx: dict[str, Any] = {
        "type": 2,
        "chainId": chain.chain_id,
        "nonce": nonce,
        "gas": gas,
        "maxFeePerGas": max_fee,
        "maxPriorityFeePerGas": fees.priority_fee,
        "value": value,
        "data": data,
    }
    if to is not None:
        tx["to"] = to
    signed = EthAccount.sign_transaction(tx, signer.key)
    tx_hash = "0x" + bytes(signed.hash).hex()
    try:
        chain.send_raw_transaction(bytes(signed.raw_transaction))
    except NodeRefused as exc:
        raise NotSent(
            f"{chain.name}: the node refused the transaction: {exc.message[:300]}. Nothing "
            "was sent."
        ) from None
    if on_sent is not None:
        on_sent(tx_hash)
    start = time.monotonic()
    unknown_since: float | None = None
    while True:
        receipt = chain.receipt(tx_hash)
        if receipt is not None:
            return receipt
        now = time.monotonic()
        if chain.transaction(tx_hash) is None and chain.nonce(signer.address) <= nonce:
            unknown_since = unknown_since or now
            if now - unknown_since >= dropped_after:
                raise Dropped(
                    f"{chain.name}: the node dropped transaction {tx_hash} (nonce {nonce} is "
                    "still free): it will not be mined. Nothing changed on chain; retry.",
                    tx_hash,
                )
        else:
            unknown_since = None
        if now - start > timeout:
            raise StillPending(
                f"{chain.name}: transaction {tx_hash} is not mined after {timeout:.0f}s. It "
                "may still be mined: check it on the explorer before sending it again.",
                tx_hash,
            )
        time.sleep(poll)
