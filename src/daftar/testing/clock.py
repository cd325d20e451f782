"""What a stateful test's model can know of the `block.timestamp` views see.

Views run on the latest block. After `chain.mine(timestamp=t)` the model knows that time
exactly; after any transaction (mined, or refused: nodes differ on whether a refused one
leaves a block) it only knows a range up to `chain.time()`, until the contract records a
time the model can learn from. Time-dependent expectations are checked over that range.
"""

from __future__ import annotations

from typing import Any


class ModelClock:
    def __init__(self, chain: Any) -> None:
        self.chain = chain
        self.lo = 0
        self.exact = False
        self.pin(1)

    def pin(self, delta: int) -> int:
        """Mine a block at least `delta` seconds ahead; the model then knows the time."""
        return self.pin_at(self.chain.time() + max(1, delta))

    def pin_at(self, t: int) -> int:
        self.chain.mine(timestamp=t)
        self.lo, self.exact = t, True
        return t

    def view(self) -> tuple[int, int]:
        """The range the latest block's timestamp lies in."""
        return (self.lo, self.lo) if self.exact else (self.lo, self.chain.time())

    def sent(self) -> None:
        """A transaction was sent (mined or reverted): the latest block may be newer."""
        self.exact = False

    def learn(self, t: int) -> None:
        """The latest block is a transaction the contract recorded at `t`."""
        assert self.lo <= t <= self.chain.time(), (self.lo, t, self.chain.time())
        self.lo, self.exact = t, True
