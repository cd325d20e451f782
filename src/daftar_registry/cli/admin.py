"""`daftar admin`: the agency's levers on a deployed registry (pause, roles, the admin itself).

Every contract pauses on its own and keeps its own roles, so each command names the
contract (`issuers`, `credentials`, `pilots` or the contract name); `--contract all`, where
allowed, acts on the three in turn. Who may do what:

- `pause` / `unpause`: PAUSER_ROLE on that contract;
- `grant` / `revoke-role`: the contract's default admin. DEFAULT_ADMIN_ROLE itself is never
  granted or revoked: it moves by the two-step transfer (`transfer-admin` by the admin,
  then `accept-admin` by the new admin once `defaultAdminDelay()` has passed);
- `roles`: anyone (reads only).

Role holders cannot be listed cheaply (that would mean scanning RoleGranted/RoleRevoked
logs from the deployment block), so `roles` shows each contract's admin, pending transfer,
delay and pause state, and answers `hasRole` for the addresses given with `--check`.
A command whose effect already holds (pausing a paused contract, granting a held role)
sends nothing and exits 0. Pre-checks run on every selected contract before the first
transaction, so `--contract all` does not stop half-way for a reason known in advance.
The state and the checks are daftar_registry.services.admin; this module parses, sends
and prints.
"""

from __future__ import annotations

from typing import Any

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import (
    ADDRESS,
    Where,
    emit,
    linked,
    open_client,
    plain_refusals,
    progress,
    registry_options,
    row,
    send,
    tx_data,
    utc,
)
from daftar_registry.times import duration

#: Client attribute → contract name, in deployment order (as daftar_registry.services.admin).
CONTRACTS = {
    "issuers": "IssuerRegistry",
    "credentials": "CredentialRegistry",
    "pilots": "PilotRegistry",
}
_KEY = {name: key for key, name in CONTRACTS.items()}


class ContractChoice(click.ParamType):
    """A registry contract by short or contract name (any case); `all` where allowed.

    Converts to a tuple of client attributes (`("issuers",)`), so commands loop alike.
    """

    name = "CONTRACT"

    def __init__(self, allow_all: bool) -> None:
        self.allow_all = allow_all

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip().lower()
        if self.allow_all and text == "all":
            return tuple(CONTRACTS)
        for key, name in CONTRACTS.items():
            if text in (key, name.lower()):
                return (key,)
        choices = " | ".join(
            [*CONTRACTS, *CONTRACTS.values()] + (["all"] if self.allow_all else [])
        )
        self.fail(f"{value!r} is not a registry contract: give one of {choices}", param, ctx)


ONE = ContractChoice(allow_all=False)
MANY = ContractChoice(allow_all=True)


@click.group()
def admin() -> None:
    """Pause contracts, grant roles, hand over the admin (the agency's commands)."""


# -- reading ------------------------------------------------------------------------------------
def _state_lines(client: Any, state: Any) -> list[str]:
    data = state.to_json()
    pending = "none"
    if state.pending_admin:
        pending = (
            f"{linked(client, 'address', state.pending_admin)}  (may accept after "
            f"{data['pending_admin_accept_after']})"
        )
    delay = state.admin_delay_seconds
    lines = [
        f"{state.contract}  {linked(client, 'address', state.address)}",
        "  " + row("paused", "YES: writes are refused" if state.paused else "no"),
        "  " + row("admin", linked(client, "address", state.default_admin or "none")),
        "  " + row("pending", pending),
        "  " + row("admin delay", f"{delay} s ({duration(delay)})"),
        "  " + row("roles", ", ".join(state.roles)),
    ]
    for account, held in state.holders.items():
        names = [name for name, has in held.items() if has]
        lines.append(f"  {account}: {', '.join(names) if names else 'holds no role'}")
    return lines


@admin.command("roles")
@click.option("--contract", "contracts", type=MANY, default="all", show_default=True,
              help="issuers | credentials | pilots (or the contract name) | all.")  # fmt: skip
@click.option("--check", "check", type=ADDRESS, multiple=True, metavar="ADDRESS",
              help="Say which roles ADDRESS holds (repeatable).")  # fmt: skip
@registry_options(sign=False)
@click.pass_obj
def roles(ctx: Context, contracts: tuple[str, ...], check: tuple[str, ...], where: Where) -> None:
    """Each contract's admin, pending admin transfer, delay, pause state; --check holders."""
    from daftar_registry.services.admin import admin_state

    client = open_client(ctx, where)
    state = admin_state(client, contracts, check)
    lines = [line for c in state.contracts for line in _state_lines(client, c)]
    lines.append(row("network", state.network))
    emit(ctx, state.to_json(), lines)


# -- pause --------------------------------------------------------------------------------------
def _set_paused(ctx: Context, keys: tuple[str, ...], where: Where, paused: bool) -> None:
    client = open_client(ctx, where, sign=True)
    contract = getattr(client, keys[0])
    name, verb = contract.type.name, "paused" if paused else "unpaused"
    receipt = None
    if bool(contract.paused()) == paused:
        progress(ctx, f"{name} is already {verb}; nothing sent")
    else:
        receipt = send(ctx, client, contract.pause if paused else contract.unpause)
    data = {
        "contract": name,
        "address": contract.address,
        "address_link": client.link("address", contract.address),
        "paused": bool(contract.paused()),
        "changed": receipt is not None,
        "network": client.network.name,
        **(tx_data(client, receipt) if receipt else {"tx": None}),
    }
    lines = [row(verb, name + ("" if receipt else " (already; nothing sent)"))]
    if receipt:
        lines.append(row("transaction", linked(client, "tx", receipt.tx_hash)))
    lines += [
        row("registry", linked(client, "address", contract.address)),
        row("network", client.network.name),
    ]
    emit(ctx, data, lines)


@admin.command("pause")
@click.argument("contract", type=ONE)
@registry_options(sign=True)
@click.pass_obj
def pause(ctx: Context, contract: tuple[str, ...], where: Where) -> None:
    """Stop every write to CONTRACT (reads and role administration keep working)."""
    _set_paused(ctx, contract, where, paused=True)


@admin.command("unpause")
@click.argument("contract", type=ONE)
@registry_options(sign=True)
@click.pass_obj
def unpause(ctx: Context, contract: tuple[str, ...], where: Where) -> None:
    """Let CONTRACT accept writes again (PAUSER_ROLE)."""
    _set_paused(ctx, contract, where, paused=False)


# -- roles --------------------------------------------------------------------------------------
def _change_role(
    ctx: Context, text: str, account: str, keys: tuple[str, ...], where: Where, grant: bool
) -> None:
    from daftar_registry.services.admin import defined_role, grantable_role

    name = grantable_role(text)
    client = open_client(ctx, where, sign=True)
    contract = getattr(client, keys[0])
    rid = defined_role(client, keys[0], name)
    receipt = None
    if bool(contract.hasRole(rid, account)) == grant:
        progress(ctx, f"{account} {'already holds' if grant else 'does not hold'} {name} on "
                 f"{contract.type.name}; nothing sent")  # fmt: skip
    else:
        method = contract.grantRole if grant else contract.revokeRole
        receipt = send(ctx, client, method, rid, account)
    holds = bool(contract.hasRole(rid, account))
    data = {
        "contract": contract.type.name,
        "address": contract.address,
        "address_link": client.link("address", contract.address),
        "role": name,
        "account": account,
        "account_link": client.link("address", account),
        "holds": holds,
        "changed": receipt is not None,
        "network": client.network.name,
        **(tx_data(client, receipt) if receipt else {"tx": None}),
    }
    verdict = "holds" if holds else "does not hold"
    lines = [row("role", f"{name} on {contract.type.name}"),
             row("account", f"{linked(client, 'address', account)}  ({verdict} it)")]  # fmt: skip
    lines.append(
        row("transaction", linked(client, "tx", receipt.tx_hash)) if receipt
        else row("transaction", "none (nothing to change)")
    )  # fmt: skip
    lines += [
        row("registry", linked(client, "address", contract.address)),
        row("network", client.network.name),
    ]
    emit(ctx, data, lines)


@admin.command("grant")
@click.argument("role")
@click.argument("address", type=ADDRESS)
@click.option("--contract", "contract", type=ONE, required=True,
              help="issuers | credentials | pilots (or the contract name).")  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def grant(ctx: Context, role: str, address: str, contract: tuple[str, ...], where: Where) -> None:
    """Grant ROLE (REGISTRAR_ROLE, PROGRAMME_OFFICE_ROLE, PAUSER_ROLE) to ADDRESS (admin only)."""
    _change_role(ctx, role, address, contract, where, grant=True)


@admin.command("revoke-role")
@click.argument("role")
@click.argument("address", type=ADDRESS)
@click.option("--contract", "contract", type=ONE, required=True,
              help="issuers | credentials | pilots (or the contract name).")  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def revoke_role(
    ctx: Context, role: str, address: str, contract: tuple[str, ...], where: Where
) -> None:
    """Revoke ROLE from ADDRESS on the contract (admin only)."""
    _change_role(ctx, role, address, contract, where, grant=False)


# -- the admin itself ---------------------------------------------------------------------------
@admin.command("transfer-admin")
@click.argument("new_admin", metavar="NEW_ADMIN", type=ADDRESS)
@click.option("--contract", "contracts", type=MANY, default="all", show_default=True,
              help="issuers | credentials | pilots (or the contract name) | all.")  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def transfer_admin(ctx: Context, new_admin: str, contracts: tuple[str, ...], where: Where) -> None:
    """Start handing the admin role to NEW_ADMIN (it accepts after defaultAdminDelay)."""
    from daftar_registry.services.admin import check_new_admin, check_transfer, pending_admin

    check_new_admin(new_admin)
    client = open_client(ctx, where, sign=True)
    signer = client.require_signer().address
    for note in check_transfer(client, contracts, signer, new_admin):
        progress(ctx, note)
    chosen = [getattr(client, key) for key in contracts]
    done = []
    for contract in chosen:
        receipt = send(ctx, client, contract.beginDefaultAdminTransfer, new_admin)
        _, schedule = pending_admin(contract)
        done.append(
            {"contract": contract.type.name, "address": contract.address,
             "address_link": client.link("address", contract.address),
             "accept_after": utc(schedule), "accept_after_unix": schedule,
             **tx_data(client, receipt)}
        )  # fmt: skip
    data = {"new_admin": new_admin, "admin": signer, "network": client.network.name,
            "contracts": done}  # fmt: skip
    lines = [row("new admin", linked(client, "address", new_admin))]
    for item in done:
        lines += [
            row(_KEY[item["contract"]], f"accept after {item['accept_after']}"),
            "  " + row("transaction", linked(client, "tx", item["tx"])),
        ]
    latest = max(item["accept_after_unix"] for item in done)
    which = "" if len(done) == len(CONTRACTS) else " --contract " + " ".join(contracts)
    lines.append(
        row("next", f"after {utc(latest)}, {new_admin} runs `daftar admin accept-admin "
            f"--network {client.network.name}{which}`")
    )  # fmt: skip
    emit(ctx, data, lines)


@admin.command("accept-admin")
@click.option("--contract", "contracts", type=MANY, default="all", show_default=True,
              help="issuers | credentials | pilots (or the contract name) | all: every contract "
              "with a transfer pending to you.")  # fmt: skip
@registry_options(sign=True)
@click.pass_obj
def accept_admin(ctx: Context, contracts: tuple[str, ...], where: Where) -> None:
    """Become the admin of contracts whose transfer to you has waited out its delay."""
    from daftar_registry.services.admin import accept_choice, contract_admin

    client = open_client(ctx, where, sign=True)
    signer = client.require_signer().address
    chosen, skipped = accept_choice(client, contracts, signer)
    for contract in chosen:  # a dry run first: a too-early accept stops before any is sent
        with plain_refusals():
            contract.acceptDefaultAdminTransfer.call(sender=signer)
    if skipped:
        progress(ctx, f"no transfer to {signer} pending on {', '.join(skipped)}; skipped")
    done = []
    for contract in chosen:
        receipt = send(ctx, client, contract.acceptDefaultAdminTransfer)
        done.append(
            {"contract": contract.type.name, "address": contract.address,
             "address_link": client.link("address", contract.address),
             "default_admin": contract_admin(contract), **tx_data(client, receipt)}
        )  # fmt: skip
    data = {"admin": signer, "network": client.network.name, "contracts": done,
            "skipped": skipped}  # fmt: skip
    lines = [row("admin now", linked(client, "address", signer))]
    for item in done:
        lines += [
            row(_KEY[item["contract"]], "accepted"),
            "  " + row("transaction", linked(client, "tx", item["tx"])),
        ]
    lines += [row("skipped", name + " (no transfer to you pending)") for name in skipped]
    emit(ctx, data, lines)
