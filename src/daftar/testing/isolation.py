"""Test isolation by snapshot/revert: per test, per Hypothesis example, per state machine run.

The pytest plugin records the session's chain here; Hypothesis examples and stateful
machines find it through `current_chain()` because Hypothesis calls them without fixtures.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from daftar.chain.base import Chain

_current: list[Chain] = []


def set_current_chain(chain: Chain | None) -> None:
    _current.clear()
    if chain is not None:
        _current.append(chain)


def current_chain() -> Chain:
    if not _current:
        raise RuntimeError("no chain: use the `chain` fixture (daftar's pytest plugin) first")
    return _current[0]


@contextlib.contextmanager
def isolated(chain: Chain | None = None) -> Iterator[Chain]:
    """Everything done inside is undone on exit, whatever happens."""
    chain = chain or current_chain()
    snap = chain.snapshot()
    try:
        yield chain
    finally:
        chain.revert(snap)


def isolate_examples(inner: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a Hypothesis inner test so each example starts from the same chain state."""

    @wraps(inner)
    def run_example(*args: Any, **kwargs: Any) -> Any:
        if not _current:
            return inner(*args, **kwargs)
        with isolated():
            return inner(*args, **kwargs)

    return run_example
