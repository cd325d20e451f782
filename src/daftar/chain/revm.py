"""The embedded chain: revm (pyrevm) in this process, no JSON-RPC, no web3.

This is where daftar's speed comes from: a transaction is one Rust call plus ABI
encoding. Semantics follow anvil's automine: every successful transaction is mined in a
block of its own, the clock follows the wall clock plus any `sleep`, a reverting
transaction raises `Reverted` and leaves no trace (as when gas estimation fails on a
node). Gas is metered but costs nothing (gas price 0, base fee 0), so balances move only
by value. Signed raw transactions (EIP-2718 typed ones, as daftar signs) are accepted too:
checked for chain id and nonce like a node would, mined at once; one that reverts is mined
as failed (status 0), since a signed transaction's gas is already fixed. Every transaction
can be looked up by hash until a snapshot before it is reverted.

Known limit: pyrevm keeps one journal across transactions (that is what makes snapshots
cheap), so accounts and slots touched by an earlier transaction stay *warm*: gas_used here
can be lower than on a node by the EIP-2929 cold-access surcharges. Gas reports and the gas
bench therefore measure on the reference EVMs (eth-tester, anvil).
"""

from __future__ import annotations

import contextlib
import re
import time as _time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from eth_utils import to_checksum_address
from pyrevm import EVM, AccountInfo, BlockEnv, CfgEnv, Env

from daftar.chain.base import Account, Chain, Fees, Log, NodeRefused, Receipt, Reverted, Transaction
from daftar.keys import DEV_BALANCE, dev_accounts
from daftar.util.hashing import keccak256 as keccak

DEFAULT_GAS = 30_000_000
_EMPTY_CODE_HASH = keccak(b"")
_OUTPUT = re.compile(r"output: 0x([0-9a-fA-F]*)")
_GAS_USED = re.compile(r"gas_used: (\d+)")


@dataclass(frozen=True)
class _Mined:
    """What a lookup by hash needs of a mined transaction (built into a Transaction lazily)."""

    receipt: Receipt
    nonce: int
    data: bytes
    value: int
    gas: int


@dataclass
class _Snapshot:
    checkpoint: Any
    block: int
    offset: int
    last_ts: int
    nonces: dict[str, int]


class RevmChain(Chain):
    backend = "revm"

    def __init__(
        self, name: str = "development", chain_id: int = 1337, spec: str = "PRAGUE"
    ) -> None:
        self.name = name
        self.chain_id = chain_id
        self._block = 0
        self._offset = 0
        self._last_ts = int(_time.time())
        self._senders: set[str] = set()
        self._mined: dict[str, _Mined] = {}  # by tx hash, in block order
        self._evm = EVM(
            env=Env(cfg=CfgEnv(chain_id=chain_id), block=self._block_env(self._last_ts)),
            spec_id=spec,
        )
        self.accounts = list(dev_accounts())
        for acct in self.accounts:
            self._evm.set_balance(acct.address, DEV_BALANCE)

    # -- blocks and time -------------------------------------------------------------------
    def _block_env(self, ts: int) -> BlockEnv:
        return BlockEnv(number=self._block, timestamp=ts, gas_limit=DEFAULT_GAS, basefee=0)

    def _next_block(self, timestamp: int | None = None) -> None:
        ts = timestamp if timestamp is not None else max(self._last_ts, self.time())
        if timestamp is not None:
            self._offset = timestamp - int(_time.time())
        self._block += 1
        self._last_ts = ts
        self._evm.set_block_env(self._block_env(ts))

    @contextlib.contextmanager
    def _new_block(self) -> Iterator[None]:
        """Run a transaction in a new block; if it reverts, the block never happened."""
        block, last_ts = self._block, self._last_ts
        self._next_block()
        try:
            yield
        except Reverted:
            self._block, self._last_ts = block, last_ts
            self._evm.set_block_env(self._block_env(last_ts))
            raise

    def time(self) -> int:
        return max(self._last_ts, int(_time.time()) + self._offset)

    def sleep(self, seconds: int) -> None:
        self._offset += int(seconds)

    def mine(self, blocks: int = 1, timestamp: int | None = None) -> None:
        for i in range(blocks):
            self._next_block(timestamp if i == 0 else None)

    def block_number(self) -> int:
        return self._block

    # -- execution ---------------------------------------------------------------------------
    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RuntimeError as exc:
            raise self._reverted(str(exc)) from None

    @staticmethod
    def _reverted(message: str) -> Reverted:
        out = _OUTPUT.search(message)
        gas = _GAS_USED.search(message)
        data = bytes.fromhex(out.group(1)) if out else b""
        reason = None if out else f"execution halted: {message}"
        return Reverted(data, int(gas.group(1)) if gas else None, reason=reason)

    def _bump_nonce(self, address: str) -> int:
        """pyrevm's message_call does not advance the sender's nonce; a chain would.

        The write goes to pyrevm's database, outside its journal, so a snapshot would not
        undo it; snapshots therefore also record every sender's nonce (see `revert`).
        """
        info = self._evm.basic(address)
        self._senders.add(address)
        self._set_nonce(address, info.nonce + 1, info)
        return info.nonce

    def _set_nonce(self, address: str, nonce: int, info: Any = None) -> None:
        info = info or self._evm.basic(address)
        balance = info.balance
        if info.code_hash == _EMPTY_CODE_HASH:
            # An account without code: pyrevm reports its code as b"\x00" (padding), and
            # passing that back would give the account one byte of code.
            updated = AccountInfo(nonce=nonce)
        else:
            updated = AccountInfo(nonce=nonce, code_hash=info.code_hash, code=info.code)
        self._evm.insert_account_info(address, updated)
        self._evm.set_balance(address, balance)

    def _receipt(
        self,
        sender: str,
        to: str | None,
        nonce: int,
        data: bytes,
        created: str | None,
        value: int = 0,
        gas: int = DEFAULT_GAS,
        tx_hash: str | None = None,
    ) -> Receipt:
        result = self._evm.result
        if tx_hash is None:
            tx_hash = (
                "0x"
                + keccak(
                    self.chain_id.to_bytes(32, "big")
                    + bytes.fromhex(sender[2:])
                    + nonce.to_bytes(32, "big")
                    + data
                ).hex()
            )
        # pyrevm already reports log addresses checksummed.
        logs = [Log(lg.address, tuple(lg.data[0]), lg.data[1]) for lg in result.logs]
        receipt = Receipt(
            tx_hash, sender, to, 1, result.gas_used, self._block, logs, created,
            block_hash=self._block_hash(tx_hash),
        )  # fmt: skip
        self._mined[tx_hash] = _Mined(receipt, nonce, data, value, gas)
        return receipt

    def _block_hash(self, tx_hash: str) -> str:
        """One transaction per block: a block's hash follows from its number and its tx."""
        return "0x" + keccak(self._block.to_bytes(32, "big") + bytes.fromhex(tx_hash[2:])).hex()

    def deploy(
        self, initcode: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        return self._deploy(self.address_of(sender), initcode, value, gas or DEFAULT_GAS)

    def _deploy(
        self, frm: str, initcode: bytes, value: int, gas: int, tx_hash: str | None = None
    ) -> Receipt:
        nonce = self._evm.basic(frm).nonce
        self._senders.add(frm)
        with self._new_block():
            address = self._run(self._evm.deploy, frm, initcode, value=value, gas=gas)
        created = to_checksum_address(address)
        return self._receipt(frm, None, nonce, initcode, created, value, gas, tx_hash)

    def transact(
        self, to: str, data: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        return self._transact(self.address_of(sender), to, data, value, gas or DEFAULT_GAS)

    def _transact(
        self, frm: str, to: str, data: bytes, value: int, gas: int, tx_hash: str | None = None
    ) -> Receipt:
        with self._new_block():
            self._run(self._evm.message_call, frm, to, data, value=value, gas=gas)
        nonce = self._bump_nonce(frm)
        return self._receipt(frm, to, nonce, data, None, value, gas, tx_hash)

    # -- signed transactions, lookups ----------------------------------------------------------
    def send_raw_transaction(self, raw: bytes) -> str:
        tx = self._decode(bytes(raw))
        frm, nonce, to = tx["from"], int(tx["nonce"]), tx.get("to")
        tx_hash = "0x" + keccak(bytes(raw)).hex()
        if tx_hash in self._mined:
            raise NodeRefused(self.name, "already known")
        chain_id = tx.get("chainId")
        if chain_id is not None and int(chain_id) != self.chain_id:
            raise NodeRefused(
                self.name,
                f"invalid chain id: the transaction is for chain {chain_id}, "
                f"this chain is {self.chain_id}",
            )
        expected = self.nonce(frm)
        if nonce != expected:
            word = "low" if nonce < expected else "high"
            raise NodeRefused(
                self.name,
                f"nonce too {word}: next nonce {expected}, tx nonce {nonce} (the embedded "
                "chain mines each transaction at once and keeps none pending)",
            )
        data, value, gas = bytes(tx.get("data") or b""), int(tx.get("value") or 0), int(tx["gas"])
        try:
            if to:
                self._transact(frm, to_checksum_address(to), data, value, gas, tx_hash)
            else:
                self._deploy(frm, data, value, gas, tx_hash)
        except Reverted as exc:
            # Signed with its gas fixed, it is mined as failed, like on a node.
            self._next_block()
            used = exc.gas_used if exc.gas_used is not None else gas
            self._set_nonce(frm, nonce + 1)
            self._senders.add(frm)
            target = to_checksum_address(to) if to else None
            receipt = Receipt(
                tx_hash, frm, target, 0, used, self._block, [],
                block_hash=self._block_hash(tx_hash),
            )  # fmt: skip
            self._mined[tx_hash] = _Mined(receipt, nonce, data, value, gas)
        return tx_hash

    def _decode(self, raw: bytes) -> dict[str, Any]:
        from eth_account import Account as EthAccount
        from eth_account.typed_transactions import TypedTransaction
        from hexbytes import HexBytes

        if not raw or raw[0] >= 0xC0:
            raise NodeRefused(
                self.name, "the embedded chain accepts typed (EIP-2718) transactions only"
            )
        try:
            fields = dict(TypedTransaction.from_bytes(HexBytes(raw)).as_dict())
            fields["from"] = EthAccount.recover_transaction(raw)
        except Exception as exc:
            raise NodeRefused(self.name, f"invalid transaction ({type(exc).__name__})") from None
        return fields

    def transaction(self, tx_hash: str) -> Transaction | None:
        found = self._mined.get(tx_hash.lower())
        if found is None:
            return None
        r = found.receipt
        return Transaction(
            r.tx_hash, r.sender, r.to, found.nonce, found.data, found.value, found.gas,
            r.block_number, 0, 0,
        )  # fmt: skip

    def receipt(self, tx_hash: str) -> Receipt | None:
        found = self._mined.get(tx_hash.lower())
        return None if found is None else found.receipt

    def fees(self) -> Fees:
        return Fees(base_fee=0, priority_fee=0)

    def call(self, to: str, data: bytes, sender: str | None = None, value: int = 0) -> bytes:
        # Like eth_call on a node: a full (not static) execution whose effects are dropped,
        # so calling a state-changing function returns what it would return.
        frm = sender or "0x0000000000000000000000000000000000000000"
        snap = self._evm.snapshot()
        try:
            return bytes(self._run(self._evm.message_call, frm, to, data, value=value))
        finally:
            self._evm.revert(snap)

    def estimate_gas(
        self, to: str | None, data: bytes, sender: Account | str, value: int = 0
    ) -> int:
        snap = self.snapshot()
        try:
            if to is None:
                return self.deploy(data, sender, value).gas_used
            return self.transact(to, data, sender, value).gas_used
        finally:
            self.revert(snap)

    # -- state -----------------------------------------------------------------------------------
    def balance(self, address: str) -> int:
        return self._evm.get_balance(address)

    def set_balance(self, address: str, wei: int) -> None:
        self._evm.set_balance(address, wei)

    def code(self, address: str) -> bytes:
        return bytes(self._evm.get_code(address) or b"")

    def nonce(self, address: str) -> int:
        return self._evm.basic(address).nonce

    def snapshot(self) -> _Snapshot:
        nonces = {a: self._evm.basic(a).nonce for a in self._senders}
        return _Snapshot(self._evm.snapshot(), self._block, self._offset, self._last_ts, nonces)

    def revert(self, snapshot_id: _Snapshot) -> None:
        self._evm.revert(snapshot_id.checkpoint)
        for address in self._senders:
            # A sender first seen after the snapshot had not sent anything before it.
            want = snapshot_id.nonces.get(address, 0)
            if self._evm.basic(address).nonce != want:
                self._set_nonce(address, want)
        while self._mined:  # transactions after the snapshot were never mined
            last = self._mined[next(reversed(self._mined))]
            if last.receipt.block_number <= snapshot_id.block:
                break
            self._mined.popitem()
        self._block, self._offset, self._last_ts = (
            snapshot_id.block,
            snapshot_id.offset,
            snapshot_id.last_ts,
        )
        self._evm.set_block_env(self._block_env(self._last_ts))
