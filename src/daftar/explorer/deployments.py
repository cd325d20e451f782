"""`daftar verify`: verify the contracts a network's deployment records name.

Everything comes from what was recorded: the record gives the address, constructor
arguments and the hash of the standard-JSON input; build/ must still hold that exact input
(otherwise the sources changed since the deploy, and verifying them would prove nothing).
The local check runs first; an explorer is only asked once the bytecode matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar.deploy import records
from daftar.explorer.local import creation_input, verify_local
from daftar.explorer.result import ExplorerError, VerificationResult
from daftar.explorer.verify import EXPLORERS, explorers_for, updated_verification, verify_record
from daftar.util.files import write_json


@dataclass
class ContractVerification:
    contract: str
    address: str
    local: VerificationResult
    explorers: dict[str, VerificationResult] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def one(r: VerificationResult) -> dict[str, Any]:
            return {"status": r.status, "url": r.url, "message": r.message, "skipped": r.skipped}

        return {
            "contract": self.contract,
            "address": self.address,
            "local": one(self.local),
            "explorers": {name: one(r) for name, r in self.explorers.items()},
        }


def load_records(folder: Path, names: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The records in `folder`, all or those named (by contract name), in file order."""
    wanted = set(names)
    found = [
        rec
        for path in sorted(folder.glob("*.json"))
        if (rec := records.read_record(folder, path.stem)) and "address" in rec
    ]
    if not found:
        raise ExplorerError(
            f"no deployment records in {folder}: deploy first (`daftar deploy --network "
            f"{folder.name}`)"
        )
    unknown = wanted - {r["contract"] for r in found}
    if unknown:
        known = ", ".join(r["contract"] for r in found)
        raise ExplorerError(f"no record for {', '.join(sorted(unknown))} in {folder} (has {known})")
    return [r for r in found if not wanted or r["contract"] in wanted]


def recorded_artifact(project: Any, record: dict[str, Any]) -> dict[str, Any]:
    """The build artifact whose input is the one the record was deployed from."""
    artifact = project[record["contract"]].artifact
    if records.input_hash(artifact) != record.get("standard_json_input_hash"):
        raise ExplorerError(
            f"{record['contract']}: build/ no longer holds the sources it was deployed from "
            f"(input hash {record.get('standard_json_input_hash')}). Check out the commit that "
            "deployed it, compile, and verify from there."
        )
    return artifact


def verify_network(
    project: Any,
    network: Any,
    chain: Any,
    folder: Path,
    contracts: Iterable[str] = (),
    explorer_names: Iterable[str] = EXPLORERS,
    force: bool = False,
    say: Callable[[str], None] = print,
) -> list[ContractVerification]:
    """Verify each recorded contract locally, then on the explorers; update the records."""
    records.check_chain_id(folder, chain.chain_id)
    todo = load_records(folder, contracts)
    names = list(explorer_names)
    clients = explorers_for(network, names) if names else {}
    out = []
    for record in todo:
        artifact = recorded_artifact(project, record)
        say(f"{record['contract']} at {record['address']}: comparing with the recorded sources")
        local = verify_local(
            artifact,
            record["address"],
            chain,
            node_modules=project.config.node_modules,
            constructor_args=record["constructor_args"]["raw"],
            creation_input=creation_input(chain, record.get("tx_hash")),
            base_path=project.config.root,
        ).as_result()
        say(f"  local: {local.status} — {local.message}")
        result = ContractVerification(record["contract"], record["address"], local)
        if local.ok and clients:
            result.explorers = verify_record(
                record, artifact, network=network, explorers=clients, force=force
            )
            for name, r in result.explorers.items():
                say(f"  {name}: {'already recorded as verified' if r.skipped else r}")
            record["verification"] = updated_verification(record["verification"], result.explorers)
            write_json(folder / f"{record['contract']}.json", record)
        elif clients:
            say("  explorers not asked: the code on chain does not match the recorded sources")
        out.append(result)
    if clients:
        records.write_readme(folder, network, chain.chain_id)
    return out
