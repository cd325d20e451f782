"""`python -m bench <name> [options]`: run one benchmark.

Subcommands are modules with `main(argv) -> int`, imported only when chosen, so one
bench's heavy imports never slow another's timing.
"""

from __future__ import annotations

import importlib
import sys

# name → module holding `main(argv: list[str]) -> int`.
SUBCOMMANDS: dict[str, str] = {
    "chain": "bench.chain",
    "compile": "bench.compile",
    "gas": "bench.gas",
    "merkle": "bench.merkle",
    "brownie": "bench.brownie",
    "mutate": "bench.mutate",
    "stateful": "bench.stateful",
    "coverage": "bench.coverage",
    "verify": "bench.verify",
}

# One line each for the usage text (optional: a subcommand without one is listed bare).
SUMMARIES = {
    "chain": "tx/s of the same sequential transactions on revm, eth-tester and anvil",
    "compile": "cold and warm (cached) compile time, and `daftar --help` start-up",
    "gas": "gas of the registry's hot functions on a reference EVM, against the goals",
    "brownie": "Brownie-style suites: daftar on revm vs Brownie 1.22.2 on anvil (tests/s)",
    "merkle": "build time of a 10,000-leaf credential batch, against the Keccak calls it needs",
    "mutate": "mutation score of the three registry contracts under the registry's tests",
    "stateful": "steps/s of one registry state machine on revm, eth-tester, anvil, web3.py, no-op",
    "coverage": "line and branch coverage of the registry contracts under their tests",
    "verify": "holder files/s verified from the command line on anvil, one call each and batched",
}


def usage() -> str:
    lines = ["usage: python -m bench <subcommand> [options]", "", "subcommands:"]
    lines += [f"  {name:<10} {SUMMARIES.get(name, '')}" for name in SUBCOMMANDS]
    lines += ["", "`python -m bench <subcommand> --help` lists a subcommand's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"unknown subcommand '{name}'\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[name])
    return int(module.main(rest))


if __name__ == "__main__":
    sys.exit(main())
