"""The `daftar` command on bad input: a clear message, a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from daftar.chain.anvil import AnvilProcess

REPO = Path(__file__).resolve().parents[3]


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run `daftar` as a user would: a separate process, its exit code and output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SCRIPT = """
from daftar.project import Project
project = Project.load()
chain = project.connect()
acct = chain.accounts[0]
counter = project.Counter.deploy(sender=acct)
counter.bump(sender=acct)
print("count", counter.count())
"""

REVERTING = """
from daftar.project import Project
project = Project.load()
chain = project.connect()
acct = chain.accounts[0]
probe = project.Probe.deploy(acct, sender=acct)
probe.set(10**19, sender=acct)
"""


def assert_clean_failure(proc, *needles: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


def test_help_lists_commands(tmp_project):
    proc = run_cli("--help", cwd=tmp_project)
    assert proc.returncode == 0
    for command in ("compile", "networks", "run", "node"):
        assert command in proc.stdout


def test_missing_config(tmp_path):
    assert_clean_failure(run_cli("compile", cwd=tmp_path), "no brownie-config.yaml found")


def test_malformed_config(tmp_project):
    (tmp_project / "brownie-config.yaml").write_text("daftar: [\n")
    assert_clean_failure(run_cli("compile", cwd=tmp_project), "not valid YAML")


def test_compile_error_exit_and_location(tmp_project):
    (tmp_project / "contracts" / "Bad.sol").write_text(
        "pragma solidity ^0.8.24;\ncontract Bad { function f() external { undefinedThing(); } }\n"
    )
    proc = run_cli("compile", cwd=tmp_project)
    assert_clean_failure(proc, "contracts/Bad.sol:2:", "DeclarationError", "undefinedThing")


def test_compile_then_cached(tmp_project):
    first = run_cli("compile", cwd=tmp_project)
    assert first.returncode == 0, first.stderr
    assert "Compiled 1 contract(s)" in first.stderr
    second = run_cli("compile", cwd=tmp_project)
    assert second.returncode == 0
    assert "Nothing to compile" in second.stdout


def test_script_runs_on_default_network(tmp_project):
    (tmp_project / "go.py").write_text(SCRIPT)
    proc = run_cli("run", "go.py", cwd=tmp_project)
    assert proc.returncode == 0, proc.stderr
    assert "count 1" in proc.stdout


def test_unknown_network(tmp_project):
    (tmp_project / "go.py").write_text(SCRIPT)
    proc = run_cli("--network", "mainnet", "run", "go.py", cwd=tmp_project)
    assert_clean_failure(proc, "unknown network 'mainnet'", "development, sepolia")


def test_rpc_url_env_var_not_set(tmp_project):
    (tmp_project / "go.py").write_text(SCRIPT)
    proc = run_cli(
        "--network", "sepolia", "run", "go.py", cwd=tmp_project, env={"SEPOLIA_RPC_URL": ""}
    )
    assert_clean_failure(proc, "SEPOLIA_RPC_URL is not set")


@pytest.mark.slow
def test_wrong_chain_id_refused_before_signing(tmp_project):
    """A node whose chain id differs from the config is refused; nothing reaches it."""
    node = AnvilProcess(REPO / "node_modules", chain_id=1)
    try:
        (tmp_project / "go.py").write_text(SCRIPT)
        proc = run_cli(
            "--network",
            "wrongnode",
            "run",
            "go.py",
            cwd=tmp_project,
            env={"WRONGNODE_URL": node.url},
        )
        assert_clean_failure(proc, "expects chain id 11155111", "reports 1", "Refusing to sign")
        from daftar.chain.rpc import connect_http

        w3 = connect_http(node.url)
        assert w3.eth.block_number == 0
        assert w3.eth.get_transaction_count(w3.eth.accounts[0]) == 0
    finally:
        node.stop()


def test_unreachable_node(tmp_project):
    (tmp_project / "go.py").write_text(SCRIPT)
    proc = run_cli(
        "--network",
        "sepolia",
        "run",
        "go.py",
        cwd=tmp_project,
        env={"SEPOLIA_RPC_URL": "http://127.0.0.1:9/"},
    )
    assert_clean_failure(proc, "no answer from http://127.0.0.1:9")


def test_reverting_call_is_decoded(tmp_path):
    """A script's revert surfaces as the contract's custom error with its arguments."""
    (tmp_path / "go.py").write_text(REVERTING)
    proc = run_cli("--project", str(REPO), "run", str(tmp_path / "go.py"), cwd=REPO)
    assert_clean_failure(
        proc,
        "Probe.set: reverted with TooLarge(value=10000000000000000000, limit=1000000000000000000)",
    )


def test_missing_script(tmp_project):
    assert_clean_failure(run_cli("run", "nope.py", cwd=tmp_project), "no script at nope.py")


def test_project_option_points_elsewhere(tmp_project, tmp_path: Path):
    proc = run_cli("--project", str(tmp_project), "networks", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "sepolia" in proc.stdout
