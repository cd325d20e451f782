"""HTTP for explorer clients: retries with backoff, bounded polling, and secrets kept out
of every message.

Transient failures (connection errors, timeouts, HTTP 5xx and 429) are retried with
exponential backoff, honouring `Retry-After` when the server sends seconds. Anything else
is returned to the client, which knows what the explorer's answer means. An API key
travels in query strings for some explorers, and requests puts URLs in its exception
texts, so every message leaving this module is passed through `redact`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import requests

from daftar.explorer.result import ExplorerError, ExplorerUnreachable

T = TypeVar("T")
_KEY_PARAM = re.compile(r"(?i)(api_?key=)[^&\s'\"]+")
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with every secret and any `apikey=` query value replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _KEY_PARAM.sub(r"\1***", text)


class Http:
    """A requests session for one explorer, with retries and redaction."""

    def __init__(
        self,
        explorer: str,
        secrets: Iterable[str | None] = (),
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 8.0,
        timeout: float = 15.0,
        session: requests.Session | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.explorer = explorer
        self.secrets = [s for s in secrets if s]
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.notify = notify  # retries are reported through it as they happen
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "daftar")

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_backoff)
        return min(self.backoff * 2**attempt, self.max_backoff)

    def worst_case(self) -> float:
        """The longest one request can take with its retries, in seconds."""
        waits = sum(self.delay(a) for a in range(self.retries))
        return (self.retries + 1) * self.timeout + waits

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send, retrying transient failures (bounded, each retry reported through
        `notify`); ExplorerUnreachable when no usable answer came."""
        kwargs.setdefault("timeout", self.timeout)
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = (
                    f"no answer within {kwargs['timeout']:g}s"
                    if isinstance(exc, requests.Timeout)
                    else "connection failed"
                )
                if last:
                    raise ExplorerUnreachable(
                        f"{self.explorer}: no answer from {self.redact(_host(url))} after "
                        f"{self.retries + 1} attempts (last: {reason}). Check the network "
                        "and the explorer's URL, then rerun: verification is idempotent."
                    ) from None
                self._retrying(attempt, reason)
                continue
            if response.status_code in RETRY_STATUS:
                reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
                if last:
                    raise ExplorerUnreachable(
                        f"{self.explorer}: {self.redact(_host(url))} kept answering {reason} "
                        f"({self.retries + 1} attempts). The explorer is down or rate-limiting; "
                        "rerun later: verification is idempotent."
                    )
                self._retrying(attempt, reason, response.headers.get("Retry-After"))
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _retrying(self, attempt: int, reason: str, retry_after: str | None = None) -> None:
        wait = self.delay(attempt, retry_after)
        if self.notify is not None:
            self.notify(
                f"  {self.explorer}: {reason}; retry {attempt + 1}/{self.retries} in {wait:g}s"
            )
        time.sleep(wait)

    def json(self, response: requests.Response) -> Any:
        """The body as JSON, or an ExplorerError quoting (redacted) what came instead."""
        try:
            return response.json()
        except ValueError:
            body = self.redact(response.text[:300])
            raise ExplorerError(
                f"{self.explorer}: HTTP {response.status_code} from "
                f"{self.redact(response.url)} is not JSON: {body!r}"
            ) from None


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def poll(
    check: Callable[[], T],
    done: Callable[[T], bool],
    timeout: float,
    interval: float,
    max_interval: float = 15.0,
) -> T:
    """Call `check` until `done(result)` or `timeout` seconds passed; the last result wins."""
    deadline = time.monotonic() + timeout
    result = check()
    while not done(result):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(interval, left))
        interval = min(interval * 1.5, max_interval)
        result = check()
    return result
