"""anvil from node_modules: started on a free port with the chain id asked, stopped cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from daftar.chain.anvil import AnvilChain, AnvilProcess, anvil_binary
from daftar.errors import ToolchainError

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); check its state.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def test_chain_id_and_stop():
    chain = AnvilChain(REPO / "node_modules", chain_id=11155111)
    pid = chain.process.proc.pid
    try:
        assert chain.chain_id == 11155111
        assert chain.block_number() == 0
    finally:
        chain.close()
    assert not _alive(pid)


def test_no_orphan_when_parent_is_killed(tmp_path):
    """SIGKILL the Python process that launched anvil: anvil must not outlive it."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from daftar.chain.anvil import AnvilProcess\n"
        f"p = AnvilProcess(Path({str(REPO / 'node_modules')!r}))\n"
        "print(p.proc.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    anvil_pid = int(parent.stdout.readline())
    assert _alive(anvil_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(anvil_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(anvil_pid)


def test_block_time_mines_by_itself():
    node = AnvilProcess(REPO / "node_modules", block_time=1)
    try:
        from daftar.chain.rpc import connect_http

        w3 = connect_http(node.url)
        start = w3.eth.block_number
        time.sleep(2.5)
        assert w3.eth.block_number >= start + 2
    finally:
        node.stop()


def test_missing_binary_is_explained(tmp_path):
    with pytest.raises(ToolchainError, match="npm ci"):
        anvil_binary(tmp_path / "node_modules")


@pytest.mark.parametrize("evm_version", ["paris", "cancun", "prague"])
def test_anvil_runs_the_configured_evm_version(tmp_path, evm_version):
    """A project's `evm_version` is the hardfork its anvil runs: the bundled anvil defaults
    to a later one, whose gas schedule is not the one the contracts were built for."""
    from daftar.chain import connect
    from daftar.config import load

    (tmp_path / "contracts").mkdir()
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "brownie-config.yaml").write_text(
        f"compiler:\n  evm_version: {evm_version}\nnetworks:\n  default: anvil\n"
    )
    chain = connect(load(tmp_path), "anvil")
    try:
        info = chain.request("anvil_nodeInfo", [])
        assert str(info["hardFork"]).lower() == evm_version
    finally:
        chain.close()


def test_hardfork_names_follow_solc():
    """No evm_version means Prague; targets before London run on London (daftar signs
    EIP-1559 transactions); London and later run as themselves."""
    from daftar.chain.anvil import hardfork_for

    assert hardfork_for(None) == "prague"
    assert hardfork_for("Cancun") == "cancun"
    assert hardfork_for("paris") == "paris"
    assert hardfork_for("istanbul") == "london"
    assert hardfork_for("tangerineWhistle") == "london"


def test_a_hardfork_passed_to_anvil_wins():
    """`daftar node -- --hardfork X`: the user's flag replaces daftar's (anvil refuses two)."""
    proc = AnvilProcess(REPO / "node_modules", extra_args=["--hardfork", "cancun"])
    try:
        from daftar.chain.rpc import connect_http

        info = connect_http(proc.url).provider.make_request("anvil_nodeInfo", [])
        assert str(info["result"]["hardFork"]).lower() == "cancun"
    finally:
        proc.stop()
