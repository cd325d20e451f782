"""Records from mined steps: one `deployments/<network>/<Contract>.json` per deploy step."""

from __future__ import annotations

from typing import Any

from daftar.deploy import records
from daftar.deploy.live import LiveRun
from daftar.deploy.plan import DeployStep, Prepared
from daftar.util.files import write_json


def write_record(run: LiveRun, prep: Prepared, mined: dict[str, Any]) -> None:
    """The record of a mined deploy step (named by contract, or by step when a contract is
    deployed more than once), keeping what the previous record held for explorers."""
    from daftar.contract.abi import encode_args

    step = prep.step
    assert isinstance(step, DeployStep)
    file = record_name(run, step)
    ctor = next((i for i in prep.ctype.abi if i["type"] == "constructor"), {"inputs": []})
    inputs = ctor.get("inputs", [])
    raw = encode_args(inputs, prep.args) if inputs else b""
    decoded = [
        {"name": i["name"], "type": i["type"], "value": _jsonable(v)}
        for i, v in zip(inputs, prep.args, strict=True)
    ]
    record = records.contract_record(
        network=run.net,
        chain_id=run.chain.chain_id,
        step=step.name,
        artifact=prep.ctype.artifact,
        initcode_hash=prep.initcode_hash or "",
        mined=mined,
        args_raw="0x" + raw.hex(),
        args_decoded=decoded,
        previous=records.read_record(run.folder, file),
    )
    write_json(run.folder / f"{file}.json", record)


def record_name(run: LiveRun, step: DeployStep) -> str:
    names = [s.contract for s in run.plan.steps if isinstance(s, DeployStep)]
    return step.contract if names.count(step.contract) == 1 else step.name


def record_matches(run: LiveRun, prep: Prepared, mined: dict[str, Any]) -> bool:
    """The folder already records this mined step (a step done earlier keeps its record:
    a rerun never rewrites what an earlier run wrote, e.g. with a newer input hash)."""
    assert isinstance(prep.step, DeployStep)
    rec = records.read_record(run.folder, record_name(run, prep.step))
    return bool(
        rec
        and rec.get("address") == mined.get("contract_address")
        and rec.get("tx_hash") == mined.get("hash")
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
