"""The fixtures and collection hook of a daftar project's pytest run.

`daftar.testing.plugin` registers this module only for runs that use daftar (a
brownie-config.yaml was found), so other projects never see these fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT_KEY = pytest.StashKey[Path]()
BACKEND_KEY = pytest.StashKey[str]()
PROJECT_KEY = pytest.StashKey[Any]()
_ALIASES = {"revm": "development"}


def _network_name(config: pytest.Config) -> str | None:
    name = config.getoption("--network")
    return _ALIASES.get(name, name) if name else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from daftar.testing.isolation import isolate_examples

    for item in items:
        fn = getattr(item, "obj", None)
        hyp = getattr(fn, "hypothesis", None)
        if hyp is not None and getattr(fn, "is_hypothesis_test", False):
            hyp.inner_test = isolate_examples(hyp.inner_test)


@pytest.fixture(scope="session")
def project(pytestconfig: pytest.Config) -> Any:
    from daftar.project import Project

    return Project.load(pytestconfig.stash[ROOT_KEY])


@pytest.fixture(scope="session")
def chain(project: Any, pytestconfig: pytest.Config) -> Iterator[Any]:
    from daftar.testing.isolation import set_current_chain

    chain = project.connect(_network_name(pytestconfig))
    pytestconfig.stash[BACKEND_KEY] = chain.backend
    pytestconfig.stash[PROJECT_KEY] = project
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A stateful failure also becomes a plain regression test (daftar.testing.replay)."""
    report = yield
    if call.when == "call" and call.excinfo is not None and report.failed:
        from daftar.testing import replay

        fn = getattr(item, "function", None)
        steps = replay.steps_from(call.excinfo.value)
        if steps and fn is not None and replay.enabled():
            try:
                path, name = replay.write_regression(Path(str(item.path)), fn, steps)
            except OSError as exc:
                report.sections.append(("daftar", f"could not write a regression test: {exc}"))
            else:
                line = f"daftar: the shrunk steps are a regression test now: {path}::{name}"
                report.longrepr = f"{report.longrepr}\n\n{line}"
                report.sections.append(("daftar regression test", f"{path}::{name}"))
    return report
