"""`python -m bench coverage`: Solidity line and branch coverage of the registry's contracts
under the registry's contract tests (`pytest --coverage`, profile `ci`: derandomized).

Runs pytest in a subprocess on the chosen backend (tester: the in-process py-evm hook;
anvil: opcode steps replayed from `debug_traceTransaction`), prints each contract's lines
and branches, and as its last line JSON: totals, per contract, backend, wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ("IssuerRegistry", "CredentialRegistry", "PilotRegistry")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench coverage", description=__doc__)
    parser.add_argument("--network", default="anvil", choices=["tester", "anvil"])
    parser.add_argument("--tests", default="tests/registry/contracts")
    parser.add_argument("--profile", default="ci", help="Hypothesis profile (default: ci)")
    args = parser.parse_args(argv)

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    cmd = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--coverage",
        "--network", args.network, "--hypothesis-profile", args.profile, args.tests,
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    report = ROOT / "reports" / "coverage" / "coverage.json"
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", tail)) else 0
    if proc.returncode not in (0, 1) or not report.is_file():
        print(proc.stdout[-4000:] + proc.stderr[-2000:], file=sys.stderr)
        print(json.dumps({"error": f"pytest exited {proc.returncode}"}))
        return 1
    data = json.loads(report.read_text())
    rows = {c: data["contracts"][c] for c in CONTRACTS if c in data["contracts"]}
    total = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))}

    def pct(row: dict[str, int], what: str) -> float:
        return round(100 * row[f"{what}_hit"] / row[what], 1) if row[what] else 0.0

    print(f"registry contracts under {args.tests} on {args.network} ({seconds:.0f}s):")
    for name, row in [*rows.items(), ("total", total)]:
        print(
            f"  {name:<20} lines {pct(row, 'lines'):5.1f}% ({row['lines_hit']}/{row['lines']})"
            f"   branches {pct(row, 'branches'):5.1f}% ({row['branches_hit']}/{row['branches']})"
        )
    print(f"  tests: {tail.strip('= ')}; reports: {report.parent}")
    summary = {
        "lines_pct": pct(total, "lines"),
        "branches_pct": pct(total, "branches"),
        "contracts": {
            n: {"lines_pct": pct(r, "lines"), "branches_pct": pct(r, "branches")}
            for n, r in rows.items()
        },
        "network": args.network,
        "seconds": round(seconds, 1),
        "tests": tail.strip("= "),
        "tests_failed": failed,
    }
    print(json.dumps(summary))
    return 0
