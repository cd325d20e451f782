"""Decoded call traces on small known contracts (tests/framework/testing/contracts/Nest.sol).

Outer.run(x) calls Inner.check(x), which emits Checked and returns 2x, or reverts with the
custom error Limit(x, 10) above 10; Outer.crash(a) calls Inner.boom(a) = 100 / a (Panic 0x12
for a = 0); Inner.say(true) fails `require(!bad, "bad input")`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from tests.framework.conftest import REPO

from daftar.chain.base import Reverted
from daftar.errors import DaftarError
from daftar.project import Project

CONTRACTS = Path(__file__).parent / "contracts"
CONFIG = """compiler:
  evm_version: prague
  solc:
    version: 0.8.30
    optimizer: {enabled: true, runs: 200}
daftar:
  networks:
    development: {backend: revm, chain_id: 1337}
    tester: {backend: tester}
    anvil: {backend: anvil}
    node: {backend: rpc, chain_id: 31337, host: "${TRACE_NODE_URL}"}
"""


def _make(folder: Path) -> Path:
    (folder / "contracts").mkdir(parents=True)
    for sol in CONTRACTS.glob("*.sol"):
        shutil.copy(sol, folder / "contracts" / sol.name)
    (folder / "brownie-config.yaml").write_text(CONFIG)
    (folder / "node_modules").symlink_to(REPO / "node_modules")
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make(tmp_path_factory.mktemp("trace"))


@pytest.fixture(params=["tester", "anvil"])
def deployed(request: pytest.FixtureRequest, folder: Path) -> Iterator[SimpleNamespace]:
    project = Project.load(folder)
    chain = project.connect(request.param)
    admin = chain.accounts[0]
    inner = project.Inner.deploy(sender=admin)
    outer = project.Outer.deploy(inner.address, sender=admin)
    yield SimpleNamespace(project=project, chain=chain, admin=admin, inner=inner, outer=outer)
    project.close()


def _failure(project: Project, fn, *args, **kw) -> str:
    with pytest.raises(Reverted) as info:
        fn(*args, **kw)
    return str(project.explain_trace(info.value))


def test_nested_calls_with_arguments_events_and_returns(deployed) -> None:
    d = deployed
    text = str(d.outer.run(3, sender=d.admin).trace())
    lines = text.splitlines()
    assert lines[0].startswith("[") and lines[0].endswith("] Outer::run(x: 3)")
    assert "├─ [" in lines[1] and lines[1].endswith("] Inner::check(value: 3)")
    assert f"│   ├─ emit Checked(caller: {d.outer.address}, value: 3)" == lines[2]
    assert lines[3] == "│   └─ ← [Return] 6"
    assert lines[4] == "└─ ← [Return] 7"
    gas = [int(line.split("[")[1].split("]")[0]) for line in lines[:2]]
    assert gas[0] > gas[1] > 0


def test_custom_error_revert(deployed) -> None:
    d = deployed
    text = _failure(d.project, d.outer.run, 11, sender=d.admin)
    assert "Outer::run(x: 11)" in text and "Inner::check(value: 11)" in text
    assert text.count("← [Revert] Limit(value=11, max=10)") == 2
    if d.chain.backend == "tester":  # the in-process hook knows where it failed
        assert "at contracts/Nest.sol:10: revert Limit(value, 10);" in text
        assert "at contracts/Nest.sol:35: uint256 y = inner.check(x);" in text


def test_panic_with_its_meaning(deployed) -> None:
    d = deployed
    text = _failure(d.project, d.outer.crash, 0)
    assert "Inner::boom(a: 0) [staticcall]" in text
    assert "← [Revert] Panic(0x12): division or modulo by zero" in text
    if d.chain.backend == "tester":  # raised in solc's helper, placed at the user's line
        assert "at contracts/Nest.sol:17: uint256 b = 100 / a;" in text


def test_error_string(deployed) -> None:
    d = deployed
    text = _failure(d.project, d.inner.say, True)
    assert "Inner::say(bad: True)" in text and '← [Revert] "bad input"' in text
    if d.chain.backend == "tester":
        assert 'at contracts/Nest.sol:22: require(!bad, "bad input");' in text


def test_deploy_trace(deployed) -> None:
    d = deployed
    receipt = d.project.Outer.deploy(d.inner.address, sender=d.admin).deployment
    assert receipt is not None
    first = str(receipt.trace()).splitlines()[0]
    assert first.endswith("Outer::constructor()")


def test_revm_gives_the_decoded_revert_and_the_way_to_the_full_trace(folder: Path) -> None:
    project = Project.load(folder)
    chain = project.connect("development")
    try:
        admin = chain.accounts[0]
        inner = project.Inner.deploy(sender=admin)
        outer = project.Outer.deploy(inner.address, sender=admin)
        text = _failure(project, outer.run, 11, sender=admin)
        assert "Limit(value=11, max=10)" in text and "--network tester" in text
        with pytest.raises(DaftarError, match="--network tester"):
            outer.run(3, sender=admin).trace()
    finally:
        project.close()


FAILING = """
def test_unexpected(project, accounts):
    inner = project.Inner.deploy(sender=accounts[0])
    outer = project.Outer.deploy(inner.address, sender=accounts[0])
    outer.run(50, sender=accounts[0])

def test_expected(project, accounts):
    import pytest
    from daftar.chain.base import Reverted
    inner = project.Inner.deploy(sender=accounts[0])
    with pytest.raises(Reverted):
        inner.check(50, sender=accounts[0])
    assert False, "plain failure"
"""


@pytest.mark.parametrize("network", ["tester", "development"])
def test_failure_report_carries_the_tree(tmp_path: Path, network: str) -> None:
    folder = _make(tmp_path)
    (folder / "tests").mkdir()
    (folder / "tests" / "test_x.py").write_text(FAILING)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--network", network],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = proc.stdout
    assert "2 failed" in out, out
    assert out.count("daftar call trace") == 1, out  # the expected revert adds none
    section = out.split("daftar call trace")[1]
    if network == "tester":
        assert "Outer::run(x: 50)" in section and "Inner::check(value: 50)" in section
        assert "← [Revert] Limit(value=50, max=10)" in section
    else:
        assert "Limit(value=50, max=10)" in section and "--network tester" in section


def test_cli_traces_a_mined_transaction_on_a_node(folder: Path) -> None:
    project = Project.load(folder)
    chain = project.connect("anvil")
    try:
        admin = chain.accounts[0]
        inner = project.Inner.deploy(sender=admin)
        outer = project.Outer.deploy(inner.address, sender=admin)
        tx = outer.run(4, sender=admin).tx_hash
        env = {**os.environ, "TRACE_NODE_URL": chain.process.url}
        proc = subprocess.run(
            [sys.executable, "-m", "daftar.cli", "--network", "node", "trace", tx],
            cwd=folder, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Outer::run(x: 4)" in proc.stdout and "└─ ← [Return] 9" in proc.stdout
        assert "emit Checked(" in proc.stdout
        proc = subprocess.run(
            [sys.executable, "-m", "daftar.cli", "--network", "tester", "trace", tx],
            cwd=folder, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode != 0 and "in process" in proc.stdout + proc.stderr
    finally:
        project.close()
