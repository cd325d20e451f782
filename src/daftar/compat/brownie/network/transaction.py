"""`brownie.network.transaction`: `TransactionReceipt`, its `events`, and `Status`."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from daftar.chain.base import Receipt, Reverted
from daftar.compat.brownie import _state
from daftar.compat.brownie.convert.datatypes import EthAddress, Wei
from daftar.compat.brownie.exceptions import EventLookupError, NotCovered, VirtualMachineError
from daftar.errors import DaftarError


class Status(IntEnum):
    Dropped = -2
    Pending = -1
    Reverted = 0
    Confirmed = 1


def _plain(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return Wei(value)
    if isinstance(value, str) and len(value) == 42 and value[:2] == "0x":
        return EthAddress(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value) if isinstance(value, list) else value
    return value


class _EventItem:
    """Events of one name (or one event): item access reads the first, `[i]` picks one."""

    def __init__(self, name: str, events: list[Any], positions: list[int]) -> None:
        self.name = name
        self._events = events
        self.pos = tuple(positions)

    @property
    def address(self) -> Any:
        return EthAddress(self._events[0].address) if self._events else None

    def _first(self) -> dict[str, Any]:
        if not self._events:
            raise EventLookupError(f"no {self.name} event")
        return {k: _plain(v) for k, v in self._events[0].args.items()}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            try:
                return _EventItem(self.name, [self._events[key]], [self.pos[key]])
            except IndexError:
                raise EventLookupError(
                    f"{self.name}: index {key} out of range ({len(self._events)} event(s))"
                ) from None
        first = self._first()
        if key not in first:
            raise EventLookupError(f"event {self.name} has no argument '{key}'")
        return first[key]

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Any:
        if len(self._events) == 1:
            return iter(self._first())
        return iter(
            _EventItem(self.name, [e], [p]) for e, p in zip(self._events, self.pos, strict=True)
        )

    def __contains__(self, key: Any) -> bool:
        return key in self._first()

    def keys(self) -> Any:
        return self._first().keys()

    def values(self) -> Any:
        return self._first().values()

    def items(self) -> Any:
        return self._first().items()

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, dict):
            return len(self._events) == 1 and self._first() == other
        if isinstance(other, (list, tuple)):
            mine = [{k: _plain(v) for k, v in e.args.items()} for e in self._events]
            return mine == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        if len(self._events) == 1:
            return f"{self.name} {self._first()}"
        return f"{self.name} x{len(self._events)}"


class EventDict:
    """A transaction's decoded events: `events["Transfer"]`, `events[0]`, `"Transfer" in events`."""

    def __init__(self, events: list[Any]) -> None:
        self._events = list(events)

    def __getitem__(self, key: Any) -> _EventItem:
        if isinstance(key, int):
            try:
                ev = self._events[key]
            except IndexError:
                raise EventLookupError(f"event index {key} out of range") from None
            return _EventItem(ev.event, [ev], [key % len(self._events)])
        picked = [(i, e) for i, e in enumerate(self._events) if e.event == key]
        if not picked:
            have = ", ".join(sorted({e.event for e in self._events})) or "none"
            raise EventLookupError(f"no '{key}' event in this transaction (events: {have})")
        return _EventItem(key, [e for _, e in picked], [i for i, _ in picked])

    def __contains__(self, name: Any) -> bool:
        return any(e.event == name for e in self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Any:
        return iter(self[i] for i in range(len(self._events)))

    def __bool__(self) -> bool:
        return bool(self._events)

    def count(self, name: str) -> int:
        return sum(1 for e in self._events if e.event == name)

    def keys(self) -> list[str]:
        return list(dict.fromkeys(e.event for e in self._events))

    def values(self) -> list[_EventItem]:
        return [self[k] for k in self.keys()]

    def items(self) -> list[tuple[str, _EventItem]]:
        return [(k, self[k]) for k in self.keys()]

    def __repr__(self) -> str:
        return f"<EventDict {self.keys()}>"


_PANIC = {
    0x01: "Failed assertion",
    0x11: "Integer overflow",
    0x12: "Division or modulo by zero",
    0x21: "Invalid enum value",
    0x31: "Pop from empty array",
    0x32: "Index out of range",
    0x41: "Memory allocation overflow",
}


def revert_message(exc: Reverted) -> str | None:
    """What Brownie calls `revert_msg`: the require string, a panic's meaning, the error."""
    if exc.error == "Error":
        return exc.args_by_name.get("message")
    if exc.error == "Panic":
        return _PANIC.get(exc.args_by_name.get("code", -1), "Panic")
    if exc.error and exc.error not in ("Revert", "Unknown"):
        args = ", ".join(f"{k}={v!r}" for k, v in exc.args_by_name.items())
        return f"{exc.error}({args})"
    if exc.data:
        return "typed error: 0x" + exc.data.hex()
    return None


class TransactionReceipt:
    """A mined (or reverted) transaction, as Brownie shows it."""

    def __init__(
        self,
        receipt: Receipt | None,
        *,
        sender: Any,
        receiver: str | None,
        value: int = 0,
        gas_limit: int | None = None,
        contract_name: str | None = None,
        fn_name: str | None = None,
        return_value: Any = None,
        error: VirtualMachineError | None = None,
        input: bytes = b"",
    ) -> None:
        self._receipt = receipt
        self.sender = sender
        self.receiver = EthAddress(receiver) if receiver else None
        self.value = Wei(value)
        self.gas_limit = gas_limit
        self._gas_price: Wei | None = None
        self.contract_name = contract_name
        self.fn_name = fn_name
        self.return_value = return_value
        self.input = "0x" + input.hex()
        self.new_contracts: list[str] = []
        self._error = error
        chain = _state.chain_or_none()
        self._timestamp = chain.time() if chain is not None else None
        if receipt is not None:
            self.txid = receipt.tx_hash
            self.status = Status(receipt.status)
            self.gas_used = receipt.gas_used
            self.block_number = receipt.block_number
            self.contract_address = (
                EthAddress(receipt.contract_address) if receipt.contract_address else None
            )
            self.events = EventDict(receipt.events)
            self.logs = receipt.logs
            self.revert_msg: str | None = None
            self.dev_revert_msg: str | None = None
        else:
            assert error is not None
            self.txid = error.tx_hash or error.txid or ""
            self.status = Status.Reverted
            self.gas_used = error.gas_used or 0
            self.block_number = chain.block_number() if chain is not None else None
            self.contract_address = None
            self.events = EventDict([])
            self.logs = []
            self.revert_msg = error.revert_msg
            self.dev_revert_msg = error.dev_revert_msg

    @property
    def gas_price(self) -> Wei:
        """The effective gas price: 0 on the embedded chain (gas costs nothing there), the
        node's figure on anvil and RPC networks (read once, when first asked for)."""
        if self._gas_price is None:
            price = 0
            chain = _state.chain_or_none()
            request = getattr(chain, "request", None)
            if request is not None and self.txid and self._receipt is not None:
                raw = request("eth_getTransactionReceipt", [self.txid]) or {}
                # JSON-RPC nodes say effectiveGasPrice (hex); eth-tester effective_gas_price.
                found = raw.get("effectiveGasPrice", raw.get("effective_gas_price")) or 0
                price = int(found, 16) if isinstance(found, str) else int(found)
            self._gas_price = Wei(price)
        return self._gas_price

    @property
    def timestamp(self) -> int | None:
        return self._timestamp

    @property
    def confirmations(self) -> int:
        chain = _state.chain_or_none()
        if chain is None or self.block_number is None or self.status != Status.Confirmed:
            return 0
        return chain.block_number() - self.block_number + 1

    def wait(self, required_confs: int = 1) -> TransactionReceipt:
        """daftar returns receipts of mined transactions: there is nothing left to wait for."""
        return self

    @property
    def nonce(self) -> int | None:
        return None

    def info(self) -> None:
        print(
            f"Transaction {self.txid}\n  status: {self.status.name}\n  from: {self.sender}\n"
            f"  to: {self.receiver}\n  gas used: {self.gas_used}\n  events: {len(self.events)}"
        )

    def call_trace(self, *_: Any, **__: Any) -> None:
        raise NotCovered("TransactionReceipt.call_trace")

    def traceback(self) -> None:
        raise NotCovered("TransactionReceipt.traceback")

    @property
    def trace(self) -> Any:
        raise NotCovered("TransactionReceipt.trace")

    @property
    def subcalls(self) -> Any:
        raise NotCovered("TransactionReceipt.subcalls")

    def __repr__(self) -> str:
        where = f"{self.contract_name}.{self.fn_name}" if self.fn_name else "Transaction"
        return f"<Transaction '{self.txid}' {where} {self.status.name}>"

    def __hash__(self) -> int:
        return hash(self.txid)


def record(tx: TransactionReceipt) -> TransactionReceipt:
    _state.history._add(tx)
    return tx


def send_raw(
    sender: Any, to: str | None, data: bytes, value: int, gas_limit: Any = None
) -> TransactionReceipt:
    """A plain transaction (ether transfer, raw data) from `sender` to `to`."""
    chain = _state.chain()
    if to is None:
        raise DaftarError("transfer: give the receiving address (to=...)")
    gas = int(gas_limit) if gas_limit is not None else None
    try:
        receipt = chain.transact(to, data, sender, value=int(value), gas=gas)
    except Reverted as exc:
        error = VirtualMachineError(exc, revert_message(exc))
        record(TransactionReceipt(None, sender=sender, receiver=to, value=value, error=error))
        raise error from None
    receipt.events = _state.decode_events(receipt.logs)
    return record(
        TransactionReceipt(receipt, sender=sender, receiver=to, value=value, gas_limit=gas)
    )
