"""A failing test's decoded call trace: when a test fails on a revert it did not expect, the
report gains a section with the call tree of the failing call or transaction.

The tester backend recorded it in process as it ran; on anvil it is asked for then
(`debug_traceTransaction` / `debug_traceCall` with `callTracer`); on revm the section has
the decoded revert and says how to get the full tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from daftar.chain.base import Reverted


def find_reverted(exc: BaseException | None) -> Reverted | None:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Reverted):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def trace_text(project: Any, exc: Reverted) -> str:
    try:
        return str(project.explain_trace(exc))
    except Exception as err:  # a report must never fail because a trace could not be had
        return f"{exc}\n(no call trace: {type(err).__name__}: {err})"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    if call.when != "call" or call.excinfo is None:
        return
    exc = find_reverted(call.excinfo.value)
    if exc is None:
        return
    from daftar.testing.fixtures import PROJECT_KEY

    project = item.config.stash.get(PROJECT_KEY, None)
    if project is None:
        return
    report = outcome.get_result()
    report.sections.append(("daftar call trace", trace_text(project, exc)))
