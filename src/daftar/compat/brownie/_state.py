"""The one active project and network the `brownie` objects work on (Brownie is global too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daftar.errors import DaftarError

if TYPE_CHECKING:
    from daftar.chain.base import Chain
    from daftar.project import Project

_project: list[Project] = []
_chain: list[Chain] = []
_network: list[str] = []
#: Contract containers of the active project by name (filled by network.contract).
CONTAINERS: dict[str, Any] = {}
#: Called with no arguments after the chain is reverted to an earlier state.
REVERT_HOOKS: list[Any] = []


def load_project(root: Path | str | None = None) -> Project:
    """The project at `root` (compiled if needed), made the active one; Brownie packages
    (`dependencies:`) it relies on are refused with what to do instead (`_packages`)."""
    from daftar import config as config_mod
    from daftar.compat.brownie import _packages
    from daftar.project import Project

    if _project and (root is None or Path(root).resolve() == _project[0].config.root):
        return _project[0]
    project = Project(config_mod.load(Path(root) if root else None))
    _packages.check(project.config)
    try:
        project.compile()
    except DaftarError as exc:
        raise _packages.explain(project.config, exc) from None
    _project[:] = [project]
    return project


def project() -> Project:
    if not _project:
        return load_project()
    return _project[0]


def project_or_none() -> Project | None:
    return _project[0] if _project else None


def connect(network: str | None = None, chain: Chain | None = None) -> Chain:
    """Connect the active project to `network` (or adopt an already open `chain`)."""
    proj = project()
    if chain is None:
        chain = proj.connect(network)
    else:
        proj.chain = chain
    _chain[:] = [chain]
    _network[:] = [chain.name]
    return chain


def disconnect() -> None:
    if _project:
        _project[0].close()
    _chain.clear()
    _network.clear()


def chain() -> Chain:
    if not _chain:
        raise DaftarError(
            "no network is connected: run Brownie-style code through `daftar test`, "
            "`daftar run` or `daftar console` (or call brownie.network.connect())"
        )
    return _chain[0]


def chain_or_none() -> Chain | None:
    return _chain[0] if _chain else None


def network_name() -> str | None:
    return _network[0] if _network else None


def reverted() -> None:
    for hook in REVERT_HOOKS:
        hook()


def decode_events(logs: list[Any]) -> list[Any]:
    project = project_or_none()
    return project.events.decode_all(logs) if project is not None else []


class TxHistory:
    """Every transaction of this session, oldest first (reverted ones included)."""

    def __init__(self) -> None:
        self._list: list[Any] = []

    def _add(self, tx: Any) -> None:
        self._list.append(tx)

    def __getitem__(self, index: Any) -> Any:
        return self._list[index]

    def __len__(self) -> int:
        return len(self._list)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._list))

    def __contains__(self, tx: Any) -> bool:
        return tx in self._list

    def __repr__(self) -> str:
        return repr(self._list)

    def clear(self) -> None:
        self._list.clear()

    def copy(self) -> list[Any]:
        return list(self._list)

    def filter(self, key: Any = None, **kwargs: Any) -> list[Any]:
        out = [t for t in self._list if all(getattr(t, k, None) == v for k, v in kwargs.items())]
        return [t for t in out if key(t)] if key else out

    def from_sender(self, account: Any) -> list[Any]:
        return [t for t in self._list if t.sender == account]

    def to_receiver(self, account: Any) -> list[Any]:
        return [t for t in self._list if t.receiver == account]

    def of_address(self, account: Any) -> list[Any]:
        return [t for t in self._list if account in (t.sender, t.receiver)]


history = TxHistory()
