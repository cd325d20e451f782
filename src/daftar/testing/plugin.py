"""daftar's pytest plugin (registered through the `pytest11` entry point).

Fixtures: `project` (compiled once), `chain` (the `--network`, default from config),
`accounts`. Every test that uses the chain runs in a snapshot that is reverted after it,
and so does every Hypothesis example; stateful machines derive from `ChainStateMachine`.
Hypothesis profiles `dev`, `ci` (derandomized, the README's test command) and `nightly`
are registered here; pick one with `--hypothesis-profile`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from daftar.testing.isolation import isolate_examples, set_current_chain

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile(
    "ci",
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
settings.register_profile(
    "nightly",
    max_examples=1000,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=_SLOW_OK,
)
settings.load_profile(os.environ.get("DAFTAR_HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("daftar")
    group.addoption("--gas", action="store_true", help="print gas used per contract function")
    group.addoption(
        "--network",
        default=None,
        help="network to test on: revm (development), tester, anvil, or any configured name",
    )


_ALIASES = {"revm": "development"}
_GAS_KEY = pytest.StashKey["GasReport"]()
_BACKEND_KEY = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--gas", default=False):
        from daftar.testing.gas import GasReport

        report = GasReport()
        report.start()
        config.stash[_GAS_KEY] = report


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(_GAS_KEY, None)
    if report is None:
        return
    report.stop()
    backend = config.stash.get(_BACKEND_KEY, "?")
    terminalreporter.write_sep("=", f"gas report ({backend})")
    for line in report.render(backend):
        terminalreporter.write_line(line)


def _network_name(config: pytest.Config) -> str | None:
    name = config.getoption("--network")
    return _ALIASES.get(name, name) if name else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fn = getattr(item, "obj", None)
        hyp = getattr(fn, "hypothesis", None)
        if hyp is not None and getattr(fn, "is_hypothesis_test", False):
            hyp.inner_test = isolate_examples(hyp.inner_test)


@pytest.fixture(scope="session")
def project() -> Any:
    from daftar.project import Project

    return Project.load()


@pytest.fixture(scope="session")
def chain(project: Any, pytestconfig: pytest.Config) -> Iterator[Any]:
    chain = project.connect(_network_name(pytestconfig))
    pytestconfig.stash[_BACKEND_KEY] = chain.backend
    set_current_chain(chain)
    yield chain
    set_current_chain(None)
    project.close()


@pytest.fixture(scope="session")
def accounts(chain: Any) -> list[Any]:
    return chain.accounts


@pytest.fixture(autouse=True)
def _daftar_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Revert whatever a test did to the chain, if it used the chain at all."""
    if "chain" not in request.fixturenames:
        yield
        return
    chain = request.getfixturevalue("chain")
    snap = chain.snapshot()
    yield
    chain.revert(snap)
