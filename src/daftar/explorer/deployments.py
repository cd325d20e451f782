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
from daftar.explorer.verify import (
    EXPLORERS,
    configured_explorers,
    updated_verification,
    verify_record,
)
from daftar.util.files import write_json


@dataclass
class ContractVerification:
    contract: str
    address: str
    local: VerificationResult
    explorers: dict[str, VerificationResult] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def one(r: VerificationResult) -> dict[str, Any]:
            return {
                "status": r.status,
                "url": r.url,
                "message": r.message,
                "skipped": r.skipped,
                "ticket": r.ticket,
            }

        return {
            "contract": self.contract,
            "address": self.address,
            "local": one(self.local),
            "explorers": {name: one(r) for name, r in self.explorers.items()},
            "ok": self.ok,
        }

    @property
    def ok(self) -> bool:
        """The code matches and every explorer asked shows the source."""
        return self.local.ok and all(r.ok for r in self.explorers.values())


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
    """The build artifact whose input is the one the record was deployed from: the current
    build's, or a kept earlier build's (build/.daftar-builds/<key>/) with that input."""
    import json

    artifact = project[record["contract"]].artifact
    wanted = record.get("standard_json_input_hash")
    if records.input_hash(artifact) == wanted:
        return artifact
    builds = Path(project.config.root) / "build" / ".daftar-builds"
    for path in sorted(builds.glob(f"*/{record['contract']}.json")):
        try:
            kept = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if records.input_hash(kept) == wanted:
            return kept
    raise ExplorerError(
        f"{record['contract']}: neither build/ nor its kept builds hold the sources it was "
        f"deployed from (input hash {wanted}). Check out the commit that deployed it, "
        "compile, and verify from there."
    )


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
    """Verify each recorded contract locally, then on the explorers; update the records.

    Every local check runs first; then the explorers that need no key, then the others. An
    explorer that cannot be asked (no key) or gave no usable answer (unreachable) leaves
    the record's previous state alone; `rejected` and `pending` are written.
    """
    records.check_chain_id(folder, chain.chain_id)
    todo = load_records(folder, contracts)
    names = list(explorer_names)
    clients, missing = configured_explorers(network, names, notify=say) if names else ({}, {})
    for name, why in missing.items():
        say(f"{name}: not asked: {why}")
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
        out.append(
            (record, artifact, ContractVerification(record["contract"], record["address"], local))
        )
    changed = False
    for record, artifact, result in out:
        if not names:
            continue
        if not result.local.ok:
            say(
                f"{record['contract']}: explorers not asked: the code on chain does not match "
                "the recorded sources"
            )
            continue
        for name in names:
            if name in missing:
                result.explorers[name] = VerificationResult(
                    name, "not_configured", None, missing[name]
                )
        if clients:
            for name in clients:
                say(
                    f"{record['contract']}: asking {name} (each request retried at most "
                    f"{clients[name].http.retries}×, ≤{clients[name].http.worst_case():.0f}s)"
                )
            answers = verify_record(
                record, artifact, network=network, explorers=clients, force=force
            )
            for name, r in answers.items():
                say(f"  {name}: {'already recorded as verified' if r.skipped else r}")
            result.explorers.update(answers)
            updated = updated_verification(record["verification"], answers)
            if updated != record["verification"]:
                record["verification"] = updated
                write_json(folder / f"{record['contract']}.json", record)
                changed = True
        result.explorers = {n: result.explorers[n] for n in names if n in result.explorers}
    if changed:
        records.write_readme(folder, network, chain.chain_id)
    return [r for _rec, _art, r in out]
