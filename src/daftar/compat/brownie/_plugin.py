"""Brownie's pytest fixtures on daftar, for Brownie-style projects only.

daftar's pytest plugin calls `early(config)` before conftest files load. In a Brownie-style
project (see `_hook.is_brownie_project`) without a real Brownie installed, it installs the
`brownie` import hook and registers the fixtures Brownie tests use: `accounts`, `a`,
`chain`, `history`, `web3`, `interface`, `Contract`, one per contract container by name,
`fn_isolation`, `module_isolation` and `state_machine`. As in Brownie, the network
(`--network`, else the config's default) is connected when the session starts, before the
test modules are collected, so a test that asks for no fixture (`from brownie import
accounts, network` at the top, `network.show_active()` inside) sees it, and so does code
at a module's top level. As in Brownie, tests are not isolated unless they ask for it
(`fn_isolation` / `module_isolation`), so daftar's own per-test snapshot is switched off
here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_ALIASES = {"revm": "development"}


def _root(config: pytest.Config) -> Path | None:
    """The project of this run: the deepest folder holding brownie-config.yaml at or above
    the invocation directory, the rootdir, or a path given on the command line."""
    from daftar.config import CONFIG_NAME

    starts = [Path(config.invocation_params.dir), Path(config.rootpath)]
    args = getattr(config.known_args_namespace, "file_or_dir", None) or []
    base = Path(config.invocation_params.dir)
    starts += [base / str(a).split("::")[0] for a in args if not str(a).startswith("-")]
    found = []
    for start in starts:
        here = start.resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                found.append(folder)
                break
    return max(found, key=lambda f: len(f.parts)) if found else None


def early(config: pytest.Config) -> None:
    from daftar.compat.brownie import _hook

    root = _root(config)
    if root is None or not _hook.is_brownie_project(root):
        return
    if not _hook.activate(root):
        return  # a real Brownie is installed: its own plugin serves this project
    import sys

    from daftar.compat.brownie import _state

    if str(root) not in sys.path:
        sys.path.insert(0, str(root))  # as Brownie does: `from scripts.deploy import main`
    project = _state.load_project(root)
    _apply_hypothesis_settings(project)
    config.pluginmanager.register(_Registrar(sorted(project.contract_types)), "daftar-brownie-late")


class _Registrar:
    """Registers Brownie's fixtures after daftar's own (pytest_configure, trylast): the
    fixture registered last wins, so `chain`, `accounts` are Brownie's here."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        import sys
        import types

        config.pluginmanager.register(sys.modules[__name__], "daftar-brownie")
        containers = types.ModuleType("daftar_brownie_containers")
        for name in self.names:
            setattr(containers, f"_container_{name}", _container_fixture(name))
        config.pluginmanager.register(containers, "daftar-brownie-containers")


def _apply_hypothesis_settings(project: Any) -> None:
    section = project.config.raw.get("hypothesis")
    if not isinstance(section, dict) or not section:
        return
    from hypothesis import settings

    settings.register_profile("brownie-config", settings(settings.default, **section))
    settings.load_profile("brownie-config")


def _container_fixture(name: str) -> Any:
    def fixture(_brownie_connected: Any) -> Any:
        from daftar.compat.brownie.network.contract import container

        return container(name)

    fixture.__name__ = name
    return pytest.fixture(scope="session", name=name)(fixture)


def _connect(config: pytest.Config) -> Any:
    """Connect to the run's network (once) and mark the session's start for `chain`."""
    from daftar.compat.brownie import _state
    from daftar.compat.brownie.network.state import chain as bchain

    chain = _state.chain_or_none()
    if chain is not None:
        return chain
    name = config.getoption("--network", default=None)
    chain = _state.connect(_ALIASES.get(name, name) if name else None)
    bchain._push("session")
    return chain


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Connect before collection, as Brownie does; a network that cannot be reached stops
    the run with its reason (one line, no traceback)."""
    if session.config.getoption("showfixtures", default=False):
        return
    from daftar.errors import DaftarError

    try:
        _connect(session.config)
    except DaftarError as exc:
        raise pytest.UsageError(f"daftar: cannot connect the Brownie network: {exc}") from exc


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    from daftar.compat.brownie import _state

    if _state.chain_or_none() is not None:
        _state.disconnect()


@pytest.fixture(scope="session")
def _brownie_connected(pytestconfig: pytest.Config) -> Any:
    return _connect(pytestconfig)


@pytest.fixture(autouse=True)
def _daftar_isolation() -> Iterator[None]:
    """Brownie isolates only on request (fn_isolation): daftar's default is off here."""
    yield


@pytest.fixture(scope="session")
def accounts(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie.network.account import accounts

    return accounts


@pytest.fixture(scope="session")
def a(accounts: Any) -> Any:
    return accounts


@pytest.fixture(scope="session")
def chain(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie.network.state import chain

    return chain


@pytest.fixture(scope="session")
def history(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie.network.state import history

    return history


@pytest.fixture(scope="session")
def web3(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie.network.web3 import web3

    return web3


@pytest.fixture(scope="session")
def interface(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie import interface

    return interface


@pytest.fixture(scope="session")
def Contract(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie.network.contract import Contract

    return Contract


@pytest.fixture(scope="session")
def state_machine(_brownie_connected: Any) -> Any:
    from daftar.compat.brownie.test.stateful import state_machine

    return state_machine


@pytest.fixture
def fn_isolation(_brownie_connected: Any) -> Iterator[None]:
    """Every test starts from, and leaves behind, the chain as it was before it."""
    from daftar.compat.brownie.network.state import chain

    mark = chain._push("fn_isolation")
    yield
    if mark in chain._marks:
        chain._restore(mark, keep=False)


@pytest.fixture(scope="module")
def module_isolation(_brownie_connected: Any) -> Iterator[None]:
    """The chain after a module is as it was before it."""
    from daftar.compat.brownie.network.state import chain

    mark = chain._push("module_isolation")
    yield
    if mark in chain._marks:
        chain._restore(mark, keep=False)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each Hypothesis example runs in a snapshot of this layer's own (Brownie's `chain`),
    so `history` and the containers forget what an example did, as the chain does."""
    from functools import wraps

    for item in items:
        fn = getattr(item, "obj", None)
        hyp = getattr(fn, "hypothesis", None)
        if hyp is None or not getattr(fn, "is_hypothesis_test", False):
            continue
        inner = getattr(hyp.inner_test, "__wrapped__", hyp.inner_test)  # not daftar's wrapper

        def isolated(*args: Any, __inner: Any = inner, **kwargs: Any) -> Any:
            from daftar.compat.brownie import _state
            from daftar.compat.brownie.network.state import chain

            if _state.chain_or_none() is None:
                return __inner(*args, **kwargs)
            mark = chain._push("example")
            try:
                return __inner(*args, **kwargs)
            finally:
                if mark in chain._marks:
                    chain._restore(mark, keep=False)

        hyp.inner_test = wraps(inner)(isolated)
