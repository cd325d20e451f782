"""`daftar pilot ...`: sponsors run pilots, the programme office approves them.

Sponsor commands (propose, activate, milestone, checkpoint, complete) need the pilot's
registered sponsor as signer; office commands (sponsor register, approve, reject,
terminate) need PROGRAMME_OFFICE_ROLE; `show` and `prove` need no signer.

`checkpoint` hashes a directory of server logs (daftar_registry.formats.checkpoints), anchors the
root and writes the manifest (paths and hashes, no contents) beside the directory as
`<root>.manifest.json`, never inside it: that would change the next root. `prove` hashes
the directory again and asks whether that exact state was anchored; when it was not and
the last checkpoint's manifest is at hand, it names the files that differ. The rules are
daftar_registry.services.pilots; this module parses, sends and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import (
    ADDRESS,
    EXIT_NOT_VALID,
    PILOT_ID,
    Where,
    emit,
    keccak_hex,
    linked,
    open_client,
    registry_options,
    row,
    send,
    tx_data,
    write_command,
)


@click.group()
def pilot() -> None:
    """Propose and run pilots; anchor milestones and server-log checkpoints."""


@pilot.group()
def sponsor() -> None:
    """Register the sponsors allowed to propose pilots (PROGRAMME_OFFICE_ROLE)."""


# -- reading ------------------------------------------------------------------------------------
def _summary(client: Any, pilot_id: int) -> Any:
    from daftar_registry.services.pilots import pilot_summary

    return pilot_summary(client, pilot_id)


def _lines(client: Any, summary: Any) -> list[str]:
    info = summary.to_json()
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


def _read(path: Path, what: str) -> bytes:
    from daftar_registry.services.files import read_bytes

    return read_bytes(path, what)


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
    from daftar_registry.services.pilots import sponsor_summary

    receipt = send(ctx, client, fn, address, *args)
    info = sponsor_summary(client, address)
    data = {**info.to_json(), **tx_data(client, receipt)}
    lines = [
        row("sponsor", linked(client, "address", address)),
        row("registered", f"{'yes' if info.registered else 'no'}  ({info.name})"),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
    ]
    emit(ctx, data, lines)


def _move(ctx: Context, client: Any, pilot_id: int, fn: Any, *args: Any) -> None:
    receipt = send(ctx, client, fn, pilot_id, *args)
    summary = _summary(client, pilot_id)
    lines = [row("transaction", linked(client, "tx", receipt.tx_hash)), *_lines(client, summary)]
    emit(ctx, {**summary.to_json(), **tx_data(client, receipt)}, lines)


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
    details_hash = keccak_hex(_read(details_file, "details file"))
    client = open_client(ctx, where, sign=True)
    receipt = send(ctx, client, client.pilots.propose, title, uri, details_hash)
    pilot_id = int(receipt.event("PilotProposed").pilotId)
    summary = _summary(client, pilot_id)
    lines = [row("proposed", f"pilot #{pilot_id}"), row("transaction",
             linked(client, "tx", receipt.tx_hash)), *_lines(client, summary)[1:]]  # fmt: skip
    emit(ctx, {**summary.to_json(), **tx_data(client, receipt)}, lines)


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
    evidence_hash = keccak_hex(_read(evidence_file, "evidence file"))
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
    from daftar_registry.services.pilots import (
        checkpoint_manifest,
        checkpoint_of,
        default_manifest,
        write_manifest,
    )

    cp = checkpoint_of(directory)
    client = open_client(ctx, where, sign=True)
    # As anchor_checkpoint does, but through `send` (gas headroom, refusals in words).
    seq, prev = next_checkpoint(client.pilots, pilot_id)
    receipt = send(ctx, client, client.pilots.anchorCheckpoint, pilot_id, seq, cp.root, prev, uri)
    event = receipt.event("CheckpointAnchored")
    root = "0x" + cp.root.hex()
    target = manifest_path or default_manifest(directory, cp.root)
    manifest = checkpoint_manifest(
        client, pilot_id, int(event.seq), bytes(event.prevRoot), receipt.tx_hash, directory, cp
    )
    write_manifest(target, manifest)
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


# -- anyone ---------------------------------------------------------------------------------------
@pilot.command("show")
@click.argument("pilot_id", metavar="ID", type=PILOT_ID)
@registry_options(sign=False)
@click.pass_obj
def show(ctx: Context, pilot_id: int, where: Where) -> None:
    """A pilot's status, sponsor, milestones and last checkpoint."""
    client = open_client(ctx, where)
    summary = _summary(client, pilot_id)
    emit(ctx, summary.to_json(), _lines(client, summary))


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
    from daftar_registry.services.pilots import checkpoint_of
    from daftar_registry.services.pilots import prove as check

    cp = checkpoint_of(directory)
    client = open_client(ctx, where)
    proof = check(client, pilot_id, directory, manifest=manifest_path, checkpoint=cp)
    data = proof.to_json()
    root, last = data["root"], data["last_checkpoint"]
    lines = [row("directory", f"{directory}  ({proof.entries} entries)"), row("root", root)]
    if proof.anchored:
        lines.append(
            row("anchored", f"yes: checkpoint #{proof.seq} of pilot #{pilot_id} at "
                f"{data['anchored_at']}" + (" (the latest)" if proof.latest else ""))
        )  # fmt: skip
    else:
        lines.append(
            row("anchored", f"no: this exact state was never anchored for pilot #{pilot_id}")
        )
        if last["seq"]:
            lines.append(row("last", f"#{last['seq']}  {last['root']}  {last['anchored_at']}"))
        if proof.differences is not None:
            diff = proof.differences.to_json()
            for kind in ("changed", "added", "removed"):
                lines += [f"  {kind:<8} {path}" for path in diff[kind]]
    lines.append(row("registry", linked(client, "address", proof.registry)))
    emit(ctx, data, lines)
    if not proof.anchored:
        click.get_current_context().exit(EXIT_NOT_VALID)
