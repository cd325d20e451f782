"""`brownie.network`: connect, the active network, and its accounts, chain and history."""

from __future__ import annotations

from typing import Any

from daftar.compat.brownie import _state
from daftar.compat.brownie.convert.datatypes import Wei
from daftar.compat.brownie.exceptions import NotCovered
from daftar.compat.brownie.network.account import accounts
from daftar.compat.brownie.network.contract import Contract
from daftar.compat.brownie.network.state import chain, history
from daftar.compat.brownie.network.web3 import web3

__all__ = [
    "Contract",
    "accounts",
    "chain",
    "connect",
    "disconnect",
    "gas_limit",
    "gas_price",
    "history",
    "is_connected",
    "priority_fee",
    "show_active",
    "web3",
]

#: Brownie's network ids that mean "the local development chain".
_LOCAL = {"development": None, "revm": "development"}


def show_active() -> str | None:
    """The name of the connected network (e.g. 'development'), None if none."""
    return _state.network_name()


def is_connected() -> bool:
    return _state.chain_or_none() is not None


def connect(network: str | None = None, launch_rpc: bool = True) -> None:
    """Connect to a network of brownie-config.yaml's `daftar.networks` (default: its default)."""
    if _LOCAL.get(network):
        network = _LOCAL[network]
    _state.connect(network)


def disconnect(kill_rpc: bool = True) -> None:
    _state.disconnect()


def gas_limit(*args: Any) -> Any:
    return "auto"


def gas_price(*args: Any) -> Any:
    return Wei(0) if not args else None


def priority_fee(*args: Any) -> Any:
    return None


def max_fee(*args: Any) -> Any:
    return None


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    raise NotCovered(f"brownie.network.{name}")
