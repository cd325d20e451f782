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
