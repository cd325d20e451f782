"""`daftar verify` you can put in CI (issue 13), against a real deployment on anvil.

The Sourcify stand-in answers with the verdict of Sourcify's own engine (lib-sourcify 3.4.0
driven through node with the project's solc-js); Blockscout is a port nobody listens on
(unreachable); Etherscan has no API key.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "framework" / "explorer"))
from explorer_stand_ins import SourcifyEngineStandIn
from test_live import REPO, make_project

from daftar.chain.anvil import AnvilProcess
from daftar.explorer import Submission

pytestmark = pytest.mark.slow


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    project = make_project(tmp_path_factory.mktemp("verify") / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    env.update({"LOCALHOST_RPC_URL": node.url})
    proc = subprocess.run(
        [sys.executable, "-m", "daftar.cli", "deploy", str(REPO / "scripts" / "deploy.py"),
         "--network", "localhost"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    record = json.loads((project / "deployments" / "localhost" / "IssuerRegistry.json").read_text())
    artifact = json.loads((project / "build" / "contracts" / "IssuerRegistry.json").read_text())
    server = SourcifyEngineStandIn(Submission.from_record(record, artifact), node.url,
                                   REPO / "node_modules")  # fmt: skip
    config_path = project / "brownie-config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["daftar"]["networks"]["localhost"].update(
        {"sourcify": server.url, "blockscout": f"http://127.0.0.1:{closed_port()}"}
    )
    config_path.write_text(yaml.safe_dump(config))
    yield {"node": node, "project": project, "env": env, "server": server}
    server.close()
    node.stop()


def verify(d, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", "verify", "--network", "localhost", *args],
        cwd=d["project"], env=d["env"], capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def records(d) -> dict[str, bytes]:
    folder = d["project"] / "deployments" / "localhost"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_sourcify_engine_verdict_perfect_then_mismatch(deployed):
    proc = verify(deployed, "IssuerRegistry", "--explorer", "sourcify", "--json")
    assert proc.returncode == 0, proc.stderr
    assert deployed["server"].verdicts[-1].get("runtimeMatch") == "perfect", deployed[
        "server"
    ].verdicts
    [result] = json.loads(proc.stdout)
    assert result["explorers"]["sourcify"]["status"] == "verified" and result["ok"]
    folder = deployed["project"] / "deployments" / "localhost"
    rec = json.loads((folder / "IssuerRegistry.json").read_text())
    assert rec["verification"]["sourcify"] == "verified"
    # the engine says no when the submitted sources are not what was deployed
    artifact_path = deployed["project"] / "build" / "contracts" / "IssuerRegistry.json"
    artifact = json.loads(artifact_path.read_text())
    sub = Submission.from_record(rec, artifact)
    tampered = json.loads(json.dumps(sub.input))
    tampered["settings"]["optimizer"] = {"enabled": False}
    from explorer_stand_ins import sourcify_engine

    verdict = sourcify_engine(
        {"rpc": deployed["node"].url, "chainId": 31337, "address": rec["address"],
         "creationTx": rec["tx_hash"], "version": sub.compiler_version, "input": tampered,
         "path": sub.source_name, "name": sub.contract_name},
        REPO / "node_modules",
    )  # fmt: skip
    assert verdict.get("runtimeMatch") is None and verdict.get("error"), verdict


def test_verify_without_keys_and_with_a_dead_explorer_fails_ci_but_keeps_records(deployed):
    """No ETHERSCAN_API_KEY, Blockscout unreachable: the local check and Sourcify still run
    (first), the exit status is non-zero, the records keep etherscan/blockscout as they
    were, results are on stdout and retries on stderr, no raw exception chain."""
    before = records(deployed)
    started = time.monotonic()
    proc = verify(deployed, "PilotRegistry")
    took = time.monotonic() - started
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert took < 120, took
    out, err = proc.stdout, proc.stderr
    assert "PilotRegistry" in out and "local: verified" in out
    assert "sourcify: verified" in out
    assert "blockscout: unreachable" in out and "etherscan: not configured" in out
    assert "ETHERSCAN_API_KEY" in err and "retry 1/2" in err
    assert "HTTPConnectionPool" not in out + err and "Traceback" not in err
    assert err.index("local:") < err.index("asking sourcify") < err.index("asking blockscout")
    after = records(deployed)
    rec = json.loads(after["PilotRegistry.json"])
    old = json.loads(before["PilotRegistry.json"])
    assert rec["verification"]["blockscout"] == old["verification"]["blockscout"] == "unverified"
    assert rec["verification"]["etherscan"] == "unverified"
    assert rec["verification"]["sourcify"] == "verified"
    for name in ("IssuerRegistry.json", "CredentialRegistry.json"):
        assert after[name] == before[name]
    # --json: one parsable document on stdout
    proc = verify(deployed, "PilotRegistry", "--json", "--explorer", "blockscout")
    assert proc.returncode == 2
    [result] = json.loads(proc.stdout)
    assert result["explorers"]["blockscout"]["status"] == "unreachable" and not result["ok"]
