"""`brownie.network.contract`: contract containers, deployed contracts and their methods.

`Token.deploy(*args, {'from': acct, 'value': ..., 'gas_limit': ...})`, `Token[-1]`,
`len(Token)`, `Token.at(addr)`; methods transact by default unless they are views, and
every method also has `.call`, `.transact`, `.estimate_gas` and `.encode_input`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from daftar.chain.base import Reverted
from daftar.compat.brownie import _state
from daftar.compat.brownie.convert.datatypes import (
    EthAddress,
    HexString,
    ReturnValue,
    Wei,
    to_wei,
    wrap_value,
)
from daftar.compat.brownie.exceptions import (
    ContractNotFound,
    NotCovered,
    UnknownAttribute,
    VirtualMachineError,
)
from daftar.compat.brownie.network.transaction import TransactionReceipt, record, revert_message
from daftar.contract.abi import canonical_type, checksum, signature, split_tuple
from daftar.errors import DaftarError

_TX_KEYS = {
    "from", "value", "amount", "gas_limit", "gas", "gas_price", "max_fee", "priority_fee",
    "nonce", "required_confs", "allow_revert", "gas_buffer",
}  # fmt: skip


_PUBLISH = (
    "publish_source=True / publish_source() (verifying on an explorer from a script; deploy "
    "with publish_source=False, or through `daftar deploy` and verify with `daftar verify`)"
)


# -- arguments ---------------------------------------------------------------------------------
def to_abi(typ: str, value: Any) -> Any:
    """What Brownie accepts for `typ` → what the ABI encoder takes."""
    if typ.endswith("]"):
        base = typ[: typ.rindex("[")]
        return [to_abi(base, v) for v in value]
    if typ.startswith("("):
        return tuple(to_abi(t, v) for t, v in zip(split_tuple(typ), value, strict=True))
    if typ.startswith(("uint", "int")):
        return to_wei(value)
    if typ == "address":
        addr = getattr(value, "address", value)
        if isinstance(addr, str):
            return checksum(addr)
        return addr
    if typ.startswith("bytes"):
        if isinstance(value, str):
            text = value[2:] if value[:2].lower() == "0x" else value
            raw = bytes.fromhex(text)
        elif isinstance(value, int):
            raw = value.to_bytes(int(typ[5:] or 32), "big")
        else:
            raw = bytes(value)
        if typ != "bytes":
            size = int(typ[5:])
            if len(raw) > size:
                raise DaftarError(f"{value!r} is longer than {typ}")
            raw = raw.ljust(size, b"\0") if isinstance(value, str) else raw.rjust(size, b"\0")
        return raw
    return value


def split_tx(where: str, inputs: list[dict[str, Any]], args: tuple[Any, ...]) -> tuple:
    """(converted args, tx dict): Brownie passes transaction fields as a final dict."""
    tx: dict[str, Any] = {}
    if len(args) == len(inputs) + 1 and isinstance(args[-1], dict):
        tx, args = args[-1], args[:-1]
        unknown = set(tx) - _TX_KEYS
        if unknown:
            raise DaftarError(
                f"{where}: unknown transaction field(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(_TX_KEYS))}"
            )
    if len(args) != len(inputs):
        sig = ",".join(canonical_type(p) for p in inputs)
        raise DaftarError(
            f"{where}({sig}) takes {len(inputs)} argument(s) (plus an optional dict of "
            f"transaction fields), got {len(args)}"
        )
    try:
        converted = tuple(to_abi(canonical_type(p), a) for p, a in zip(inputs, args, strict=True))
    except (TypeError, ValueError) as exc:
        raise DaftarError(f"{where}: bad argument: {exc}") from None
    return converted, tx


def _sender(where: str, tx: dict[str, Any]) -> Any:
    from daftar.compat.brownie.network.account import accounts

    sender = tx.get("from") or accounts.default
    if sender is None:
        raise DaftarError(
            f"{where}: this transaction needs a sender: pass {{'from': accounts[0]}} as the "
            "last argument (or set accounts.default)"
        )
    if isinstance(sender, str):
        sender = accounts.at(sender, force=True)
    return sender


def _gas(tx: dict[str, Any]) -> int | None:
    gas = tx.get("gas_limit", tx.get("gas"))
    return int(gas) if gas is not None else None


def _value(tx: dict[str, Any]) -> int:
    return to_wei(tx.get("value", tx.get("amount", 0)) or 0)


def wrap_output(item: dict[str, Any], value: Any) -> Any:
    outputs = item.get("outputs", [])
    if not outputs:
        return None
    if len(outputs) == 1:
        return wrap_value(canonical_type(outputs[0]), value)
    names = [o.get("name") or "" for o in outputs]
    return ReturnValue(
        [wrap_value(canonical_type(o), v) for o, v in zip(outputs, value, strict=True)], names
    )


decode_events = _state.decode_events


def vm_error(exc: Reverted, ctype: Any, fn: str | None, txid: str | None = None) -> Any:
    from daftar.compat.brownie import _devrevert

    error = VirtualMachineError(exc, revert_message(exc), txid)
    candidates = _devrevert.candidates(ctype, fn, exc)
    error.dev_candidates = tuple(candidates)
    if len(candidates) == 1:
        error.dev_revert_msg = candidates[0]
    return error


# -- methods -----------------------------------------------------------------------------------
class _Method:
    def __init__(self, contract: ProjectContract, bound: Any) -> None:
        self._contract = contract
        self._bound = bound
        self.abi = bound.item
        self._name = f"{contract._name}.{bound.item['name']}"
        self.signature = "0x" + bound.selector.hex()
        self._inputs = bound.item.get("inputs", [])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} '{signature(self.abi)}'>"

    def encode_input(self, *args: Any) -> str:
        converted, _tx = split_tx(self._name, self._inputs, args)
        return "0x" + self._bound.encode_input(*converted).hex()

    def decode_input(self, data: Any) -> Any:
        from daftar.contract.abi import decode_values

        raw = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
        return decode_values(self._inputs, raw[4:])

    def decode_output(self, data: Any) -> Any:
        from daftar.contract.abi import decode_output

        raw = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
        return wrap_output(self.abi, decode_output(self.abi, raw))

    def call(self, *args: Any, block_identifier: Any = None) -> Any:
        converted, tx = split_tx(self._name, self._inputs, args)
        frm = tx.get("from")
        frm = getattr(frm, "address", frm)
        try:
            raw = self._contract._chain.call(
                self._contract.address, self._bound.encode_input(*converted), frm, _value(tx)
            )
        except Reverted as exc:
            self._contract._ctype.decoders.errors.explain(exc, self._name)
            raise vm_error(exc, self._contract._ctype, self.abi["name"]) from None
        from daftar.contract.abi import decode_output

        return wrap_output(self.abi, decode_output(self.abi, raw))

    def transact(self, *args: Any) -> TransactionReceipt:
        converted, tx = split_tx(self._name, self._inputs, args)
        sender = _sender(self._name, tx)
        return self._contract._send(self, converted, sender, _value(tx), _gas(tx))

    def estimate_gas(self, *args: Any) -> int:
        converted, tx = split_tx(self._name, self._inputs, args)
        sender = _sender(self._name, tx)
        try:
            return self._contract._chain.estimate_gas(
                self._contract.address, self._bound.encode_input(*converted), sender, _value(tx)
            )
        except Reverted as exc:
            self._contract._ctype.decoders.errors.explain(exc, self._name)
            raise vm_error(exc, self._contract._ctype, self.abi["name"]) from None


class ContractCall(_Method):
    """A view or pure function: calling it calls (use `.transact` to send it anyway)."""

    def __call__(self, *args: Any, block_identifier: Any = None) -> Any:
        return self.call(*args)


class ContractTx(_Method):
    """A state-changing function: calling it sends a transaction (`.call` to only call)."""

    def __call__(self, *args: Any) -> TransactionReceipt:
        return self.transact(*args)


class OverloadedMethod:
    """Several functions of one name: picked by argument count, or `fn["uint256,address"]`."""

    def __init__(self, methods: list[_Method]) -> None:
        self.methods = methods
        self._name = methods[0]._name

    def __getitem__(self, key: Any) -> _Method:
        want = key if isinstance(key, str) else ",".join(key)
        want = want.replace(" ", "")
        for m in self.methods:
            sig = signature(m.abi)
            if want in (sig, sig[sig.index("(") + 1 : -1]):
                return m
        sigs = ", ".join(signature(m.abi) for m in self.methods)
        raise KeyError(f"{self._name} has no overload {key!r}; overloads: {sigs}")

    def _pick(self, args: tuple[Any, ...]) -> _Method:
        n = len(args) - (1 if args and isinstance(args[-1], dict) else 0)
        fits = [m for m in self.methods if len(m._inputs) == n]
        if len(fits) != 1:
            sigs = ", ".join(signature(m.abi) for m in self.methods)
            raise DaftarError(
                f"{self._name} is overloaded ({sigs}): pick one with {self._name.split('.')[-1]}"
                f"['<types>'](...)"
            )
        return fits[0]

    def __call__(self, *args: Any) -> Any:
        return self._pick(args)(*args)

    def call(self, *args: Any) -> Any:
        return self._pick(args).call(*args)

    def transact(self, *args: Any) -> Any:
        return self._pick(args).transact(*args)

    def estimate_gas(self, *args: Any) -> Any:
        return self._pick(args).estimate_gas(*args)

    def encode_input(self, *args: Any) -> Any:
        return self._pick(args).encode_input(*args)


# -- contracts ---------------------------------------------------------------------------------
class ProjectContract:
    """A deployed contract; ABI functions are attributes. Compares equal to its address."""

    def __init__(self, container: ContractContainer, inner: Any, tx: Any = None) -> None:
        self._container = container
        self._inner = inner
        self._ctype = inner.type
        self._chain = inner.chain
        self._name = inner.type.name
        self.address = EthAddress(inner.address)
        self.tx = tx
        self.abi = inner.type.abi
        methods: dict[str, list[_Method]] = {}
        for name, method in inner._methods.items():
            for item in method.items:
                bound = method._bound[id(item)]
                cls = ContractCall if bound.is_view else ContractTx
                methods.setdefault(name, []).append(cls(self, bound))
        self._methods: dict[str, Any] = {
            name: ms[0] if len(ms) == 1 else OverloadedMethod(ms) for name, ms in methods.items()
        }

    def __getattr__(self, name: str) -> Any:
        methods = self.__dict__.get("_methods", {})
        if name in methods:
            return methods[name]
        if name.startswith("_"):
            raise AttributeError(name)
        known = ", ".join(sorted(methods)) or "none"
        raise UnknownAttribute(f"{self._name} has no function '{name}'; functions: {known}")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._methods]

    def __eq__(self, other: Any) -> bool:
        addr = getattr(other, "address", other)
        return isinstance(addr, str) and addr.lower() == self.address.lower()

    def __hash__(self) -> int:
        return hash(self.address.lower())

    def __str__(self) -> str:
        return str(self.address)

    def __repr__(self) -> str:
        return f"<{self._name} Contract '{self.address}'>"

    def balance(self) -> Wei:
        return Wei(self._chain.balance(self.address))

    @property
    def bytecode(self) -> str:
        return "0x" + self._chain.code(self.address).hex()

    def _send(
        self, method: _Method, args: tuple[Any, ...], sender: Any, value: int, gas: int | None
    ) -> TransactionReceipt:
        chain = self._chain
        data = method._bound.encode_input(*args)
        fn = method.abi["name"]
        return_value = None
        if method.abi.get("outputs"):
            # The return value, from the state the transaction starts in.
            try:
                raw = chain.call(self.address, data, sender.address, value)
                from daftar.contract.abi import decode_output

                return_value = wrap_output(method.abi, decode_output(method.abi, raw))
            except Reverted:
                return_value = None
        try:
            receipt = chain.transact(self.address, data, sender, value=value, gas=gas)
        except Reverted as exc:
            self._ctype.decoders.errors.explain(exc, method._name)
            error = vm_error(exc, self._ctype, fn)
            record(
                TransactionReceipt(
                    None,
                    sender=sender,
                    receiver=self.address,
                    value=value,
                    gas_limit=gas,
                    contract_name=self._name,
                    fn_name=fn,
                    error=error,
                    input=data,
                )
            )
            raise error from None
        receipt.events = decode_events(receipt.logs)
        from daftar.contract.types import _observe

        _observe(self._name, fn, receipt)
        tx = TransactionReceipt(
            receipt, sender=sender, receiver=self.address, value=value, gas_limit=gas,
            contract_name=self._name, fn_name=fn, return_value=return_value, input=data,
        )  # fmt: skip
        tx._replay = lambda: chain.transact(self.address, data, sender, value=value, gas=gas)
        return record(tx)


class ContractContainer:
    """A compiled contract of the project: deploy it, and the instances deployed so far."""

    def __init__(self, ctype: Any) -> None:
        self._type = ctype
        self._name = ctype.name
        self.abi = ctype.abi
        self._contracts: list[ProjectContract] = []

    @property
    def bytecode(self) -> str:
        return self._type.bytecode.hex()

    @property
    def signatures(self) -> dict[str, str]:
        from daftar.contract.abi import selector

        return {
            i["name"]: "0x" + selector(i).hex() for i in self.abi if i.get("type") == "function"
        }

    @property
    def topics(self) -> dict[str, str]:
        from daftar.contract.abi import topic

        return {i["name"]: "0x" + topic(i).hex() for i in self.abi if i.get("type") == "event"}

    @property
    def selectors(self) -> dict[str, str]:
        return {v: k for k, v in self.signatures.items()}

    def __repr__(self) -> str:
        return repr(self._contracts)

    def __getitem__(self, index: Any) -> ProjectContract:
        if not self._contracts:
            raise IndexError(f"no {self._name} deployed yet")
        return self._contracts[index]

    def __len__(self) -> int:
        return len(self._contracts)

    def __iter__(self) -> Iterator[ProjectContract]:
        return iter(list(self._contracts))

    def __contains__(self, item: Any) -> bool:
        return any(c == item for c in self._contracts)

    def _truncate(self, n: int) -> None:
        del self._contracts[n:]

    def remove(self, contract: Any) -> None:
        self._contracts = [c for c in self._contracts if c != contract]

    def deploy(self, *args: Any, publish_source: Any = False) -> ProjectContract:
        """Deploy with the constructor's `args` (and a final dict of transaction fields).
        `publish_source` false (Brownie's default; tutorials pass the network's `verify`
        setting, False on development) is accepted and does nothing; true is not covered."""
        if publish_source:
            raise NotCovered(_PUBLISH)
        inputs = next((i["inputs"] for i in self.abi if i["type"] == "constructor"), [])
        where = f"{self._name}.deploy"
        converted, tx = split_tx(where, inputs, args)
        sender = _sender(where, tx)
        if not self._type.bytecode:
            raise DaftarError(
                f"{self._name} is abstract or an interface: it has no bytecode to deploy"
            )
        chain = _state.chain()
        value, gas = _value(tx), _gas(tx)
        try:
            inner = self._type.deploy(*converted, sender=sender, chain=chain, value=value, gas=gas)
        except Reverted as exc:
            error = vm_error(exc, self._type, None)
            record(
                TransactionReceipt(
                    None,
                    sender=sender,
                    receiver=None,
                    value=value,
                    gas_limit=gas,
                    contract_name=self._name,
                    fn_name="constructor",
                    error=error,
                )
            )
            raise error from None
        receipt = inner.deployment
        receipt.events = decode_events(receipt.logs)
        tx_obj = TransactionReceipt(
            receipt, sender=sender, receiver=None, value=value, gas_limit=gas,
            contract_name=self._name, fn_name="constructor",
        )  # fmt: skip
        data = self._type.deploy_data(*converted)
        tx_obj._replay = lambda: chain.deploy(data, sender, value=value, gas=gas)
        contract = ProjectContract(self, inner, tx_obj)
        tx_obj.return_value = contract
        tx_obj.new_contracts = [contract.address]
        record(tx_obj)
        self._contracts.append(contract)
        return contract

    def publish_source(self, contract: Any, silent: bool = False) -> bool:
        raise NotCovered(_PUBLISH)

    def at(self, address: Any, owner: Any = None, tx: Any = None) -> ProjectContract:
        address = checksum(getattr(address, "address", address))
        chain = _state.chain()
        for c in self._contracts:
            if c.address == address:
                return c
        if not chain.code(address):
            raise ContractNotFound(f"no contract deployed at {address}")
        contract = ProjectContract(self, self._type.at(address, chain), tx)
        self._contracts.append(contract)
        return contract

    def get_method(self, calldata: Any) -> str | None:
        raw = HexString(calldata)
        for name, sel in self.signatures.items():
            if bytes(raw[:4]).hex() == sel[2:]:
                return name
        return None


class InterfaceContainer:
    """`interface.IName(address)`: the project's interfaces (any compiled contract's ABI,
    and the top-level `interfaces/` folder's, see `_interfaces`)."""

    def __getattr__(self, name: str) -> Any:
        from daftar.compat.brownie import _interfaces

        if name.startswith("_"):
            raise AttributeError(name)
        project = _state.project()
        if name in project.contract_types:
            return _InterfaceConstructor(name)
        folder = _interfaces.abis(project)
        if name in folder:
            return _FolderInterface(name, folder[name])
        if _interfaces.vyper(project, name):
            raise NotCovered(f"the Vyper interface {name} (Vyper sources)")
        known = ", ".join(
            sorted({n for n, t in project.contract_types.items() if not t.bytecode} | set(folder))
        )
        raise DaftarError(f"no interface '{name}' in this project; interfaces: {known}")

    def __dir__(self) -> list[str]:
        from daftar.compat.brownie import _interfaces

        project = _state.project()
        return sorted(set(project.contract_types) | set(_interfaces.abis(project)))


class _FolderInterface:
    """An interface of the `interfaces/` folder: `IName(address)`, `IName.abi`."""

    def __init__(self, name: str, abi: list[dict[str, Any]]) -> None:
        self._name = name
        self.abi = abi

    def __call__(self, address: Any, owner: Any = None) -> ProjectContract:
        return Contract.from_abi(self._name, address, self.abi, owner)

    def __repr__(self) -> str:
        return f"<InterfaceConstructor '{self._name}'>"


class _InterfaceConstructor:
    def __init__(self, name: str) -> None:
        self._name = name

    def __call__(self, address: Any, owner: Any = None) -> ProjectContract:
        ctype = _state.project().contract_types[self._name]
        address = checksum(getattr(address, "address", address))
        return ProjectContract(_Detached(ctype), ctype.at(address, _state.chain()))


class _Detached:
    def __init__(self, ctype: Any) -> None:
        self._type = ctype


class Contract:
    """`Contract(address)` for a contract this session deployed or loaded, or
    `Contract.from_abi(name, address, abi)`."""

    def __new__(cls, address_or_alias: Any, owner: Any = None) -> Any:  # type: ignore[misc]
        addr = getattr(address_or_alias, "address", address_or_alias)
        if isinstance(addr, str) and addr.startswith("0x") and len(addr) == 42:
            for container in containers().values():
                for c in container._contracts:
                    if c.address == addr:
                        return c
            raise ContractNotFound(
                f"Contract({addr}): not deployed in this session; use Contract.from_abi("
                "name, address, abi) or Container.at(address). Explorer lookups "
                "(Contract.from_explorer) are not covered"
            )
        raise NotCovered("Contract(alias) (named contracts saved by Brownie)")

    @staticmethod
    def from_abi(name: str, address: Any, abi: list[dict[str, Any]], owner: Any = None) -> Any:
        from daftar.contract.types import ContractType

        project = _state.project()
        project.events.add_abi(abi)
        project.errors.add_abi(abi)
        artifact = {"contractName": name, "abi": abi, "bytecode": ""}
        ctype = ContractType(artifact, project.decoders, lambda: _state.chain())
        address = checksum(getattr(address, "address", address))
        return ProjectContract(_Detached(ctype), ctype.at(address, _state.chain()))

    @staticmethod
    def from_explorer(*_: Any, **__: Any) -> Any:
        raise NotCovered("Contract.from_explorer")


# -- the project's containers ------------------------------------------------------------------
_containers: dict[str, ContractContainer] = _state.CONTAINERS
_for_project: list[Any] = []


def containers() -> dict[str, ContractContainer]:
    """One container per contract of the active project (made once per project)."""
    project = _state.project_or_none()
    if project is None:
        return {}
    if not _for_project or _for_project[0] is not project:
        _for_project[:] = [project]
        _containers.clear()
        for name, ctype in project.contract_types.items():
            _containers[name] = ContractContainer(ctype)
    return _containers


def container(name: str) -> ContractContainer | None:
    return containers().get(name)


def reset_deployments() -> None:
    for c in containers().values():
        c._contracts.clear()
