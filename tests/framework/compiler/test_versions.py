"""Pragma ranges: the hand-written matcher agrees with node's `semver` (npm's own) everywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daftar.compiler.versions import parse_range, parse_version, pragma_ranges, source_range
from daftar.errors import CompileError

REPO = Path(__file__).resolve().parents[3]

ORACLE = r"""
const semver = require(process.argv[1]);
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const { range, versions } = JSON.parse(line);
  process.stdout.write(JSON.stringify(versions.map((v) => semver.satisfies(v, range))) + '\n');
});
"""


@pytest.fixture(scope="module")
def node_semver():
    """A long-lived node process answering `semver.satisfies` for a range and versions."""
    if shutil.which("node") is None or not (REPO / "node_modules" / "semver").is_dir():
        pytest.skip("node and node_modules/semver are needed for the oracle")
    proc = subprocess.Popen(
        ["node", "-e", ORACLE, str(REPO / "node_modules" / "semver")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip

    def ask(range_text: str, versions: list[str]) -> list[bool]:
        assert proc.stdin and proc.stdout
        proc.stdin.write(json.dumps({"range": range_text, "versions": versions}) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    yield ask
    proc.stdin.close()  # type: ignore[union-attr]
    proc.wait(timeout=10)


num = st.integers(0, 4).map(str)
xr = st.one_of(num, num, num, st.sampled_from(["x", "X", "*"]))


@st.composite
def partials(draw) -> str:
    parts = draw(st.lists(xr, min_size=1, max_size=3))
    text = ".".join(parts)
    if len(parts) == 3 and all(p.isdigit() for p in parts) and draw(st.booleans()):
        text += "-" + draw(st.sampled_from(["0", "beta", "beta.1", "rc.2", "alpha-x"]))
    return text


@st.composite
def comparators(draw) -> str:
    op = draw(st.sampled_from(["", "=", "<", ">", "<=", ">=", "^", "~", "~>"]))
    space = draw(st.sampled_from(["", "", " "])) if op else ""
    return op + space + draw(partials())


@st.composite
def conjunctions(draw) -> str:
    if draw(st.integers(0, 4)) == 0:
        return f"{draw(partials())} - {draw(partials())}"
    return " ".join(draw(st.lists(comparators(), min_size=1, max_size=3)))


ranges = st.lists(conjunctions(), min_size=1, max_size=3).map(" || ".join)
versions = st.lists(st.tuples(num, num, num).map(".".join), min_size=1, max_size=12)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(range_text=ranges, candidates=versions)
def test_matches_node_semver(node_semver, range_text, candidates):
    parsed = parse_range(range_text)
    ours = [parse_version(v) in parsed for v in candidates]
    assert ours == node_semver(range_text, candidates), range_text


@pytest.mark.parametrize(
    ("pragma", "inside", "outside"),
    [
        ("^0.6.0", ["0.6.0", "0.6.12"], ["0.5.17", "0.7.0"]),
        ("^0.8.0", ["0.8.30"], ["0.7.6", "0.9.0"]),
        (">=0.4.22 <0.9.0", ["0.4.22", "0.8.30"], ["0.4.21", "0.9.0"]),
        ("~0.4.24", ["0.4.26"], ["0.4.23", "0.5.0"]),
        ("0.6.12", ["0.6.12"], ["0.6.11", "0.6.13"]),
        ("=0.7.6", ["0.7.6"], ["0.7.5"]),
        ("0.5.0 - 0.7", ["0.5.0", "0.7.6"], ["0.4.26", "0.8.0"]),
        (">=0.5.0 <0.6.0 || ^0.8.0", ["0.5.17", "0.8.30"], ["0.6.12", "0.7.6"]),
        (">= 0.6.2", ["0.6.2", "0.8.30"], ["0.6.1"]),
    ],
)
def test_solidity_pragmas(pragma, inside, outside):
    r = parse_range(pragma)
    assert all(parse_version(v) in r for v in inside)
    assert not any(parse_version(v) in r for v in outside)


def test_newest_satisfying():
    installed = [parse_version(v) for v in ("0.5.17", "0.6.12", "0.7.6", "0.8.30")]
    assert parse_range("^0.6.0").newest(installed) == (0, 6, 12)
    assert parse_range(">=0.5.0").newest(installed) == (0, 8, 30)
    assert parse_range("^0.4.0").newest(installed) is None


def test_pragmas_ignore_comments_and_strings_and_combine():
    src = """
    // pragma solidity ^0.4.0;
    /* pragma solidity ^0.5.0; */
    pragma solidity >=0.6.0;
    pragma solidity <0.8.0;
    contract C { string s = "pragma solidity ^0.4.0;"; }
    """
    assert pragma_ranges(src) == [">=0.6.0", "<0.8.0"]
    r = source_range("C.sol", src)
    assert (0, 7, 6) in r and (0, 8, 0) not in r and (0, 5, 17) not in r
    assert (0, 1, 0) in source_range("N.sol", "contract N {}")  # no pragma: anything


def test_bad_pragma_names_the_file():
    with pytest.raises(CompileError, match=r"contracts/B.sol: `pragma solidity \^zero;`"):
        source_range("contracts/B.sol", "pragma solidity ^zero;")
