"""What a verification attempt says, the same shape for every explorer and the local check.

Callers store `record_status` in a deployment record's `verification` map, so a rerun can
skip explorers that already hold the source (see `daftar.explorer.verify`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from daftar.errors import DaftarError

Status = Literal[
    "verified",
    "partial",
    "already_verified",
    "pending",  # the explorer queued the job and has not answered yet (a ticket says which)
    "rejected",  # the explorer answered: it will not verify this (its message says why)
    "unreachable",  # no usable answer (connection, timeout, 5xx): the record is left alone
    "not_configured",  # not asked: no API key, no instance known for this chain
    "failed",  # the local bytecode check: the code on chain does not match
]
#: Statuses after which nothing is left to do on that explorer.
DONE: frozenset[str] = frozenset({"verified", "partial", "already_verified"})
#: Statuses that say nothing about the contract: a record keeps what it had before.
NO_ANSWER: frozenset[str] = frozenset({"unreachable", "not_configured"})


class ExplorerError(DaftarError):
    """An explorer cannot be used: missing API key, unreachable, or an unexpected answer."""


class ExplorerUnreachable(ExplorerError):
    """No usable answer from the explorer (connection failed, timed out, 5xx, 429)."""


class ExplorerNotConfigured(ExplorerError):
    """The explorer cannot be asked: no API key, or no instance known for the chain."""


@dataclass(frozen=True)
class VerificationResult:
    """One explorer's answer. `ticket` is its job id (Etherscan guid, Sourcify verificationId)
    while pending, so a later run or a human can look it up; `skipped` marks a result taken
    from the deployment record without asking the explorer."""

    explorer: str
    status: Status
    url: str | None = None
    message: str = ""
    ticket: str | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """True when the explorer shows the source (full or partial match)."""
        return self.status in DONE

    @property
    def record_status(self) -> str:
        """The value for a record's `verification[explorer]`: 'already verified' is verified."""
        return "verified" if self.status == "already_verified" else self.status

    def __str__(self) -> str:
        text = f"{self.explorer}: {self.status.replace('_', ' ')}"
        if self.message:
            text += f" ({self.message})"
        if self.url:
            text += f" {self.url}"
        return text
