"""The journaled executor: runs a plan on a live network, and resumes it after any crash.

Per step: sign locally → journal `signed` (nonce + raw tx) → broadcast → journal `sent` →
wait for the configured confirmations → journal `mined` → write the contract's record.
A rerun folds the journal: done steps are verified on chain and skipped; a signed step is
looked up by its hashes (mined? pending? dropped → the same raw tx is rebroadcast); a
pending one stuck past `stuck_after` is replaced with bumped fees at the same nonce. A
step is only ever signed anew when the journal holds nothing for it, and then only after
checking that the deployer has no pending transactions the journal does not know.

The phases live in their own modules, each a function of one `LiveRun`:
daftar.deploy.preflight (before anything is signed), .broadcast (signing, sending,
rebroadcast, replacement), .confirm (waiting, confirmations, reorgs) and .writer (records).
Everything reaches the node through `Chain` methods, retried by the chain's one
`RetryPolicy` (daftar.chain.retry).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from daftar.chain.base import Account, Chain
from daftar.deploy import records
from daftar.deploy.broadcast import broadcast, current_fees, sign
from daftar.deploy.confirm import find_receipt, wait
from daftar.deploy.journal import SKIPPED, Journal
from daftar.deploy.live import LiveRun, LiveSettings
from daftar.deploy.local import gas_limits, simulate
from daftar.deploy.plan import DeployStep, Plan, prepare
from daftar.deploy.preflight import (
    already_in_effect,
    check_plan_funds,
    check_unchanged,
    preflight,
    verify_done,
)
from daftar.deploy.writer import record_matches, write_record
from daftar.errors import DeployError

__all__ = ["Executor", "LiveSettings"]


class Executor:
    """`deployer` may come without its key when `unlock` is given: the key (and any password
    prompt) is asked for only after every prompt-free check passed, and only when the run
    has something to sign."""

    def __init__(
        self,
        project: Any,
        plan: Plan,
        network: Any,
        chain: Chain,  # its chain id was checked against the config when it was opened
        deployer: Account,
        folder: Path,
        say: Callable[[str], None],
        settings: LiveSettings | None = None,
        unlock: Callable[[], Account] | None = None,
    ) -> None:
        if deployer.key is None and unlock is None:
            raise DeployError("the deployer's key is not loaded; nothing can be signed")
        self.unlock = unlock
        self.live = LiveRun(
            project=project,
            plan=plan,
            net=network,
            chain=chain,
            deployer=deployer,
            folder=folder,
            say=say,
            cfg=settings or LiveSettings.of(network),
            journal=Journal(folder / records.JOURNAL_FILE),
        )

    def survey(self) -> tuple[list[str], int, bool]:
        """Every journaled step checked against the plan and the chain, before anything is
        signed or written: (steps still to sign, max cost of txs in flight, anything to send).
        """
        run = self.live
        addresses: dict[str, str] = {}
        todo: list[str] = []
        in_flight = 0
        send = False
        for step in run.plan.steps:
            state = run.journal.state(step.name)
            if state.skipped:
                continue
            if not state.signed and not state.mined:
                todo.append(step.name)
                continue
            prep = prepare(run.project, run.plan, step, addresses)
            check_unchanged(run, prep, state)
            if state.mined:
                verify_done(run, prep, state.mined)
                if isinstance(step, DeployStep):
                    addresses[step.name] = state.mined["contract_address"]
                continue
            send = True
            latest = state.latest
            assert latest is not None
            if find_receipt(run, state) is None:
                in_flight += int(latest["gas"]) * int(latest["maxFeePerGas"])
        return todo, in_flight, send or bool(todo)

    def run(self) -> dict[str, str]:
        run = self.live
        preflight(run)
        todo, in_flight, work = self.survey()
        if todo:
            run.price = current_fees(run)
            try:
                sim = simulate(run.project, run.plan, run.net, run.deployer.address)
            except DeployError as exc:
                text = str(exc).replace(") reverts: ", ") would revert: ", 1)
                raise DeployError(
                    f"{text} (the whole plan is simulated on the embedded chain first). "
                    "Nothing was signed."
                ) from None
            run.gas_limits = gas_limits(sim, run.cfg.gas_margin)
            check_plan_funds(run, todo, in_flight)
            run.pending_cost = {
                n: run.gas_limits.get(n, 0) * run.price["maxFeePerGas"] for n in todo
            }
        if work and run.deployer.key is None:
            assert self.unlock is not None
            me = run.deployer.address
            run.deployer = self.unlock()
            if run.deployer.address.lower() != me.lower():
                raise DeployError(
                    f"the unlocked key is {run.deployer.address}, not {me}; nothing was signed"
                )
        total = len(run.plan)
        for i, step in enumerate(run.plan.steps, 1):
            tag = f"[{i}/{total}] {step.name}"
            prep = prepare(run.project, run.plan, step, run.addresses)
            state = run.journal.state(step.name)
            fresh = False
            if state.mined:
                run.say(f"{tag}: done earlier ({run.result(prep, state.mined)})")
            elif state.skipped:
                run.say(f"{tag}: skipped earlier ({prep.describe()} was already in effect)")
                continue
            elif not state.signed and already_in_effect(run, prep):
                run.pending_cost.pop(step.name, None)
                run.journal.append(SKIPPED, step.name, reason="already in effect")
                run.say(f"{tag}: skipped ({prep.describe()} is already in effect)")
                continue
            else:
                check_unchanged(run, prep, state)
                if not state.signed:
                    broadcast(run, sign(run, prep, tag))
                else:
                    run.say(f"{tag}: resuming {prep.describe()} (nonce {state.latest['nonce']})")
                wait(run, prep, tag)
                fresh = True
            mined = run.journal.state(step.name).mined
            assert mined is not None
            if isinstance(step, DeployStep):
                run.addresses[step.name] = mined["contract_address"]
                if fresh or not record_matches(run, prep, mined):
                    write_record(run, prep, mined)
        records.write_readme(run.folder, run.net, run.chain.chain_id)
        run.say(f"Deployed on {run.net.name}; records in {run.folder}")
        return dict(run.addresses)
