"""`brownie.network.state`: `chain` (time, blocks, snapshots, undo) and `history`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from daftar.compat.brownie import _state
from daftar.compat.brownie._state import TxHistory, history
from daftar.compat.brownie.exceptions import NotCovered, NotCoveredAttribute
from daftar.errors import DaftarError

__all__ = ["Chain", "TxHistory", "chain", "history"]


class Block(dict):
    """The latest block as web3 gives it (an AttributeDict): `block.timestamp` and
    `block["timestamp"]`; it has `number` and `timestamp` only, any other field is a
    clear error."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self:
            return self[name]
        raise NotCoveredAttribute(f"the block field '{name}' (only number and timestamp)")

    def __missing__(self, key: Any) -> Any:
        raise NotCovered(f"the block field '{key}' (only number and timestamp)")


@dataclass
class _Mark:
    kind: str
    snapshot: Any
    history_len: int
    deployed: dict[str, int] = field(default_factory=dict)


def _containers() -> dict[str, Any]:
    return _state.CONTAINERS


class Chain:
    """The active network's chain, as Brownie's `chain` object."""

    def __init__(self) -> None:
        self._marks: list[_Mark] = []
        self._for: Any = None

    def _chain(self) -> Any:
        chain = _state.chain()
        if chain is not self._for:
            self._for, self._marks = chain, []
        return chain

    # -- marks: every snapshot this layer takes (isolation fixtures, chain.snapshot) ---------
    def _push(self, kind: str) -> _Mark:
        chain = self._chain()
        deployed = {name: len(c) for name, c in _containers().items()}
        mark = _Mark(kind, chain.snapshot(), len(history), deployed)
        self._marks.append(mark)
        return mark

    def _restore(self, mark: _Mark, keep: bool) -> None:
        """Back to `mark`'s state; drop every later mark (and `mark` itself unless keep)."""
        chain = self._chain()
        if mark not in self._marks:
            raise DaftarError("that snapshot was already reverted past")
        i = self._marks.index(mark)
        del self._marks[i + 1 :]
        chain.revert(mark.snapshot)
        del history._list[mark.history_len :]
        for name, container in _containers().items():
            container._truncate(mark.deployed.get(name, 0))
        if keep:
            mark.snapshot = chain.snapshot()
        else:
            self._marks.pop()
        _state.reverted()

    # -- Brownie's API -------------------------------------------------------------------
    @property
    def height(self) -> int:
        return self._chain().block_number()

    @property
    def id(self) -> int:
        return self._chain().chain_id

    def __len__(self) -> int:
        return self.height + 1

    def __getitem__(self, index: int) -> Any:
        chain = self._chain()
        height = chain.block_number()
        number = index if index >= 0 else height + 1 + index
        if number != height:
            raise NotCovered("chain[n] for blocks other than the latest (chain[-1])")
        ts = getattr(chain, "_last_ts", None)
        if ts is None:
            latest = getattr(chain, "latest_timestamp", None)
            ts = latest() if latest else chain.time()
        return Block(number=number, timestamp=ts)

    def time(self) -> int:
        return self._chain().time()

    def sleep(self, seconds: int) -> None:
        self._chain().sleep(int(seconds))

    def mine(
        self, blocks: int = 1, timestamp: int | None = None, timedelta: int | None = None
    ) -> int:
        chain = self._chain()
        if timedelta is not None:
            chain.sleep(int(timedelta))
        chain.mine(int(blocks), int(timestamp) if timestamp is not None else None)
        return chain.block_number()

    def snapshot(self) -> None:
        """Take the snapshot `revert()` goes back to (one at a time, as in Brownie)."""
        for mark in reversed(self._marks):
            if mark.kind == "user":
                self._restore_drop(mark)
                break
        self._push("user")

    def _restore_drop(self, mark: _Mark) -> None:
        # Replacing a user snapshot: forget it without touching the chain.
        self._marks.remove(mark)

    def revert(self) -> int:
        """Back to the last `chain.snapshot()`; it stays, so revert() can be repeated."""
        for mark in reversed(self._marks):
            if mark.kind == "user":
                self._restore(mark, keep=True)
                return self.height
        raise DaftarError("chain.revert(): no snapshot taken; call chain.snapshot() first")

    def undo(self, num: int = 1) -> int:
        """Undo the last `num` transactions: back to the latest snapshot, then replay the
        transactions after it except the last `num` (daftar keeps no per-transaction
        snapshot, so it replays)."""
        if not self._marks:
            raise DaftarError("chain.undo(): no snapshot to replay from")
        mark = self._marks[-1]
        since = history._list[mark.history_len :]
        replayable = [t for t in since if getattr(t, "_replay", None) is not None]
        if num > len(replayable) or num < 1:
            raise DaftarError(
                f"chain.undo({num}): only {len(replayable)} transaction(s) since the last "
                "snapshot can be undone"
            )
        keep = replayable[:-num]
        undone = {t.contract_address for t in replayable[-num:] if t.contract_address}
        deployed = {name: list(c._contracts) for name, c in _containers().items()}
        self._restore(mark, keep=True)
        for tx in keep:
            tx._replay()
            history._add(tx)
        for name, container in _containers().items():
            container._contracts[:] = [c for c in deployed.get(name, []) if c.address not in undone]
        return self.height

    def redo(self, *_: Any) -> None:
        raise NotCovered("chain.redo")

    def reset(self) -> None:
        raise NotCovered("chain.reset (use chain.snapshot()/chain.revert() or fn_isolation)")

    def __repr__(self) -> str:
        chain = _state.chain_or_none()
        return (
            f"<Chain object (chainid={chain.chain_id}, height={chain.block_number()})>"
            if (chain)
            else "<Chain object (not connected)>"
        )


chain = Chain()
