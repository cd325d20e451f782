"""Deploys that hold under concurrency, low funds and refusals (issue 13), on anvil as Sepolia.

Each test reproduces a fault a new user hit: two deploys at once, funds checked one step at
a time, a refused rerun that rewrote records, prompts before prompt-free checks, public
test keys through the environment, a dry run against the wrong node, a silent Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eth_account import Account as EthAccount
from test_live import (
    REPO,
    STEPS,
    assert_clean_failure,
    assert_deployed_once,
    deploy,
    folder,
    journal,
    make_project,
    nonce,
    rpc,
)

from daftar.chain.anvil import AnvilProcess
from daftar.keys import dev_accounts

pytestmark = pytest.mark.slow


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file under `path`, byte for byte."""
    if not path.exists():
        return {}
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def env_for(url: str, **extra: str) -> dict[str, str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    full.update({"SEPOLIA_RPC_URL": url, **extra})
    return full


def popen_deploy(project: Path, url: str, key: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "sepolia", *args],
        cwd=project, env=env_for(url, DEPLOYER_PRIVATE_KEY=key),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def node():
    # base fee 0 stays 0 on blocks below target: the max fee (the tip) is stable, so the
    # dry run's figure and the run's are comparable to the wei
    proc = AnvilProcess(
        REPO / "node_modules", chain_id=11155111, block_time=1,
        extra_args=["--block-base-fee-per-gas", "0"],
    )  # fmt: skip
    yield proc
    proc.stop()


def fund(url: str, wei: int) -> tuple[str, str]:
    acct = EthAccount.create()
    rpc(url, "anvil_setBalance", acct.address, hex(wei))
    return "0x" + bytes(acct.key).hex(), acct.address


def test_two_deploys_at_once_create_each_contract_once(node, tmp_path):
    project = make_project(tmp_path / "project")
    key, address = fund(node.url, 10**20)
    procs = [popen_deploy(project, node.url, key) for _ in range(2)]
    results = [p.communicate(timeout=240) for p in procs]
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 1], (codes, results)
    loser = results[codes.index(1)][1]
    assert "another deploy is running" in loser and f"PID {procs[codes.index(0)].pid}" in loser
    assert "Traceback" not in loser
    assert_deployed_once(project, node.url, address)  # nonce == STEPS: nothing twice
    assert not (folder(project) / ".deploy.lock").exists()


def test_stale_lock_from_a_killed_run_is_taken_over(node, tmp_path):
    project = make_project(tmp_path / "project")
    key, address = fund(node.url, 10**20)
    proc = deploy(project, node.url, key, DAFTAR_CRASH_AFTER="2")
    assert proc.returncode == -signal.SIGKILL
    lock = json.loads((folder(project) / ".deploy.lock").read_text())
    assert lock["pid"] > 0 and lock["host"]
    proc = deploy(project, node.url, key)
    assert proc.returncode == 0, proc.stderr
    assert "Taking over a stale deploy lock" in proc.stderr
    assert f"PID {lock['pid']}" in proc.stderr and "is no longer running" in proc.stderr
    assert_deployed_once(project, node.url, address)


def _max_figure(text: str) -> int:
    found = re.search(r"(?:at most|need up to) [0-9.]+ ETH \((\d+) wei", text)
    assert found, text
    return int(found.group(1))


def test_funds_for_the_whole_plan_are_checked_before_the_first_signature(node, tmp_path):
    project = make_project(tmp_path / "project")
    # enough for the first steps, not for all eight: the old per-step check signed three
    key, address = fund(node.url, 10**15)
    dry = deploy(project, node.url, key, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    figure = _max_figure(dry.stderr)
    assert f"Deployer {address} has 0.001000 ETH: short by" in dry.stderr
    key, address = fund(node.url, figure * 60 // 100)  # 60%: the first steps fit, not all
    before = snapshot(project / "deployments")
    proc = deploy(project, node.url, key)
    assert_clean_failure(proc, "insufficient funds", "8 remaining step(s)", "nothing was signed")
    # The same figure as the dry run: the same gas at the max fee of the moment. The base fee
    # moves with every block (fund() mined one in between), so allow that movement only.
    refused = _max_figure(proc.stderr)
    assert abs(refused - figure) <= figure // 100, (refused, figure)
    assert nonce(node.url, address) == 0
    assert snapshot(project / "deployments") == before
    # funded with exactly the maximum the run stated, the whole plan goes through
    key, address = fund(node.url, max(figure, refused))
    proc = deploy(project, node.url, key)
    assert proc.returncode == 0, proc.stderr
    assert_deployed_once(project, node.url, address)


def test_refused_rerun_changes_no_record(node, tmp_path):
    project = make_project(tmp_path / "project")
    key, address = fund(node.url, 10**20)
    assert deploy(project, node.url, key).returncode == 0
    artifacts = project / "build" / "contracts"
    before = snapshot(folder(project))
    # 1. one contract changed since the deploy (the last one in the plan)
    path = artifacts / "PilotRegistry.json"
    original = path.read_text()
    artifact = json.loads(original)
    artifact["bytecode"] += "00"
    artifact["input"] = {**artifact.get("input", {}), "changed": True}  # a new input hash
    for other in ("IssuerRegistry.json", "CredentialRegistry.json"):
        data = json.loads((artifacts / other).read_text())
        data["input"] = artifact["input"]
        (artifacts / other).write_text(json.dumps(data))
    path.write_text(json.dumps(artifact))
    proc = deploy(project, node.url, key)
    assert_clean_failure(proc, "PilotRegistry (step 'pilots') changed since it was deployed")
    assert snapshot(folder(project)) == before
    # 2. the wrong deployer for the journal
    other_key, _ = fund(node.url, 10**20)
    proc = deploy(project, node.url, other_key)
    assert_clean_failure(proc, "was written by deployer")
    assert snapshot(folder(project)) == before
    # 3. a step that was mined is unknown to the node (another chain behind the URL)
    fresh = AnvilProcess(REPO / "node_modules", chain_id=11155111)
    try:
        rpc(fresh.url, "anvil_setBalance", address, hex(10**20))
        proc = deploy(project, fresh.url, key)
        assert_clean_failure(proc, "does not know that transaction")
        assert snapshot(folder(project)) == before
    finally:
        fresh.stop()
    assert nonce(node.url, address) == STEPS


def test_no_prompt_before_prompt_free_checks(node, tmp_path):
    """A keystore deployer without DEPLOYER_PASSWORD and without a terminal: any prompt
    would fail with 'needs a password'. A missing RPC URL, a no-op rerun, the wrong chain
    are all reported (or done) without asking."""
    home = tmp_path / "home"
    project = make_project(tmp_path / "project")
    key, address = fund(node.url, 10**20)
    env = env_for(node.url, DAFTAR_HOME=str(home), DEPLOYER_PASSWORD="pw-123")
    made = subprocess.run(
        [sys.executable, "-m", "daftar.cli", "accounts", "import", "dep", "--stdin"],
        input=key + "\n", env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    env = env_for(node.url, DAFTAR_HOME=str(home), DEPLOYER_KEYSTORE="dep")
    cmd = [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "sepolia"]
    run = lambda e: subprocess.run(cmd, cwd=project, env=e, capture_output=True, text=True,  # noqa: E731
                                   timeout=180, stdin=subprocess.DEVNULL)  # fmt: skip
    no_url = {k: v for k, v in env.items() if k != "SEPOLIA_RPC_URL"}
    proc = run(no_url)
    assert_clean_failure(proc, "SEPOLIA_RPC_URL")
    assert "password" not in proc.stderr.lower()
    # a real deploy needs the password; with it, it completes
    assert run({**env, "DEPLOYER_PASSWORD": "pw-123"}).returncode == 0
    proc = run(env)  # the rerun signs nothing: no password needed
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("done earlier") == STEPS
    assert nonce(node.url, address) == STEPS


def test_public_test_key_refused_through_the_environment(node, tmp_path):
    project = make_project(tmp_path / "project")
    dev = dev_accounts()[1]
    for args in ((), ("--dry-run",)):
        proc = deploy(project, node.url, "0x" + dev.key.hex(), *args)
        assert_clean_failure(proc, "public test mnemonic", dev.address)
    assert not (project / "deployments").exists()
    home = tmp_path / "home"
    env = env_for(node.url, DAFTAR_HOME=str(home), DEPLOYER_PASSWORD="pw-123")
    made = subprocess.run(
        [sys.executable, "-m", "daftar.cli", "accounts", "import", "dev", "--stdin"],
        input="0x" + dev.key.hex() + "\n", env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 1 and "public test mnemonic" in made.stderr
    assert not (home / "keystores" / "dev.json").exists()


def test_dry_run_refuses_the_wrong_node_and_names_its_deployer(node, tmp_path):
    project = make_project(tmp_path / "project")
    env = env_for(node.url, HOODI_RPC_URL=node.url)
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "hoodi", "--dry-run"],
        cwd=project, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert_clean_failure(proc, "expects chain id 560048", "reports 11155111")
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "sepolia", "--dry-run"],
        cwd=project, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "warning: no deployer set" in proc.stderr and dev_accounts()[0].address in proc.stderr


def test_ctrl_c_says_how_to_resume_and_hashes_print_once(node, tmp_path):
    project = make_project(tmp_path / "project")
    key, address = fund(node.url, 10**20)
    rpc(node.url, "evm_setIntervalMining", 0)  # hold blocks: the first tx stays pending
    proc = popen_deploy(project, node.url, key)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if (folder(project) / "journal.jsonl").exists() and any(
                r["event"] == "sent" for r in journal(project)
            ):
                break
            time.sleep(0.2)
        time.sleep(11)  # a pending transaction shows progress (issue 13: silent for minutes)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        rpc(node.url, "evm_setIntervalMining", 1)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "rerun the same command" in err and "Traceback" not in err
    assert "still pending after 1" in err and "gives up waiting after" in err
    proc = deploy(project, node.url, key)
    assert proc.returncode == 0, proc.stderr
    assert_deployed_once(project, node.url, address)
    for rec in (r for r in journal(project) if r["event"] == "signed"):
        # the hash (and its link) once per transaction, however many confirmations
        assert proc.stderr.count(rec["hash"]) + err.count(rec["hash"]) <= 2, rec["step"]
