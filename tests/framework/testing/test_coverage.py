"""`pytest --coverage` on small contracts whose covered lines and branches are derived by hand.

Each case runs pytest in a subprocess on a throwaway project holding
tests/framework/testing/contracts/ (Branchy.sol, Nest.sol) and reads the JSON report.

Branchy.sol, lines as numbered in the file:

    10  if (x > 100) {                    add(5) skips the body, add(500) enters it
    11      revert TooBig(x, 100);
    13  total += x;   14 emit ...   15 return total;
    19  require(a != 7, "seven");          pick(2, true): passes
    20  uint256 r = flag ? a : a * 2;      flag true only
    21  for (uint256 i = 0; i < a; i++)    a = 2: loops and exits (both outcomes)
    22      r += 1;
    24  if (a > 3 && flag) {               a > 3 false: && short-circuits, if not taken
    25      r += 10;
    27  return r;
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.framework.conftest import REPO

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
"""

FALSE_SIDE = """
def test_small(project, accounts):
    b = project.Branchy.deploy(sender=accounts[0])
    assert b.add(5, sender=accounts[0]).events[0].value == 5

def test_pick(project, accounts):
    b = project.Branchy.deploy(sender=accounts[0])
    assert b.pick(2, True) == 4
"""

TRUE_SIDE = """
import pytest
from daftar.chain.base import Reverted

def test_big(project, accounts):
    b = project.Branchy.deploy(sender=accounts[0])
    with pytest.raises(Reverted):
        b.add(500, sender=accounts[0])
"""

NESTED = """
def test_nested(project, accounts):
    inner = project.Inner.deploy(sender=accounts[0])
    outer = project.Outer.deploy(inner.address, sender=accounts[0])
    assert outer.run(3, sender=accounts[0]).events[0].value == 3
"""


def _project(tmp_path: Path, tests: str, extra_config: str = "") -> Path:
    (tmp_path / "contracts").mkdir(parents=True)
    for sol in CONTRACTS.glob("*.sol"):
        shutil.copy(sol, tmp_path / "contracts" / sol.name)
    (tmp_path / "brownie-config.yaml").write_text(CONFIG + extra_config)
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_it.py").write_text(tests)
    return tmp_path


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--coverage", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _report(folder: Path, *args: str) -> tuple[dict, str]:
    proc = _run(folder, *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((folder / "reports" / "coverage" / "coverage.json").read_text()), proc.stdout


BRANCHY_FALSE_SIDE_LINES = {
    "10": "partial",  # the if ran, its condition was false only
    "11": "missed",
    "13": "hit",
    "14": "hit",
    "15": "hit",
    "19": "partial",  # require passed only
    "20": "partial",  # ternary took one side
    "21": "hit",  # the loop condition went both ways
    "22": "hit",
    "24": "partial",
    "25": "missed",
    "27": "hit",
}


@pytest.mark.parametrize("network", ["tester", "anvil"])
def test_lines_and_branches_match_the_hand_derived_sets(tmp_path: Path, network: str) -> None:
    data, out = _report(_project(tmp_path, FALSE_SIDE), "--network", network)
    branchy = data["files"]["contracts/Branchy.sol"]
    assert branchy["lines"] == BRANCHY_FALSE_SIDE_LINES
    taken = {(b["line"], b["kind"]): len(b["taken"]) for b in branchy["branches"]}
    assert taken == {
        (10, "if"): 1,
        (19, "require"): 1,
        (20, "ternary"): 1,
        (21, "for"): 2,
        (24, "if"): 1,
        (24, "&&"): 1,
    }
    # add: lines 10, 11, 13, 14, 15 (one statement each); pick: lines 19, 20, 21 (the for,
    # its init and its i++), 22, 24, 25, 27
    add, pick = data["functions"]["Branchy.add"], data["functions"]["Branchy.pick"]
    assert add == {"lines": 5, "lines_hit": 4, "branches": 2, "branches_hit": 1,
                   "statements": 5, "statements_hit": 4}  # fmt: skip
    assert pick == {"lines": 7, "lines_hit": 6, "branches": 10, "branches_hit": 6,
                    "statements": 9, "statements_hit": 8}  # fmt: skip
    # Nest.sol never ran: every executable line missed
    assert set(data["files"]["contracts/Nest.sol"]["lines"].values()) == {"missed"}
    assert "Branchy" in out and "add" in out and "80.0% (4/5)" in out and "50.0% (1/2)" in out


def test_only_the_true_side_of_an_if(tmp_path: Path) -> None:
    data, _ = _report(_project(tmp_path, TRUE_SIDE), "--network", "tester")
    lines = data["files"]["contracts/Branchy.sol"]["lines"]
    assert {k: lines[k] for k in ("10", "11", "13", "14", "15")} == {
        "10": "partial", "11": "hit", "13": "missed", "14": "missed", "15": "missed"
    }  # fmt: skip
    both = _report(_project(tmp_path / "both", FALSE_SIDE + TRUE_SIDE), "--network", "tester")[0]
    assert both["files"]["contracts/Branchy.sol"]["lines"]["10"] == "hit"
    assert both["functions"]["Branchy.add"]["branches_hit"] == 2


def test_nested_calls_and_constructors_are_covered(tmp_path: Path) -> None:
    data, _ = _report(_project(tmp_path, NESTED), "--network", "tester")
    nest = data["files"]["contracts/Nest.sol"]["lines"]
    assert nest["31"] == "hit"  # Outer's constructor: inner = inner_
    assert nest["35"] == "hit" and nest["36"] == "hit"  # Outer.run
    assert nest["9"] == "partial" and nest["10"] == "missed"  # Inner.check's if, not taken
    assert nest["12"] == "hit" and nest["13"] == "hit"
    assert nest["17"] == "missed"  # boom never called


def test_lcov_and_html(tmp_path: Path) -> None:
    folder = _project(tmp_path, FALSE_SIDE)
    _report(folder, "--network", "tester")
    lcov = (folder / "reports" / "coverage" / "lcov.info").read_text()
    assert "SF:contracts/Branchy.sol" in lcov
    assert "DA:11,0" in lcov and "DA:13,1" in lcov
    assert "BRDA:21,3,0,1" in lcov and "BRDA:21,3,1,1" in lcov
    assert lcov.count("end_of_record") == 2
    page = (folder / "reports" / "coverage" / "index.html").read_text()
    assert "<tr class='missed'" in page and "<tr class='partial'" in page
    assert "revert TooBig(x, 100);" in page and "taken one way only" in page


def test_brownie_report_excludes(tmp_path: Path) -> None:
    extra = "reports:\n  exclude_paths: ['contracts/Nest.sol']\n  exclude_contracts: []\n"
    data, _ = _report(_project(tmp_path, FALSE_SIDE, extra), "--network", "tester")
    assert set(data["files"]) == {"contracts/Branchy.sol"}
    extra = "reports:\n  exclude_contracts: ['Branchy', 'Outer']\n"
    data, _ = _report(_project(tmp_path / "b", FALSE_SIDE, extra), "--network", "tester")
    assert set(data["contracts"]) == {"Inner"}


def test_revm_says_it_cannot_and_where_to_go(tmp_path: Path) -> None:
    proc = _run(_project(tmp_path, FALSE_SIDE))
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "no per-step hook" in text and "--network tester" in text
