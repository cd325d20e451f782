"""Backends reached through web3.py: eth-tester, anvil, any JSON-RPC node.

Kept as fast as web3.py allows, so the embedded chain is compared with a fair peer: chain
id read once, nonces tracked locally for keys daftar signs with, receipts polled every
2 ms (web3's default 0.1 s would make a local node look ten times slower).

Every call to the node goes through `_rpc`: retried on transport failures by the chain's
`RetryPolicy` (chain.retry), and translated, so no web3 object or exception leaves this
package: reverts become `Reverted`, a node's error answer `NodeRefused` (with the node's
message), an unreachable node `NodeUnreachable`.
"""

from __future__ import annotations

import contextlib
import time as _time
from typing import Any

from eth_utils import to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError, TimeExhausted, TransactionNotFound, Web3RPCError

from daftar.chain.base import (
    Account,
    Chain,
    Fees,
    Log,
    NodeRefused,
    NodeUnreachable,
    Receipt,
    Reverted,
    Transaction,
)
from daftar.chain.retry import RetryPolicy, http_status
from daftar.errors import DaftarError, NetworkError

POLL_SECONDS = 0.002
DEFAULT_TIP = 10**9  # for nodes without eth_maxPriorityFeePerGas


def with_headroom(estimate: int) -> int:
    """A gas limit above the node's estimate; only the gas used is paid for.

    An estimate is exact for the state and block it ran on, but the mined block may differ:
    writing `block.timestamp` over an equal value costs 100 gas, over another 2,900, so a
    transaction estimated in the same second as the last write would run out of gas.
    """
    return estimate * 5 // 4 + 10_000


def _or_none(lookup: Any) -> Any:
    """A web3 lookup that returns None where web3 raises TransactionNotFound."""

    def find(tx_hash: str) -> Any:
        try:
            return lookup(tx_hash)
        except TransactionNotFound:
            return None

    return find


def _hex_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    text = str(value)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


class Web3Chain(Chain):
    """Common transaction, call and state logic over a `Web3` instance."""

    def __init__(
        self,
        name: str,
        w3: Web3,
        accounts: list[Account],
        unlocked: set[str],
        retry: RetryPolicy | None = None,
        endpoint: str = "",
    ) -> None:
        self.name = name
        self.w3 = w3
        self.retry = retry or RetryPolicy()
        self.endpoint = endpoint  # where the node is, for messages (never with an API key)
        # web3's default middleware re-reads the chain id around every request and fetches
        # the latest block on every send: three round trips per transaction that daftar
        # does not need (it checks the chain id once, and sets fees itself).
        for middleware in ("validation", "gas_price_strategy", "ens_name_to_address"):
            with contextlib.suppress(ValueError):
                w3.middleware_onion.remove(middleware)
        self.chain_id = int(self._rpc("eth_chainId", lambda: w3.eth.chain_id))
        self.accounts = accounts
        self._unlocked = {a.lower() for a in unlocked}
        self._nonces: dict[str, int] = {}
        self._offset = 0
        # Gas is estimated on the latest block, unless time was moved forward without a block
        # (evm_increaseTime): then on the pending one, which carries the new time, as the
        # transaction's own block will (else a time-gated call would fail its estimate).
        self._estimate_on: str | None = None
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
            # Not retried: the node picks the nonce, so a repeat could send a second copy.
            tx_hash = self._rpc("eth_sendTransaction", self.w3.eth.send_transaction, tx, once=True)
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
            self._nonces[key] = self.pending_nonce(sender.address)
        fees = self.fees()
        tx = dict(
            tx,
            nonce=self._nonces[key],
            chainId=self.chain_id,
            maxFeePerGas=2 * fees.base_fee + fees.priority_fee,
            maxPriorityFeePerGas=fees.priority_fee,
        )
        signed = EthAccount.sign_transaction(tx, sender.key)
        try:
            tx_hash = self.send_raw_transaction(bytes(signed.raw_transaction))
        except NetworkError:
            self._nonces.pop(key, None)
            raise
        self._nonces[key] += 1
        return tx_hash

    def _wait(self, tx_hash: Any) -> Receipt:
        def wait() -> Any:
            return self.w3.eth.wait_for_transaction_receipt(
                tx_hash, timeout=self.receipt_timeout, poll_latency=POLL_SECONDS
            )

        try:
            raw = self._rpc("eth_getTransactionReceipt", wait)
        except TimeExhausted:
            shown = tx_hash if isinstance(tx_hash, str) else Web3.to_hex(tx_hash)
            raise NetworkError(
                f"{self.name}: transaction {shown} was not mined within "
                f"{self.receipt_timeout:.0f}s; it may still be pending"
            ) from None
        return self._receipt(raw)

    @staticmethod
    def _transaction(raw: Any) -> Transaction:
        number = raw.get("blockNumber")
        fee_cap, tip = raw.get("maxFeePerGas"), raw.get("maxPriorityFeePerGas")
        return Transaction(
            hash=Web3.to_hex(raw["hash"]),
            sender=to_checksum_address(raw["from"]),
            to=to_checksum_address(raw["to"]) if raw.get("to") else None,
            nonce=int(raw["nonce"]),
            input=bytes(raw.get("input") or b""),
            value=int(raw.get("value") or 0),
            gas=int(raw["gas"]),
            block_number=int(number) if number is not None else None,
            max_fee_per_gas=int(fee_cap) if fee_cap is not None else None,
            max_priority_fee_per_gas=int(tip) if tip is not None else None,
        )

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
            block_hash=Web3.to_hex(raw["blockHash"]) if raw.get("blockHash") else "",
        )

    def _explain_failure(self, tx: dict[str, Any], receipt: Receipt) -> Reverted:
        """A mined transaction failed: replay it on the parent block to learn why."""
        call = {k: v for k, v in tx.items() if k in ("from", "to", "data", "value", "gas")}
        try:
            self._rpc("eth_call", self.w3.eth.call, call, receipt.block_number - 1)
            exc = Reverted(b"", receipt.gas_used, receipt.tx_hash, reason="failed (out of gas?)")
        except Reverted as rev:
            exc = rev
            exc.gas_used, exc.tx_hash = receipt.gas_used, receipt.tx_hash
        except ContractLogicError as err:
            exc = Reverted(_hex_bytes(err.data), receipt.gas_used, receipt.tx_hash)
        return exc

    def _rpc(self, what: str, fn: Any, *args: Any, once: bool = False) -> Any:
        """Call web3 under the retry policy, translating what it raises into daftar errors.

        `what` names the call (the JSON-RPC method) in messages; `once` for calls that
        must not be repeated.
        """
        policy = self.retry.once() if once else self.retry
        try:
            return policy.run(fn, *args, what=what, network=self.name, endpoint=self.endpoint)
        except NodeUnreachable:
            raise
        except ContractLogicError as err:
            raise Reverted(_hex_bytes(err.data), reason=None if err.data else str(err)) from None
        except (ConnectionError, OSError) as err:
            status = http_status(err)
            where = f"the node at {self.endpoint}" if self.endpoint else "the node"
            if status is not None:
                raise NetworkError(
                    f"network '{self.name}': {where} answered {what} with HTTP {status[0]} "
                    f"{status[1]}. Check the RPC URL (and any API key in it)."
                ) from None
            raise NetworkError(
                f"network '{self.name}': {where} did not answer {what} "
                f"({type(err).__name__}). Check the RPC URL and that the node is up."
            ) from None
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
            code = payload.get("code")
            return NodeRefused(self.name, message, code if isinstance(code, int) else None)
        return NodeRefused(self.name, str(payload))

    # -- the Chain interface ------------------------------------------------------------
    def deploy(
        self, initcode: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        return self._traced_send(sender, None, initcode, value, gas)

    def transact(
        self, to: str, data: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        return self._traced_send(sender, to, data, value, gas)

    def _traced_send(
        self, sender: Account | str, to: str | None, data: bytes, value: int, gas: int | None
    ) -> Receipt:
        try:
            return self._send(sender, to, data, value, gas)
        except Reverted as exc:
            if exc.call_trace is None:
                tx = self._tx(sender, to, data, value)
                mined = exc.tx_hash
                exc.call_trace = lambda: self._trace_failed(tx, mined)
            raise

    def _trace_failed(self, tx: dict[str, Any], tx_hash: str | None) -> dict[str, Any]:
        """The call tree of a failed send: the mined transaction's, else the same call
        replayed on the latest state (`debug_traceCall`)."""
        if tx_hash:
            return self.trace_transaction(tx_hash)
        options = {"tracer": "callTracer", "tracerConfig": {"withLog": True}}
        call = {k: (Web3.to_hex(v) if isinstance(v, (bytes, int)) else v) for k, v in tx.items()}
        return dict(self.request("debug_traceCall", [call, "latest", options]))

    def call(self, to: str, data: bytes, sender: str | None = None, value: int = 0) -> bytes:
        tx: dict[str, Any] = {"to": to, "data": data}
        if sender:
            tx["from"] = sender
        if value:
            tx["value"] = value
        try:
            return bytes(self._rpc("eth_call", self.w3.eth.call, tx))
        except Reverted as exc:
            if exc.call_trace is None:
                exc.call_trace = lambda: self._trace_failed(tx, None)
            raise

    def call_many(self, calls: list[tuple[str, bytes]]) -> list[bytes]:
        """One JSON-RPC batch request of `eth_call`s where the provider takes batches
        (HTTP: anvil, public nodes); one by one elsewhere. Retried as a whole."""
        provider = self.w3.provider
        if len(calls) < 2 or not hasattr(provider, "encode_batch_rpc_request"):
            return super().call_many(calls)
        requests = [
            ("eth_call", [{"to": to, "data": "0x" + data.hex()}, "latest"]) for to, data in calls
        ]
        what = f"eth_call (a batch of {len(calls)})"
        answers = self._rpc(what, provider.make_batch_request, requests)
        if not isinstance(answers, list):  # the node refused the whole batch
            raise self._node_error((answers or {}).get("error") or {"message": str(answers)})
        if len(answers) != len(calls):
            raise NetworkError(
                f"network '{self.name}': {len(answers)} answers to a batch of {len(calls)} "
                "calls; the node does not handle JSON-RPC batches (use batches of 1)"
            )
        out: list[bytes] = []
        for answer in answers:
            if answer.get("error"):
                raise self._node_error(answer["error"])  # a revert, or the node's refusal
            out.append(_hex_bytes(answer.get("result")))
        return out

    def estimate_gas(
        self, to: str | None, data: bytes, sender: Account | str, value: int = 0
    ) -> int:
        tx = self._tx(sender, to, data, value)
        return int(self._rpc("eth_estimateGas", self.w3.eth.estimate_gas, tx, self._estimate_on))

    def balance(self, address: str) -> int:
        return int(self._rpc("eth_getBalance", self.w3.eth.get_balance, address))

    def code(self, address: str) -> bytes:
        return bytes(self._rpc("eth_getCode", self.w3.eth.get_code, address))

    def nonce(self, address: str) -> int:
        return int(self._rpc("eth_getTransactionCount", self.w3.eth.get_transaction_count, address))

    def pending_nonce(self, address: str) -> int:
        count = self.w3.eth.get_transaction_count
        return int(self._rpc("eth_getTransactionCount", count, address, "pending"))

    def block_number(self) -> int:
        return int(self._rpc("eth_blockNumber", lambda: self.w3.eth.block_number))

    def fees(self) -> Fees:
        block = self._rpc("eth_getBlockByNumber", self.w3.eth.get_block, "latest")
        base = int(block.get("baseFeePerGas") or 0)
        try:
            tip = int(self._rpc("eth_maxPriorityFeePerGas", lambda: self.w3.eth.max_priority_fee))
        except NodeRefused:  # a node without eth_maxPriorityFeePerGas
            tip = DEFAULT_TIP
        return Fees(base_fee=base, priority_fee=tip)

    def send_raw_transaction(self, raw: bytes) -> str:
        # Retrying is safe: the same signed bytes are the same transaction (a node that
        # got the first attempt answers "already known").
        try:
            tx_hash = self._rpc("eth_sendRawTransaction", self.w3.eth.send_raw_transaction, raw)
        except Reverted as exc:  # a send executes nothing: any error answer is a refusal
            raise NodeRefused(self.name, exc.detail) from None
        return Web3.to_hex(tx_hash)

    def transaction(self, tx_hash: str) -> Transaction | None:
        raw = self._rpc("eth_getTransactionByHash", _or_none(self.w3.eth.get_transaction), tx_hash)
        return None if raw is None else self._transaction(raw)

    def receipt(self, tx_hash: str) -> Receipt | None:
        lookup = _or_none(self.w3.eth.get_transaction_receipt)
        raw = self._rpc("eth_getTransactionReceipt", lookup, tx_hash)
        return None if raw is None else self._receipt(raw)

    def latest_timestamp(self) -> int:
        return int(self._rpc("eth_getBlockByNumber", self.w3.eth.get_block, "latest")["timestamp"])

    def time(self) -> int:
        return max(self.latest_timestamp(), int(_time.time()) + self._offset)

    def request(self, method: str, params: list[Any]) -> Any:
        """A raw JSON-RPC call (dev-node methods such as evm_snapshot); tried once, since
        most of them (evm_mine, evm_revert) must not be repeated."""
        make = self.w3.provider.make_request
        response = self._rpc(method, make, method, params, once=True)
        if response.get("error"):
            raise NetworkError(f"{self.name}: {method} failed: {response['error'].get('message')}")
        return response.get("result")

    # Dev-node methods (anvil, and any node that speaks Hardhat/anvil's evm_* set).
    def sleep(self, seconds: int) -> None:
        self.request("evm_increaseTime", [int(seconds)])
        self._offset += int(seconds)
        self._estimate_on = "pending"

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

    def trace_transaction(self, tx_hash: str) -> dict[str, Any]:
        """`debug_traceTransaction` with geth's `callTracer` (anvil answers it without flags;
        a remote node must offer the debug namespace)."""
        options = {"tracer": "callTracer", "tracerConfig": {"withLog": True}}
        try:
            return dict(self.request("debug_traceTransaction", [tx_hash, options]))
        except NetworkError as exc:
            raise NetworkError(
                f"{self.name}: cannot trace {tx_hash}: {exc}. The node must offer "
                "debug_traceTransaction with callTracer (anvil, geth, reth, Erigon do)."
            ) from None
