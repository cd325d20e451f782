"""Waiting for a step's transaction: confirmations counted, a reorg noticed (the receipt
must still be in the same block after the wait), a dropped transaction rebroadcast, a
stuck one replaced, a nonce taken by an unknown transaction reported; then `mined` (or
`failed`, for a transaction that reverted on chain) is journaled."""

from __future__ import annotations

import time
from typing import Any

from daftar.chain.base import Receipt
from daftar.deploy.broadcast import broadcast, sign
from daftar.deploy.journal import FAILED, MINED, StepState
from daftar.deploy.live import LiveRun
from daftar.deploy.plan import Prepared
from daftar.deploy.preflight import estimate
from daftar.errors import DeployError

PROGRESS_EVERY = 10.0  # seconds between "still pending" lines


def wait(run: LiveRun, prep: Prepared, tag: str) -> None:
    """Until the step's transaction has the configured confirmations (or wait_limit)."""
    step = prep.step.name
    need = run.cfg.confirmations
    start = time.monotonic()
    shown: tuple[str, int] | None = None
    told = start  # when the last "still pending" line was printed
    while True:
        state = run.journal.state(step)
        latest = state.latest
        assert latest is not None
        found = find_receipt(run, state)
        if found is not None:
            tx_hash, receipt = found
            confs = run.chain.block_number() - receipt.block_number + 1
            if shown != (tx_hash, confs):
                named = "" if tx_hash in run.named else f" (tx {run.link(tx_hash)})"
                run.say(
                    f"{tag}: in block {receipt.block_number}{named}, "
                    f"{min(confs, need)}/{need} confirmations"
                )
                shown = (tx_hash, confs)
            if confs >= need:
                again = run.chain.receipt(tx_hash)  # still there after the wait (no reorg)?
                if again is not None and again.block_hash == receipt.block_hash:
                    _finish(run, prep, tag, tx_hash, again)
                    return
        else:
            _not_mined(run, prep, tag, state, latest)
            now = time.monotonic()
            if shown != (latest["hash"], 0):
                named = "" if latest["hash"] in run.named else f" {run.link(latest['hash'])}"
                run.say(f"{tag}: tx{named} pending, waiting to be mined")
                shown, told = (latest["hash"], 0), now
            elif now - told >= PROGRESS_EVERY:
                told = now
                run.say(
                    f"{tag}: still pending after {now - start:.0f}s (node at block "
                    f"{run.chain.block_number()}; fees re-priced after "
                    f"{run.cfg.stuck_after:.0f}s, gives up waiting after "
                    f"{run.cfg.wait_limit:.0f}s)"
                )
        if time.monotonic() - start > run.cfg.wait_limit:
            raise DeployError(
                f"step '{step}': transaction {latest['hash']} (nonce {latest['nonce']}) is not "
                f"confirmed after {run.cfg.wait_limit:.0f}s. It is in the journal: rerun "
                "later to resume (a dropped one is rebroadcast, a stuck one re-priced)."
            )
        time.sleep(run.cfg.poll)


def find_receipt(run: LiveRun, state: StepState) -> tuple[str, Receipt] | None:
    """The receipt of the step's newest mined transaction (a replacement or the original)."""
    for tx_hash in reversed(state.hashes):
        receipt = run.chain.receipt(tx_hash)
        if receipt is not None:
            return tx_hash, receipt
    return None


def _not_mined(
    run: LiveRun, prep: Prepared, tag: str, state: StepState, latest: dict[str, Any]
) -> None:
    me = run.deployer.address
    nonce = int(latest["nonce"])
    if run.chain.nonce(me) > nonce:
        if find_receipt(run, state) is not None:
            return  # mined between the two reads
        run.journal.append(FAILED, prep.step.name, reason="nonce taken", nonce=nonce)
        raise DeployError(
            f"nonce {nonce} of deployer {me} was used by a transaction the journal does not "
            f"know, so step '{prep.step.name}' ({', '.join(state.hashes)}) never ran. Another "
            "process is using this key: stop it, then rerun (the step is signed anew)."
        )
    if not any(run.chain.transaction(h) is not None for h in state.hashes):
        run.say(f"{tag}: the node dropped tx {latest['hash']}; rebroadcasting (nonce {nonce})")
        broadcast(run, latest, again=True)
        return
    if time.time() - float(latest["time"]) > run.cfg.stuck_after:
        rec = sign(run, prep, tag, nonce=nonce, replaces=latest)
        if rec:
            broadcast(run, rec)
        elif latest["hash"] not in run.at_cap:
            run.at_cap.add(latest["hash"])
            run.say(f"{tag}: tx {latest['hash']} is stuck but fees are at the cap; waiting")


def _finish(run: LiveRun, prep: Prepared, tag: str, tx_hash: str, receipt: Receipt) -> None:
    fields = {
        "hash": tx_hash,
        "block": receipt.block_number,
        "block_hash": receipt.block_hash,
        "status": receipt.status,
        "gas_used": receipt.gas_used,
        "from": run.deployer.address,
        "contract_address": receipt.contract_address,
    }
    if fields["status"] != 1:
        run.journal.append(FAILED, prep.step.name, **fields)
        raise DeployError(
            f"{tag}: {prep.describe()} reverted on chain (tx {run.link(tx_hash)}): "
            f"{_why(run, prep)}. Fix the cause and rerun; the step will be sent again."
        )
    run.journal.append(MINED, prep.step.name, **fields)
    run.say(f"{tag}: confirmed ({run.result(prep, fields)})")


def _why(run: LiveRun, prep: Prepared) -> str:
    try:
        estimate(run, prep)
    except DeployError as exc:
        return str(exc)
    return "no revert on replay (out of gas?)"
