"""One retry policy for RPC calls, against real local servers on 127.0.0.1.

The servers count the HTTP requests they get, so a test sees exactly how many attempts
were made: web3's own retries are off, and daftar's policy makes `attempts` requests, then
a clear error. Timeouts and backoffs are short, so each test takes well under a second
or two; no test asserts a duration.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from daftar.chain import NodeRefused, NodeUnreachable, RetryPolicy
from daftar.chain.rpc import RpcChain
from daftar.config import NetworkConfig
from daftar.deploy.executor import LiveSettings
from daftar.errors import NetworkError

FAST = RetryPolicy(attempts=3, backoff=0.01, max_delay=0.05, timeout=0.3, total=10.0)
SECRET = "/v3/SECRETAPIKEY"


# -- local servers ------------------------------------------------------------------------------
class Silent:
    """Accepts connections and never answers (holds them open until closed)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}{SECRET}"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


class Node:
    """A JSON-RPC server whose answer to each request comes from `script` (then `default`).

    Each entry is an HTTP status (answered with an empty body), "ok" (a JSON-RPC result),
    "hang" (no answer for two seconds, far past the tests' timeouts), or a dict (a JSON-RPC
    error object). `methods` records the method of every request.
    """

    def __init__(self, script: list[Any] | None = None, default: Any = "ok") -> None:
        self.script = list(script or [])
        self.default = default
        self.methods: list[str] = []
        node = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                node.methods.append(body["method"])
                answer = node.script.pop(0) if node.script else node.default
                if answer == "hang":
                    time.sleep(2)
                    return
                if isinstance(answer, int):
                    self.send_response(answer)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                reply: dict[str, Any] = {"jsonrpc": "2.0", "id": body["id"]}
                if isinstance(answer, dict):
                    reply["error"] = answer
                else:
                    reply["result"] = RESULTS.get(body["method"], "0x0")
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


RESULTS = {"eth_chainId": "0x539", "eth_accounts": [], "eth_blockNumber": "0x2a"}


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.close()


@pytest.fixture
def node_factory() -> Iterator[Any]:
    made: list[Node] = []

    def make(*script: Any, default: Any = "ok") -> Node:
        made.append(Node(list(script), default))
        return made[-1]

    yield make
    for node in made:
        node.close()


def _connect(url: str, policy: RetryPolicy = FAST) -> RpcChain:
    return RpcChain("testnet", url, 1337, retry=policy)


# -- against servers -------------------------------------------------------------------------
def test_node_that_never_answers_fails_after_the_policys_attempts(silent):
    """Each attempt ends at the per-request timeout; after `attempts` of them, one clear
    error: which call, which network, how many attempts, what to do. No API key in it."""
    with pytest.raises(NodeUnreachable) as info:
        _connect(silent.url)
    text = str(info.value)
    assert "network 'testnet'" in text and "eth_chainId" in text
    assert "after 3 attempts" in text and "ReadTimeout" in text
    assert "Check the RPC URL" in text and "rerun" in text
    assert "SECRETAPIKEY" not in text
    assert len(silent.accepted) == 3  # web3 made no attempts of its own


def test_a_call_after_connecting_is_bounded_too(node_factory):
    """A node that stops answering mid-run: the failing call is named in the error."""
    node = node_factory()
    chain = _connect(node.url)
    assert chain.chain_id == 1337 and chain.block_number() == 42
    node.default = "hang"
    before = len(node.methods)
    with pytest.raises(NodeUnreachable, match="eth_getBalance after 3 attempts"):
        chain.balance("0x" + "12" * 20)
    assert node.methods[before:] == ["eth_getBalance"] * 3


def test_http_503_every_time_is_a_clear_error_after_the_bounded_retries(node_factory):
    node = node_factory(default=503)
    with pytest.raises(NodeUnreachable) as info:
        _connect(node.url)
    assert "HTTP 503" in str(info.value) and "after 3 attempts" in str(info.value)
    assert "SECRETAPIKEY" not in str(info.value)
    assert node.methods == ["eth_chainId"] * 3


def test_http_500_then_502_then_an_answer_succeeds(node_factory):
    node = node_factory(500, 502)
    assert _connect(node.url).chain_id == 1337
    assert node.methods[:3] == ["eth_chainId"] * 3


def test_503_once_then_success_succeeds_and_the_retry_is_reported(node_factory):
    node = node_factory(503)
    said: list[str] = []
    policy = RetryPolicy(attempts=3, backoff=0.01, timeout=0.3, notify=said.append)
    chain = _connect(node.url, policy)
    assert chain.chain_id == 1337
    assert node.methods[:2] == ["eth_chainId", "eth_chainId"]
    assert said == ["  eth_chainId: HTTP 503 Service Unavailable; retrying in 0.0s"]


def test_http_401_is_not_retried(node_factory):
    """A client error will not go away by asking again: one request, then advice."""
    node = node_factory(default=401)
    with pytest.raises(NetworkError) as info:
        _connect(node.url)
    assert not isinstance(info.value, NodeUnreachable)
    assert "HTTP 401" in str(info.value) and "Check the RPC URL" in str(info.value)
    assert "SECRETAPIKEY" not in str(info.value)
    assert node.methods == ["eth_chainId"]


def test_a_json_rpc_error_answer_is_the_nodes_verdict_not_retried(node_factory):
    node = node_factory()
    chain = _connect(node.url)
    node.default = {"code": -32000, "message": "nonce too low: next nonce 5, tx nonce 3"}
    before = len(node.methods)
    with pytest.raises(NodeRefused) as info:
        chain.send_raw_transaction(b"\x02\x01")
    assert info.value.message == "nonce too low: next nonce 5, tx nonce 3"
    assert info.value.code == -32000
    assert node.methods[before:] == ["eth_sendRawTransaction"]


def test_refused_connection_is_retried_then_reported():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(NodeUnreachable, match=r"no answer from http://127\.0\.0\.1:\d+/… to"):
        _connect(f"http://127.0.0.1:{port}{SECRET}")


# -- the policy itself ---------------------------------------------------------------------------
def _flaky(failures: int, exc: BaseException) -> tuple[list[int], Any]:
    calls: list[int] = []

    def fn() -> str:
        calls.append(1)
        if len(calls) <= failures:
            raise exc
        return "answer"

    return calls, fn


def test_backoff_doubles_up_to_max_delay(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("daftar.chain.retry.time.sleep", slept.append)
    calls, fn = _flaky(4, requests.ConnectionError("refused"))
    policy = RetryPolicy(attempts=5, backoff=0.5, max_delay=1.5, timeout=1, total=100)
    assert policy.run(fn, what="eth_blockNumber", network="n") == "answer"
    assert len(calls) == 5 and slept == [0.5, 1.0, 1.5, 1.5]


def test_total_bound_stops_before_an_attempt_that_could_not_finish(monkeypatch):
    """With total=10 and timeout=4, a third attempt (after 2 × ~4 s + waits) is not started."""
    clock = iter(range(0, 1000, 4))  # every reading of the clock: 4 s later
    monkeypatch.setattr("daftar.chain.retry.time.monotonic", lambda: next(clock))
    monkeypatch.setattr("daftar.chain.retry.time.sleep", lambda _s: None)
    calls, fn = _flaky(99, requests.ReadTimeout("slow"))
    policy = RetryPolicy(attempts=10, backoff=1, timeout=4, total=10)
    with pytest.raises(NodeUnreachable, match="after 2 attempts"):
        policy.run(fn, what="eth_call", network="n")
    assert len(calls) == 2


def test_non_transient_errors_pass_through_at_once():
    calls, fn = _flaky(1, ValueError("not a transport problem"))
    with pytest.raises(ValueError):
        FAST.run(fn, what="eth_call", network="n")
    assert len(calls) == 1


def test_once_makes_a_single_attempt():
    calls, fn = _flaky(5, requests.ConnectionError("refused"))
    with pytest.raises(NodeUnreachable, match="after 1 attempt in"):
        FAST.once().run(fn, what="evm_mine", network="n")
    assert len(calls) == 1


def test_policy_from_network_settings():
    net = NetworkConfig(
        "sepolia", "rpc", 11155111,
        settings={"rpc_retries": 2, "rpc_backoff": 0.25, "rpc_timeout": 3},
    )  # fmt: skip
    policy = RetryPolicy.of(net)
    assert (policy.attempts, policy.backoff, policy.timeout) == (3, 0.25, 3.0)
    assert LiveSettings.of(net).retry == policy
    assert RetryPolicy.of(NetworkConfig("x", "rpc", 1)) == RetryPolicy()
