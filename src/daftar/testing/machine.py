"""`ChainStateMachine`: Hypothesis state machines whose every run starts from the same chain.

Its own module because it imports Hypothesis: `daftar.testing` and the pytest plugin do
not, so runs whose tests never use Hypothesis do not load it.
"""

from __future__ import annotations

from hypothesis.stateful import RuleBasedStateMachine

from daftar.testing.isolation import current_chain


class ChainStateMachine(RuleBasedStateMachine):
    """A RuleBasedStateMachine whose every run starts from the chain state at its start.

    Subclasses get `self.chain`; deploy in `__init__` (after super().__init__()) or in an
    `@initialize` rule. Everything a run did is reverted in `teardown`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.chain = current_chain()
        self._snapshot = self.chain.snapshot()

    def teardown(self) -> None:
        self.chain.revert(self._snapshot)
