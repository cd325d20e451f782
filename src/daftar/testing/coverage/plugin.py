"""The pytest side of `--coverage`: pick a collector for the run's backend before the chain
exists, attach it to the chain, and report at the end of the session.

Reports go to `<reports>/coverage/` (Brownie's `project_structure.reports`, default
`reports`): `lcov.info`, `index.html`, `coverage.json`; the table is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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
    config.stash[_STATE] = {"collector": collector, "config": cfg, "project": None}


def attach(config: pytest.Config, project: Any, chain: Any) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    state["project"] = project
    state["collector"].attach(chain)


def summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    from daftar.testing.coverage.report import Filters, compute

    collector, cfg, project = state["collector"], state["config"], state["project"]
    collector.stop()
    terminalreporter.write_sep("=", "Solidity coverage")
    if project is None:
        terminalreporter.write_line("no test used the chain: nothing to report")
        return
    coverage = compute(project.artifacts, cfg.build_dir, collector.hits(), Filters.of(cfg))
    for line in coverage.table():
        terminalreporter.write_line(line)
    reports = (cfg.raw.get("project_structure") or {}).get("reports") or "reports"
    paths = coverage.write(cfg.root / reports / "coverage")
    terminalreporter.write_line(
        f"lcov: {paths['lcov']}  html: {paths['html']}  json: {paths['json']}"
    )
