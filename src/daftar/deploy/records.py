"""`deployments/<network>/`: one JSON record per contract, a `.chainId` guard, a README
(plus whatever files installed applications add through the `daftar.records_files` hook).

Every file is written atomically (temp file, fsync, rename, fsync of the folder), so a
crash leaves either the old file or the new one, never half of one. Records are derived
from the journal and the build artifacts, so rewriting them is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from daftar.errors import DeployError
from daftar.util.files import atomic_write

DEPLOYMENTS_ENV = "DAFTAR_DEPLOYMENTS"
CHAIN_ID_FILE = ".chainId"
JOURNAL_FILE = "journal.jsonl"
README_FILE = "README.md"
#: Explorers a record tracks verification for; `daftar.explorer` updates the status.
EXPLORERS = ("etherscan", "sourcify", "blockscout")


def records_folder(config: Any, network: str, deployments_dir: Path | None = None) -> Path:
    """`<dir>/<network>`: dir from the argument, `$DAFTAR_DEPLOYMENTS`, or the config."""
    base = deployments_dir or os.environ.get(DEPLOYMENTS_ENV) or config.deployments_dir
    return Path(base) / network


def check_chain_id(folder: Path, chain_id: int) -> None:
    """Refuse when the folder's `.chainId` names another chain (a wrong node or config)."""
    guard = folder / CHAIN_ID_FILE
    if not guard.is_file():
        return
    text = guard.read_text().strip()
    if text != str(chain_id):
        raise DeployError(
            f"{guard} says these deployments are on chain id {text}, but the node reports "
            f"{chain_id}. Refusing to sign anything: point the RPC URL at the right network "
            "(or use another deployments folder for this chain)."
        )


def write_chain_id(folder: Path, chain_id: int) -> None:
    if not (folder / CHAIN_ID_FILE).is_file():
        atomic_write(folder / CHAIN_ID_FILE, f"{chain_id}\n", 0o644)


def input_hash(artifact: dict[str, Any]) -> str:
    """sha256 of the canonical standard-JSON input: what a verifier must compile."""
    blob = json.dumps(artifact.get("input", {}), sort_keys=True, separators=(",", ":"))
    return "0x" + hashlib.sha256(blob.encode()).hexdigest()


def contract_record(
    *,
    network: Any,
    chain_id: int,
    step: str,
    artifact: dict[str, Any],
    initcode_hash: str,
    mined: dict[str, Any],
    args_raw: str,
    args_decoded: list[dict[str, Any]],
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    """The record of one deployed contract; verification status survives rewrites."""
    address = mined["contract_address"]
    verification = {name: "unverified" for name in EXPLORERS}
    if previous and previous.get("address") == address:
        verification.update(previous.get("verification") or {})
    return {
        "contract": artifact["contractName"],
        "step": step,
        "network": network.name,
        "chain_id": chain_id,
        "address": address,
        "tx_hash": mined["hash"],
        "block": mined["block"],
        "deployer": mined["from"],
        "constructor_args": {"raw": args_raw, "decoded": args_decoded},
        "initcode_hash": initcode_hash,
        "compiler": artifact.get("compiler", {}).get("version", ""),
        "standard_json_input_hash": input_hash(artifact),
        "source": artifact.get("sourceName", ""),
        "abi": artifact["abi"],
        "verification": verification,
        "explorer": {
            "address": network.explorer_link("address", address),
            "tx": network.explorer_link("tx", mined["hash"]),
        },
    }


def read_record(folder: Path, name: str) -> dict[str, Any] | None:
    try:
        return json.loads((folder / f"{name}.json").read_text())
    except (OSError, ValueError):
        return None


#: Entry-point group of README section hooks: `hook(records_by_contract, network) -> lines`.
README_HOOKS = "daftar.records_readme"


def readme_sections(by_contract: dict[str, dict[str, Any]], network: Any) -> list[str]:
    """Markdown lines from every installed application's hook (none: no extra text).

    A hook receives the records by contract name and returns lines for the contracts it
    knows, or nothing: a project whose records hold none of its contracts gets no text.
    """
    from importlib.metadata import entry_points

    lines: list[str] = []
    for ep in sorted(entry_points(group=README_HOOKS), key=lambda e: e.name):
        section = ep.load()(by_contract, network)
        if section:
            lines.extend([*section, ""])
    return lines


#: Entry-point group of file hooks: `hook(folder, records_by_contract, network, chain_id) ->
#: names of files written`; each application writes its own files beside the records.
FILE_HOOKS = "daftar.records_files"


def write_extra_files(
    folder: Path, by_contract: dict[str, dict[str, Any]], network: Any, chain_id: int
) -> list[str]:
    """Run every installed application's file hook on the folder; the files they wrote."""
    from importlib.metadata import entry_points

    written: list[str] = []
    for ep in sorted(entry_points(group=FILE_HOOKS), key=lambda e: e.name):
        written.extend(ep.load()(folder, by_contract, network, chain_id) or [])
    return written


def _earlier_versions(folder: Path) -> list[str]:
    """A section listing the network's earlier versions (daftar.deploy.versions), if any."""
    from daftar.deploy.versions import read_index

    index = read_index(folder)
    if not index or not index.get("versions"):
        return []
    lines = [
        f"## Earlier versions (this folder holds version {index['current']})",
        "",
        "| version | folder | contracts |",
        "|---|---|---|",
    ]
    for v in index["versions"]:
        contracts = ", ".join(f"{n} `{a}`" for n, a in sorted(v.get("contracts", {}).items()))
        lines.append(
            f"| {v['version']} | [{v['folder']}/]({v['folder']}/README.md) | {contracts} |"
        )
    return [*lines, ""]


def write_readme(folder: Path, network: Any, chain_id: int) -> None:
    """A human index of the folder: contracts, addresses and explorer links."""
    rows = []
    by_contract: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        rec = read_record(folder, path.stem)
        if not rec or "address" not in rec:
            continue
        by_contract[rec["contract"]] = rec
        addr, tx = rec["address"], rec["tx_hash"]
        link = rec.get("explorer", {}).get("address")
        tx_link = rec.get("explorer", {}).get("tx")
        rows.append(
            f"| {rec['contract']} | {f'[{addr}]({link})' if link else f'`{addr}`'} "
            f"| {f'[{tx[:10]}…]({tx_link})' if tx_link else f'`{tx}`'} | {rec['block']} "
            f"| {', '.join(f'{k}: {v}' for k, v in sorted(rec['verification'].items()))} |"
        )
    lines = [
        f"# Deployments on {network.name} (chain id {chain_id})",
        "",
        "Generated by `daftar deploy`; do not edit. One JSON record per contract sits beside",
        f"this file; `{JOURNAL_FILE}` is the write-ahead journal a rerun resumes from.",
        "",
        "| contract | address | transaction | block | verification |",
        "|---|---|---|---|---|",
        *rows,
        "",
        *readme_sections(by_contract, network),
        *_earlier_versions(folder),
    ]
    atomic_write(folder / README_FILE, "\n".join(lines), 0o644)
    write_extra_files(folder, by_contract, network, chain_id)
