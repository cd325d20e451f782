"""The `brownie` API on daftar, for Brownie projects (see docs/brownie.md).

Inside `daftar test`, `daftar run` and `daftar console` (and the pytest plugin) in a
Brownie-style project, `import brownie` resolves to this package when the real Brownie
is not installed (`daftar.compat.brownie._hook`). Everything here works on the active
project and network: `accounts`, `chain`, `history`, `web3`, one container per
contract (`from brownie import Token`), `reverts`, `interface`, `Contract`, `Wei`.
A part of Brownie's API that is not covered raises one `DaftarError` naming it.
"""

from __future__ import annotations

from typing import Any

from daftar.compat.brownie import _state
from daftar.compat.brownie import network as network
from daftar.compat.brownie._reverts import reverts
from daftar.compat.brownie.convert import Fixed, Wei
from daftar.compat.brownie.exceptions import NotCovered
from daftar.compat.brownie.network.account import accounts
from daftar.compat.brownie.network.contract import Contract, InterfaceContainer, container
from daftar.compat.brownie.network.state import chain, history
from daftar.compat.brownie.network.web3 import web3

__all__ = [
    "ETH_ADDRESS",
    "ZERO_ADDRESS",
    "Contract",
    "Fixed",
    "Wei",
    "a",
    "accounts",
    "chain",
    "config",
    "history",
    "interface",
    "network",
    "reverts",
    "web3",
]

a = accounts
interface = InterfaceContainer()
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ETH_ADDRESS = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"


class _Config(dict):
    """brownie-config.yaml as read (Brownie's `config`), with `${VAR}` expanded."""

    def __missing__(self, key: str) -> Any:
        raise KeyError(f"brownie-config.yaml has no '{key}' key")


def _expand(value: Any) -> Any:
    import os
    import re

    if isinstance(value, dict):
        return _Config({k: _expand(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_expand(v) for v in value]
    if isinstance(value, str):
        return re.sub(
            r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: os.environ.get(m.group(1), ""), value
        )
    return value


def _config() -> _Config:
    project = _state.project()
    cfg = _expand(dict(project.config.raw))
    cfg.setdefault("networks", _Config())
    for name in project.config.networks:
        cfg["networks"].setdefault(name, _Config())
    return cfg


_UNCOVERED = {
    "project": "brownie.project (daftar loads the project itself: `daftar test/run/console`)",
    "rpc": "brownie.rpc",
    "run": "brownie.run (use `daftar run scripts/x.py`)",
    "compile_source": "brownie.compile_source",
    "multicall": "brownie.multicall",
    "alert": "brownie.alert",
    "Multicall": "brownie.Multicall",
    "Gui": "brownie.Gui",
}


def __getattr__(name: str) -> Any:
    """Contract containers by name (`from brownie import Token`), `config`, else a clear error."""
    if name.startswith("_"):
        raise AttributeError(name)
    if name == "config":
        return _config()
    found = container(name) if _state.project_or_none() is not None or _load() else None
    if found is not None:
        return found
    if name in _UNCOVERED:
        raise NotCovered(_UNCOVERED[name])
    project = _state.project_or_none()
    if project is not None and name[:1].isupper():
        known = ", ".join(sorted(project.contract_types)) or "none"
        from daftar.errors import DaftarError

        raise DaftarError(
            f"brownie.{name}: no contract called {name} in {project.config.contracts_dir}; "
            f"contracts: {known}"
        )
    raise NotCovered(f"brownie.{name}")


def _load() -> bool:
    try:
        _state.project()
    except Exception:
        return False
    return True
