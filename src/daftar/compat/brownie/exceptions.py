"""`brownie.exceptions`: the exceptions Brownie scripts and tests catch."""

from __future__ import annotations

from typing import Any

from daftar.chain.base import Reverted
from daftar.errors import DaftarError


class VirtualMachineError(Reverted):
    """A transaction or call reverted. `revert_msg` is the reason (require string, custom
    error, panic); `dev_revert_msg` is the `// dev: ...` comment of the reverting line when
    daftar can tell which one it was (see docs/brownie.md)."""

    def __init__(self, original: Reverted, revert_msg: str | None, txid: str | None = None):
        super().__init__(original.data, original.gas_used, original.tx_hash or txid)
        self.error, self.args_by_name = original.error, original.args_by_name
        self.detail, self.where = original.detail, original.where
        self.revert_msg = revert_msg
        self.revert_type = "revert"
        self.dev_revert_msg: str | None = None
        self.dev_candidates: tuple[str, ...] = ()
        self.txid = txid
        self.source = ""
        self.args = (str(self),)

    def __str__(self) -> str:
        text = f"revert: {self.revert_msg}" if self.revert_msg else "revert"
        if self.dev_revert_msg:
            text += f" ({self.dev_revert_msg})"
        return f"{self.where}: {text}" if self.where else text


class ContractNotFound(DaftarError):
    pass


class ContractExists(DaftarError):
    pass


class UndeployedLibrary(DaftarError):
    pass


class UnknownAccount(DaftarError):
    pass


class IncompatibleEVMVersion(DaftarError):
    pass


class RPCRequestError(DaftarError):
    pass


class RPCConnectionError(DaftarError):
    pass


class RPCProcessError(DaftarError):
    pass


class CompilerError(DaftarError):
    pass


class ProjectNotFound(DaftarError):
    pass


class ProjectAlreadyLoaded(DaftarError):
    pass


class EventLookupError(LookupError, AttributeError):
    pass


class NamespaceCollision(AttributeError):
    pass


class BrownieEnvironmentWarning(Warning):
    pass


class NotCovered(DaftarError):
    """A part of Brownie's API that daftar's layer does not provide."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} is not covered by daftar's Brownie layer; see docs/brownie.md for what "
            "is covered (and what to use instead)"
        )


class NotCoveredAttribute(NotCovered, AttributeError):
    """NotCovered for an object's attribute: also an AttributeError, so `getattr(obj, name,
    default)` and `hasattr` (which libraries such as Hypothesis use to probe) still work."""


class UnknownAttribute(DaftarError, AttributeError):
    """An attribute an object does not have (e.g. a function a contract lacks)."""


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    raise NotCovered(f"brownie.exceptions.{name}")
