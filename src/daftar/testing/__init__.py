"""Testing helpers: the pytest plugin's state, stateful machines, `reverts`, strategies."""

from daftar.testing.isolation import ChainStateMachine, current_chain, isolated
from daftar.testing.reverts import reverts

__all__ = ["ChainStateMachine", "current_chain", "isolated", "reverts"]
