"""One retry policy for RPC calls: bounded attempts, exponential backoff, a total bound.

web3's HTTP provider would retry on its own (five attempts, each up to its timeout) and any
caller retrying around it multiplies that: a node that accepts connections and never
answers used to stall a deploy for about fifteen minutes. daftar switches web3's retries
off (`rpc.connect_http`) and retries every JSON-RPC call here, in one place:

- only transport failures are retried: a refused or dropped connection, a request that
  timed out (the per-request `timeout`), HTTP 429 and 5xx answers. A JSON-RPC error answer
  (nonce too low, a revert) is the node's verdict and is never retried;
- at most `attempts` tries, waiting `backoff`, 2×`backoff`, … (at most `max_delay`)
  between them, and no new try once it could not finish within `total` seconds;
- then `NodeUnreachable`, saying which call failed against which network and node, after
  how many attempts, and what to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from daftar.chain.base import NodeUnreachable

#: HTTP answers that mean "try again": rate limited, or the node (or its proxy) is failing.
TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff: float = 0.5  # seconds before the second attempt; doubles after each failure
    max_delay: float = 8.0
    timeout: float = 10.0  # per request (connect, and each read), applied by the transport
    total: float = 60.0  # no attempt is started that could not end within this
    notify: Callable[[str], None] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, net: Any, notify: Callable[[str], None] | None = None) -> RetryPolicy:
        """The policy a network's settings ask for (brownie-config.yaml
        `daftar.networks.<name>`: `rpc_retries` after the first attempt, `rpc_backoff` and
        `rpc_timeout` in seconds)."""
        s = getattr(net, "settings", None) or {}
        return cls(
            attempts=1 + int(s.get("rpc_retries", cls.attempts - 1)),
            backoff=float(s.get("rpc_backoff", cls.backoff)),
            timeout=float(s.get("rpc_timeout", cls.timeout)),
            notify=notify,
        )

    def once(self) -> RetryPolicy:
        """The same policy with a single attempt (for calls that must not be repeated)."""
        return replace(self, attempts=1)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        what: str,
        network: str,
        endpoint: str = "",
    ) -> Any:
        """`fn(*args)`, retried on transport failures; `what` names the call in messages."""
        start = time.monotonic()
        delay = self.backoff
        attempt = 0
        while True:
            attempt += 1
            try:
                return fn(*args)
            except Exception as exc:
                reason = transient(exc, self.timeout)
                if reason is None:
                    raise
            elapsed = time.monotonic() - start
            if attempt >= self.attempts or elapsed + delay + self.timeout > self.total:
                where = f"from {endpoint}" if endpoint else "from the node"
                raise NodeUnreachable(
                    f"network '{network}': no answer {where} to {what} after {attempt} "
                    f"attempt{'s' if attempt != 1 else ''} in {elapsed:.1f}s (last: {reason}). "
                    "Check the RPC URL and that the node is up and not overloaded, then rerun "
                    "(a deploy resumes from its journal)."
                ) from None
            if self.notify is not None:
                self.notify(f"  {what}: {reason}; retrying in {delay:.1f}s")
            time.sleep(delay)
            delay = min(delay * 2, self.max_delay)


def transient(exc: BaseException, timeout: float | None = None) -> str | None:
    """What went wrong, if `exc` is a transport failure worth retrying; else None.

    The text never includes the exception's own message: requests puts the URL there,
    and node URLs often embed an API key.
    """
    import requests

    if isinstance(exc, requests.HTTPError):
        status = exc.response.status_code if exc.response is not None else None
        if status not in TRANSIENT_STATUS:
            return None
        reason = exc.response.reason if exc.response is not None else ""
        return f"HTTP {status} {reason}".strip()
    if isinstance(exc, (requests.Timeout, TimeoutError)):
        within = f" within {timeout:g}s" if timeout is not None else ""
        return f"{type(exc).__name__}: no answer{within}"
    if isinstance(exc, (requests.ConnectionError, ConnectionError)):
        return f"{type(exc).__name__}: connection failed"
    if isinstance(exc, OSError) and not isinstance(exc, requests.RequestException):
        return f"{type(exc).__name__}"
    return None


def http_status(exc: BaseException) -> tuple[int, str] | None:
    """(status, reason) of an HTTP error answer, for the message of one not retried."""
    import requests

    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return exc.response.status_code, exc.response.reason or ""
    return None
