"""`daftar node` (issue 13): a busy port or an anvil that exits is an error, extra arguments
reach anvil, and anvil's log goes to a file the command names."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from daftar.chain.anvil import free_port

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def node(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "daftar.cli", "node", *args],
        cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def test_busy_port_is_an_error_not_a_second_node():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = node("--port", str(port))
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert f"port {port}" in err and "already in use" in err
    assert "listening" not in err


def test_extra_args_reach_anvil_and_the_log_is_named(tmp_path):
    port = free_port()
    log = tmp_path / "anvil.log"
    proc = node("--port", str(port), "--log", str(log), "--", "--gas-limit", "12345678")
    try:
        first = proc.stderr.readline()  # printed once anvil answers
        assert "listening" in first and f"log in {log}" in first, first
        deadline = time.monotonic() + 30
        url = f"http://127.0.0.1:{port}"
        block = None
        while time.monotonic() < deadline:
            try:
                body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_getBlockByNumber",
                                   "params": ["latest", False]}).encode()  # fmt: skip
                req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=5) as resp:
                    block = json.loads(resp.read())["result"]
                break
            except OSError:
                time.sleep(0.2)
        assert block is not None
        assert int(block["gasLimit"], 16) == 12345678
        assert log.exists()
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "stopping anvil" in err


def test_anvil_exiting_is_an_error(tmp_path):
    proc = node("--port", str(free_port()), "--log", str(tmp_path / "a.log"), "--",
                "--no-such-anvil-flag")  # fmt: skip
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "anvil exited" in err and str(tmp_path / "a.log") in err
    assert "Traceback" not in err
