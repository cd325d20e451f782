"""The journaled executor on the embedded chain: it talks to `Chain` only, so the whole
path (preflight, sign, broadcast, confirm, records, resume) runs here without a node.

The live behaviour against a real node (anvil as Sepolia, SIGKILL after every journal
record, dropped and stuck transactions) is in tests/integration/test_live.py.
"""

from __future__ import annotations

import json

import pytest

from daftar.chain.retry import RetryPolicy
from daftar.chain.revm import RevmChain
from daftar.config import NetworkConfig
from daftar.deploy import executor as executor_mod
from daftar.deploy.executor import Executor, LiveSettings
from daftar.deploy.plan import Plan
from daftar.errors import DeployError

NET = NetworkConfig("standin", "rpc", 1337, explorer="https://explorer.example")
FAST = LiveSettings(confirmations=1, poll=0.0, wait_limit=5.0)


@pytest.fixture
def fresh():
    chain = RevmChain("standin", 1337)
    yield chain
    chain.close()


def _plan(owner: str) -> Plan:
    plan = Plan()
    probe = plan.deploy("probe", "Probe", owner)
    plan.call("set-value", probe, "set", 5)
    return plan


def _run(project, chain, folder, lines, **kw):
    deployer = chain.accounts[0]
    ex = Executor(project, _plan(deployer.address), NET, chain, deployer, folder, lines.append,
                  kw.get("settings", FAST))  # fmt: skip
    return ex.run()


def _journal(folder):
    return [json.loads(line) for line in (folder / "journal.jsonl").read_text().splitlines()]


def test_a_plan_runs_through_the_journal_and_writes_records(project, fresh, tmp_path):
    lines: list[str] = []
    addresses = _run(project, fresh, tmp_path, lines)
    probe = project.Probe.at(addresses["probe"], fresh)
    assert probe.value() == 5 and probe.owner() == fresh.accounts[0].address
    events = [(r["event"], r["step"]) for r in _journal(tmp_path)]
    assert events == [
        ("signed", "probe"), ("sent", "probe"), ("mined", "probe"),
        ("signed", "set-value"), ("sent", "set-value"), ("mined", "set-value"),
    ]  # fmt: skip
    signed = _journal(tmp_path)[0]
    assert signed["nonce"] == 0 and signed["chain_id"] == 1337 and signed["raw"].startswith("0x")
    mined = _journal(tmp_path)[2]
    assert mined["contract_address"] == addresses["probe"] and mined["status"] == 1
    assert mined["block_hash"].startswith("0x") and len(mined["block_hash"]) == 66
    record = json.loads((tmp_path / "Probe.json").read_text())
    assert record["address"] == addresses["probe"] and record["tx_hash"] == mined["hash"]
    assert record["explorer"]["tx"] == f"https://explorer.example/tx/{mined['hash']}"
    assert (tmp_path / ".chainId").read_text().strip() == "1337"
    assert "[1/2] probe: sending: deploy Probe (nonce 0" in "\n".join(lines)
    assert "1/1 confirmations" in "\n".join(lines)


def test_rerun_is_a_no_op(project, fresh, tmp_path):
    _run(project, fresh, tmp_path, [])
    before, nonce = _journal(tmp_path), fresh.nonce(fresh.accounts[0].address)
    lines: list[str] = []
    _run(project, fresh, tmp_path, lines)
    assert sum("done earlier" in line for line in lines) == 2
    assert _journal(tmp_path) == before and fresh.nonce(fresh.accounts[0].address) == nonce


def _crash_before_broadcast(project, chain, folder, monkeypatch):
    """Run until the first step is journaled `signed`, then die before it is sent."""

    def crash(run, rec, again=False):
        raise KeyboardInterrupt

    monkeypatch.setattr(executor_mod, "broadcast", crash)
    with pytest.raises(KeyboardInterrupt):
        _run(project, chain, folder, [])
    monkeypatch.undo()
    [signed] = _journal(folder)
    return signed


def test_signed_but_never_sent_is_rebroadcast(project, fresh, tmp_path, monkeypatch):
    """A crash between `signed` and the broadcast: the rerun finds the node has never seen
    the transaction and sends the same raw transaction (same hash), not a new one."""
    signed = _crash_before_broadcast(project, fresh, tmp_path, monkeypatch)
    lines: list[str] = []
    _run(project, fresh, tmp_path, lines)
    text = "\n".join(lines)
    assert "resuming deploy Probe (nonce 0)" in text
    assert f"the node dropped tx {signed['hash']}; rebroadcasting (nonce 0)" in text
    mined = next(r for r in _journal(tmp_path) if r["event"] == "mined")
    assert mined["hash"] == signed["hash"]


def test_nonce_taken_by_an_unknown_transaction_is_reported(project, fresh, tmp_path, monkeypatch):
    _crash_before_broadcast(project, fresh, tmp_path, monkeypatch)
    me = fresh.accounts[0]
    fresh.transact(me.address, b"", me)  # another process uses nonce 0
    with pytest.raises(DeployError, match="nonce 0 of deployer .* was used by a transaction"):
        _run(project, fresh, tmp_path, [])
    assert _journal(tmp_path)[-1]["event"] == "failed"


def test_reverting_step_is_refused_before_signing(project, fresh, tmp_path):
    deployer = fresh.accounts[0]
    plan = Plan()
    probe = plan.deploy("probe", "Probe", deployer.address)
    plan.call("too-large", probe, "set", 10**19)
    ex = Executor(project, plan, NET, fresh, deployer, tmp_path, lambda _m: None, FAST)
    with pytest.raises(DeployError, match=r"step 'too-large' .* would revert: .*TooLarge"):
        ex.run()
    # the whole plan is simulated first: not even the deploy before it is signed
    assert not (tmp_path / "journal.jsonl").exists()
    assert fresh.nonce(deployer.address) == 0


def test_wrong_chain_id_is_refused(project, fresh, tmp_path):
    net = NetworkConfig("standin", "rpc", 11155111)
    deployer = fresh.accounts[0]
    ex = Executor(project, _plan(deployer.address), net, fresh, deployer, tmp_path, print, FAST)
    with pytest.raises(DeployError, match="expects chain id 11155111, but the node reports 1337"):
        ex.run()
    assert not (tmp_path / "journal.jsonl").exists()


def test_settings_from_network_config():
    net = NetworkConfig(
        "sepolia", "rpc", 11155111, confirmations=3, max_fee_gwei=50,
        settings={"stuck_after": 30, "poll_seconds": 0.5, "rpc_retries": 1, "rpc_backoff": 0.1},
    )  # fmt: skip
    cfg = LiveSettings.of(net)
    assert cfg.confirmations == 3 and cfg.max_fee_wei == 50 * 10**9
    assert cfg.stuck_after == 30 and cfg.poll == 0.5
    assert cfg.retry == RetryPolicy(attempts=2, backoff=0.1)
