"""Contract types built from build/ artifacts, and deployed contracts with typed methods.

`project.Registry.deploy(arg, sender=acct)` returns a `Contract`; `contract.fn(args...)`
calls a view or sends a transaction (returning a `Receipt` with decoded events), and a
revert becomes a `Reverted` naming the custom error and its arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from eth_abi.exceptions import EncodingError
from eth_utils import keccak, to_checksum_address

from daftar.chain.base import Account, Chain, Receipt, Reverted
from daftar.contract.abi import decode_output, encode_args, encoder, selector, signature
from daftar.errors import DaftarError

if TYPE_CHECKING:
    from daftar.contract.errors import ErrorRegistry
    from daftar.contract.events import EventRegistry


GasObserver = Callable[[str, str, Receipt], None]
#: Called as observer(contract_name, function_name, receipt) after every successful
#: transaction and deployment (function "constructor"); the gas report subscribes here.
GAS_OBSERVERS: list[GasObserver] = []


def _observe(contract: str, function: str, receipt: Receipt) -> None:
    for observer in GAS_OBSERVERS:
        observer(contract, function, receipt)


class Decoders:
    """What every contract of a project shares: error and event registries."""

    def __init__(self, errors: ErrorRegistry, events: EventRegistry) -> None:
        self.errors = errors
        self.events = events
        self.traces: Any = None  # a daftar.contract.trace.TraceDecoder, set by the project

    def tracer(self, chain: Chain, tx_hash: str) -> Callable[[], Any]:
        """What `receipt.trace()` runs: the chain's call tree of `tx_hash`, decoded."""

        def trace() -> Any:
            if self.traces is None:
                raise DaftarError("no trace decoder: load the contracts through a Project")
            return self.traces.decode(chain.trace_transaction(tx_hash), chain.code)

        return trace


class ContractType:
    """A compiled contract: ABI, bytecode, and everything the artifact recorded."""

    def __init__(
        self, artifact: dict[str, Any], decoders: Decoders, default_chain: Any = None
    ) -> None:
        self.artifact = artifact
        self._default_chain = default_chain
        self.name: str = artifact["contractName"]
        self.abi: list[dict[str, Any]] = artifact["abi"]
        self.bytecode = bytes.fromhex(artifact["bytecode"])
        self.decoders = decoders
        self._constructor = next((i for i in self.abi if i["type"] == "constructor"), None)

    @property
    def initcode_hash(self) -> str:
        return "0x" + keccak(self.bytecode).hex()

    def deploy_data(self, *args: Any) -> bytes:
        if not self.bytecode:
            raise TypeError(
                f"{self.name} is abstract or an interface: it has no bytecode to deploy"
            )
        inputs = self._constructor["inputs"] if self._constructor else []
        if len(args) != len(inputs):
            raise TypeError(
                f"{self.name} constructor takes {len(inputs)} argument(s), got {len(args)}"
            )
        return self.bytecode + (encode_args(inputs, args) if inputs else b"")

    def _chain(self, chain: Chain | None) -> Chain:
        chain = chain or (self._default_chain() if self._default_chain else None)
        if chain is None:
            raise RuntimeError(f"{self.name}: no chain connected; call project.connect(network)")
        return chain

    def deploy(
        self,
        *args: Any,
        sender: Account | str,
        chain: Chain | None = None,
        value: int = 0,
        gas: int | None = None,
    ) -> Contract:
        chain = self._chain(chain)
        data = self.deploy_data(*args)
        try:
            receipt = chain.deploy(data, sender, value=value, gas=gas)
        except Reverted as exc:
            raise self.decoders.errors.explain(exc, f"{self.name}.constructor") from None
        receipt.events = self.decoders.events.decode_all(receipt.logs)
        receipt.tracer = self.decoders.tracer(chain, receipt.tx_hash)
        _observe(self.name, "constructor", receipt)
        assert receipt.contract_address
        contract = self.at(receipt.contract_address, chain)
        contract.deployment = receipt
        return contract

    def at(self, address: str, chain: Chain | None = None) -> Contract:
        return Contract(self, to_checksum_address(address), self._chain(chain))

    def __repr__(self) -> str:
        return f"<ContractType {self.name}>"


class Contract:
    """A deployed contract on one chain; ABI functions are attributes."""

    def __init__(self, ctype: ContractType, address: str, chain: Chain) -> None:
        self.type = ctype
        self.address = address
        self.chain = chain
        self.deployment: Receipt | None = None
        by_name: dict[str, list[dict[str, Any]]] = {}
        for item in ctype.abi:
            if item["type"] == "function":
                by_name.setdefault(item["name"], []).append(item)
        self._methods = {name: Method(self, items) for name, items in by_name.items()}

    def __getattr__(self, name: str) -> Method:
        methods = self.__dict__.get("_methods", {})
        if name in methods:
            return methods[name]
        raise AttributeError(f"{self.type.name} has no function '{name}'")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._methods]

    def __repr__(self) -> str:
        return f"<{self.type.name} {self.address} on {self.chain.name}>"


class Method:
    """An ABI function (with its overloads). Views are called, the rest transact."""

    def __init__(self, contract: Contract, items: list[dict[str, Any]]) -> None:
        self.contract = contract
        self.items = items
        self._bound = {id(i): BoundMethod(contract, i, selector(i)) for i in items}

    def _pick(self, args: tuple[Any, ...]) -> dict[str, Any]:
        fits = [i for i in self.items if len(i.get("inputs", [])) == len(args)]
        if len(fits) == 1:
            return fits[0]
        sigs = ", ".join(signature(i) for i in self.items)
        name = f"{self.contract.type.name}.{self.items[0]['name']}"
        if not fits:
            raise TypeError(f"{name} takes other arguments: {sigs}; got {len(args)} argument(s)")
        raise TypeError(
            f"{name} is overloaded ({sigs}); call it with contract.{self.items[0]['name']}[sig]"
        )

    def __getitem__(self, sig: str) -> BoundMethod:
        for item in self.items:
            if signature(item) == sig.replace(" ", ""):
                return self._bound[id(item)]
        raise KeyError(sig)

    def bind(self, args: tuple[Any, ...]) -> BoundMethod:
        if len(self.items) == 1:
            return self._bound[id(self.items[0])]
        return self._bound[id(self._pick(args))]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind(args)(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind(args).call(*args, **kwargs)

    def transact(self, *args: Any, **kwargs: Any) -> Receipt:
        return self.bind(args).transact(*args, **kwargs)

    def estimate_gas(self, *args: Any, **kwargs: Any) -> int:
        return self.bind(args).estimate_gas(*args, **kwargs)

    def encode_input(self, *args: Any) -> bytes:
        return self.bind(args).encode_input(*args)


class BoundMethod:
    """One ABI function of one contract."""

    def __init__(self, contract: Contract, item: dict[str, Any], sel: bytes) -> None:
        self.contract = contract
        self.item = item
        self.selector = sel
        self.is_view = item.get("stateMutability") in ("view", "pure")
        self.where = f"{contract.type.name}.{item['name']}"
        self._inputs = item.get("inputs", [])
        self._encode = encoder(self._inputs)

    def encode_input(self, *args: Any) -> bytes:
        if len(args) != len(self._inputs):
            sig = signature(self.item)
            raise TypeError(
                f"{self.where} takes {len(self._inputs)} argument(s) ({sig}), got {len(args)}"
            )
        if not self._inputs:
            return self.selector
        try:
            return self.selector + self._encode(args)
        except (EncodingError, TypeError, ValueError) as exc:
            raise DaftarError(
                f"{self.contract.type.name}.{signature(self.item)}: bad argument: {exc}"
            ) from None

    def __call__(self, *args: Any, sender: Account | str | None = None, **kwargs: Any) -> Any:
        if self.is_view:
            return self.call(*args, sender=sender, **kwargs)
        if sender is None:
            raise TypeError(f"{self.where} changes state: pass sender=<account>")
        return self.transact(*args, sender=sender, **kwargs)

    def call(self, *args: Any, sender: Account | str | None = None, value: int = 0) -> Any:
        frm = Chain.address_of(sender) if sender is not None else None
        try:
            raw = self.contract.chain.call(
                self.contract.address, self.encode_input(*args), frm, value
            )
        except Reverted as exc:
            raise self.contract.type.decoders.errors.explain(exc, self.where) from None
        return decode_output(self.item, raw)

    def transact(
        self, *args: Any, sender: Account | str, value: int = 0, gas: int | None = None
    ) -> Receipt:
        try:
            receipt = self.contract.chain.transact(
                self.contract.address, self.encode_input(*args), sender, value=value, gas=gas
            )
        except Reverted as exc:
            raise self.contract.type.decoders.errors.explain(exc, self.where) from None
        receipt.events = self.contract.type.decoders.events.decode_all(receipt.logs)
        receipt.tracer = self.contract.type.decoders.tracer(self.contract.chain, receipt.tx_hash)
        _observe(self.contract.type.name, self.item["name"], receipt)
        return receipt

    def estimate_gas(self, *args: Any, sender: Account | str, value: int = 0) -> int:
        try:
            return self.contract.chain.estimate_gas(
                self.contract.address, self.encode_input(*args), sender, value
            )
        except Reverted as exc:
            raise self.contract.type.decoders.errors.explain(exc, self.where) from None
