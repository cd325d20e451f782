"""`daftar credential sign-issuance | sign-revocation | relay`: delegated (relayed) actions.

An issuer's key may stay offline and unfunded: it signs an EIP-712 request, written as a
small JSON file (daftar_registry.formats.requests, `daftar-signed-request/1`; no private
key, no personal data), and any funded account submits it with `relay`, paying the gas.

- `sign-issuance FILE…` builds salted credentials like `credential issue`, writes the
  holder files, and signs one `IssueBatch` (or `Issue` with `--single` and one FILE). The
  holder files verify VALID once the request is relayed.
- `sign-revocation HOLDER_FILE --reason N` signs a `Revoke` (a credential issued on its
  own), a `RevokeLeaf` (a batch member) or, with `--whole-batch`, a `RevokeBatch`.
- `relay REQUEST_FILE` checks the file (format, signature recovers to its signer, the
  registry of record, deadline, nonce) and sends it; the registry's own refusals come back
  in plain words (daftar_registry.refusals).

Signing reads the chain (nonce, domain, standing) but sends nothing. A deadline is
required: at most the contract's MAX_SIGNATURE_WINDOW (30 days) after the chain's time.
A signature dies when the signer's nonce moves past it (used, or cancelled with
`credential cancel-signatures`) or when its organisation is suspended or revoked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import (
    REASON,
    InputError,
    Where,
    emit,
    linked,
    open_client,
    parse_when,
    registry_options,
    row,
    send,
    tx_data,
    utc,
)
from daftar_registry.cli.credential import credential, read_fields

__all__ = ["credential", "relay", "sign_issuance", "sign_revocation"]

_EPOCH_SHIFT = 64  # nonces(signer) = epoch << 64 | counter (CredentialRegistry.nonces)
_RELATIVE = re.compile(r"^\+?(\d+)([dhm])$")
_UNIT = {"d": 86_400, "h": 3_600, "m": 60}


# -- shared -------------------------------------------------------------------------------------
def _deadline(client: Any, text: str) -> int:
    """`--deadline`: unix seconds, ISO date/date-time, or a span from the chain's time
    (`7d`, `12h`, `30m`); must be after the chain's time and within the signature window."""
    now = int(client.chain.time())
    match = _RELATIVE.match(text.strip())
    deadline = now + int(match[1]) * _UNIT[match[2]] if match else parse_when(text, "--deadline")
    window = int(client.credentials.MAX_SIGNATURE_WINDOW())
    if deadline <= now:
        raise InputError(
            f"--deadline {text!r} ({utc(deadline) or 0}) is not after the chain's time "
            f"{utc(now)}: give a later time or a span such as 7d"
        )
    if deadline > now + window:
        raise InputError(
            f"--deadline {text!r} ({utc(deadline)}) is too far away: the registry accepts at "
            f"most {window // 86_400} days ahead, i.e. {utc(now + window)}"
        )
    return deadline


def _domain(client: Any) -> dict[str, Any]:
    from daftar_registry.formats.signing import domain_of

    return domain_of(client.credentials)


def _sign(signer: Any, typed_data: dict[str, Any]) -> bytes:
    from daftar.keys import sign_typed_data

    try:
        return sign_typed_data(signer, typed_data)
    except ValueError as exc:  # a keystore-less account: say so, never a traceback
        raise InputError(str(exc)) from None


def _out_path(path: Path) -> Path:
    if path.exists():
        raise InputError(f"{path} already exists; refusing to overwrite it. Use another --out.")
    return path


def _request_lines(request: Any, path: Path) -> list[str]:
    return [
        row("signed by", request.signer),
        row("organisation", request.organisation),
        row("nonce", request.nonce),
        row("valid until", utc(request.deadline)),
        row("request file", str(path)),
        row("next step", f"any funded account runs `daftar credential relay {path}`"),
    ]


def _request_data(request: Any, path: Path) -> dict[str, Any]:
    return {
        "request": str(path),
        "action": request.action,
        "function": request.function,
        "signer": request.signer,
        "organisation": request.organisation,
        "nonce": request.nonce,
        "deadline": request.deadline,
        "deadline_utc": utc(request.deadline),
        "network": request.network,
        "contract": request.domain["verifyingContract"],
    }


# -- sign-issuance ------------------------------------------------------------------------------
@credential.command("sign-issuance")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--deadline", required=True, metavar="WHEN",
    help="Last moment the signature is accepted: unix seconds, ISO time, or 7d / 12h / 30m.",
)  # fmt: skip
@click.option(
    "--expires-at", metavar="WHEN", help="Unix seconds, ISO date or date-time (default: never)."
)
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Folder for the holder files (<input name>.holder.json).",
)  # fmt: skip
@click.option(
    "--request", "request_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Signed request file to write (default: <out>/issuance.request.json).",
)  # fmt: skip
@click.option("--uri", default="", help="Public URI for the batch event (no personal data).")
@click.option("--single", is_flag=True, help="Sign an `Issue` of exactly one FILE (no batch).")
@registry_options(sign=True)
@click.pass_obj
def sign_issuance(
    ctx: Context,
    files: tuple[Path, ...],
    deadline: str,
    expires_at: str | None,
    out_dir: Path,
    request_path: Path | None,
    uri: str,
    single: bool,
    where: Where,
) -> None:
    """Sign an issuance of JSON FILE(s) for a relayer; write holder files and the request.

    The --account key signs and sends nothing (it needs no ether)."""
    from daftar_registry.formats.credentials import build_credential, write_holder_file
    from daftar_registry.formats.merkle import MerkleTree
    from daftar_registry.formats.requests import new_request, write_request
    from daftar_registry.formats.signing import issue_batch_typed_data, issue_typed_data

    if single and len(files) != 1:
        raise InputError(f"--single signs exactly one credential; {len(files)} files were given")
    expiry = parse_when(expires_at, "--expires-at")
    inputs = [read_fields(f) for f in files]
    targets = [_out_path(out_dir / f"{f.stem}.holder.json") for f in files]
    if len(set(targets)) != len(targets):
        raise InputError("two input files have the same name; rename one (holder files collide)")
    request_path = _out_path(request_path or out_dir / "issuance.request.json")
    client = open_client(ctx, where, sign=True)
    signer, net = client.require_signer(), client.network.name
    organisation = _may_issue(client, signer.address)
    when = _deadline(client, deadline)
    nonce = int(client.credentials.nonces(signer.address))
    domain = _domain(client)
    docs = [build_credential(fields, organisation, net, expiry) for fields in inputs]
    tree = None if single else MerkleTree(d.credential_hash for d in docs)
    if tree is None:
        action, h = "issue", docs[0].credential_hash
        typed = issue_typed_data(domain, signer.address, h, expiry, nonce, when)
    else:
        action = "issueBatch"
        typed = issue_batch_typed_data(
            domain, signer.address, tree.root, len(docs), expiry, uri, nonce, when
        )
    request = new_request(
        action, network=net, organisation=organisation, domain=domain,
        message=typed["message"], signature=_sign(signer, typed),
    )  # fmt: skip
    for doc, target in zip(docs, targets, strict=True):
        proof = tree.proof(doc.credential_hash) if tree else ()
        write_holder_file(
            target, doc, contract=client.credentials, network=net,
            merkle_root=tree.root if tree else None, proof=proof,
        )  # fmt: skip
    write_request(request_path, request)
    data = {
        **_request_data(request, request_path),
        "count": len(docs),
        "merkle_root": "0x" + tree.root.hex() if tree else None,
        "expires_at": utc(expiry),
        "credentials": [
            {"input": str(f), "holder": str(t), "credential_hash": "0x" + d.credential_hash.hex()}
            for f, t, d in zip(files, targets, docs, strict=True)
        ],
    }
    lines = [
        row("signed", f"issuance of {len(docs)} credential(s) on {net} (not anchored yet)"),
        *_request_lines(request, request_path),
        *(f"  {c['input']} → {c['holder']}  ({c['credential_hash']})" for c in data["credentials"]),
        "  the holder files verify VALID once the request is relayed",
    ]
    emit(ctx, data, lines)


def _may_issue(client: Any, key: str) -> str:
    """The organisation `key` issues for; refused now, before a useless signature is made."""
    org = client.issuers.issuingOrganisation(key).issuer
    if int(str(org), 16) == 0:
        raise InputError(
            f"{key} may not issue now: not an active key of an accredited issuer in good "
            "standing (not accredited, suspended, revoked, outside its validity window, key "
            f"retired) or the issuer registry is paused: see `daftar issuer show {key}`"
        )
    return str(org)


# -- sign-revocation ----------------------------------------------------------------------------
@credential.command("sign-revocation")
@click.argument("holder_file", type=click.Path(path_type=Path))
@click.option("--reason", required=True, type=REASON, help="Reason code (0-65535).")
@click.option(
    "--deadline", required=True, metavar="WHEN",
    help="Last moment the signature is accepted: unix seconds, ISO time, or 7d / 12h / 30m.",
)  # fmt: skip
@click.option(
    "--whole-batch", is_flag=True,
    help="Revoke the whole batch HOLDER_FILE belongs to (RevokeBatch), not just this one.",
)  # fmt: skip
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
    help="Signed request file to write (default: <holder name>.revocation.json beside it).",
)  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def sign_revocation(
    ctx: Context,
    holder_file: Path,
    reason: int,
    deadline: str,
    whole_batch: bool,
    out: Path | None,
    where: Where,
) -> None:
    """Sign a revocation of the credential in HOLDER_FILE for a relayer to submit.

    The --account key (an active key of the issuer) signs and sends nothing."""
    from daftar_registry.formats.requests import new_request, write_request
    from daftar_registry.formats.signing import revoke_typed_data
    from daftar_registry.services.files import read_holder
    from daftar_registry.services.verdict import check_network, check_registry

    holder = read_holder(holder_file)
    if whole_batch and holder.merkle_root is None:
        raise InputError(f"{holder_file} was issued on its own, not in a batch: drop --whole-batch")
    stem = holder_file.name.removesuffix(".json").removesuffix(".holder")
    path = _out_path(out or holder_file.with_name(f"{stem}.revocation.json"))
    check_network(holder, where.network or ctx.network)
    client = open_client(ctx, where, network=holder.network, sign=True)
    check_registry(client, holder)
    signer = client.require_signer()
    if not client.issuers.canRevoke(signer.address, holder.issuer):
        raise InputError(
            f"{signer.address} may not revoke for {holder.issuer}: not an active key of it, or "
            "a compromise was declared on it (then the programme office revokes, with "
            "`daftar credential revoke --as-authority`)"
        )
    when = _deadline(client, deadline)
    nonce = int(client.credentials.nonces(signer.address))
    domain = _domain(client)
    h, root = holder.credential_hash, holder.merkle_root
    kwargs: dict[str, Any] = {"merkle_root": root} if root is not None else {}
    if not whole_batch:
        kwargs["credential_hash"] = h
    typed = revoke_typed_data(domain, signer.address, holder.issuer, reason, nonce, when, **kwargs)
    action = {"Revoke": "revoke", "RevokeLeaf": "revokeLeaf", "RevokeBatch": "revokeBatch"}[
        typed["primaryType"]
    ]
    request = new_request(
        action, network=holder.network, organisation=holder.issuer, domain=domain,
        message=typed["message"], signature=_sign(signer, typed),
        proof=tuple(holder.proof) if action == "revokeLeaf" else (),
    )  # fmt: skip
    write_request(path, request)
    what = "the whole batch " + "0x" + root.hex() if whole_batch and root else "0x" + h.hex()
    data = {**_request_data(request, path), "reason_code": reason, "revokes": what}
    lines = [
        row("signed", f"revocation of {what} (not revoked yet)"),
        row("reason", reason),
        *_request_lines(request, path),
    ]
    emit(ctx, data, lines)


# -- relay --------------------------------------------------------------------------------------
@credential.command("relay")
@click.argument("request_file", type=click.Path(path_type=Path))
@registry_options(sign=True)
@click.pass_obj
def relay(ctx: Context, request_file: Path, where: Where) -> None:
    """Submit a signed request (from sign-issuance / sign-revocation) and pay its gas.

    Any funded --account can relay; the action is the signer's, not the relayer's."""
    from daftar_registry.formats.requests import read_request

    request = read_request(request_file)
    wanted = where.network or ctx.network
    if wanted and wanted != request.network:
        raise InputError(
            f"{request_file} is a request for network '{request.network}', not '{wanted}'"
        )
    client = open_client(ctx, where, network=request.network, sign=True)
    _check_target(client, request, request_file)
    _check_fresh(client, request, request_file)
    method = getattr(client.credentials, request.function)
    receipt = send(ctx, client, method, *request.arguments())
    relayer = client.require_signer().address
    status = _status_after(client, request)
    data = {
        "relayed": True,
        "action": request.action,
        "function": request.function,
        "signer": request.signer,
        "organisation": request.organisation,
        "relayer": relayer,
        "status": status,
        **tx_data(client, receipt),
    }
    lines = [
        row("relayed", f"{request.action} signed by {request.signer}"),
        row("organisation", linked(client, "address", request.organisation)),
        row("paid by", relayer),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
        row("status now", status),
    ]
    emit(ctx, data, lines)


def _check_target(client: Any, request: Any, path: Path) -> None:
    """The request is for the registry of record on this chain."""
    contract, chain_id = request.domain["verifyingContract"], request.domain["chainId"]
    if contract.lower() != client.credentials.address.lower():
        raise InputError(
            f"{path} was signed for CredentialRegistry {contract}, but the registry of record "
            f"on {client.network.name} is {client.credentials.address}"
        )
    if chain_id != client.chain.chain_id:
        raise InputError(
            f"{path} was signed for chain id {chain_id}; {client.network.name} is chain id "
            f"{client.chain.chain_id}"
        )


def _check_fresh(client: Any, request: Any, path: Path) -> None:
    """Refuse, before sending, a request whose deadline passed or whose nonce is gone."""
    now = int(client.chain.time())
    if request.deadline < now:
        raise InputError(
            f"{path} expired at {utc(request.deadline)} (the chain's time is {utc(now)}); "
            "ask the signer for a new signature"
        )
    current = int(client.credentials.nonces(request.signer))
    mask = (1 << _EPOCH_SHIFT) - 1
    if current >> _EPOCH_SHIFT != request.nonce >> _EPOCH_SHIFT:
        raise InputError(
            f"{path} was signed before the issuer {request.organisation} was suspended or "
            "revoked (its signature epoch changed); such a signature can never be used. "
            "Once the issuer is in good standing again, ask the signer to sign again"
        )
    if current & mask > request.nonce & mask:
        raise InputError(
            f"{path} can no longer be used: its nonce {request.nonce & mask} was cancelled "
            f"(`credential cancel-signatures`) or already used; {request.signer}'s next nonce "
            f"is {current & mask}. Ask the signer to sign again"
        )
    if current & mask < request.nonce & mask:
        raise InputError(
            f"{path} carries nonce {request.nonce & mask} but {request.signer}'s next nonce is "
            f"{current & mask}: relay the signer's earlier requests first"
        )


def _status_after(client: Any, request: Any) -> str:
    """The registry's answer after the relay, in words."""
    from daftar_registry.status import CredentialStatus

    m, cr, org = request.message, client.credentials, request.organisation

    def h(name: str) -> bytes:
        return bytes.fromhex(m[name][2:])

    if request.action in ("issue", "revoke"):
        status = cr.verify(org, h("credentialHash")).status
    elif request.action == "revokeLeaf":
        status = cr.verifyLeaf(
            org, h("merkleRoot"), h("credentialHash"), list(request.proof)
        ).status
    elif request.action == "issueBatch":
        info = cr.batchInfo(org, h("merkleRoot"))
        anchored = int(str(info.signer), 16) != 0
        return f"batch {m['merkleRoot']} anchored ({m['count']} credential(s))" if anchored else "?"
    else:
        info = cr.batchInfo(org, h("merkleRoot"))
        return f"batch {m['merkleRoot']} revoked at {utc(int(info.revokedAt))}"
    word = CredentialStatus(int(status))
    return f"{word.name}: {word.explain()}"
