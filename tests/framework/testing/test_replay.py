"""Failures you can replay: a failing stateful run is kept in Hypothesis's example database
(the `dev` profile keeps one) and written as a plain pytest regression test that fails the
same way, and passes once the bug is fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from daftar.testing.replay import regression_source, steps_from

REPO = Path(__file__).resolve().parents[3]

CONTRACT = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Tally {
    uint256 public total;
    function add(uint256 amount) external { total += amount; }
}
"""

MACHINE = '''import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from daftar.testing import ChainStateMachine

LIMIT = 15


class TallyModel(ChainStateMachine):
    def __init__(self):
        super().__init__()
        self.tally = self.project.Tally.deploy(sender=self.owner)
        self.total = 0

    @rule(amount=st.integers(0, 10))
    def add(self, amount):
        self.tally.add(amount, sender=self.owner)
        self.total += amount

    @invariant()
    def total_matches(self):
        assert self.tally.total() == self.total
        assert self.total < LIMIT, "planted: totals of LIMIT or more are refused"


def test_tally_stateful(project, accounts, chain):
    """The planted failure: the total reaches LIMIT."""
    class Machine(TallyModel):
        pass

    Machine.project = project
    Machine.owner = accounts[0]
    run_state_machine_as_test(Machine)
'''


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "DAFTAR_")) and k != "CI"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def tally_project(tmp_path: Path) -> Path:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "brownie-config.yaml").write_text(
        "compiler:\n  evm_version: prague\n  solc: {version: 0.8.30}\n"
    )
    (tmp_path / "contracts" / "Tally.sol").write_text(CONTRACT)
    (tmp_path / "tests" / "test_tally.py").write_text(MACHINE)
    return tmp_path


def test_a_failing_stateful_run_is_kept_and_written_as_a_regression_test(tally_project: Path):
    first = _pytest(tally_project, "tests/test_tally.py")
    assert first.returncode == 1, first.stdout
    target = tally_project / "tests" / "test_tally_regressions.py"
    assert f"regression test now: {target}::test_tally_stateful_regression_" in first.stdout
    assert any((tally_project / ".hypothesis" / "examples").iterdir())  # the dev profile kept it

    source = target.read_text()
    assert "def test_tally_stateful_regression_" in source
    assert "(project, accounts, chain):" in source
    assert "    Machine.owner = accounts[0]\n    state = Machine()\n" in source
    assert "run_state_machine_as_test" not in source.split("import *")[1]
    assert source.rstrip().endswith("state.teardown()")

    replay = _pytest(tally_project, str(target))
    assert replay.returncode == 1 and "1 failed" in replay.stdout, replay.stdout
    assert "planted: totals of LIMIT or more are refused" in replay.stdout

    fixed = MACHINE.replace("LIMIT = 15", "LIMIT = 10**9")
    (tally_project / "tests" / "test_tally.py").write_text(fixed)
    after = _pytest(tally_project, str(target))
    assert after.returncode == 0 and "1 passed" in after.stdout, after.stdout


def test_steps_are_read_from_the_notes_hypothesis_attaches():
    exc = AssertionError("boom")
    exc.add_note("Falsifying example:\nstate = Machine()\nstate.add(amount=5)\nstate.teardown()")
    assert steps_from(exc) == ["state = Machine()", "state.add(amount=5)", "state.teardown()"]
    assert steps_from(AssertionError("no notes")) == []


def test_a_test_without_a_runner_call_gets_the_steps_alone():
    def test_machine(chain):
        pass

    name, source = regression_source(test_machine, ["state = M()", "state.teardown()"])
    assert name.startswith("test_machine_regression_")
    assert f"def {name}(chain):" in source
    assert source.rstrip().endswith("    state = M()\n    state.teardown()")


GIVEN_MACHINE = (
    MACHINE.replace(
        "from daftar.testing import ChainStateMachine",
        "from hypothesis import given\nfrom daftar.testing import ChainStateMachine\n"
        "from daftar.testing.stateful import machine_example",
    )
    .replace(
        "def test_tally_stateful(project, accounts, chain):",
        "@given(data=st.data())\ndef test_tally_stateful(project, accounts, chain, data):",
    )
    .replace("run_state_machine_as_test(Machine)", "machine_example(Machine, data)")
)


def test_a_machine_as_a_given_test_runs_its_steps_and_is_replayable(tally_project: Path):
    """`machine_example` (the form HypoFuzz can fuzz) finds the planted failure, and the
    regression test takes the fixtures only, not the `data` argument."""
    (tally_project / "tests" / "test_tally.py").write_text(GIVEN_MACHINE)
    first = _pytest(tally_project, "tests/test_tally.py")
    assert first.returncode == 1 and "planted" in first.stdout, first.stdout
    source = (tally_project / "tests" / "test_tally_regressions.py").read_text()
    assert "(project, accounts, chain):" in source and "data" not in source.split("import *")[1]
    replay = _pytest(tally_project, "tests/test_tally_regressions.py")
    assert replay.returncode == 1 and "planted" in replay.stdout, replay.stdout
