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
    names = [s.contract for s in run.plan.steps if isinstance(s, DeployStep)]
    file = step.contract if names.count(step.contract) == 1 else step.name
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
