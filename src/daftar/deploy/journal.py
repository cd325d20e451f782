"""The write-ahead journal of a deploy: one JSON record per line, each fsync'd.

A record is durable before the action it announces happens (a signed transaction is on
disk before it is broadcast), so after a crash at any point the journal says exactly what
may have reached the chain. A crash mid-write leaves at most a truncated last line: it is
ignored when reading and cut off before the next append, so earlier records are never lost.

Test hook: with `DAFTAR_CRASH_AFTER=<n>` in the environment the process kills itself with
SIGKILL right after the journal file reaches n records (the integration tests use it to
crash after every journal step in turn). Never set it outside tests.
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar.errors import DeployError
from daftar.util.files import fsync_dir

CRASH_ENV = "DAFTAR_CRASH_AFTER"

#: Events, in the order a step goes through them.
SIGNED = "signed"  # nonce + raw transaction, written before broadcast
SENT = "sent"  # the node accepted it (also written on rebroadcast)
MINED = "mined"  # receipt with enough confirmations; the step is done
FAILED = "failed"  # mined but reverted: the step is to be redone
SKIPPED = "skipped"  # nothing to do (e.g. the role was already granted)


@dataclass
class StepState:
    """What the journal knows about one step."""

    signed: list[dict[str, Any]] = field(default_factory=list)
    mined: dict[str, Any] | None = None
    skipped: dict[str, Any] | None = None

    @property
    def done(self) -> bool:
        return self.mined is not None or self.skipped is not None

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.signed[-1] if self.signed else None

    @property
    def hashes(self) -> list[str]:
        return [r["hash"] for r in self.signed]

    @property
    def record(self) -> dict[str, Any] | None:
        """The signed record the step stands on: the mined one, else the newest."""
        if self.mined:
            return next((r for r in self.signed if r["hash"] == self.mined["hash"]), self.latest)
        return self.latest


class Journal:
    """Append-only JSONL file; `records` is what survived, in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: list[dict[str, Any]] = read(path)

    def append(self, event: str, step: str, **fields: Any) -> dict[str, Any]:
        record = {"event": event, "step": step, "time": round(time.time(), 3), **fields}
        line = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _drop_partial_tail(self.path)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        if len(self.records) == 0:
            fsync_dir(self.path.parent)
        self.records.append(record)
        _maybe_crash(len(self.records))
        return record

    def state(self, step: str) -> StepState:
        """Fold a step's records; a `failed` record clears what came before it."""
        st = StepState()
        for rec in self.records:
            if rec.get("step") != step:
                continue
            event = rec["event"]
            if event == SIGNED:
                st.signed.append(rec)
            elif event == MINED:
                st.mined = rec
            elif event == SKIPPED:
                st.skipped = rec
            elif event == FAILED:
                st = StepState()
        return st

    def in_flight_nonces(self, sender: str | None = None) -> set[int]:
        """Nonces of transactions signed (by `sender`, or anyone) for steps not yet done."""
        steps = {r["step"] for r in self.records if r["event"] == SIGNED}
        nonces: set[int] = set()
        for step in steps:
            st = self.state(step)
            if not st.done:
                nonces.update(
                    int(r["nonce"])
                    for r in st.signed
                    if sender is None or r["from"].lower() == sender.lower()
                )
        return nonces

    def deployer(self) -> str | None:
        return next((r["from"] for r in self.records if r["event"] == SIGNED), None)


def read(path: Path) -> list[dict[str, Any]]:
    """Every complete record; a last line cut short by a crash is ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    records = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            if i == len(lines) - 1:  # no newline after it: a write cut short
                break
            raise DeployError(
                f"{path}:{i + 1}: not a journal record. The journal is append-only; restore "
                "it from version control or a backup rather than editing it."
            ) from None
    return records


def _drop_partial_tail(path: Path) -> None:
    """Cut a truncated last line (no trailing newline) so the next record starts clean."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with open(path, "rb+") as f:
        f.seek(-1, os.SEEK_END)
        if f.read(1) == b"\n":
            return
        f.seek(0)
        data = f.read()
        f.truncate(data.rfind(b"\n") + 1)
        f.flush()
        os.fsync(f.fileno())


def _maybe_crash(count: int) -> None:
    target = os.environ.get(CRASH_ENV)
    if target and target.isdigit() and count == int(target):
        os.kill(os.getpid(), signal.SIGKILL)
