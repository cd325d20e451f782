"""Mutation testing: the operators on known snippets, and a whole run on a small project
whose tests are known to miss exactly some mutants (a boundary, a constant, an event)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daftar.errors import DaftarError
from daftar.testing.mutation import Mutant, Outcome, generate, run_mutation
from daftar.testing.mutation.operators import mask
from daftar.testing.mutation.runner import keys_to_rerun, suggest

REPO = Path(__file__).resolve().parents[3]

WINDOW = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Window {
    enum State { Closed, Open, Done }
    uint256 public constant LIMIT = 10;
    State public state;
    uint256 public total;
    event Added(uint256 amount, uint256 total);
    error TooMuch(uint256 amount);

    function open() external {
        require(state == State.Closed, "not closed");
        state = State.Open;
    }

    function add(uint256 amount) external {
        if (amount > LIMIT) revert TooMuch(amount);
        total += amount;
        emit Added(amount, total);
    }

    function inWindow(uint256 t, uint256 from, uint256 until) external pure returns (bool) {
        return t >= from && t < until; // a comment with > and 7
    }
}
"""

TESTS = """import pytest
from daftar.testing import reverts


@pytest.fixture
def window(project, accounts):
    return project.Window.deploy(sender=accounts[0])


def test_open(window, accounts):
    window.open(sender=accounts[0])
    assert window.state() == 1
    with reverts():
        window.open(sender=accounts[0])


def test_add(window, accounts):
    window.add(3, sender=accounts[0])
    window.add(4, sender=accounts[0])
    assert window.total() == 7
    with reverts():
        window.add(11, sender=accounts[0])


def test_window(window):
    assert window.inWindow(5, 1, 9)
    assert not window.inWindow(9, 1, 9)
    assert not window.inWindow(0, 1, 9)
"""


def _labels(text: str, **kw) -> set[tuple[str, str, str]]:
    return {(m.operator, m.original, m.replacement) for m in generate("W.sol", text, **kw)}


def test_operators_cover_each_kind():
    found = _labels(WINDOW)
    expected = {
        ("relational", ">=", ">"),  # the window boundary
        ("relational", ">=", "<"),
        ("relational", "<", "<="),
        ("relational", "==", "!="),
        ("logical", "&&", "||"),
        ("assignment", "+=", "-="),
        ("assignment", "+=", "="),
        ("negate", "amount > LIMIT", "!(amount > LIMIT)"),
        ("negate", "state == State.Closed", "!(state == State.Closed)"),
        ("delete", 'require(state == State.Closed, "not closed");', "{}"),
        ("delete", "revert TooMuch(amount);", "{}"),
        ("delete", "emit Added(amount, total);", "{}"),
        ("constant", "10", "11"),
        ("constant", "10", "9"),
        ("enum", "Closed", "Open"),
        ("enum", "Open", "Done"),
    }
    assert expected <= found, expected - found


def test_comments_strings_pragma_and_declarations_are_not_mutated():
    mutants = generate("W.sol", WINDOW)
    lines = {m.line for m in mutants}
    assert 2 not in lines  # pragma ^0.8.24
    assert 5 not in lines  # the enum declaration itself
    assert not any("comment" in m.original or m.original == "7" for m in mutants)
    assert not any("not closed" in m.replacement and m.operator != "delete" for m in mutants)
    assert len(mask(WINDOW)) == len(WINDOW)


def test_unary_minus_is_not_an_arithmetic_mutant():
    src = "contract C { function f(int a) external pure returns (int) { return -a + 1; } }"
    found = _labels(src)
    assert ("arithmetic", "+", "-") in found
    assert not any(op == "arithmetic" and orig == "-" for op, orig, _ in found)


def test_key_survives_edits_elsewhere_in_the_file():
    before = {m.key: m for m in generate("W.sol", WINDOW)}
    shifted = WINDOW.replace("contract Window {", "contract Window {\n    // moved down\n")
    after = {m.key: m for m in generate("W.sol", shifted)}
    assert set(before) == set(after)
    k = next(iter(before))
    assert after[k].line == before[k].line + 2


def test_apply_and_diff():
    m = next(m for m in generate("W.sol", WINDOW) if m.original == ">=" and m.replacement == ">")
    assert "t > from && t < until" in m.apply(WINDOW)
    diff = m.diff(WINDOW)
    assert "-        return t >= from" in diff and "+        return t > from" in diff


@pytest.fixture
def window_project(tmp_path: Path) -> Path:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "brownie-config.yaml").write_text(
        "compiler:\n  evm_version: prague\n  solc: {version: 0.8.30}\n"
    )
    (tmp_path / "contracts" / "Window.sol").write_text(WINDOW)
    (tmp_path / "tests" / "test_window.py").write_text(TESTS)
    return tmp_path


def test_a_run_kills_what_the_tests_check_and_reports_the_rest(window_project: Path):
    """The tests check `>` at 11 but never at 10, the window's lower edge never at 1 and
    never the event: exactly those mutants survive; an equivalents entry is honoured."""
    equivalents = window_project / "equivalents.json"
    all_mutants = generate("contracts/Window.sol", WINDOW)
    emit = next(m for m in all_mutants if m.original.startswith("emit"))
    equivalents.write_text(json.dumps({"equivalents": [{"key": emit.key, "why": "test"}]}))
    report = run_mutation(
        window_project,
        ["contracts/Window.sol"],
        ["tests"],
        workers=2,
        equivalents=equivalents,
    )
    by = {(o.mutant.original, o.mutant.replacement, o.mutant.line): o.status
          for o in report.outcomes}  # fmt: skip
    assert by[(">=", ">", 24)] == "survived"
    assert by[(">", ">=", 18)] == "survived"
    assert by[("10", "9", 6)] == "survived"
    assert by[("emit Added(amount, total);", "{}", 20)] == "equivalent"
    assert by[("+=", "-=", 19)] == "killed"
    assert by[("&&", "||", 24)] == "killed"
    counts = report.counts()
    assert counts["survived"] == 3 and counts["equivalent"] == 1
    assert report.score == pytest.approx(counts["killed"] / (counts["killed"] + 3))
    data = report.as_json()
    json.dumps(data)
    survivor = next(m for m in data["mutants"] if m["status"] == "survived")
    assert survivor["diff"].startswith("--- a/contracts/Window.sol")
    text = "\n".join(report.render())
    assert "SURVIVED contracts/Window.sol:24:18 relational: `>=` → `>`" in text


def test_a_failing_original_is_refused(window_project: Path):
    (window_project / "tests" / "test_broken.py").write_text("def test_no():\n    assert False\n")
    with pytest.raises(RuntimeError, match="do not pass on the original"):
        run_mutation(window_project, ["contracts/Window.sol"], ["tests"], workers=1, sample=1)


SLOW_TEST = """import time


def test_slow_but_passing(project, accounts):
    window = project.Window.deploy(sender=accounts[0])
    window.add(3, sender=accounts[0])
    assert window.total() == 3
    t0 = time.process_time()
    while time.process_time() - t0 < 2.0:  # 2 s of CPU: ten times the budget below
        pass
"""


def test_a_mutant_over_its_cpu_budget_is_cut_off_and_the_worker_goes_on(window_project: Path):
    """With a CPU budget of 0.2 s and tests that need 2 s, every mutant's run is interrupted
    inside the worker (detail names the test), counted timed out, and the same worker goes
    on with the next mutant (no wall-clock kill: that detail would say "no answer")."""
    (window_project / "tests" / "test_window.py").unlink()
    (window_project / "tests" / "test_slow.py").write_text(SLOW_TEST)
    report = run_mutation(window_project, ["contracts/Window.sol"], ["tests"], workers=1,
                          timeout=0.2, sample=3, seed=1)  # fmt: skip
    tested = [o for o in report.outcomes if o.status not in ("uncompilable", "identical")]
    assert tested, [o.status for o in report.outcomes]
    for o in tested:
        assert o.status == "timed_out", (o.mutant.label, o.status, o.detail)
        assert o.detail == "CPU budget used up in tests/test_slow.py::test_slow_but_passing"
    assert report.budget_s == 0.2
    assert report.score == 1.0  # timed out counts as detected


def test_the_mutation_profile_is_daftars_ci_without_shrinking():
    from hypothesis import Phase, settings

    from daftar.testing.mutation.worker import MUTATION_PROFILE, register_profile
    from daftar.testing.plugin import PROFILES

    register_profile()
    profile = settings.get_profile(MUTATION_PROFILE)
    assert profile.max_examples == PROFILES["ci"]["max_examples"]
    assert profile.stateful_step_count == PROFILES["ci"]["stateful_step_count"]
    assert profile.derandomize and profile.database is None and profile.deadline is None
    assert Phase.shrink not in profile.phases and Phase.explain not in profile.phases
    assert Phase.generate in profile.phases


def _outcome(line: int, killed_by: str, file: str = "contracts/A.sol") -> Outcome:
    m = Mutant(file, "constant", 0, 1, "1", "2", line, 1, "x = 1;")
    return Outcome(m, "killed" if killed_by else "survived", killed_by=killed_by)


def test_suggested_tests_are_the_nearest_killers_then_the_most_frequent():
    judged = [
        _outcome(10, "t::far"),
        _outcome(48, "t::near"),
        _outcome(55, "t::next"),
        _outcome(50, ""),  # a survivor suggests nothing
        _outcome(49, "t::busy", file="contracts/B.sol"),
        _outcome(1, "t::busy", file="contracts/B.sol"),
        _outcome(2, "t::busy", file="contracts/B.sol"),
        _outcome(47, "t::near"),
    ]
    target = _outcome(50, "").mutant
    assert suggest(target, judged) == ["t::near", "t::next", "t::far", "t::busy"]
    assert suggest(target, judged, n=2) == ["t::near", "t::next"]
    assert suggest(target, []) == []


def test_the_worker_runs_suggested_tests_first_and_keeps_modules_together():
    from types import SimpleNamespace

    from daftar.testing.mutation.worker import _Recorder

    ids = ["a.py::t1", "a.py::t2", "slow.py::s1", "b.py::u1", "b.py::u2", "b.py::u3"]
    items = [SimpleNamespace(nodeid=i) for i in ids]
    cost = {"a.py": 0.5, "slow.py": 9.0, "b.py": 0.1}
    _Recorder(["b.py::u3", "slow.py::s1"], cost, None, 0.0).pytest_collection_modifyitems(items)
    assert [i.nodeid for i in items] == [
        "b.py::u3", "slow.py::s1", "b.py::u1", "b.py::u2", "a.py::t1", "a.py::t2",
    ]  # fmt: skip


def test_only_the_named_mutants_are_tested(window_project: Path, tmp_path: Path):
    """`only` (keys, or an earlier report's survivors and errors) runs exactly those mutants;
    a key no mutant has is refused, naming it."""
    mutants = generate("contracts/Window.sol", WINDOW)
    survivor = next(m for m in mutants if (m.original, m.replacement, m.line) == (">=", ">", 24))
    killed = next(m for m in mutants if (m.original, m.replacement, m.line) == ("+=", "-=", 19))
    report = run_mutation(window_project, ["contracts/Window.sol"], ["tests"], workers=1,
                          only={survivor.key, killed.key})  # fmt: skip
    assert {o.mutant.key: o.status for o in report.outcomes} == {
        survivor.key: "survived",
        killed.key: "killed",
    }
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(report.as_json()))
    assert keys_to_rerun(str(earlier)) == {survivor.key}
    assert keys_to_rerun(f" {killed.key}, {survivor.key} ") == {killed.key, survivor.key}
    many = {f"{i:012x}" for i in range(40)}  # longer than a file name may be
    assert keys_to_rerun(",".join(sorted(many))) == many
    with pytest.raises(DaftarError, match="ffffffffffff"):
        run_mutation(window_project, ["contracts/Window.sol"], ["tests"], workers=1,
                     only={"ffffffffffff"})  # fmt: skip
