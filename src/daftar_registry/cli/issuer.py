"""`daftar issuer accredit | suspend | reinstate | renew | revoke | add-key | retire-key | show`:
the programme office.

Writes need REGISTRAR_ROLE on IssuerRegistry; `show` needs no signer. What is shown is
daftar_registry.services.issuers.issuer_summary.
"""

from __future__ import annotations

from typing import Any

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import (
    ADDRESS,
    REASON,
    Where,
    emit,
    linked,
    open_client,
    parse_when,
    registry_options,
    row,
    send,
    tx_data,
    write_command,
)


@click.group()
def issuer() -> None:
    """Accredit credential issuers and manage their standing (REGISTRAR_ROLE)."""


def _summary(client: Any, address: str) -> Any:
    from daftar_registry.services.issuers import issuer_summary

    return issuer_summary(client, address)


def _lines(client: Any, summary: Any) -> list[str]:
    info = summary.to_json()
    lines = [
        row("issuer", linked(client, "address", info["issuer"])),
        row("standing", info["standing"] + ("" if info["in_good_standing"] else " (not good)")),
    ]
    if info["standing"] != "NONE":
        lines += [
            row("name", info["name"]),
            row("metadata", info["metadata_uri"] or "-"),
            row("valid", f"{info['valid_from'] or 'from accreditation'} → "
                f"{info['valid_until'] or 'open-ended'}"),
            row("accredited", info["accredited_at"] or "-"),
            row("reason code", info["reason_code"]),
            row("compromised", f"since {info['compromised_since']}"
                if info["compromised_since"] else "no"),
        ]  # fmt: skip
        for k in info["keys"]:
            state = k["status"].lower()
            if k["compromised_since"]:
                state += f", compromised since {k['compromised_since']}"
            lines.append(row("key", f"{k['key']} ({state})"))
        for h in info["history"]:
            reason = f" (reason {h['reason_code']})" if h["reason_code"] else ""
            lines.append(f"  {h['at']}  {h['status']}{reason}")
    lines += [
        row("registry", linked(client, "address", info["registry"])),
        row("network", info["network"]),
    ]
    return lines


def _write(ctx: Context, client: Any, address: str, fn: Any, *args: Any) -> None:
    receipt = send(ctx, client, fn, address, *args)
    summary = _summary(client, address)
    data = {**summary.to_json(), **tx_data(client, receipt)}
    emit(
        ctx,
        data,
        [row("transaction", linked(client, "tx", receipt.tx_hash)), *_lines(client, summary)],
    )


@issuer.command("accredit")
@click.argument("address", type=ADDRESS)
@click.option("--name", required=True, help="The issuer's public name.")
@click.option("--uri", "metadata_uri", default="", help="Public metadata URI.")
@click.option("--valid-from", metavar="WHEN", help="Unix seconds or ISO date (default: now).")
@click.option("--valid-until", metavar="WHEN", help="Exclusive end (default: open-ended).")
@registry_options(sign=True)
@click.pass_obj
def accredit(
    ctx: Context,
    address: str,
    name: str,
    metadata_uri: str,
    valid_from: str | None,
    valid_until: str | None,
    where: Where,
) -> None:
    """Accredit ADDRESS as a credential issuer."""
    start, end = parse_when(valid_from, "--valid-from"), parse_when(valid_until, "--valid-until")
    client = open_client(ctx, where, sign=True)
    _write(ctx, client, address, client.issuers.accredit, name, metadata_uri, start, end)


def _standing_change(name: str, function: str, doc: str, with_reason: bool) -> None:
    """One standing command (suspend, reinstate, revoke): an address, maybe a reason."""

    def act(ctx: Context, client: Any, address: str, *args: Any) -> None:
        _write(ctx, client, address, getattr(client.issuers, function), *args)

    write_command(issuer, name, doc, click.argument("address", type=ADDRESS), act, with_reason)


_COMPROMISED = click.option(
    "--compromised-since", metavar="WHEN",
    help="The issuer's keys were compromised from this time (unix seconds or ISO date): "
    "its credentials anchored since then turn invalid (ISSUER_COMPROMISED).",
)  # fmt: skip


def _restriction(name: str, function: str, doc: str) -> None:
    """suspend / revoke: an address, a reason, maybe a compromised-since time."""

    @issuer.command(name)
    @click.argument("address", type=ADDRESS)
    @click.option("--reason", required=True, type=REASON, help="Reason code (0-65535).")
    @_COMPROMISED
    @registry_options(sign=True)
    @click.pass_obj
    def command(
        ctx: Context, address: str, reason: int, compromised_since: str | None, where: Where
    ) -> None:
        since = parse_when(compromised_since, "--compromised-since")
        client = open_client(ctx, where, sign=True)
        _write(ctx, client, address, getattr(client.issuers, function), reason, since)

    command.__doc__ = doc


_restriction(
    "suspend", "suspend",
    "Suspend an active issuer (its earlier credentials are then reported as such).",
)  # fmt: skip
_standing_change(
    "reinstate", "reinstate", "Reinstate a suspended issuer (keeps its window).", False
)


@issuer.command("renew")
@click.argument("address", type=ADDRESS)
@click.option("--valid-from", metavar="WHEN", help="Unix seconds or ISO date (default: now).")
@click.option("--valid-until", metavar="WHEN", help="Exclusive end (default: open-ended).")
@registry_options(sign=True)
@click.pass_obj
def renew(
    ctx: Context,
    address: str,
    valid_from: str | None,
    valid_until: str | None,
    where: Where,
) -> None:
    """Replace an active or suspended issuer's validity window."""
    start, end = parse_when(valid_from, "--valid-from"), parse_when(valid_until, "--valid-until")
    client = open_client(ctx, where, sign=True)
    _write(ctx, client, address, client.issuers.renew, start, end)


_restriction(
    "revoke", "revokeAccreditation",
    "Revoke an issuer's accreditation for good (revokeAccreditation).",
)  # fmt: skip


@issuer.command("add-key")
@click.argument("address", type=ADDRESS)
@click.argument("key", type=ADDRESS)
@registry_options(sign=True)
@click.pass_obj
def add_key(ctx: Context, address: str, key: str, where: Where) -> None:
    """Add signing KEY to the organisation ADDRESS (e.g. a new key after a rotation)."""
    client = open_client(ctx, where, sign=True)
    _write(ctx, client, address, client.issuers.addKey, key)


@issuer.command("retire-key")
@click.argument("address", type=ADDRESS)
@click.argument("key", type=ADDRESS)
@_COMPROMISED
@registry_options(sign=True)
@click.pass_obj
def retire_key(
    ctx: Context, address: str, key: str, compromised_since: str | None, where: Where
) -> None:
    """Retire signing KEY of organisation ADDRESS: it can no longer issue or revoke.

    Its earlier credentials stay valid; with --compromised-since (a stolen key) those it
    anchored since that time turn invalid."""
    since = parse_when(compromised_since, "--compromised-since")
    client = open_client(ctx, where, sign=True)
    _write(ctx, client, address, client.issuers.retireKey, key, since)


@issuer.command("show")
@click.argument("address", type=ADDRESS)
@registry_options(sign=False)
@click.pass_obj
def show(ctx: Context, address: str, where: Where) -> None:
    """An issuer's standing, window, metadata and history."""
    client = open_client(ctx, where)
    summary = _summary(client, address)
    emit(ctx, summary.to_json(), _lines(client, summary))
