"""Testing helpers: the pytest plugin's state, stateful machines, `reverts`, strategies."""

from typing import Any

from daftar.testing.isolation import current_chain, isolated
from daftar.testing.reverts import reverts

__all__ = ["ChainStateMachine", "current_chain", "isolated", "reverts"]


def __getattr__(name: str) -> Any:
    """`ChainStateMachine` is imported when asked for (it imports Hypothesis)."""
    if name == "ChainStateMachine":
        from daftar.testing.machine import ChainStateMachine

        return ChainStateMachine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
