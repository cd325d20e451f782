"""Mutation score of the registry: its three contracts' mutants under its own tests, on revm.

Every mutant `daftar mutate` makes of contracts/{Issuer,Credential,Pilot}Registry.sol is
compiled (uncompilable and bytecode-identical ones dropped) and the registry's contract
tests (tests/registry/contracts, Hypothesis `ci` profile, derandomized) run against it in
worker processes. Survivors listed in tests/mutation-equivalents.json with a reason are
left out of the score. The whole report goes to build/mutation-registry.json; the last
line is the score (JSON), against the goal of 95%.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench import emit, say

FILES = ["contracts/IssuerRegistry.sol", "contracts/CredentialRegistry.sol",
         "contracts/PilotRegistry.sol"]  # fmt: skip
TESTS = ["tests/registry/contracts"]
GOAL = 0.95


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench mutate", description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=None, help="a random sample of N mutants")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", default=",".join(FILES), help="comma-separated sources")
    parser.add_argument("--tests", default=",".join(TESTS), help="comma-separated test paths")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per mutant")
    args = parser.parse_args(argv)

    from daftar.testing.mutation import run_mutation

    root = Path.cwd()
    files = [f for f in args.files.split(",") if f]
    report = run_mutation(root, files, [t for t in args.tests.split(",") if t],
                          workers=args.workers, timeout=args.timeout, sample=args.sample,
                          seed=args.seed, equivalents=root / "tests/mutation-equivalents.json",
                          progress=say)  # fmt: skip
    for line in report.render():
        say(line)
    data = report.as_json()
    out = root / "build" / "mutation-registry.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    say(f"full report: {out}")
    emit({
        "score": data["score"],
        "goal": GOAL,
        "counts": data["counts"],
        "seconds": data["seconds"],
        "workers": args.workers,
        "sampled": args.sample,
        "survivors": [f"{o.mutant.label} [{o.mutant.key}]" for o in report.survivors()],
    })  # fmt: skip
    return 0
