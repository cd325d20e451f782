"""`pytest -n 2` (pytest-xdist): each worker has its own chain, tests stay isolated, and
anvil workers listen on ports of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from daftar.chain.anvil import XDIST_PORT_BASE, XDIST_PORTS_PER_WORKER, free_port

pytest.importorskip("xdist")
REPO = Path(__file__).resolve().parents[3]

CONTRACT = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Tally {
    uint256 public total;
    function add(uint256 amount) external { total += amount; }
}
"""

TESTS = """import json, os
import pytest

@pytest.fixture(scope="module")
def tally(project, accounts):
    return project.Tally.deploy(sender=accounts[0])

@pytest.mark.parametrize("i", range(8))
def test_each_starts_from_the_deploy(tally, accounts, chain, i):
    assert tally.total() == 0  # whatever ran before on this worker was reverted
    tally.add(i + 1, sender=accounts[0])
    assert tally.total() == i + 1
    url = getattr(getattr(chain, "process", None), "url", None) or getattr(chain, "url", "")
    with open(os.environ["OUT"] + "." + os.environ["PYTEST_XDIST_WORKER"], "a") as fh:
        fh.write(json.dumps({"pid": os.getpid(), "id": id(chain), "url": str(url)}) + "\\n")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "brownie-config.yaml").write_text(
        "compiler:\n  evm_version: prague\n  solc: {version: 0.8.30}\n"
    )
    (tmp_path / "contracts" / "Tally.sol").write_text(CONTRACT)
    (tmp_path / "tests" / "test_tally.py").write_text(TESTS)
    return tmp_path


def _run(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DAFTAR_"))}
    out = folder / "seen"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", *args],
        cwd=folder, env={**env, "OUT": str(out)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    seen = [
        json.loads(line) for f in folder.glob("seen.gw*") for line in f.read_text().splitlines()
    ]
    return proc, seen


@pytest.mark.parametrize("network", ["revm", "anvil"])
def test_two_workers_each_with_its_own_chain(project: Path, network: str):
    proc, seen = _run(project, "--network", network)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "8 passed" in proc.stdout
    assert len({s["pid"] for s in seen}) == 2  # both workers ran tests
    if network == "anvil":
        assert len({s["url"] for s in seen}) == 2, seen  # one anvil per worker
        ports = {int(s["url"].rsplit(":", 1)[1]) for s in seen}
        assert all(
            XDIST_PORT_BASE <= p < XDIST_PORT_BASE + 2 * XDIST_PORTS_PER_WORKER for p in ports
        )


def test_worker_ports_come_from_the_workers_range(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    base = XDIST_PORT_BASE + 3 * XDIST_PORTS_PER_WORKER
    assert base <= free_port() < base + XDIST_PORTS_PER_WORKER
