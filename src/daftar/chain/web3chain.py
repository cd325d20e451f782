"""Backends reached through web3.py: eth-tester, anvil, any JSON-RPC node.

Kept as fast as web3.py allows, so the embedded chain is compared with a fair peer: chain
id read once, nonces tracked locally for keys daftar signs with, receipts polled every
2 ms (web3's default 0.1 s would make a local node look ten times slower).
"""

from __future__ import annotations

import contextlib
import time as _time
from typing import Any

from eth_utils import to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError, TimeExhausted, Web3RPCError

from daftar.chain.base import Account, Chain, Log, Receipt, Reverted
from daftar.errors import DaftarError, NetworkError

POLL_SECONDS = 0.002


def with_headroom(estimate: int) -> int:
    """A gas limit above the node's estimate; only the gas used is paid for.

    An estimate is exact for the state and block it ran on, but the mined block may differ:
    writing `block.timestamp` over an equal value costs 100 gas, over another 2,900, so a
    transaction estimated in the same second as the last write would run out of gas.
    """
    return estimate * 5 // 4 + 10_000


def _hex_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    text = str(value)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


class Web3Chain(Chain):
    """Common transaction, call and state logic over a `Web3` instance."""

    def __init__(self, name: str, w3: Web3, accounts: list[Account], unlocked: set[str]) -> None:
        self.name = name
        self.w3 = w3
        # web3's default middleware re-reads the chain id around every request and fetches
        # the latest block on every send: three round trips per transaction that daftar
        # does not need (it checks the chain id once, and sets fees itself).
        for middleware in ("validation", "gas_price_strategy", "ens_name_to_address"):
            with contextlib.suppress(ValueError):
                w3.middleware_onion.remove(middleware)
        self.chain_id = w3.eth.chain_id
        self.accounts = accounts
        self._unlocked = {a.lower() for a in unlocked}
        self._nonces: dict[str, int] = {}
        self._offset = 0
        self.receipt_timeout = 120.0

    # -- sending -----------------------------------------------------------------------
    def _tx(self, sender: Account | str, to: str | None, data: bytes, value: int) -> dict[str, Any]:
        tx: dict[str, Any] = {"from": self.address_of(sender), "data": data, "value": value}
        if to is not None:
            tx["to"] = to
        return tx

    def _send(
        self, sender: Account | str, to: str | None, data: bytes, value: int, gas: int | None
    ) -> Receipt:
        tx = self._tx(sender, to, data, value)
        tx["gas"] = (
            gas if gas is not None else with_headroom(self.estimate_gas(to, data, sender, value))
        )
        frm = tx["from"]
        if frm.lower() in self._unlocked:
            tx_hash = self._rpc(self.w3.eth.send_transaction, tx)
        elif isinstance(sender, Account) and sender.key is not None:
            tx_hash = self._send_signed(tx, sender)
        else:
            raise DaftarError(
                f"{self.name}: cannot send from {frm}: the node does not hold its key and "
                "daftar has none loaded (see `daftar accounts`)"
            )
        receipt = self._wait(tx_hash)
        if receipt.status == 0:
            raise self._explain_failure(tx, receipt)
        return receipt

    def _send_signed(self, tx: dict[str, Any], sender: Account) -> Any:
        from eth_account import Account as EthAccount

        key = sender.address.lower()
        if key not in self._nonces:
            self._nonces[key] = self.w3.eth.get_transaction_count(sender.address, "pending")
        tx = dict(tx, nonce=self._nonces[key], chainId=self.chain_id, **self.fees())
        signed = EthAccount.sign_transaction(tx, sender.key)
        try:
            tx_hash = self._rpc(self.w3.eth.send_raw_transaction, signed.raw_transaction)
        except NetworkError:
            self._nonces.pop(key, None)
            raise
        self._nonces[key] += 1
        return tx_hash

    def fees(self) -> dict[str, int]:
        """EIP-1559 fees from the node: tip from eth_maxPriorityFeePerGas, 2× base fee headroom."""
        base = self.w3.eth.get_block("latest").get("baseFeePerGas") or 0
        try:
            tip = self.w3.eth.max_priority_fee
        except Exception:
            tip = 10**9
        return {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}

    def _wait(self, tx_hash: Any) -> Receipt:
        try:
            raw = self.w3.eth.wait_for_transaction_receipt(
                tx_hash, timeout=self.receipt_timeout, poll_latency=POLL_SECONDS
            )
        except TimeExhausted:
            raise NetworkError(
                f"{self.name}: transaction {Web3.to_hex(tx_hash)} was not mined within "
                f"{self.receipt_timeout:.0f}s; it may still be pending"
            ) from None
        return self._receipt(raw)

    @staticmethod
    def _receipt(raw: Any) -> Receipt:
        logs = [
            Log(
                to_checksum_address(lg["address"]),
                tuple(bytes(t) for t in lg["topics"]),
                bytes(lg["data"]),
            )
            for lg in raw["logs"]
        ]
        created = raw.get("contractAddress")
        return Receipt(
            tx_hash=Web3.to_hex(raw["transactionHash"]),
            sender=to_checksum_address(raw["from"]),
            to=to_checksum_address(raw["to"]) if raw.get("to") else None,
            status=int(raw["status"]),
            gas_used=int(raw["gasUsed"]),
            block_number=int(raw["blockNumber"]),
            logs=logs,
            contract_address=to_checksum_address(created) if created else None,
        )

    def _explain_failure(self, tx: dict[str, Any], receipt: Receipt) -> Reverted:
        """A mined transaction failed: replay it on the parent block to learn why."""
        call = {k: v for k, v in tx.items() if k in ("from", "to", "data", "value", "gas")}
        try:
            self._rpc(self.w3.eth.call, call, receipt.block_number - 1)
            exc = Reverted(b"", receipt.gas_used, receipt.tx_hash, reason="failed (out of gas?)")
        except Reverted as rev:
            exc = rev
            exc.gas_used, exc.tx_hash = receipt.gas_used, receipt.tx_hash
        except ContractLogicError as err:
            exc = Reverted(_hex_bytes(err.data), receipt.gas_used, receipt.tx_hash)
        return exc

    def _rpc(self, fn: Any, *args: Any) -> Any:
        """Call web3, turning reverts into `Reverted` and transport failures into NetworkError."""
        try:
            return fn(*args)
        except ContractLogicError as err:
            raise Reverted(_hex_bytes(err.data), reason=None if err.data else str(err)) from None
        except (ConnectionError, OSError) as err:
            raise NetworkError(f"{self.name}: the node did not answer ({err})") from None
        except Web3RPCError as err:
            # web3 7+ raises this for a JSON-RPC error answer (nonce too low, no funds, ...).
            payload = (err.rpc_response or {}).get("error") or {"message": str(err)}
            raise self._node_error(payload) from None
        except ValueError as err:
            raise self._node_error(err.args[0] if err.args else str(err)) from None
        except Exception as err:
            translated = self._translate(err)
            if translated is None:
                raise
            raise translated from None

    def _translate(self, err: Exception) -> Exception | None:
        """Backend hook: a daftar error for an exception web3 did not translate."""
        return None

    def _node_error(self, payload: Any) -> Exception:
        """A node's error answer: a revert (with its data) or a refusal in its own words."""
        if isinstance(payload, dict):
            data = payload.get("data")
            message = str(payload.get("message", ""))
            if "revert" in message.lower() or data:
                blob = data.get("data") if isinstance(data, dict) else data
                return Reverted(
                    _hex_bytes(blob) if isinstance(blob, str) else b"", reason=message or None
                )
            return NetworkError(f"{self.name}: the node refused the request: {message}")
        return NetworkError(f"{self.name}: {payload}")

    # -- the Chain interface ------------------------------------------------------------
    def deploy(
        self, initcode: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        return self._send(sender, None, initcode, value, gas)

    def transact(
        self, to: str, data: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        return self._send(sender, to, data, value, gas)

    def call(self, to: str, data: bytes, sender: str | None = None, value: int = 0) -> bytes:
        tx: dict[str, Any] = {"to": to, "data": data}
        if sender:
            tx["from"] = sender
        if value:
            tx["value"] = value
        return bytes(self._rpc(self.w3.eth.call, tx))

    def estimate_gas(
        self, to: str | None, data: bytes, sender: Account | str, value: int = 0
    ) -> int:
        return int(self._rpc(self.w3.eth.estimate_gas, self._tx(sender, to, data, value)))

    def balance(self, address: str) -> int:
        return int(self._rpc(self.w3.eth.get_balance, address))

    def code(self, address: str) -> bytes:
        return bytes(self._rpc(self.w3.eth.get_code, address))

    def nonce(self, address: str) -> int:
        return int(self._rpc(self.w3.eth.get_transaction_count, address))

    def block_number(self) -> int:
        return int(self._rpc(lambda: self.w3.eth.block_number))

    def latest_timestamp(self) -> int:
        return int(self._rpc(self.w3.eth.get_block, "latest")["timestamp"])

    def time(self) -> int:
        return max(self.latest_timestamp(), int(_time.time()) + self._offset)

    def request(self, method: str, params: list[Any]) -> Any:
        """A raw JSON-RPC call (dev-node methods such as evm_snapshot)."""
        response = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        if response.get("error"):
            raise NetworkError(f"{self.name}: {method} failed: {response['error'].get('message')}")
        return response.get("result")

    # Dev-node methods (anvil, and any node that speaks Hardhat/anvil's evm_* set).
    def sleep(self, seconds: int) -> None:
        self.request("evm_increaseTime", [int(seconds)])
        self._offset += int(seconds)

    def mine(self, blocks: int = 1, timestamp: int | None = None) -> None:
        for i in range(blocks):
            if i == 0 and timestamp is not None:
                self._offset = int(timestamp) - int(_time.time())
                self.request("evm_mine", [int(timestamp)])
            else:
                self.request("evm_mine", [])

    def snapshot(self) -> Any:
        return (self.request("evm_snapshot", []), self._offset)

    def revert(self, snapshot_id: Any) -> None:
        sid, self._offset = snapshot_id
        self._nonces.clear()
        if not self.request("evm_revert", [sid]):
            raise NetworkError(f"{self.name}: snapshot {sid} is unknown to the node")

    def set_balance(self, address: str, wei: int) -> None:
        self.request("anvil_setBalance", [address, hex(wei)])
