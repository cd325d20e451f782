"""`daftar pilot ...`: sponsors run pilots, the programme office approves them.

Sponsor commands (propose, activate, milestone, checkpoint, complete) need the pilot's
registered sponsor as signer; office commands (sponsor register, approve, reject,
terminate) need PROGRAMME_OFFICE_ROLE; `show` and `prove` need no signer.

`checkpoint` hashes a directory of server logs (daftar_registry.formats.checkpoints), anchors the
root and writes the manifest (paths and hashes, no contents) beside the directory as
`<root>.manifest.json`, never inside it: that would change the next root. `prove` hashes
the directory again and asks whether that exact state was anchored; when it was not and
the last checkpoint's manifest is at hand, it names the files that differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar.util.files import PUBLIC, atomic_write
from daftar_registry.cli.common import (
    ADDRESS,
    EXIT_NOT_VALID,
    PILOT_ID,
    InputError,
    Where,
    emit,
    keccak_hex,
    linked,
    open_client,
    read_bytes,
    registry_options,
    row,
    send,
    tx_data,
    utc,
    write_command,
)

MANIFEST_FORMAT = "daftar-checkpoint-manifest/1"


@click.group()
def pilot() -> None:
    """Propose and run pilots; anchor milestones and server-log checkpoints."""


@pilot.group()
def sponsor() -> None:
    """Register the sponsors allowed to propose pilots (PROGRAMME_OFFICE_ROLE)."""


# -- reading ------------------------------------------------------------------------------------
def _info(client: Any, pilot_id: int) -> dict[str, Any]:
    from daftar_registry.status import PilotStatus

    pilots = client.pilots
    p = pilots.pilot(pilot_id)
    status = PilotStatus(int(p.status))
    if status is PilotStatus.NONE:
        raise InputError(
            f"there is no pilot #{pilot_id} on {client.network.name} "
            f"({int(pilots.pilotCount())} pilot(s) so far)"
        )
    sponsor_info = pilots.sponsorInfo(p.sponsor)
    milestones = []
    for i in range(int(pilots.milestoneCount(pilot_id))):
        m = pilots.milestone(pilot_id, i)
        milestones.append(
            {"index": i, "evidence_hash": "0x" + bytes(m.evidenceHash).hex(),
             "reported_at": utc(m.reportedAt), "uri": m.uri}
        )  # fmt: skip
    last = pilots.lastCheckpoint(pilot_id)
    return {
        "pilot": pilot_id,
        "status": status.name,
        "title": p.title,
        "uri": p.uri,
        "details_hash": "0x" + bytes(p.detailsHash).hex(),
        "sponsor": p.sponsor,
        "sponsor_link": client.link("address", p.sponsor),
        "sponsor_name": sponsor_info.name,
        "sponsor_registered": bool(sponsor_info.registered),
        "proposed_at": utc(p.proposedAt),
        "updated_at": utc(p.updatedAt),
        "reason_code": int(p.reasonCode),
        "milestones": milestones,
        "last_checkpoint": {
            "seq": int(last.seq),
            "root": "0x" + bytes(last.root).hex() if int(last.seq) else None,
            "anchored_at": utc(last.at),
        },
        "registry": pilots.address,
        "registry_link": client.link("address", pilots.address),
        "network": client.network.name,
    }


def _lines(client: Any, info: dict[str, Any]) -> list[str]:
    name = info["sponsor_name"] or "?"
    if not info["sponsor_registered"]:
        name += ", deregistered"
    last = info["last_checkpoint"]
    lines = [
        row("pilot", f"#{info['pilot']}  {info['title']}"),
        row("status", info["status"]),
        row("sponsor", f"{linked(client, 'address', info['sponsor'])}  ({name})"),
        row("uri", info["uri"] or "-"),
        row("details hash", info["details_hash"]),
        row("proposed", info["proposed_at"]),
        row("updated", info["updated_at"]),
    ]
    if info["reason_code"]:
        lines.append(row("reason code", info["reason_code"]))
    lines.append(row("milestones", len(info["milestones"])))
    for m in info["milestones"]:
        lines.append(f"  #{m['index']}  {m['reported_at']}  {m['evidence_hash']}  {m['uri']}")
    if last["seq"]:
        lines.append(row("checkpoint", f"#{last['seq']}  {last['root']}  {last['anchored_at']}"))
    else:
        lines.append(row("checkpoint", "none yet"))
    lines += [
        row("registry", linked(client, "address", info["registry"])),
        row("network", info["network"]),
    ]
    return lines


def _hash_directory(directory: Path) -> Any:
    from daftar_registry.formats.checkpoints import hash_directory

    try:
        return hash_directory(directory)
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot checkpoint {directory}: {exc}") from None


# -- office -------------------------------------------------------------------------------------
@sponsor.command("register")
@click.argument("address", type=ADDRESS)
@click.option("--name", required=True, help="The sponsor's public name (e.g. the company).")
@registry_options(sign=True)
@click.pass_obj
def sponsor_register(
    ctx: Context,
    address: str,
    name: str,
    where: Where,
) -> None:
    """Register ADDRESS as a pilot sponsor."""
    client = open_client(ctx, where, sign=True)
    _sponsor_write(ctx, client, address, client.pilots.registerSponsor, name)


@sponsor.command("deregister")
@click.argument("address", type=ADDRESS)
@registry_options(sign=True)
@click.pass_obj
def sponsor_deregister(
    ctx: Context,
    address: str,
    where: Where,
) -> None:
    """Deregister a sponsor (only the office can then act on its pilots)."""
    client = open_client(ctx, where, sign=True)
    _sponsor_write(ctx, client, address, client.pilots.deregisterSponsor)


def _sponsor_write(ctx: Context, client: Any, address: str, fn: Any, *args: Any) -> None:
    receipt = send(ctx, client, fn, address, *args)
    info = client.pilots.sponsorInfo(address)
    data = {
        "sponsor": address,
        "sponsor_link": client.link("address", address),
        "registered": bool(info.registered),
        "name": info.name,
        "registered_at": utc(info.registeredAt),
        "network": client.network.name,
        **tx_data(client, receipt),
    }
    lines = [
        row("sponsor", linked(client, "address", address)),
        row("registered", f"{'yes' if info.registered else 'no'}  ({info.name})"),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
    ]
    emit(ctx, data, lines)


def _move(ctx: Context, client: Any, pilot_id: int, fn: Any, *args: Any) -> None:
    receipt = send(ctx, client, fn, pilot_id, *args)
    info = _info(client, pilot_id)
    lines = [row("transaction", linked(client, "tx", receipt.tx_hash)), *_lines(client, info)]
    emit(ctx, {**info, **tx_data(client, receipt)}, lines)


def _lifecycle(name: str, doc: str, with_reason: bool) -> None:
    """One lifecycle command (approve, reject, activate, complete, terminate)."""

    def act(ctx: Context, client: Any, pilot_id: int, *args: Any) -> None:
        _move(ctx, client, pilot_id, getattr(client.pilots, name), *args)

    write_command(
        pilot, name, doc, click.argument("pilot_id", metavar="ID", type=PILOT_ID), act, with_reason
    )


_lifecycle("approve", "Approve a proposed pilot (programme office).", False)
_lifecycle("reject", "Reject a proposed pilot (programme office).", True)
_lifecycle("terminate", "Terminate an approved or active pilot (programme office).", True)
_lifecycle("activate", "Start an approved pilot (its sponsor).", False)
_lifecycle("complete", "Complete an active pilot (its sponsor).", False)


# -- sponsor --------------------------------------------------------------------------------------
@pilot.command("propose")
@click.option("--title", required=True, help="Public title of the pilot.")
@click.option("--uri", default="", help="Public URI of the proposal.")
@click.option(
    "--details",
    "details_file",
    required=True,
    type=click.Path(path_type=Path),
    help="The full proposal document; only its keccak256 goes on chain.",
)
@registry_options(sign=True)
@click.pass_obj
def propose(
    ctx: Context,
    title: str,
    uri: str,
    details_file: Path,
    where: Where,
) -> None:
    """Propose a pilot (the signer must be a registered sponsor); prints its id."""
    details_hash = keccak_hex(read_bytes(details_file, "details file"))
    client = open_client(ctx, where, sign=True)
    receipt = send(ctx, client, client.pilots.propose, title, uri, details_hash)
    pilot_id = int(receipt.event("PilotProposed").pilotId)
    info = _info(client, pilot_id)
    lines = [row("proposed", f"pilot #{pilot_id}"), row("transaction",
             linked(client, "tx", receipt.tx_hash)), *_lines(client, info)[1:]]  # fmt: skip
    emit(ctx, {**info, **tx_data(client, receipt)}, lines)


@pilot.command("milestone")
@click.argument("pilot_id", metavar="ID", type=PILOT_ID)
@click.option(
    "--evidence",
    "evidence_file",
    required=True,
    type=click.Path(path_type=Path),
    help="Evidence document; only its keccak256 goes on chain.",
)
@click.option("--uri", default="", help="Public URI of the evidence.")
@registry_options(sign=True)
@click.pass_obj
def milestone(
    ctx: Context,
    pilot_id: int,
    evidence_file: Path,
    uri: str,
    where: Where,
) -> None:
    """Report a milestone of an active pilot, anchoring the evidence's hash."""
    evidence_hash = keccak_hex(read_bytes(evidence_file, "evidence file"))
    client = open_client(ctx, where, sign=True)
    receipt = send(ctx, client, client.pilots.reportMilestone, pilot_id, evidence_hash, uri)
    index = int(receipt.event("MilestoneReported").index)
    data = {
        "pilot": pilot_id,
        "index": index,
        "evidence_hash": evidence_hash,
        "uri": uri,
        "network": client.network.name,
        **tx_data(client, receipt),
    }
    lines = [
        row("milestone", f"#{index} of pilot #{pilot_id}"),
        row("evidence", evidence_hash),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
    ]
    emit(ctx, data, lines)


@pilot.command("checkpoint")
@click.argument("pilot_id", metavar="ID", type=PILOT_ID)
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--uri", default="", help="Public URI for the checkpoint event.")
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the manifest (default: beside DIR, <root>.manifest.json).",
)
@registry_options(sign=True)
@click.pass_obj
def checkpoint(
    ctx: Context,
    pilot_id: int,
    directory: Path,
    uri: str,
    manifest_path: Path | None,
    where: Where,
) -> None:
    """Hash DIR (server logs) and anchor its root as the pilot's next checkpoint."""
    from daftar_registry.formats.checkpoints import next_checkpoint

    cp = _hash_directory(directory)
    client = open_client(ctx, where, sign=True)
    # As anchor_checkpoint does, but through `send` (gas headroom, refusals in words).
    seq, prev = next_checkpoint(client.pilots, pilot_id)
    receipt = send(ctx, client, client.pilots.anchorCheckpoint, pilot_id, seq, cp.root, prev, uri)
    event = receipt.event("CheckpointAnchored")
    root = "0x" + cp.root.hex()
    target = manifest_path or _default_manifest(directory, root)
    manifest = {
        "format": MANIFEST_FORMAT,
        "pilot": pilot_id,
        "seq": int(event.seq),
        "prev_root": "0x" + bytes(event.prevRoot).hex(),
        "network": client.network.name,
        "contract": client.pilots.address,
        "tx": receipt.tx_hash,
        "directory": str(directory.resolve()),
        **cp.to_json(),
    }
    try:
        atomic_write(target, json.dumps(manifest, indent=2) + "\n", PUBLIC)
    except OSError as exc:
        raise InputError(
            f"checkpoint #{event.seq} of pilot #{pilot_id} is anchored (tx {receipt.tx_hash}), "
            f"but its manifest could not be written to {target}: {exc.strerror or exc}. "
            "Nothing is lost: hashing the unchanged directory again rebuilds it."
        ) from None
    data = {
        "pilot": pilot_id,
        "seq": int(event.seq),
        "root": root,
        "prev_root": manifest["prev_root"],
        "entries": len(cp.manifest),
        "manifest": str(target),
        "network": client.network.name,
        **tx_data(client, receipt),
    }
    lines = [
        row("checkpoint", f"#{event.seq} of pilot #{pilot_id}"),
        row("root", root),
        row("entries", f"{len(cp.manifest)} (manifest: {target})"),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
    ]
    emit(ctx, data, lines)


def _default_manifest(directory: Path, root: str) -> Path:
    return directory.resolve().parent / f"{root}.manifest.json"


# -- anyone ---------------------------------------------------------------------------------------
@pilot.command("show")
@click.argument("pilot_id", metavar="ID", type=PILOT_ID)
@registry_options(sign=False)
@click.pass_obj
def show(ctx: Context, pilot_id: int, where: Where) -> None:
    """A pilot's status, sponsor, milestones and last checkpoint."""
    client = open_client(ctx, where)
    info = _info(client, pilot_id)
    emit(ctx, info, _lines(client, info))


@pilot.command("prove")
@click.argument("pilot_id", metavar="ID", type=PILOT_ID)
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint's manifest to compare with (default: the last one, if beside DIR).",
)
@registry_options(sign=False)
@click.pass_obj
def prove(
    ctx: Context,
    pilot_id: int,
    directory: Path,
    manifest_path: Path | None,
    where: Where,
) -> None:
    """Was DIR's exact current state anchored? Exit 0 if so (with seq and time), 3 if not."""
    from daftar_registry.formats.checkpoints import was_anchored

    cp = _hash_directory(directory)
    client = open_client(ctx, where)
    info = _info(client, pilot_id)
    found = was_anchored(client.pilots, pilot_id, cp.root)
    root = "0x" + cp.root.hex()
    data: dict[str, Any] = {
        "pilot": pilot_id,
        "root": root,
        "entries": len(cp.manifest),
        "anchored": found.anchored,
        "seq": found.seq if found.anchored else None,
        "anchored_at": utc(found.at),
        "last_checkpoint": info["last_checkpoint"],
        "network": client.network.name,
        "registry": client.pilots.address,
        "registry_link": client.link("address", client.pilots.address),
    }
    lines = [row("directory", f"{directory}  ({len(cp.manifest)} entries)"), row("root", root)]
    if found.anchored:
        latest = found.seq == info["last_checkpoint"]["seq"]
        lines.append(
            row("anchored", f"yes: checkpoint #{found.seq} of pilot #{pilot_id} at "
                f"{utc(found.at)}" + (" (the latest)" if latest else ""))
        )  # fmt: skip
    else:
        last = info["last_checkpoint"]
        lines.append(
            row("anchored", f"no: this exact state was never anchored for pilot #{pilot_id}")
        )
        if last["seq"]:
            lines.append(row("last", f"#{last['seq']}  {last['root']}  {last['anchored_at']}"))
        diff = _compare(directory, manifest_path, last["root"], cp)
        if diff is not None:
            data["differences"] = diff
            for kind in ("changed", "added", "removed"):
                lines += [f"  {kind:<8} {path}" for path in diff[kind]]
    lines.append(row("registry", linked(client, "address", client.pilots.address)))
    emit(ctx, data, lines)
    if not found.anchored:
        click.get_current_context().exit(EXIT_NOT_VALID)


def _compare(
    directory: Path, manifest_path: Path | None, last_root: str | None, cp: Any
) -> dict[str, Any] | None:
    """Paths that differ from a manifest whose entries really hash to its root."""
    from daftar_registry.formats.checkpoints import ManifestEntry
    from daftar_registry.formats.merkle import MerkleTree, as_bytes32

    path = manifest_path or (_default_manifest(directory, last_root) if last_root else None)
    if path is None or not path.is_file():
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        entries = [
            ManifestEntry(e["path"], int(e["size"]), as_bytes32(e["hash"]), e["kind"])
            for e in saved["entries"]
        ]
        if MerkleTree(e.entry_hash for e in entries).root != as_bytes32(saved["root"]):
            return None  # an edited manifest proves nothing
    except (OSError, ValueError, KeyError, TypeError):
        return None
    old = {e.path: (e.kind, e.hash) for e in entries}
    new = {e.path: (e.kind, e.hash) for e in cp.manifest}
    return {
        "manifest": str(path),
        "manifest_root": saved["root"],
        "changed": sorted(p for p in old.keys() & new.keys() if old[p] != new[p]),
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
    }
