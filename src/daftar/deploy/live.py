"""What every phase of a live deploy shares: the network's settings and the run's context.

The phases (preflight, broadcast, confirm, writer) are functions of one `LiveRun`; the
executor builds it and walks the plan (see daftar.deploy.executor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar.chain.base import Account, Chain
from daftar.chain.retry import RetryPolicy
from daftar.deploy.journal import Journal
from daftar.deploy.plan import Plan, Prepared


@dataclass(frozen=True)
class LiveSettings:
    """Per-network knobs (brownie-config.yaml `daftar.networks.<name>`)."""

    confirmations: int = 2
    max_fee_wei: int | None = None
    stuck_after: float = 120.0  # seconds pending before a fee bump
    wait_limit: float = 1800.0  # give up waiting (the journal keeps the tx) after this
    poll: float = 1.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)  # rpc_retries, rpc_backoff, …
    gas_margin: float = 1.2

    @classmethod
    def of(cls, net: Any) -> LiveSettings:
        s = net.settings
        return cls(
            confirmations=max(1, int(net.confirmations)),
            max_fee_wei=int(float(net.max_fee_gwei) * 10**9) if net.max_fee_gwei else None,
            stuck_after=float(s.get("stuck_after", cls.stuck_after)),
            wait_limit=float(s.get("wait_limit", cls.wait_limit)),
            poll=float(s.get("poll_seconds", min(1.0, (net.block_time or 4) / 4))),
            retry=RetryPolicy.of(net),
        )


@dataclass
class LiveRun:
    """One run of a plan on a live network."""

    project: Any
    plan: Plan
    net: Any  # NetworkConfig
    chain: Chain  # its chain id was checked against the config when it was opened
    deployer: Account
    folder: Path
    say: Callable[[str], None]
    cfg: LiveSettings
    journal: Journal
    addresses: dict[str, str] = field(default_factory=dict)  # deploy step → address
    at_cap: set[str] = field(default_factory=set)  # stuck txs already reported at the fee cap
    gas_limits: dict[str, int] = field(default_factory=dict)  # step → the preflight's limit
    price: dict[str, int] | None = None  # fees fixed by the preflight for new transactions
    pending_cost: dict[str, int] = field(default_factory=dict)  # step → its planned max cost
    named: set[str] = field(default_factory=set)  # tx hashes already shown with their link

    def link(self, tx_hash: str) -> str:
        """The transaction's explorer link (it holds the hash), or the bare hash."""
        self.named.add(tx_hash)
        return self.net.explorer_link("tx", tx_hash) or tx_hash

    @staticmethod
    def result(prep: Prepared, mined: dict[str, Any]) -> str:
        if mined.get("contract_address"):
            return f"{prep.ctype.name} at {mined['contract_address']}"
        return f"{prep.describe()} in {mined['hash']}"
