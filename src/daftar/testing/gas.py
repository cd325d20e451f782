"""`pytest --gas`: gas used per contract function across the whole test run."""

from __future__ import annotations

import statistics
from collections import defaultdict

from daftar.chain.base import Receipt
from daftar.contract.types import GAS_OBSERVERS


class GasReport:
    def __init__(self) -> None:
        self.samples: dict[tuple[str, str], list[int]] = defaultdict(list)

    def record(self, contract: str, function: str, receipt: Receipt) -> None:
        self.samples[(contract, function)].append(receipt.gas_used)

    def start(self) -> None:
        GAS_OBSERVERS.append(self.record)

    def stop(self) -> None:
        if self.record in GAS_OBSERVERS:
            GAS_OBSERVERS.remove(self.record)

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        out = []
        for (contract, function), gas in sorted(self.samples.items()):
            out.append(
                (
                    f"{contract}.{function}",
                    len(gas),
                    min(gas),
                    int(statistics.median(gas)),
                    max(gas),
                )
            )
        return out

    def render(self, backend: str) -> list[str]:
        rows = self.rows()
        if not rows:
            return ["no transactions were sent"]
        width = max(len(r[0]) for r in rows)
        lines = [f"{'function':<{width}}  {'calls':>6}  {'min':>9}  {'median':>9}  {'max':>9}"]
        lines += [
            f"{n:<{width}}  {c:>6}  {lo:>9,}  {med:>9,}  {hi:>9,}" for n, c, lo, med, hi in rows
        ]
        if backend == "revm":
            lines.append(
                "note: on revm, storage and accounts stay warm across transactions, so these "
                "are lower bounds; run with --network tester or anvil for exact gas."
            )
        return lines
