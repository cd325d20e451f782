"""`daftar credential issue | revoke | verify | cancel-signatures`: issuers anchor credentials,
anyone checks them.

`issue` turns each input JSON file (plain fields) into a salted credential document and
anchors them all as one Merkle batch (`issueBatch`: one transaction, gas independent of
the count; one file is a batch of one), or each on its own with `--single` (`issue`).
Holder files are written *before* the transaction, so a crash after it is mined never
loses the salts; if the registry refuses, they are removed again. `verify` prints the
verdict of daftar_registry.services.verdict (`disclose` is in daftar_registry.cli.disclosure).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar.errors import DaftarError
from daftar_registry.cli.common import (
    ADDRESS,
    REASON,
    InputError,
    Interrupted,
    Where,
    emit,
    linked,
    open_client,
    parse_when,
    progress,
    registry_options,
    row,
    send,
    tx_data,
    utc,
)


@click.group()
def credential() -> None:
    """Issue, revoke and verify credentials (holder files keep the personal data)."""


# -- reading files ----------------------------------------------------------------------------
def read_fields(path: Path) -> dict[str, Any]:
    """One input file: a non-empty JSON object of plain fields that hash canonically."""
    from daftar_registry.formats.credentials import canonical_json
    from daftar_registry.services.files import read_bytes

    text = read_bytes(path, "credential file").decode("utf-8", errors="replace")
    try:
        fields = json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_no_nan)
    except ValueError as exc:
        raise InputError(f"credential file {path} is not valid JSON: {exc}") from None
    if not isinstance(fields, dict) or not fields:
        raise InputError(
            f"credential file {path} must hold a non-empty JSON object of fields, e.g. "
            '{"name": "Aisyah", "degree": "BSc", "year": 2026}'
        )
    try:
        canonical_json(fields)
    except TypeError as exc:
        raise InputError(f"credential file {path}: {exc}") from None
    if "" in fields:
        raise InputError(f"credential file {path}: field names must not be empty")
    return fields


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose names repeat has no canonical form (which value would count?)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the name {key!r} appears twice in one object")
        found[key] = value
    return found


def _no_nan(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (canonical JSON has no non-finite numbers)")


def _targets(files: tuple[Path, ...], out_dir: Path) -> list[Path]:
    targets = [out_dir / f"{f.stem}.holder.json" for f in files]
    seen: dict[Path, Path] = {}
    for source, target in zip(files, targets, strict=True):
        if target in seen:
            raise InputError(
                f"{seen[target]} and {source} would both write {target}; rename one input"
            )
        seen[target] = source
        if target.exists():
            raise InputError(
                f"{target} already exists; refusing to overwrite a holder file (its salts "
                "may be the only proof of an anchored credential). Use another --out."
            )
    return targets


# -- issue --------------------------------------------------------------------------------------
@credential.command("issue")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--expires-at", metavar="WHEN", help="Unix seconds, ISO date or date-time (default: never)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the holder files (<input name>.holder.json).",
)
@click.option("--uri", default="", help="Public URI for the batch event (no personal data).")
@click.option("--single", is_flag=True, help="Anchor each credential with `issue` (one tx each).")
@registry_options(sign=True)
@click.pass_obj
def issue(
    ctx: Context,
    files: tuple[Path, ...],
    expires_at: str | None,
    out_dir: Path,
    uri: str,
    single: bool,
    where: Where,
) -> None:
    """Build salted credentials from JSON FILE(s), anchor them, write holder files."""
    from daftar_registry.formats.credentials import build_credential, write_holder_file
    from daftar_registry.formats.merkle import MerkleTree

    expiry = parse_when(expires_at, "--expires-at")
    inputs = [read_fields(f) for f in files]
    targets = _targets(files, out_dir)
    client = open_client(ctx, where, sign=True)
    signer, net = client.require_signer(), client.network.name
    organisation = _organisation_of(client, signer.address)
    docs = [build_credential(fields, organisation, net, expiry) for fields in inputs]
    tree = None if single else MerkleTree(d.credential_hash for d in docs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(out_dir, os.W_OK):
            raise PermissionError(13, "not writable")
    except OSError as exc:
        raise InputError(f"cannot write holder files to {out_dir}: {exc.strerror or exc}") from None
    written: list[Path] = []
    from daftar_registry.services.registries import current_version_of

    version = current_version_of(client.folder)  # which recorded registry anchors them

    def write(indices: range) -> Callable[[str], None]:
        """Holder files are written once the node accepted their transaction (issue 13)."""

        def on_sent(tx_hash: str) -> None:
            for i in indices:
                proof = tree.proof(docs[i].credential_hash) if tree else ()
                write_holder_file(
                    targets[i], docs[i], contract=client.credentials, network=net,
                    merkle_root=tree.root if tree else None, proof=proof,
                    chain_id=client.chain.chain_id, registry_version=version,
                )  # fmt: skip
                written.append(targets[i])

        return on_sent

    anchored = 0
    try:
        if tree is not None:
            batch = client.credentials.issueBatch
            on_sent = write(range(len(docs)))
            args = (tree.root, len(docs), expiry, uri)
            receipts = [send(ctx, client, batch, *args, on_sent=on_sent)]
            anchored = len(docs)
        else:
            receipts = []
            for i, doc in enumerate(docs):
                one = write(range(i, i + 1))
                issue_one = client.credentials.issue
                h = doc.credential_hash
                receipts.append(send(ctx, client, issue_one, h, expiry, on_sent=one))
                anchored += 1
    except DaftarError as exc:
        _cleanup(ctx, [t for t in written if t in targets[anchored:]], exc)
        raise
    _report_issue(ctx, client, organisation, docs, files, targets, tree, expiry, receipts)


def _organisation_of(client: Any, key: str) -> str:
    """The organisation a signing key belongs to (the document names it); the key itself if
    it is no key (the registry then refuses the issue with a clear error)."""
    org = str(client.issuers.keyInfo(key).issuer)
    return key if int(org, 16) == 0 else org


def _cleanup(ctx: Context, unanchored: list[Path], exc: Exception) -> None:
    """Remove holder files whose credential the registry refused; keep them if unsure."""
    from daftar.deploy.single import Dropped
    from daftar.errors import NetworkError

    if isinstance(exc, NetworkError | Interrupted) and not isinstance(exc, Dropped):
        if unanchored:
            progress(
                ctx,
                f"kept {len(unanchored)} holder file(s): the transaction may still be mined; "
                "check with `daftar credential verify`",
            )
        return
    for path in unanchored:
        path.unlink(missing_ok=True)
    if unanchored and isinstance(exc, Dropped):
        progress(
            ctx,
            f"removed {len(unanchored)} holder file(s): the node dropped their transaction, "
            "so they were never anchored",
        )


def _report_issue(
    ctx: Context,
    client: Any,
    issuer: str,
    docs: list[Any],
    files: tuple[Path, ...],
    targets: list[Path],
    tree: Any,
    expiry: int,
    receipts: list[Any],
) -> None:
    contract = client.credentials.address
    creds = [
        {"input": str(f), "holder": str(t), "credential_hash": "0x" + d.credential_hash.hex()}
        for d, f, t in zip(docs, files, targets, strict=True)
    ]
    data = {
        "network": client.network.name,
        "contract": contract,
        "contract_link": client.link("address", contract),
        "issuer": issuer,
        "mode": "single" if tree is None else "batch",
        "merkle_root": "0x" + tree.root.hex() if tree is not None else None,
        "count": len(docs),
        "expires_at": utc(expiry),
        "expires_at_unix": expiry,
        "transactions": [tx_data(client, r) for r in receipts],
        "credentials": creds,
    }
    lines = [
        row("issued", f"{len(docs)} credential(s) on {client.network.name}"),
        row("issuer", linked(client, "address", issuer)),
        row("registry", linked(client, "address", contract)),
    ]
    if tree is not None:
        lines.append(row("merkle root", data["merkle_root"]))
    lines.append(row("expires", utc(expiry) or "never"))
    lines += [row("transaction", linked(client, "tx", r.tx_hash)) for r in receipts]
    lines += [f"  {c['input']} → {c['holder']}  ({c['credential_hash']})" for c in creds]
    emit(ctx, data, lines)


# -- revoke -------------------------------------------------------------------------------------
@credential.command("revoke")
@click.argument("holder_file", type=click.Path(path_type=Path))
@click.option("--reason", required=True, type=REASON, help="Reason code (0-65535).")
@click.option(
    "--as-authority", is_flag=True,
    help="Revoke as the programme office (REGISTRAR_ROLE): any issuer's credential.",
)  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def revoke(
    ctx: Context,
    holder_file: Path,
    reason: int,
    as_authority: bool,
    where: Where,
) -> None:
    """Revoke the credential in HOLDER_FILE (revokeLeaf for a batch member).

    A key of the issuer revokes by default; --as-authority revokes as the programme office
    (e.g. credentials forged with a stolen key)."""
    from daftar_registry.render import verdict_line
    from daftar_registry.services.files import read_holder
    from daftar_registry.services.verdict import verify as judge

    holder = read_holder(holder_file)
    client = _client_for(ctx, holder, where, sign=True)
    h, cr = holder.credential_hash, client.credentials
    if holder.merkle_root is not None:
        fn = cr.authorityRevokeLeaf if as_authority else cr.revokeLeaf
        receipt = send(
            ctx, client, fn, holder.issuer, holder.merkle_root, h, list(holder.proof), reason
        )
    else:
        fn = cr.authorityRevoke if as_authority else cr.revoke
        receipt = send(ctx, client, fn, holder.issuer, h, reason)
    verdict = judge(client, holder)
    data = {"revoked": True, "reason_code": reason, **tx_data(client, receipt), **verdict.to_json()}
    lines = [
        row("revoked", "0x" + h.hex()),
        row("reason", reason),
        row("revoked by", "the programme office (authority)" if as_authority else "the issuer"),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
        row("status now", verdict_line(verdict)),
    ]
    emit(ctx, data, lines)


# -- cancel-signatures --------------------------------------------------------------------------
@credential.command("cancel-signatures")
@click.option(
    "--count", default=1, show_default=True, type=click.IntRange(1, 2**32 - 1),
    help="How many of your next delegated signatures to cancel.",
)  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def cancel_signatures(ctx: Context, count: int, where: Where) -> None:
    """Cancel your outstanding delegated (relayed) signatures: burn the next COUNT nonces."""
    client = open_client(ctx, where, sign=True)
    signer = client.require_signer()
    before = int(client.credentials.nonces(signer.address))
    receipt = send(ctx, client, client.credentials.cancelSignatures, count)
    after = int(client.credentials.nonces(signer.address))
    data = {"signer": signer.address, "from_nonce": before, "to_nonce": after,
            **tx_data(client, receipt)}  # fmt: skip
    emit(ctx, data, [
        row("cancelled", f"{after - before} signature nonce(s) of {signer.address}"),
        row("next nonce", after),
        row("meaning", "any signature made with an earlier nonce can never be used"),
        row("transaction", linked(client, "tx", receipt.tx_hash)),
    ])  # fmt: skip


# -- verify -------------------------------------------------------------------------------------
VERIFY_HELP = """Check holder or disclosure FILE(s) on chain; works from any directory.

\b
The registry asked is the one each file names (its network, chain id and
CredentialRegistry address), never another:
- inside a project (or with --deployments DIR) it must be a recorded deployment
  of that network, current or earlier; the output says which version answered;
- with no records, the address comes from the file and is not confirmed: check
  it with the programme office, or pin it with --registry ADDRESS.
The node is --rpc URL, else the project's network config, else the network's
$<NETWORK>_RPC_URL (e.g. SEPOLIA_RPC_URL). Its chain id must be the file's.

\b
Exit codes (several files: 0 if all are VALID, else the highest):
  0  VALID
  3  not valid: the registry answers revoked, expired, suspended, not issued, ...
  4  TAMPERED: the file's content does not match its hashes or proof
  5  WRONG NETWORK (the node's chain id is not the file's) or UNKNOWN REGISTRY
     (the file names a registry that is not a recorded or --registry deployment)
  6  UNREACHABLE: the RPC node cannot be reached or answers with errors
  1  any other error (unreadable file, not a holder or disclosure file)
  2  usage (bad options; no RPC URL for the file's network)

\b
--json prints one JSON object per file on stdout (one line each), on every outcome:
`status` (VALID, REVOKED, EXPIRED, ..., TAMPERED, WRONG_NETWORK, UNKNOWN_REGISTRY,
UNREACHABLE, NO_RPC_URL, ERROR), `valid`, `exit_code`, `file`, and for a registry
answer the verdict with `registry_version`, `registry_confirmed`, `chain_id`, `notes`.
"""


@credential.command("verify", help=VERIFY_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--rpc", metavar="URL", help="The node to ask (default: config / $<NETWORK>_RPC_URL)."
)
@click.option(
    "--registry", "pinned", type=ADDRESS, metavar="ADDRESS",
    help="The CredentialRegistry you expect: a file naming another is UNKNOWN_REGISTRY.",
)  # fmt: skip
@click.option(
    "--batch", default=1, show_default=True, type=click.IntRange(1, 1000),
    help="Calls per JSON-RPC batch request (1: one eth_call per file).",
)  # fmt: skip
@registry_options(sign=False)
@click.pass_obj
def verify(
    ctx: Context,
    files: tuple[Path, ...],
    rpc: str | None,
    pinned: str | None,
    batch: int,
    where: Where,
) -> None:
    from daftar_registry.services.checks import Settings, check_files, exit_code_of

    settings = Settings(
        rpc=rpc,
        registry=pinned,
        network=where.network or ctx.network,
        deployments_dir=where.deployments_dir,
        project_dir=Path(ctx.project_dir) if ctx.project_dir else None,
        batch=batch,
    )
    try:
        outcomes = check_files(files, settings)
    except DaftarError as exc:  # e.g. a broken brownie-config.yaml: no file was judged
        if not ctx.as_json:
            raise
        code = getattr(exc, "exit_code", 1)
        emit(ctx, {"status": "ERROR", "valid": False, "error": str(exc), "exit_code": code}, [])
        click.get_current_context().exit(code)
    several = len(outcomes) > 1
    for n, outcome in enumerate(outcomes):
        if ctx.as_json:
            emit(ctx, outcome.to_json(), [])
            continue
        if several:
            if n:
                click.echo("")
            click.echo(row("file", outcome.file))
        if outcome.verdict is None:
            click.echo(row("status", outcome.status.replace("_", " ")))
            prefix = f"{outcome.file}: " if several else ""
            click.echo(f"{prefix}{outcome.error}", err=True)  # the why, as for any error
            continue
        for line in _verdict_lines(outcome.verdict):
            click.echo(line)
    code = exit_code_of(outcomes)
    if code:
        click.get_current_context().exit(code)


def _verdict_lines(verdict: Any) -> list[str]:
    """The verdict block, with the registry version that answered and what to confirm."""
    from daftar_registry.render import verdict_lines

    lines = verdict_lines(verdict)
    if verdict.registry_version is not None:
        vouched = "recorded deployment" if verdict.registry_confirmed else "as the file says"
        lines.append(row("version", f"registry version {verdict.registry_version} ({vouched})"))
    if verdict.chain_id is not None:
        lines.append(row("chain id", verdict.chain_id))
    lines += [row("note", note) for note in verdict.notes]
    return lines


def _client_for(ctx: Context, anchored: Any, where: Where, **kwargs: Any) -> Any:
    """The registry the file was issued on, which must be the registry of record."""
    from daftar_registry.services.verdict import check_network, check_registry

    check_network(anchored, where.network or ctx.network)
    client = open_client(ctx, where, network=anchored.network, **kwargs)
    try:
        check_registry(client, anchored)
    except InputError:
        earlier = _earlier_version(client.folder, anchored.contract)
        client.close()
        if earlier is not None:
            raise InputError(
                f"the {anchored.kind} file was anchored in registry version {earlier} "
                f"({anchored.contract}), an earlier deployment on {anchored.network}; this "
                "command acts on the current version only. The credential still verifies "
                "(`daftar credential verify`); to revoke it, call revoke/revokeLeaf on that "
                "contract (a script, or the explorer's Write tab)."
            ) from None
        raise
    return client


def _earlier_version(folder: Path | None, address: str) -> int | None:
    """The number of the earlier recorded version holding `address`, if one does."""
    from daftar.deploy.versions import recorded_versions

    if folder is None:
        return None
    for v in recorded_versions(folder):
        if not v.current and (v.address_of("CredentialRegistry") or "").lower() == address.lower():
            return v.version
    return None
