"""The same Brownie-style test suites under daftar (revm) and under Brownie 1.22.2 (anvil).

Suites: examples/brownie-token (an ERC-20 at solc 0.6.12: transfer, approve, transferFrom,
events, reverts; module-scoped deploy + fn_isolation) and examples/brownie-bank (property
tests with `given` + `strategy`, and a `state_machine` stateful test). Both projects' own
brownie-config.yaml sets the Hypothesis settings, so both runners draw the same number of
examples and steps.

- daftar: `daftar test -q` in the example's folder (embedded revm, no JSON-RPC).
- Brownie: `brownie test` in a temp copy of the example, its development network (anvil
  from node_modules on a free port) launched by Brownie, from the Brownie venv that
  tests/integration/test_brownie_compat.py builds once and reuses.

Each side runs once untimed (compiles, warms caches), then `--repeat` timed runs; the
median wall time of a whole process counts (start-up, compile check, chain launch, tests),
because that is what a person waits for. Bytecode caching is on for both (Python's
default), whatever PYTHONDONTWRITEBYTECODE says. Every run must pass with the same number of tests
on both sides, or the bench fails instead of reporting a speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import emit, say

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("brownie-token", "brownie-bank")
GOAL_RATIO = 20.0
ACKEE_BROWNIE_TESTS_PER_S = 7.8  # Ackee's Brownie-on-anvil figure (Uniswap v3 core)


def _helpers():
    sys.path.insert(0, str(ROOT))
    from tests.integration import test_brownie_examples as ex

    return ex


def _session_s(output: str) -> float:
    """pytest's own figure for the session ("26 passed in 0.57s"): tests, fixtures, chain."""
    import re

    found = re.findall(r" in ([0-9.]+)s", output)
    return float(found[-1]) if found else float("nan")


def _time(fn, *args):
    start = time.perf_counter()
    proc = fn(*args)
    return time.perf_counter() - start, proc


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench brownie", description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per side (median)")
    args = parser.parse_args(argv)
    # Python's default: modules compiled once, then read from __pycache__ (an environment
    # with PYTHONDONTWRITEBYTECODE=1 recompiles every module of both runners every run).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    ex = _helpers()
    from tests.integration.test_brownie_compat import brownie_venv

    venv = brownie_venv()
    daftar_s: dict[str, float] = {}
    brownie_s: dict[str, float] = {}
    tests: dict[str, int] = {}
    session: dict[str, dict[str, list[float]]] = {s: {} for s in SUITES}
    with tempfile.TemporaryDirectory(prefix="daftar-bench-brownie-") as tmp:
        for suite in SUITES:
            say(f"{suite}: daftar on revm (warm-up, then {args.repeat} timed)")
            ex.run_daftar_test(suite)
            runs = []
            for _ in range(args.repeat):
                seconds, proc = _time(ex.run_daftar_test, suite)
                out = proc.stdout + proc.stderr
                if proc.returncode != 0:
                    say(out[-3000:])
                    raise SystemExit(f"daftar test failed in examples/{suite}")
                runs.append(seconds)
                tests[suite] = ex.passed(out)
                session[suite].setdefault("daftar", []).append(_session_s(out))
            daftar_s[suite] = statistics.median(runs)
            say(f"  {tests[suite]} tests, {daftar_s[suite]:.2f}s")

            say(f"{suite}: Brownie 1.22.2 on anvil (warm-up compiles, then timed)")
            work = Path(tmp) / suite
            ex.run_brownie_test(suite, work, venv)
            runs = []
            for _ in range(args.repeat):
                seconds, proc = _time(ex.run_brownie_test, suite, work, venv)
                out = proc.stdout + proc.stderr
                if proc.returncode != 0 or ex.passed(out) != tests[suite]:
                    say("\n".join(ln for ln in out.splitlines() if ln.startswith(("E ", "FAILED"))))
                    raise SystemExit(
                        f"brownie test in a copy of examples/{suite}: exit {proc.returncode}, "
                        f"{ex.passed(out)} passed (daftar: {tests[suite]})"
                    )
                runs.append(seconds)
                session[suite].setdefault("brownie", []).append(_session_s(out))
            brownie_s[suite] = statistics.median(runs)
            say(f"  {tests[suite]} tests, {brownie_s[suite]:.2f}s")

    n = sum(tests.values())
    d, b = sum(daftar_s.values()), sum(brownie_s.values())
    sd = sum(statistics.median(session[s]["daftar"]) for s in SUITES)
    sb = sum(statistics.median(session[s]["brownie"]) for s in SUITES)
    say(f"pytest sessions alone: daftar {sd:.2f}s, Brownie {sb:.2f}s")
    say(f"daftar {d:.2f}s ({n / d:.1f} tests/s), Brownie {b:.2f}s ({n / b:.1f} tests/s)")
    emit(
        {
            "suites": list(SUITES),
            "tests": n,
            "daftar_revm_s": round(d, 2),
            "brownie_anvil_s": round(b, 2),
            "daftar_tests_per_s": round(n / d, 1),
            "brownie_tests_per_s": round(n / b, 1),
            "per_suite_s": {
                s: {
                    "daftar": round(daftar_s[s], 2),
                    "brownie": round(brownie_s[s], 2),
                    "tests": tests[s],
                }
                for s in SUITES
            },
            "daftar_session_s": round(sd, 2),
            "brownie_session_s": round(sb, 2),
            "session_brownie_over_daftar": round(sb / sd, 1),
            "brownie_over_daftar": round(b / d, 1),
            "goal_brownie_over_daftar": GOAL_RATIO,
            "anchor_ackee_brownie_tests_per_s": ACKEE_BROWNIE_TESTS_PER_S,
        }
    )
    return 0
