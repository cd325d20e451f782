"""The shape every explorer client has: submit, check a ticket, and `verify` = submit then
poll (bounded) until the explorer gives a final answer."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from daftar.explorer.http import Http, poll
from daftar.explorer.result import Status, VerificationResult
from daftar.explorer.submission import Submission


class Explorer(ABC):
    name: str

    def __init__(self, http: Http, timeout: float = 120.0, poll_interval: float = 5.0) -> None:
        self.http = http
        self.timeout = timeout
        self.poll_interval = poll_interval

    @abstractmethod
    def submit(self, sub: Submission) -> VerificationResult:
        """Send the source; `pending` (with a ticket) when the explorer queues the job."""

    @abstractmethod
    def check(self, sub: Submission, ticket: str) -> VerificationResult:
        """Ask once how a queued job went."""

    @staticmethod
    def _body(response: Any) -> Any:
        """The JSON answer, or the start of a non-JSON one as a message (proxies, HTML)."""
        try:
            return response.json()
        except ValueError:
            return {"message": response.text[:300]}

    @abstractmethod
    def page_url(self, sub: Submission) -> str | None:
        """Where a human sees the verified source."""

    def result(
        self, sub: Submission, status: Status, message: str = "", ticket: str | None = None
    ) -> VerificationResult:
        """A result for `sub`, with the explorer's page and its message (secrets redacted)."""
        return VerificationResult(
            self.name, status, self.page_url(sub), self.http.redact(message), ticket
        )

    def verify(self, sub: Submission) -> VerificationResult:
        """Submit, then poll until verified, failed or `timeout` seconds have passed."""
        first = self.submit(sub)
        if first.status != "pending" or first.ticket is None:
            return first
        ticket = first.ticket
        if self.http.notify is not None:
            self.http.notify(
                f"  {self.name}: job {ticket} queued; waiting up to {self.timeout:g}s "
                "for its answer"
            )
        final = poll(
            lambda: self.check(sub, ticket),
            lambda r: r.status != "pending",
            self.timeout,
            self.poll_interval,
        )
        if final.status == "pending":
            return self.result(
                sub,
                "pending",
                f"still pending after {self.timeout:g}s (job {ticket}); rerun later to "
                "check again: verification is idempotent",
                ticket,
            )
        return final
