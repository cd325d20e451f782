"""Signing and sending: a step's transaction signed locally and journaled (`signed`) before
it is broadcast (`sent`); the same raw transaction rebroadcast when a node dropped it; a
replacement at the same nonce with bumped fees when it is stuck."""

from __future__ import annotations

from typing import Any

from daftar.chain.base import NodeRefused
from daftar.deploy import fees as fee_mod
from daftar.deploy import records
from daftar.deploy.journal import SENT, SIGNED
from daftar.deploy.live import LiveRun
from daftar.deploy.plan import Prepared
from daftar.deploy.preflight import check_funds, estimate
from daftar.errors import DeployError


def current_fees(run: LiveRun) -> dict[str, int]:
    return fee_mod.current_fees(run.chain, run.cfg.max_fee_wei, run.net.name)


def sign(
    run: LiveRun, prep: Prepared, tag: str, nonce: int | None = None, replaces: dict | None = None
) -> dict[str, Any]:
    """Sign the step's transaction and journal it; {} when a replacement has no room to bump.

    A new transaction takes the pending nonce and a fresh estimate; a replacement
    (`replaces`: the journaled record it replaces) keeps its nonce and gas.
    """
    from eth_account import Account as EthAccount

    me = run.deployer.address
    if replaces is None:
        nonce = run.chain.pending_nonce(me)
        estimated = estimate(run, prep)
        planned = run.gas_limits.get(prep.step.name)
        gas = planned if planned and planned >= estimated else int(estimated * run.cfg.gas_margin)
        price = run.price or current_fees(run)
    else:
        gas = int(replaces["gas"])
        price = fee_mod.bumped(replaces, current_fees(run), run.cfg.max_fee_wei) or {}
        if not price:
            return {}
    check_funds(run, prep, gas, price["maxFeePerGas"])
    chain_id = run.chain.chain_id
    tx: dict[str, Any] = {
        "type": 2,
        "chainId": chain_id,
        "nonce": nonce,
        "gas": gas,
        "maxFeePerGas": price["maxFeePerGas"],
        "maxPriorityFeePerGas": price["maxPriorityFeePerGas"],
        "value": prep.value,
        "data": prep.data,
    }
    if prep.to is not None:
        tx["to"] = prep.to
    signed = EthAccount.sign_transaction(tx, run.deployer.key)
    records.write_chain_id(run.folder, chain_id)
    fields: dict[str, Any] = {
        "nonce": nonce,
        "hash": "0x" + bytes(signed.hash).hex(),
        "raw": "0x" + bytes(signed.raw_transaction).hex(),
        "from": me,
        "to": prep.to,
        "gas": gas,
        "maxFeePerGas": price["maxFeePerGas"],
        "maxPriorityFeePerGas": price["maxPriorityFeePerGas"],
        "data_hash": prep.data_hash,
        "chain_id": chain_id,
    }
    if prep.initcode_hash:
        fields["initcode_hash"] = prep.initcode_hash
    if prep.value:
        fields["value"] = prep.value
    if replaces is not None:
        fields["replaces"] = replaces["hash"]
    rec = run.journal.append(SIGNED, prep.step.name, **fields)
    run.pending_cost.pop(prep.step.name, None)
    verb = "replacing with fees bumped" if replaces else "sending"
    run.say(
        f"{tag}: {verb}: {prep.describe()} (nonce {nonce}, gas {gas:,}, max fee "
        f"{price['maxFeePerGas'] / 1e9:.3f} gwei)"
    )
    return rec


def broadcast(run: LiveRun, rec: dict[str, Any], again: bool = False) -> None:
    """Send a journaled transaction; journal `sent` once the node has it."""
    try:
        run.chain.send_raw_transaction(bytes.fromhex(rec["raw"][2:]))
    except NodeRefused as err:
        text = err.message.lower()
        if "already known" in text or "known transaction" in text:
            pass
        elif "nonce too low" in text or "nonce is too low" in text:
            return  # mined already, or taken by another tx: confirm.wait tells which
        elif "insufficient funds" in text:
            raise DeployError(
                f"the node refused {rec['hash']}: insufficient funds for gas × price + "
                f"value. Fund {rec['from']} and rerun."
            ) from None
        else:
            raise DeployError(
                f"{run.net.name}: the node refused transaction {rec['hash']} of step "
                f"'{rec['step']}': {err.message[:300]}. The journal keeps it; rerun to retry."
            ) from None
    run.journal.append(SENT, rec["step"], hash=rec["hash"], rebroadcast=again)
    run.say(f"  {rec['step']}: sent tx {run.link(rec['hash'])}")
