"""Before anything is signed: the right chain, the journal's deployer, no unknown pending
transactions, a step unchanged since it was journaled, done steps still on chain, a step
that would not revert, and funds for it."""

from __future__ import annotations

from typing import Any

from daftar.chain.base import Reverted
from daftar.deploy import records
from daftar.deploy.journal import StepState
from daftar.deploy.live import LiveRun
from daftar.deploy.plan import CallStep, DeployStep, Prepared
from daftar.errors import DeployError


def preflight(run: LiveRun) -> None:
    """Checks of the whole run: chain id (config and `.chainId`), deployer, pending txs."""
    chain_id = run.chain.chain_id
    if run.net.chain_id is not None and chain_id != run.net.chain_id:
        raise DeployError(
            f"network '{run.net.name}' expects chain id {run.net.chain_id}, but the node "
            f"reports {chain_id}. Refusing to sign anything."
        )
    records.check_chain_id(run.folder, chain_id)
    owner = run.journal.deployer()
    me = run.deployer.address
    if owner and owner.lower() != me.lower():
        raise DeployError(
            f"the journal in {run.folder} was written by deployer {owner}, but this run's "
            f"deployer is {me}. Load {owner}'s key to resume, or move "
            "the folder aside to start a separate deployment."
        )
    check_pending(run, run.journal.in_flight_nonces())


def check_pending(run: LiveRun, known: set[int]) -> None:
    """The deployer has no pending transactions but the journal's own (`known` nonces):
    another process sending from the key would race this run for its nonces."""
    me = run.deployer.address
    latest = run.chain.nonce(me)
    pending = run.chain.pending_nonce(me)
    unknown = [n for n in range(latest, pending) if n not in known]
    if unknown:
        raise DeployError(
            f"deployer {me} has {len(unknown)} pending transaction(s) (nonce "
            f"{unknown[0]}{'…' + str(unknown[-1]) if len(unknown) > 1 else ''}) that the "
            f"journal {run.journal.path} does not know. Refusing to start: wait until they "
            "are mined (or replace them), then rerun."
        )


def check_unchanged(run: LiveRun, prep: Prepared, state: StepState) -> None:
    """A journaled step must be the same transaction the plan builds now."""
    rec = state.record
    if rec is None:
        return
    step = prep.step
    where = (
        f"at {state.mined['contract_address']}"
        if state.mined and state.mined.get("contract_address")
        else f"in transaction {rec['hash']}"
    )
    advice = (
        f"daftar will neither reuse it for the new build nor deploy a second copy silently. "
        f"To keep the deployed contract, restore the sources and settings it was built from; "
        f"to deploy the new version, move {run.folder} aside (git keeps the old records) "
        "and rerun."
    )
    if prep.initcode_hash and rec.get("initcode_hash") != prep.initcode_hash:
        raise DeployError(
            f"{prep.ctype.name} (step '{step.name}') changed since it was deployed {where} "
            f"on {run.net.name}: the journal has initcode {rec.get('initcode_hash')}, the "
            f"current build gives {prep.initcode_hash}. {advice}"
        )
    if rec.get("data_hash") != prep.data_hash:
        what = "constructor arguments" if isinstance(step, DeployStep) else "call data"
        raise DeployError(
            f"step '{step.name}' ({prep.describe()}): its {what} differ from the journaled "
            f"transaction {where} (e.g. another admin or role holder). {advice}"
        )


def verify_done(run: LiveRun, prep: Prepared, mined: dict[str, Any]) -> None:
    """A step the journal says was mined is still on this chain."""
    if run.chain.receipt(mined["hash"]) is None:
        raise DeployError(
            f"the journal says step '{prep.step.name}' was mined in {mined['hash']} (block "
            f"{mined['block']}), but the node does not know that transaction: a different "
            "node or chain behind this RPC URL, or a deep reorg. Nothing was sent; check "
            "the RPC URL."
        )
    address = mined.get("contract_address")
    if address and not run.chain.code(address):
        raise DeployError(
            f"the journal says {prep.ctype.name} lives at {address}, but the node has no "
            "code there. Nothing was sent; check the RPC URL."
        )


def already_in_effect(run: LiveRun, prep: Prepared) -> bool:
    """A call step whose `skip_if` says there is nothing to do."""
    step = prep.step
    if not isinstance(step, CallStep) or step.skip_if is None or prep.to is None:
        return False
    return bool(step.skip_if(prep.ctype.at(prep.to, run.chain)))


def estimate(run: LiveRun, prep: Prepared) -> int:
    """The node's gas estimate; a step that would revert is refused with its decoded error."""
    try:
        return run.chain.estimate_gas(prep.to, prep.data, run.deployer.address, prep.value)
    except Reverted as exc:
        step = prep.step
        func = "constructor" if isinstance(step, DeployStep) else step.function
        exc = prep.ctype.decoders.errors.explain(exc, f"{prep.ctype.name}.{func}")
        raise DeployError(
            f"step '{step.name}' ({prep.describe()}) would revert: {exc}. Nothing was signed."
        ) from None


def check_plan_funds(run: LiveRun, todo: list[str], in_flight: int) -> None:
    """Before the first signature: the balance covers every remaining step at the gas limit
    and max fee this run will use (`in_flight`: what journaled, unmined txs can still cost)."""
    assert run.price is not None
    me = run.deployer.address
    max_fee = run.price["maxFeePerGas"]
    gas = sum(run.gas_limits.get(name, 0) for name in todo)
    need = gas * max_fee + in_flight
    balance = run.chain.balance(me)
    if balance < need:
        raise DeployError(
            f"insufficient funds: the {len(todo)} remaining step(s) of the plan need up to "
            f"{need / 1e18:.6f} ETH ({need} wei; gas limits {gas:,} × max fee "
            f"{max_fee / 1e9:.3f} gwei"
            + (f", plus {in_flight / 1e18:.6f} ETH for transactions in flight" if in_flight else "")
            + f"), deployer {me} has {balance / 1e18:.6f} ETH. Send it at least "
            f"{(need - balance) / 1e18:.6f} ETH and rerun; nothing was signed, so no "
            "contract is half deployed. (`--dry-run` shows the same figure.)"
        )


def check_funds(run: LiveRun, prep: Prepared, gas: int, max_fee: int) -> None:
    """The deployer can pay for `gas` at `max_fee` per gas (and the steps after it)."""
    me = run.deployer.address
    need = gas * max_fee + prep.value
    need += sum(v for k, v in run.pending_cost.items() if k != prep.step.name)
    balance = run.chain.balance(me)
    if balance < need:
        raise DeployError(
            f"insufficient funds: step '{prep.step.name}' ({prep.describe()}) needs up to "
            f"{need / 1e18:.6f} ETH (gas {gas:,} × max fee {max_fee / 1e9:.3f} "
            f"gwei), deployer {me} has {balance / 1e18:.6f} ETH. Send it at least "
            f"{(need - balance) / 1e18:.6f} ETH and rerun; nothing was signed for this step."
        )
