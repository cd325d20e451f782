"""A second project proves the framework: examples/token-vesting, nothing of the registry.

Every command runs as a subprocess from the example's folder, as its user would run it:
`daftar compile`, `daftar deploy --network sepolia` against anvil standing in for Sepolia
(chain id 11155111, 1 s blocks, a random funded deployer key, records in a temp folder via
DAFTAR_DEPLOYMENTS), a deploy SIGKILLed mid-way and resumed with the same command,
`daftar verify --local-only`, and the example's own test suite on every backend.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account as EthAccount
from eth_utils import keccak

from daftar.chain.anvil import AnvilProcess

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "token-vesting"
PYTHON = REPO / ".venv" / "bin" / "python"
CONTRACTS = ["TokenVesting", "VestToken"]
STEPS = 3  # token, vesting, mint
INITIAL_SUPPLY = 100_000_000 * 10**18  # scripts/deploy.py
KILLED = -signal.SIGKILL
#: ./run-tests runs the example's suite on every backend in a section of its own.
BY_RUN_TESTS = os.environ.get("DAFTAR_EXAMPLE_SUITE_BY_RUN_TESTS") == "1"


def python() -> str:
    return str(PYTHON if PYTHON.exists() else Path(sys.executable))


def run(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """`python -m <args>` in the example's folder; no deployer or daftar settings inherited."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    full.pop("SEPOLIA_RPC_URL", None)
    full.update(env)
    return subprocess.run(
        [python(), "-m", *args], cwd=EXAMPLE, env=full, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def daftar(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run("daftar", *args, **env)


def rpc(url: str, method: str, *params: Any) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
    req = urllib.request.Request(url, body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        answer = json.loads(resp.read())
    assert "error" not in answer, answer
    return answer["result"]


def view(url: str, to: str, signature: str, *words: str) -> int:
    data = "0x" + keccak(text=signature)[:4].hex() + "".join(w.rjust(64, "0") for w in words)
    return int(rpc(url, "eth_call", {"to": to, "data": data}, "latest"), 16)


def funded_key(url: str) -> tuple[str, str]:
    acct = EthAccount.create()
    rpc(url, "anvil_setBalance", acct.address, hex(100 * 10**18))
    return "0x" + bytes(acct.key).hex(), acct.address


class Live:
    """One deployer's deploys to the stand-in Sepolia, records in their own folder."""

    def __init__(self, url: str, records: Path) -> None:
        self.url, self.records = url, records
        self.key, self.address = funded_key(url)

    @property
    def folder(self) -> Path:
        return self.records / "sepolia"

    def env(self, **extra: str) -> dict[str, str]:
        return {"SEPOLIA_RPC_URL": self.url, "DEPLOYER_PRIVATE_KEY": self.key,
                "DAFTAR_DEPLOYMENTS": str(self.records), **extra}  # fmt: skip

    def deploy(self, **extra: str) -> subprocess.CompletedProcess:
        return daftar("deploy", "--network", "sepolia", **self.env(**extra))

    def journal(self) -> list[dict[str, Any]]:
        path = self.folder / "journal.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def record(self, name: str) -> dict[str, Any]:
        return json.loads((self.folder / f"{name}.json").read_text())

    def nonce(self) -> int:
        return int(rpc(self.url, "eth_getTransactionCount", self.address, "latest"), 16)

    def assert_deployed_once(self) -> None:
        """Each step mined once (one transaction per step), the contracts wired and minted."""
        assert self.nonce() == STEPS
        mined = [r for r in self.journal() if r["event"] == "mined"]
        assert len(mined) == STEPS and all(r["status"] == 1 for r in mined)
        assert sorted(r["step"] for r in mined) == ["mint-initial-supply", "token", "vesting"]
        token, vesting = self.record("VestToken"), self.record("TokenVesting")
        for rec in (token, vesting):
            assert rpc(self.url, "eth_getCode", rec["address"], "latest") not in ("0x", "0x0")
            assert rec["deployer"] == self.address
        assert view(self.url, vesting["address"], "token()") == int(token["address"], 16)
        assert view(self.url, token["address"], "totalSupply()") == INITIAL_SUPPLY
        assert view(self.url, token["address"], "balanceOf(address)", self.address[2:]) == (
            INITIAL_SUPPLY
        )


@pytest.fixture(scope="module")
def sepolia():
    node = AnvilProcess(REPO / "node_modules", chain_id=11155111, block_time=1)
    yield node.url
    node.stop()


@pytest.fixture(scope="module")
def deployed(sepolia, tmp_path_factory):
    """One uninterrupted deploy of the example's own plan (scripts/deploy.py)."""
    live = Live(sepolia, tmp_path_factory.mktemp("records"))
    proc = live.deploy()
    assert proc.returncode == 0, proc.stderr
    live.proc = proc
    return live


# -- the project itself ----------------------------------------------------------------------
def test_compiles_into_its_own_build_folder():
    proc = daftar("compile")
    assert proc.returncode == 0, proc.stderr
    built = sorted(p.stem for p in (EXAMPLE / "build" / "contracts").glob("*.json"))
    assert built == CONTRACTS
    again = daftar("compile")  # unchanged sources: nothing recompiles
    assert again.returncode == 0 and "Compiling" not in again.stdout + again.stderr


def test_build_and_records_stay_in_the_example_and_out_of_git():
    from daftar.config import load

    config = load(EXAMPLE)
    assert config.root == EXAMPLE
    assert config.build_dir == EXAMPLE / "build"
    assert config.deployments_dir == EXAMPLE / "deployments"
    ignored = subprocess.run(
        ["git", "check-ignore", "examples/token-vesting/build/contracts/VestToken.json",
         "examples/token-vesting/deployments/sepolia/journal.jsonl"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ignored.returncode == 0 and len(ignored.stdout.split()) == 2, ignored


def test_knows_nothing_of_the_registry():
    """No registry source, import or contract name anywhere in the example."""
    for path in EXAMPLE.rglob("*"):
        if "node_modules" in path.parts or "build" in path.parts or not path.is_file():
            continue
        if path.suffix in (".py", ".sol", ".yaml", ".ini", ".md"):
            text = path.read_text()
            for word in ("daftar_registry", "IssuerRegistry", "CredentialRegistry", "Pilot"):
                assert word not in text, (path, word)


def test_deploys_on_the_embedded_chain():
    proc = daftar("deploy")
    assert proc.returncode == 0, proc.stderr
    assert "[3/3] mint-initial-supply" in proc.stderr
    assert "nothing was recorded" in proc.stderr
    assert not (EXAMPLE / "deployments" / "development").exists()


# -- live: anvil as Sepolia --------------------------------------------------------------------
def test_deploy_to_sepolia_writes_records_and_journal(deployed):
    deployed.assert_deployed_once()
    out = deployed.folder
    assert (out / ".chainId").read_text().strip() == "11155111"
    assert sorted(p.stem for p in out.glob("*.json")) == CONTRACTS
    vesting = deployed.record("TokenVesting")
    token = deployed.record("VestToken")
    assert vesting["constructor_args"]["decoded"][0]["value"] == token["address"]
    assert token["compiler"].startswith("0.8.30+commit")
    assert token["explorer"]["address"].startswith("https://sepolia.etherscan.io/address/0x")
    events = [r["event"] for r in deployed.journal()]
    assert events.count("signed") == events.count("mined") == STEPS
    readme = (out / "README.md").read_text()
    assert token["address"] in readme and vesting["address"] in readme
    assert "Registry" not in readme  # no application's hook speaks about these contracts
    err = deployed.proc.stderr
    assert "[1/3] token" in err and "https://sepolia.etherscan.io/tx/0x" in err
    assert deployed.key[2:] not in err + deployed.proc.stdout


def test_rerun_is_a_no_op(deployed):
    before = deployed.journal()
    proc = deployed.deploy()
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("done earlier") == STEPS
    assert deployed.journal() == before
    assert deployed.nonce() == STEPS


def test_killed_mid_way_then_resumed_with_the_same_command(sepolia, tmp_path):
    """SIGKILL after journal record 2 (the token's transaction in flight), rerun and kill
    after record 5 (the vesting contract's in flight, the token's confirmed by the rerun),
    then rerun to the end: each step was sent exactly once and the result is whole."""
    live = Live(sepolia, tmp_path / "records")
    for crash_after in (2, 5):
        proc = live.deploy(DAFTAR_CRASH_AFTER=str(crash_after))
        assert proc.returncode == KILLED, (proc.returncode, proc.stderr)
        assert len(live.journal()) == crash_after
    assert [r["event"] for r in live.journal()][:2] == ["signed", "sent"]
    proc = live.deploy()
    assert proc.returncode == 0, proc.stderr
    live.assert_deployed_once()
    assert sorted(p.stem for p in live.folder.glob("*.json")) == CONTRACTS


def test_verify_local_only_matches_the_bytecode(deployed):
    proc = daftar("--json", "verify", "--network", "sepolia", "--local-only", **deployed.env())
    assert proc.returncode == 0, proc.stderr
    results = {r["contract"]: r for r in json.loads(proc.stdout)}
    assert sorted(results) == CONTRACTS
    for name, r in results.items():
        assert r["local"]["status"] == "verified", (name, r)
        assert r["address"] == deployed.record(name)["address"]
        assert r["explorers"] == {}


# -- the example's own tests ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "network",
    [
        "revm",
        pytest.param("tester", marks=pytest.mark.skipif(BY_RUN_TESTS, reason="run-tests runs it")),
        pytest.param("anvil", marks=pytest.mark.skipif(BY_RUN_TESTS, reason="run-tests runs it")),
    ],
)
def test_the_example_suite_passes(network):
    """`pytest` in the example (its own pytest.ini and conftest; daftar's plugin) on a backend."""
    proc = run("pytest", "-q", "--hypothesis-profile", "ci",
               "--network", network, timeout=900)  # fmt: skip
    tail = proc.stdout[-3000:]
    assert proc.returncode == 0, tail + proc.stderr[-2000:]
    assert " passed" in tail and "failed" not in tail and "error" not in tail, tail
