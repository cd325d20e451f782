"""Transactions per second: the same calls through the daftar API on revm, eth-tester, anvil.

Every backend runs the identical workload through the identical code path (contract
layer, ABI encoding, event decoding), so the ratio isolates the backend. Gas is given
explicitly everywhere, so the web3 peers pay no estimate round trip; they also get a
2 ms receipt poll and a once-read chain id (see daftar.chain.web3chain). Receipts are
checked after the clock stops, so a backend that drops events cannot look fast.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench import emit, say

if TYPE_CHECKING:
    from daftar.project import Project

NETWORKS = {"revm": "development", "tester": "tester", "anvil": "anvil"}
GOAL_REVM_OVER_ANVIL = 30
GOAL_REVM_OVER_TESTER = 100
GAS = 100_000


@dataclass
class Run:
    backend: str
    n: int
    seconds: float

    @property
    def tx_per_s(self) -> float:
        return self.n / self.seconds


def run_backend(project: Project, backend: str, n: int, warmup: int) -> Run:
    """Deploy Probe, warm up, then time `n` sequential `Probe.set(i)` transactions."""
    chain = project.connect(NETWORKS[backend])
    try:
        acct = chain.accounts[0]
        probe = project.Probe.deploy(acct.address, sender=acct)
        for i in range(1, warmup + 1):
            probe.set(i, sender=acct, gas=GAS)
        values = range(warmup + 1, warmup + n + 1)
        start = time.perf_counter()
        receipts = [probe.set(v, sender=acct, gas=GAS) for v in values]
        seconds = time.perf_counter() - start
        for v, receipt in zip(values, receipts, strict=True):
            event = receipt.event("ValueSet")
            assert receipt.status == 1, f"{backend}: set({v}) failed"
            assert event["value"] == v, f"{backend}: set({v}) logged {event['value']}"
            assert event["who"] == acct.address, f"{backend}: set({v}) logged who={event['who']}"
        blocks = {r.block_number for r in receipts}
        assert len(blocks) == n, f"{backend}: {n} transactions mined in {len(blocks)} blocks"
        last = probe.value()
        assert last == values[-1], f"{backend}: value() is {last}, expected {values[-1]}"
    finally:
        project.close()
    return Run(backend, n, seconds)


def ratio(a: Run | None, b: Run | None) -> float | None:
    return round(a.tx_per_s / b.tx_per_s, 1) if a and b else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench chain", description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="timed transactions per backend")
    parser.add_argument("--warmup", type=int, default=20, help="untimed transactions first")
    parser.add_argument("--backends", default="revm,tester,anvil", help="comma-separated")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(NETWORKS))
    if unknown or not backends:
        parser.error(f"unknown backend(s) {unknown}; choose from {sorted(NETWORKS)}")
    if args.n < 1 or args.warmup < 0:
        parser.error("--n must be at least 1 and --warmup at least 0")

    from daftar.project import Project

    project = Project.load()
    runs: dict[str, Run] = {}
    for backend in backends:
        say(f"{backend}: {args.warmup} warm-up + {args.n} timed Probe.set calls ...")
        run = run_backend(project, backend, args.n, args.warmup)
        runs[backend] = run
        say(f"{backend}: {run.n} tx in {run.seconds:.3f}s = {run.tx_per_s:,.1f} tx/s")

    def tps(name: str) -> float | None:
        return round(runs[name].tx_per_s, 1) if name in runs else None

    result = {
        "revm_tx_per_s": tps("revm"),
        "tester_tx_per_s": tps("tester"),
        "anvil_tx_per_s": tps("anvil"),
        "revm_over_anvil": ratio(runs.get("revm"), runs.get("anvil")),
        "revm_over_tester": ratio(runs.get("revm"), runs.get("tester")),
        "goal_revm_over_anvil": GOAL_REVM_OVER_ANVIL,
        "goal_revm_over_tester": GOAL_REVM_OVER_TESTER,
        "n": args.n,
    }
    goals = {"revm_over_anvil": GOAL_REVM_OVER_ANVIL, "revm_over_tester": GOAL_REVM_OVER_TESTER}
    for key, goal in goals.items():
        got = result[key]
        if got is not None:
            say(f"{key}: {got}x (goal {goal}x){'' if got >= goal else '  BELOW GOAL'}")
    emit(result)
    return 0
