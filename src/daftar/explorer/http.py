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

from daftar.explorer.result import ExplorerError

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
        retries: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        timeout: float = 30.0,
        session: requests.Session | None = None,
    ) -> None:
        self.explorer = explorer
        self.secrets = [s for s in secrets if s]
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "daftar")

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_backoff)
        return min(self.backoff * 2**attempt, self.max_backoff)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send, retrying transient failures; the last response is returned, even a 5xx."""
        kwargs.setdefault("timeout", self.timeout)
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if last:
                    raise ExplorerError(
                        f"{self.explorer}: no answer from {self.redact(url)} after "
                        f"{self.retries + 1} attempts ({self.redact(str(exc))}). Check the "
                        "network and the explorer's URL, then rerun: verification is idempotent."
                    ) from None
                time.sleep(self.delay(attempt))
                continue
            if response.status_code in RETRY_STATUS and not last:
                time.sleep(self.delay(attempt, response.headers.get("Retry-After")))
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

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
