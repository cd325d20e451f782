"""The `Chain` interface every backend implements, and the values it returns.

Scripts and tests talk to a `Chain` (and contract objects on top of it) only, so the same
test file runs on revm, eth-tester, anvil or a remote node.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from daftar.errors import DaftarError, NetworkError
from daftar.keys.account import Account

__all__ = [
    "Account",
    "Chain",
    "Fees",
    "Log",
    "NodeRefused",
    "NodeUnreachable",
    "Receipt",
    "Reverted",
    "Transaction",
]


@dataclass(frozen=True)
class Log:
    address: str
    topics: tuple[bytes, ...]
    data: bytes


@dataclass
class Receipt:
    """What a mined transaction left behind; `events` is filled by the contract layer."""

    tx_hash: str
    sender: str
    to: str | None
    status: int
    gas_used: int
    block_number: int
    logs: list[Log]
    contract_address: str | None = None
    events: list[Any] = field(default_factory=list)
    block_hash: str = ""  # 0x-prefixed; compare two lookups of one receipt to notice a reorg
    #: Set by the contract layer: returns the decoded call trace (see `trace`).
    tracer: Any = field(default=None, repr=False, compare=False)

    def trace(self) -> Any:
        """The transaction's decoded call tree (print it; `str()` is Foundry-style)."""
        if self.tracer is None:
            raise DaftarError(
                f"no tracer for {self.tx_hash}: receipts from contract objects can trace; "
                f"for any hash use `project.trace(tx_hash)` or `daftar trace {self.tx_hash}`"
            )
        return self.tracer()

    def event(self, name: str) -> Any:
        """The first decoded event called `name` (KeyError if none was emitted)."""
        for ev in self.events:
            if ev.event == name:
                return ev
        raise KeyError(f"no {name} event in transaction {self.tx_hash}")

    def events_named(self, name: str) -> list[Any]:
        return [ev for ev in self.events if ev.event == name]


@dataclass(frozen=True)
class Transaction:
    """A transaction as the chain knows it; `block_number` is None while it is pending."""

    hash: str
    sender: str
    to: str | None
    nonce: int
    input: bytes
    value: int
    gas: int
    block_number: int | None
    max_fee_per_gas: int | None = None
    max_priority_fee_per_gas: int | None = None


@dataclass(frozen=True)
class Fees:
    """EIP-1559 fee data: the latest block's base fee and the node's suggested tip (wei)."""

    base_fee: int
    priority_fee: int


class NodeRefused(NetworkError):
    """The node answered with an error (nonce too low, already known, no funds, ...).

    `message` is the node's own text, for callers that act on it; `str()` says which
    network refused.
    """

    def __init__(self, network: str, message: str, code: int | None = None) -> None:
        self.network, self.message, self.code = network, message, code
        super().__init__(f"{network}: the node refused the request: {message}")


class NodeUnreachable(NetworkError):
    """No usable answer from the node after the retry policy's attempts (see chain.retry)."""


class Reverted(DaftarError):
    """The EVM reverted. `data` is the raw revert data; the contract layer names the error.

    After decoding, `error` is the custom error's name (or `Error`, `Panic`) and `args` its
    arguments by name, so tests can match either.
    """

    def __init__(
        self,
        data: bytes,
        gas_used: int | None = None,
        tx_hash: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.data = data
        self.gas_used = gas_used
        self.tx_hash = tx_hash
        self.error: str | None = None
        self.args_by_name: dict[str, Any] = {}
        self.where = ""
        #: The backend's call tree of the failing execution (callTracer format), as a
        #: function called only when someone asks (a failure report); None if unknown.
        self.call_trace: Any = None
        self.detail = reason or (
            "reverted without data" if not data else f"reverted: 0x{data.hex()}"
        )
        super().__init__(self.detail)

    def describe(self, error: str, args: dict[str, Any], text: str, where: str = "") -> None:
        self.error, self.args_by_name, self.detail, self.where = error, args, text, where
        self.args = (str(self),)

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}" if self.where else self.detail


class Chain(ABC):
    """A chain daftar can deploy to and transact with."""

    name: str
    backend: str
    chain_id: int
    accounts: list[Account]

    # -- transactions and calls -------------------------------------------------------
    @abstractmethod
    def deploy(
        self, initcode: bytes, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        """Create a contract; `receipt.contract_address` holds its address."""

    @abstractmethod
    def transact(
        self,
        to: str,
        data: bytes,
        sender: Account | str,
        value: int = 0,
        gas: int | None = None,
    ) -> Receipt:
        """Send a state-changing transaction; raises `Reverted` if the EVM reverts."""

    @abstractmethod
    def call(self, to: str, data: bytes, sender: str | None = None, value: int = 0) -> bytes:
        """Run a read-only call on the latest state; raises `Reverted` if it reverts."""

    def call_many(self, calls: list[tuple[str, bytes]]) -> list[bytes]:
        """Several read-only calls `(to, data)` on the latest state, answers in order.

        Backends reached over JSON-RPC send them as one batch request (one round trip);
        the others make them one by one. Any call that reverts raises `Reverted`.
        """
        return [self.call(to, data) for to, data in calls]

    @abstractmethod
    def estimate_gas(
        self, to: str | None, data: bytes, sender: Account | str, value: int = 0
    ) -> int:
        """Gas a transaction would use (raises `Reverted` if it would revert)."""

    # -- state --------------------------------------------------------------------------
    @abstractmethod
    def balance(self, address: str) -> int: ...

    @abstractmethod
    def code(self, address: str) -> bytes: ...

    @abstractmethod
    def nonce(self, address: str) -> int:
        """Transactions `address` has had mined (the next nonce as of the latest block)."""

    def pending_nonce(self, address: str) -> int:
        """The next nonce counting the node's pending transactions (chains that mine every
        transaction at once have none pending)."""
        return self.nonce(address)

    @abstractmethod
    def block_number(self) -> int: ...

    @abstractmethod
    def fees(self) -> Fees:
        """The latest block's base fee and the tip the node suggests."""

    # -- the live path: transactions signed elsewhere, looked up by hash -----------------
    def send_raw_transaction(self, raw: bytes) -> str:
        """Broadcast a signed transaction; returns its hash. Does not wait for it.

        A node's refusal (nonce too low, already known, no funds) raises `NodeRefused`
        carrying the node's message.
        """
        raise DaftarError(
            f"{self.name}: sending signed raw transactions is not supported on the "
            f"{self.backend} chain"
        )

    @abstractmethod
    def transaction(self, tx_hash: str) -> Transaction | None:
        """The transaction with this hash (pending or mined), or None if the chain has none."""

    @abstractmethod
    def receipt(self, tx_hash: str) -> Receipt | None:
        """The receipt of a mined transaction, or None (unknown, or still pending)."""

    # -- time ----------------------------------------------------------------------------
    @abstractmethod
    def time(self) -> int:
        """The timestamp the next block will carry (at least the latest block's)."""

    @abstractmethod
    def sleep(self, seconds: int) -> None:
        """Move the clock forward; the next block is at least `seconds` later."""

    @abstractmethod
    def mine(self, blocks: int = 1, timestamp: int | None = None) -> None:
        """Mine empty blocks; the first at `timestamp` if given."""

    # -- test isolation -----------------------------------------------------------------
    @abstractmethod
    def snapshot(self) -> Any:
        """Remember the whole state; pass the result to `revert` (once)."""

    @abstractmethod
    def revert(self, snapshot_id: Any) -> None: ...

    def set_balance(self, address: str, wei: int) -> None:
        raise DaftarError(f"{self.name}: setting balances is only possible on local chains")

    def trace_transaction(self, tx_hash: str) -> dict[str, Any]:
        """A mined transaction's call tree in geth's `callTracer` format (daftar.contract.trace
        decodes it)."""
        raise DaftarError(
            f"{self.name}: the {self.backend} backend cannot trace transactions "
            "(pyrevm has no per-step hook). Re-run on `--network tester` (in-process py-evm) "
            "or `--network anvil` for the full decoded call tree."
        )

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release processes and connections (anvil is stopped here)."""

    def __enter__(self) -> Chain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers shared by all backends ------------------------------------------------
    @staticmethod
    def address_of(sender: Account | str) -> str:
        return sender.address if isinstance(sender, Account) else sender

    def __repr__(self) -> str:
        return f"<Chain {self.name} ({self.backend}, chain id {self.chain_id})>"
