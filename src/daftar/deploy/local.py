"""Running a plan where nothing needs journaling: local chains, and `--dry-run`.

A dry run executes the plan on a fresh embedded chain (revm), so every step really runs
(a reverting step shows up here, before any money is spent), and prices each step's gas at
the live network's current fees when its node is reachable. Nothing is signed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from daftar.chain.base import Account, Chain, Reverted
from daftar.deploy.plan import CallStep, DeployStep, Plan, prepare
from daftar.errors import DaftarError, DeployError, NetworkError


@dataclass(frozen=True)
class StepResult:
    name: str
    description: str
    gas: int | None  # None: skipped
    address: str | None = None


def run_local(
    project: Any, plan: Plan, chain: Chain, sender: Account | str, say: Callable[[str], None]
) -> list[StepResult]:
    """Run every step directly on `chain` (no journal: the chain is throwaway)."""
    addresses: dict[str, str] = {}
    results = []
    for i, step in enumerate(plan.steps, 1):
        prep = prepare(project, plan, step, addresses)
        where = f"[{i}/{len(plan)}] {step.name}"
        if _in_effect(step, prep, chain):
            say(f"{where}: skipped ({prep.describe()} already in effect)")
            results.append(StepResult(step.name, prep.describe(), None))
            continue
        try:
            if prep.to is None:
                receipt = chain.deploy(prep.data, sender)
            else:
                receipt = chain.transact(prep.to, prep.data, sender)
        except Reverted as exc:
            func = "constructor" if isinstance(step, DeployStep) else step.function
            exc = prep.ctype.decoders.errors.explain(exc, f"{prep.ctype.name}.{func}")
            raise DeployError(f"step '{step.name}' ({prep.describe()}) reverts: {exc}") from None
        address = receipt.contract_address
        if address:
            addresses[step.name] = address
        say(
            f"{where}: {prep.describe()}  gas {receipt.gas_used:,}"
            + (f"  → {address}" if address else "")
        )
        results.append(StepResult(step.name, prep.describe(), receipt.gas_used, address))
    return results


def _in_effect(step: Any, prep: Any, chain: Chain) -> bool:
    if not isinstance(step, CallStep) or step.skip_if is None or prep.to is None:
        return False
    return bool(step.skip_if(prep.ctype.at(prep.to, chain)))


def simulate(project: Any, plan: Plan, network: Any, sender: str) -> list[StepResult]:
    """The whole plan on a fresh embedded chain (revm), as `sender`: what each step costs."""
    from daftar.chain.revm import RevmChain

    chain = RevmChain(f"{network.name} (dry run)", network.chain_id or 1337)
    try:
        chain.set_balance(sender, 10**30)
        return run_local(project, plan, chain, sender, lambda _m: None)
    finally:
        chain.close()


def gas_limits(results: list[StepResult], margin: float) -> dict[str, int]:
    """The gas limit a live run gives each step: the simulated gas with the margin."""
    return {r.name: int(r.gas * margin) for r in results if r.gas is not None}


def max_cost(limits: dict[str, int], steps: Any, max_fee: int) -> int:
    """What `steps` (names) can cost at most: each step's gas limit × the max fee."""
    return sum(limits.get(name, 0) for name in steps) * max_fee


def dry_run(
    project: Any,
    plan: Plan,
    network: Any,
    sender: str,
    say: Callable[[str], None],
    fees: Callable[[], dict[str, int]] | None,
    margin: float = 1.2,
    balance: Callable[[], int] | None = None,
) -> list[StepResult]:
    """The plan on a fresh revm chain, priced at `fees()` (the live node's) if available.

    The maximum it reports is the figure the live run checks before its first signature:
    every step's gas limit (simulated gas × `margin`) at the max fee.
    """
    say(
        f"Dry run of {len(plan)} step(s) for {network.name} on the embedded chain, as "
        f"{sender}; nothing is signed."
    )
    results = simulate(project, plan, network, sender)
    price: dict[str, int] | None = None
    reason = "no RPC URL or node"
    if fees is not None:
        try:
            price = fees()
        except NetworkError as exc:
            if "expects chain id" in str(exc):
                raise  # the wrong node: a dry run against it means nothing
            reason = str(exc).splitlines()[0]
        except DaftarError as exc:  # no prices, but the dry run still stands
            reason = str(exc).splitlines()[0]
        except Exception as exc:
            reason = type(exc).__name__
    limits = gas_limits(results, margin)
    total = 0
    for i, r in enumerate(results, 1):
        if r.gas is None:
            say(f"  [{i}/{len(results)}] {r.name}: {r.description} (skipped: already in effect)")
            continue
        total += r.gas
        cost = ""
        if price:
            expected = r.gas * (price["baseFeePerGas"] + price["maxPriorityFeePerGas"])
            cost = f"  ≈ {_eth(expected)} ETH (max {_eth(limits[r.name] * price['maxFeePerGas'])})"
        say(f"  [{i}/{len(results)}] {r.name}: {r.description}  gas {r.gas:,}{cost}")
    if price:
        expected = total * (price["baseFeePerGas"] + price["maxPriorityFeePerGas"])
        base, tip = price["baseFeePerGas"] / 1e9, price["maxPriorityFeePerGas"] / 1e9
        most = max_cost(limits, limits, price["maxFeePerGas"])
        say(
            f"Total gas {total:,} ≈ {_eth(expected)} ETH at base fee {base:.3f} gwei + tip "
            f"{tip:.3f} gwei; at most {_eth(most)} ETH ({most} wei; gas limits "
            f"{sum(limits.values()):,} "
            f"= gas × {margin:g}, at the max fee {price['maxFeePerGas'] / 1e9:.3f} gwei): "
            "the amount the deploy checks before it signs anything."
        )
        if balance is not None:
            try:
                have = balance()
            except DaftarError as exc:
                say(f"Deployer balance unknown ({str(exc).splitlines()[0]}).")
            else:
                verdict = (
                    "enough"
                    if have >= most
                    else f"short by {_eth(most - have)} ETH: the deploy would refuse to start"
                )
                say(f"Deployer {sender} has {_eth(have)} ETH: {verdict}.")
    else:
        say(f"Total gas {total:,}. Current fees unknown ({reason}): costs not estimated.")
    say("Gas is measured on the embedded chain; a node may charge slightly more.")
    return results


def _eth(wei: int) -> str:
    return f"{wei / 10**18:.6f}"
