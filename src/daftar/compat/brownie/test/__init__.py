"""`brownie.test`: `given` and `strategy` for property tests, `state_machine` for stateful ones."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from daftar.compat.brownie.exceptions import NotCovered
from daftar.compat.brownie.test.stateful import state_machine
from daftar.compat.brownie.test.strategies import strategy

__all__ = ["given", "state_machine", "strategy"]


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    raise NotCovered(f"brownie.test.{name}")
