"""`daftar verify` over a real deployment: records from a journaled deploy to anvil.

The explorer is a local stand-in of Sourcify's documented v2 API (no network here); the
chain, the deploy, the recompile and the bytecode comparison are real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from explorer_stand_ins import SourcifyStandIn

from daftar.chain.anvil import AnvilProcess
from daftar.chain.rpc import RpcChain
from daftar.explorer import Submission
from daftar.explorer.deployments import verify_network

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """The registry deployed with the journaled deployer to anvil as `localhost`."""
    from daftar.deploy.runner import deploy

    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    old = os.environ.get("LOCALHOST_RPC_URL")
    os.environ["LOCALHOST_RPC_URL"] = node.url
    folder = tmp_path_factory.mktemp("deployments")
    try:
        deploy("localhost", project_dir=REPO, deployments_dir=folder, say=lambda _m: None)
        yield node, folder
    finally:
        node.stop()
        if old is None:
            os.environ.pop("LOCALHOST_RPC_URL", None)
        else:
            os.environ["LOCALHOST_RPC_URL"] = old


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args],
        cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_cli_local_verification_of_every_record(deployed):
    node, folder = deployed
    proc = _cli(
        "--json", "verify", "--network", "localhost", "--deployments", str(folder), "--local-only",
        env={"LOCALHOST_RPC_URL": node.url},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert {r["contract"] for r in results} == {
        "IssuerRegistry",
        "CredentialRegistry",
        "PilotRegistry",
    }
    assert all(r["local"]["status"] == "verified" for r in results), results


def test_explorer_result_written_to_record_and_idempotent(project, deployed, stand_ins):
    node, root = deployed
    folder = root / "localhost"
    record = json.loads((folder / "IssuerRegistry.json").read_text())
    sub = Submission.from_record(record, project.IssuerRegistry.artifact)
    job = {
        "isJobCompleted": True,
        "contract": {"match": "exact_match", "runtimeMatch": "exact_match"},
    }
    server = SourcifyStandIn(sub, (202, None), [job])
    stand_ins.append(server)
    net = project.config.network("localhost")
    net = replace(net, settings={**net.settings, "sourcify": server.url})
    chain = RpcChain("localhost", node.url, 31337)
    lines: list[str] = []

    first = verify_network(
        project, net, chain, folder, ["IssuerRegistry"], ["sourcify"], say=lines.append
    )
    assert server.problems == []
    assert first[0].local.status == "verified"
    assert first[0].explorers["sourcify"].status == "verified"
    saved = json.loads((folder / "IssuerRegistry.json").read_text())
    assert saved["verification"]["sourcify"] == "verified"
    assert saved["verification"]["etherscan"] == "unverified"
    assert "sourcify: verified" in (folder / "README.md").read_text()

    posts = server.count("POST")
    again = verify_network(
        project, net, chain, folder, ["IssuerRegistry"], ["sourcify"], say=lines.append
    )
    assert again[0].explorers["sourcify"].skipped
    assert server.count("POST") == posts


def test_unknown_contract_and_missing_records(project, deployed, tmp_path):
    from daftar.explorer.result import ExplorerError

    node, root = deployed
    folder = root / "localhost"
    net = project.config.network("localhost")
    chain = RpcChain("localhost", node.url, 31337)
    with pytest.raises(ExplorerError, match="no record for Nope"):
        verify_network(project, net, chain, folder, ["Nope"], [], say=lambda _m: None)
    with pytest.raises(ExplorerError, match="deploy first"):
        verify_network(project, net, chain, tmp_path / "localhost", [], [], say=lambda _m: None)
