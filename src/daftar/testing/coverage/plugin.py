"""The pytest side of `--coverage`: pick a collector for the run's backend before the chain
exists, attach it to the chain, and report at the end of the session.

Reports go to `<reports>/coverage/` (Brownie's `project_structure.reports`, default
`reports`): `lcov.info`, `index.html`, `coverage.json`; the table is printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from daftar.chain.base import Chain
from daftar.testing.coverage.collect import UNSUPPORTED, AnvilCollector, TesterCollector

_STATE = pytest.StashKey[dict[str, Any]]()
_ALIASES = {"revm": "development"}


def start(config: pytest.Config, root: Path) -> None:
    """Called from pytest_configure when --coverage is given (before any chain exists)."""
    from daftar import config as config_mod

    cfg = config_mod.load(root)
    name = config.getoption("--network")
    net = cfg.network(_ALIASES.get(name, name) if name else None)
    if net.backend == "tester":
        collector: Any = TesterCollector()
    elif net.backend == "anvil":
        collector = AnvilCollector()
    else:
        raise pytest.UsageError(
            f"--coverage on network '{net.name}' ({net.backend} backend): "
            + (UNSUPPORTED if net.backend == "revm" else
               "coverage runs on local backends only. Use `--network tester` or `--network anvil`.")
        )  # fmt: skip
    config.stash[_STATE] = {"collector": collector, "config": cfg, "attached": set()}
    config.pluginmanager.register(sys.modules[__name__], "daftar.testing.coverage.plugin")


def attach(config: pytest.Config, project: Any, chain: Any) -> None:
    state = config.stash.get(_STATE, None)
    if state is None or id(chain) in state["attached"]:
        return
    state["attached"].add(id(chain))
    state["collector"].attach(chain)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """Whichever fixture opens the chain (daftar's `chain`, the Brownie layer's, a
    project's own), the collector sees it."""
    outcome = yield
    if outcome.excinfo is not None:
        return
    value = outcome.get_result()
    if isinstance(value, Chain):
        attach(request.config, None, value)


def summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    from daftar.testing.coverage.report import Filters, compute

    collector, cfg = state["collector"], state["config"]
    collector.stop()
    terminalreporter.write_sep("=", "Solidity coverage")
    hits = collector.hits()
    if not hits.pcs:
        terminalreporter.write_line("no contract code ran: nothing to report")
        return
    artifacts = [
        json.loads(path.read_text())
        for path in sorted((cfg.build_dir / "contracts").glob("*.json"))
    ]
    coverage = compute(artifacts, cfg.build_dir, hits, Filters.of(cfg))
    for line in coverage.table():
        terminalreporter.write_line(line)
    reports = (cfg.raw.get("project_structure") or {}).get("reports") or "reports"
    paths = coverage.write(cfg.root / reports / "coverage")
    terminalreporter.write_line(
        f"lcov: {paths['lcov']}  html: {paths['html']}  json: {paths['json']}"
    )
