"""`daftar run` on a live network: a Brownie-style script's transactions go through the run's
journal, so an interrupted run resumes without sending twice (anvil stands in for Sepolia:
chain id 11155111, 1 s blocks, reached over JSON-RPC as network `sepolia`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account as EthAccount

from daftar.chain.anvil import AnvilProcess

REPO = Path(__file__).resolve().parents[2]
DAFTAR = Path(sys.executable).with_name("daftar")
pytestmark = pytest.mark.slow

# The import is written with an escape: a line of this file starting with a brownie import
# would make the whole repository look like a Brownie project to daftar's detector.
SCRIPT = (
    "import os\nfrom brownie import Gold, MockFeed, Shop, accounts\n"
    + """
def main():
    owner = accounts.add(os.environ["OWNER_KEY"])
    if "PAY" in os.environ:
        owner.transfer(owner, int(os.environ["PAY"]))
        raise RuntimeError("stopped on purpose after paying")
    feed = MockFeed.deploy(int(os.environ.get("PRICE", 10**15)), {"from": owner})
    gold = Gold.deploy(owner, {"from": owner})
    if os.environ.get("STOP_AFTER_GOLD"):
        raise RuntimeError("stopped on purpose after Gold")
    shop = Shop.deploy(gold, feed, 250, {"from": owner})
    gold.transferOwnership(shop, {"from": owner})
    print("SHOP", shop.address, "OWNER", gold.owner())
"""
)

NETWORKS = """
daftar:
  networks:
    development:
      backend: revm
    sepolia:
      backend: rpc
      chain_id: 11155111
      confirmations: 1
      poll_seconds: 0.2
"""


def rpc(url: str, method: str, *params: Any) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
    req = urllib.request.Request(url, body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())["result"]


@pytest.fixture
def node():
    proc = AnvilProcess(REPO / "node_modules", chain_id=11155111, block_time=1)
    yield proc
    proc.stop()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(
        REPO / "examples" / "brownie-shop",
        root,
        ignore=shutil.ignore_patterns("build", "deployments"),
    )
    if not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    with open(root / "brownie-config.yaml", "a", encoding="utf-8") as f:
        f.write(NETWORKS)
    (root / "scripts" / "live.py").write_text(SCRIPT)
    return root


def run(project: Path, url: str, key: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    full.update({"SEPOLIA_RPC_URL": url, "OWNER_KEY": key, **env})
    return subprocess.run(
        [str(DAFTAR), "--network", "sepolia", "run", *args, "scripts/live.py"],
        cwd=project, env=full, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def funded(url: str) -> tuple[str, str]:
    acct = EthAccount.create()
    rpc(url, "anvil_setBalance", acct.address, hex(10 * 10**18))
    return "0x" + bytes(acct.key).hex(), acct.address


def nonce(url: str, address: str) -> int:
    return int(rpc(url, "eth_getTransactionCount", address, "latest"), 16)


def test_an_interrupted_run_resumes_without_sending_twice(node, project):
    """After a run stops mid-script, rerunning sends only the transactions it had not sent:
    the two mined deploys are answered from the journal (same addresses), the account's
    nonce ends at 4 (two deploys, a deploy and a call), and the finished run's journal moves
    to runs/done/ so the next run starts afresh. The key never appears in the output."""
    key, owner = funded(node.url)
    first = run(project, node.url, key, STOP_AFTER_GOLD="1")
    assert first.returncode != 0
    assert "stopped on purpose" in first.stderr
    assert "Rerun the same command to resume" in first.stderr
    journal = project / "deployments" / "sepolia" / "runs" / "live.main.jsonl"
    assert journal.is_file()
    assert nonce(node.url, owner) == 2

    second = run(project, node.url, key)
    out = second.stdout + second.stderr
    assert second.returncode == 0, out[-4000:]
    assert out.count("mined in an earlier run") == 2
    assert nonce(node.url, owner) == 4
    shop = out.split("SHOP ", 1)[1].split()[0]
    assert out.split("OWNER ", 1)[1].split()[0].lower() == shop.lower()
    assert not journal.exists()
    done = list((journal.parent / "done").glob("*-live.main.jsonl"))
    assert len(done) == 1
    assert key[2:] not in out + first.stdout + first.stderr + done[0].read_text()

    third = run(project, node.url, key)  # a finished run is not resumed: all sent anew
    assert third.returncode == 0, third.stderr[-3000:]
    assert "earlier run" not in third.stdout
    assert nonce(node.url, owner) == 8


def test_a_changed_script_is_refused_then_fresh_starts_over(node, project):
    """A rerun whose transaction differs from the journaled one at the same position stops
    before signing, naming both; `--fresh` sets the journal aside and runs from scratch."""
    key, owner = funded(node.url)
    assert run(project, node.url, key, STOP_AFTER_GOLD="1").returncode != 0
    changed = run(project, node.url, key, PRICE=str(2 * 10**15))
    assert changed.returncode != 0
    assert "the script or its inputs changed" in changed.stderr
    assert "Traceback" not in changed.stderr
    assert nonce(node.url, owner) == 2
    fresh = run(project, node.url, key, "--fresh", PRICE=str(2 * 10**15))
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    assert "set aside" in fresh.stdout
    assert nonce(node.url, owner) == 6
    runs = project / "deployments" / "sepolia" / "runs"
    assert len(list((runs / "abandoned").glob("*.jsonl"))) == 1


def test_a_changed_value_is_refused(node, project):
    """Only the ether sent differs (same sender, target and data): still a different
    transaction, so the rerun is refused and nothing is sent."""
    key, owner = funded(node.url)
    assert run(project, node.url, key, PAY="0").returncode != 0
    assert nonce(node.url, owner) == 1
    changed = run(project, node.url, key, PAY="1")
    assert changed.returncode != 0
    assert "the script or its inputs changed" in changed.stderr
    assert nonce(node.url, owner) == 1
