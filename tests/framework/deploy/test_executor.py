"""Executor pieces that need no node: RPC retries with backoff, then a clear error."""

from __future__ import annotations

import pytest
import requests

from daftar.config import NetworkConfig
from daftar.deploy.executor import Executor, LiveSettings
from daftar.errors import DeployError


def _executor(lines: list[str]) -> Executor:
    ex = object.__new__(Executor)  # only the retry machinery is exercised
    ex.net = NetworkConfig("sepolia", "rpc", 11155111)
    ex.cfg = LiveSettings(retries=3, backoff=0.001)
    ex.say = lines.append
    return ex


def test_transient_rpc_errors_are_retried_with_backoff():
    lines: list[str] = []
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise requests.ConnectionError("https://node.example/v3/SECRETAPIKEY refused")
        return 42

    assert _executor(lines)._rpc("eth_blockNumber", flaky) == 42
    assert len(calls) == 3 and len(lines) == 2
    assert "retrying in" in lines[0] and "SECRETAPIKEY" not in "".join(lines)


def test_persistent_rpc_errors_end_in_a_clear_error_without_the_url():
    def down():
        raise requests.Timeout("https://node.example/v3/SECRETAPIKEY timed out")

    with pytest.raises(DeployError, match="eth_blockNumber failed 4 times") as info:
        _executor([])._rpc("eth_blockNumber", down)
    assert "rerun to resume" in str(info.value) and "SECRETAPIKEY" not in str(info.value)


def test_settings_from_network_config():
    net = NetworkConfig(
        "sepolia", "rpc", 11155111, confirmations=3, max_fee_gwei=50,
        settings={"stuck_after": 30, "poll_seconds": 0.5},
    )  # fmt: skip
    cfg = LiveSettings.of(net)
    assert cfg.confirmations == 3 and cfg.max_fee_wei == 50 * 10**9
    assert cfg.stuck_after == 30 and cfg.poll == 0.5
