"""Live deploys against anvil standing in for Sepolia (chain id 11155111, 1 s blocks).

`scripts/deploy.py --network sepolia` runs as a separate process with SEPOLIA_RPC_URL
pointed at anvil and a random deployer key funded with anvil_setBalance; the project is a
copy of this repo's (same build/, so nothing recompiles) whose records go to a temp folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from eth_account import Account as EthAccount

from daftar.chain.anvil import AnvilProcess
from daftar_registry.plan import role

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
STEPS = 8  # 3 deploys + 5 grants
KILLED = -signal.SIGKILL


# -- helpers ----------------------------------------------------------------------------------
def rpc(url: str, method: str, *params: Any) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
    req = urllib.request.Request(url, body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        answer = json.loads(resp.read())
    assert "error" not in answer, answer
    return answer["result"]


def nonce(url: str, address: str, tag: str = "latest") -> int:
    return int(rpc(url, "eth_getTransactionCount", address, tag), 16)


def make_project(root: Path, **sepolia: Any) -> Path:
    """A copy of the repo's project; `sepolia` settings override the config's."""
    root.mkdir(parents=True)
    # the committed sources (others edit the working tree's contracts/ concurrently); the
    # build cache keeps every earlier build by input hash, so nothing recompiles
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "HEAD", "contracts"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    shutil.copytree(REPO / "build", root / "build")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    config = yaml.safe_load((REPO / "brownie-config.yaml").read_text())
    # these deploys keep every role with the deployer (a public network refuses that unless
    # the config opts in)
    config["daftar"]["networks"]["sepolia"].update(
        {"poll_seconds": 0.2, "allow_deployer_roles": True, **sepolia}
    )
    (root / "brownie-config.yaml").write_text(yaml.safe_dump(config))
    return root


def funded_key(url: str, ether: int = 100) -> tuple[str, str]:
    acct = EthAccount.create()
    rpc(url, "anvil_setBalance", acct.address, hex(ether * 10**18))
    return "0x" + bytes(acct.key).hex(), acct.address


def deploy(
    project: Path, url: str, key: str, *args: str, **env: str
) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    full.update({"SEPOLIA_RPC_URL": url, "DEPLOYER_PRIVATE_KEY": key, **env})
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "sepolia", *args],
        cwd=project,
        env=full,
        capture_output=True,
        text=True,
        timeout=180,
    )


def folder(project: Path) -> Path:
    return project / "deployments" / "sepolia"


def journal(project: Path) -> list[dict[str, Any]]:
    path = folder(project) / "journal.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def contract_records(project: Path) -> dict[str, dict[str, Any]]:
    """Records minus what differs between two chains (tx hash, block)."""
    found = {}
    for path in sorted(folder(project).glob("*.json")):
        rec = json.loads(path.read_text())
        for key in ("tx_hash", "block"):
            rec.pop(key)
        rec["explorer"].pop("tx")
        found[path.name] = rec
    return found


def files(path: Path) -> dict[str, bytes]:
    """Every file of a records folder, byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def has_role(url: str, contract: str, role_name: str, holder: str) -> bool:
    data = "0x91d14854" + role(role_name).hex() + holder[2:].lower().rjust(64, "0")
    return int(rpc(url, "eth_call", {"to": contract, "data": data}, "latest"), 16) == 1


def assert_clean_failure(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


def assert_deployed_once(project: Path, url: str, address: str) -> None:
    """Every step mined exactly once: the deployer sent exactly one tx per step."""
    assert nonce(url, address) == STEPS
    mined = [r for r in journal(project) if r["event"] == "mined"]
    assert len(mined) == STEPS and all(r["status"] == 1 for r in mined)
    assert len({r["step"] for r in mined}) == STEPS
    for rec in contract_records(project).values():
        assert rpc(url, "eth_getCode", rec["address"], "latest") not in ("0x", "0x0")


def anvil_sepolia() -> AnvilProcess:
    return AnvilProcess(REPO / "node_modules", chain_id=11155111, block_time=1)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """One full, uninterrupted deploy: the reference the other tests compare with."""
    node = anvil_sepolia()
    project = make_project(tmp_path_factory.mktemp("ref") / "project")
    key, address = funded_key(node.url)
    started = time.monotonic()
    proc = deploy(project, node.url, key)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    yield {"node": node, "url": node.url, "project": project, "key": key,
           "address": address, "proc": proc, "seconds": seconds}  # fmt: skip
    node.stop()


# -- the tests ---------------------------------------------------------------------------------
def test_full_deploy_records_and_roles(deployed):
    project, url, address = deployed["project"], deployed["url"], deployed["address"]
    assert_deployed_once(project, url, address)
    out = folder(project)
    assert (out / ".chainId").read_text().strip() == "11155111"
    assert sorted(p.name for p in out.glob("*.json")) == [
        "CredentialRegistry.json", "IssuerRegistry.json", "PilotRegistry.json",
    ]  # fmt: skip
    issuers = json.loads((out / "IssuerRegistry.json").read_text())
    credentials = json.loads((out / "CredentialRegistry.json").read_text())
    for field in ("address", "abi", "tx_hash", "block", "deployer", "constructor_args",
                  "initcode_hash", "compiler", "standard_json_input_hash", "verification",
                  "explorer"):  # fmt: skip
        assert field in issuers, field
    assert issuers["deployer"] == address and issuers["compiler"].startswith("0.8.30+commit")
    assert credentials["constructor_args"]["decoded"][0]["value"] == issuers["address"]
    assert issuers["explorer"]["address"].startswith("https://sepolia.etherscan.io/address/0x")
    readme = (out / "README.md").read_text()
    assert issuers["explorer"]["address"] in readme
    assert has_role(url, issuers["address"], "REGISTRAR_ROLE", address)
    assert has_role(url, credentials["address"], "PAUSER_ROLE", address)
    # progress: step, transaction with explorer link, confirmations so far
    err = deployed["proc"].stderr
    assert "[1/8] issuers" in err and "https://sepolia.etherscan.io/tx/0x" in err
    assert "1/2 confirmations" in err and "2/2 confirmations" in err
    # the key never appears in output or in the records
    bare = deployed["key"][2:]
    assert bare not in err + deployed["proc"].stdout
    assert all(bare not in p.read_text() for p in out.iterdir() if p.is_file())


def test_rerun_is_a_no_op(deployed):
    project, url = deployed["project"], deployed["url"]
    before = journal(project)
    proc = deploy(project, url, deployed["key"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("done earlier") == STEPS
    assert journal(project) == before
    assert nonce(url, deployed["address"]) == STEPS


def test_sigkill_after_every_journal_record_then_resume(deployed, tmp_path):
    """Crash after record 1, rerun and crash after record 2, … until a run completes.

    Each run resumes the previous one's journal, so every journal step is a crash point.
    The result matches the uninterrupted deploy (same key on a fresh chain gives the same
    addresses) and the deployer sent exactly one transaction per step.
    """
    node = anvil_sepolia()
    try:
        rpc(node.url, "anvil_setBalance", deployed["address"], hex(100 * 10**18))
        project = make_project(tmp_path / "project")
        crashes = 0
        for n in range(1, 4 * STEPS + 1):
            proc = deploy(project, node.url, deployed["key"], DAFTAR_CRASH_AFTER=str(n))
            if proc.returncode == KILLED:
                crashes += 1
                assert len(journal(project)) == n
                continue
            assert proc.returncode == 0, proc.stderr
            break
        assert crashes >= 3 * STEPS  # signed, sent, mined for every step
        assert_deployed_once(project, node.url, deployed["address"])
        assert contract_records(project) == contract_records(deployed["project"])
    finally:
        node.stop()


def test_dropped_transaction_is_rebroadcast(tmp_path):
    node = anvil_sepolia()
    try:
        project = make_project(tmp_path / "project")
        key, address = funded_key(node.url)
        rpc(node.url, "evm_setIntervalMining", 0)  # hold blocks so the tx stays pending
        proc = deploy(project, node.url, key, DAFTAR_CRASH_AFTER="2")  # signed, sent, killed
        assert proc.returncode == KILLED, proc.stderr
        tx = journal(project)[0]["hash"]
        rpc(node.url, "anvil_dropTransaction", tx)
        assert rpc(node.url, "eth_getTransactionByHash", tx) is None
        rpc(node.url, "evm_setIntervalMining", 1)
        proc = deploy(project, node.url, key)
        assert proc.returncode == 0, proc.stderr
        assert f"dropped tx {tx}; rebroadcasting (nonce 0)" in proc.stderr
        assert any(r.get("rebroadcast") for r in journal(project) if r["event"] == "sent")
        assert_deployed_once(project, node.url, address)
    finally:
        node.stop()


def test_stuck_transaction_is_replaced_with_bumped_fee(tmp_path):
    node = anvil_sepolia()
    try:
        project = make_project(tmp_path / "project", stuck_after=2)
        key, address = funded_key(node.url)
        rpc(node.url, "evm_setIntervalMining", 0)
        full = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
        full.update({"SEPOLIA_RPC_URL": node.url, "DEPLOYER_PRIVATE_KEY": key})
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "sepolia"],
            cwd=project, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                path = folder(project) / "journal.jsonl"
                signed = (
                    [r for r in journal(project) if r["event"] == "signed"] if path.exists() else []
                )
                if len(signed) >= 2:
                    break
                time.sleep(0.2)
            assert len(signed) >= 2, "no replacement was signed"
            rpc(node.url, "evm_setIntervalMining", 1)
            _out, err = proc.communicate(timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
        first, second = signed[0], signed[1]
        assert first["step"] == second["step"] == "issuers" and first["nonce"] == second["nonce"]
        assert second["replaces"] == first["hash"]
        assert second["maxFeePerGas"] * 100 >= first["maxFeePerGas"] * 110
        mined = next(
            r for r in journal(project) if r["event"] == "mined" and r["step"] == "issuers"
        )
        assert mined["hash"] == second["hash"]
        assert "replacing with fees bumped" in err
        assert_deployed_once(project, node.url, address)
    finally:
        node.stop()


def test_changed_initcode_is_reported_not_reused(deployed):
    project, url = deployed["project"], deployed["url"]
    artifact_path = project / "build" / "contracts" / "IssuerRegistry.json"
    original = artifact_path.read_text()
    artifact = json.loads(original)
    artifact["bytecode"] += "00"  # what a rebuild with changed sources looks like to a rerun
    artifact_path.write_text(json.dumps(artifact))
    try:
        proc = deploy(project, url, deployed["key"])
    finally:
        artifact_path.write_text(original)
    old = json.loads((folder(project) / "IssuerRegistry.json").read_text())["address"]
    assert_clean_failure(
        proc, "IssuerRegistry (step 'issuers') changed since it was deployed at " + old
    )
    assert nonce(url, deployed["address"]) == STEPS


def test_unknown_pending_transaction_refused(deployed, tmp_path):
    url, key, address = deployed["url"], deployed["key"], deployed["address"]
    rpc(url, "evm_setIntervalMining", 0)
    try:
        tx = EthAccount.sign_transaction(
            {"to": address, "value": 0, "gas": 21000, "nonce": nonce(url, address),
             "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9, "chainId": 11155111},
            key,
        )  # fmt: skip
        rpc(url, "eth_sendRawTransaction", "0x" + bytes(tx.raw_transaction).hex())
        before = files(folder(deployed["project"]))
        proc = deploy(deployed["project"], url, key)
        assert_clean_failure(proc, "pending transaction(s)", "does not know")
        assert files(folder(deployed["project"])) == before  # a refused run changes no record
    finally:
        rpc(url, "evm_setIntervalMining", 1)
    deadline = time.monotonic() + 10
    while nonce(url, address) == STEPS and time.monotonic() < deadline:
        time.sleep(0.2)


def test_wrong_chain_id_refused(deployed, tmp_path):
    url, key, address = deployed["url"], deployed["key"], deployed["address"]
    before = nonce(url, address)
    env = {"HOODI_RPC_URL": url, "DEPLOYER_PRIVATE_KEY": key}
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "deploy.py"), "--network", "hoodi",
         "--deployments", str(tmp_path / "d")],
        cwd=deployed["project"], capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DEPLOYER_")}, **env},
    )  # fmt: skip
    assert_clean_failure(proc, "expects chain id 560048", "reports 11155111", "Refusing")
    # a .chainId guard that disagrees with the node is refused too
    guard = tmp_path / "g" / "sepolia"
    guard.mkdir(parents=True)
    (guard / ".chainId").write_text("1\n")
    proc = deploy(deployed["project"], url, key, "--deployments", str(tmp_path / "g"))
    assert_clean_failure(proc, "on chain id 1, but the node reports 11155111")
    assert (guard / ".chainId").read_text() == "1\n"
    assert sorted(p.name for p in guard.iterdir()) == [".chainId"]
    assert not (tmp_path / "d").exists()
    assert nonce(url, address) == before


def test_no_funds_is_reported_before_sending(deployed, tmp_path):
    url = deployed["url"]
    poor = EthAccount.create()
    proc = deploy(deployed["project"], url, "0x" + bytes(poor.key).hex(),
                  "--deployments", str(tmp_path / "d"))  # fmt: skip
    assert_clean_failure(proc, "insufficient funds", "need up to", poor.address, "Send it at least")
    assert not (tmp_path / "d").exists()
    assert nonce(url, poor.address) == 0
