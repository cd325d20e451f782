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
"""

from __future__ import annotations

from typing import Any

import click

from daftar.cli.context import Context
from daftar_registry.cli.common import (
    ADDRESS,
    InputError,
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

#: Client attribute → contract name, in deployment order.
CONTRACTS = {
    "issuers": "IssuerRegistry",
    "credentials": "CredentialRegistry",
    "pilots": "PilotRegistry",
}
_KEY = {name: key for key, name in CONTRACTS.items()}
ADMIN_ROLE = "DEFAULT_ADMIN_ROLE"
_ZERO = "0x" + "0" * 40


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
def role_names(contract: Any) -> list[str]:
    """The roles this contract defines (its `*_ROLE` constants), the admin role first."""
    names = {
        item["name"]
        for item in contract.type.abi
        if item.get("type") == "function"
        and item["name"].endswith("_ROLE")
        and not item.get("inputs")
    }
    return [ADMIN_ROLE, *sorted(names - {ADMIN_ROLE})]


def role_id(name: str) -> bytes:
    from daftar_registry.plan import role

    return bytes(32) if name == ADMIN_ROLE else role(name)


def _address(value: Any) -> str | None:
    return None if not value or str(value).lower() == _ZERO else str(value)


def _pending(contract: Any) -> tuple[str | None, int]:
    """The pending admin (None if no transfer) and the time after which it may accept."""
    pending = contract.pendingDefaultAdmin()
    return _address(pending.newAdmin), int(pending.schedule)


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min"), (secs, "s"))
             if n]  # fmt: skip
    return " ".join(parts) or "0 s"


def _state(client: Any, key: str, check: tuple[str, ...]) -> dict[str, Any]:
    contract = getattr(client, key)
    admin_now = _address(contract.defaultAdmin())
    pending, schedule = _pending(contract)
    roles = role_names(contract)
    return {
        "contract": contract.type.name,
        "address": contract.address,
        "address_link": client.link("address", contract.address),
        "paused": bool(contract.paused()),
        "default_admin": admin_now,
        "default_admin_link": client.link("address", admin_now) if admin_now else None,
        "pending_admin": pending,
        "pending_admin_accept_after": utc(schedule) if pending else None,
        "pending_admin_accept_after_unix": schedule if pending else 0,
        "admin_delay_seconds": int(contract.defaultAdminDelay()),
        "roles": roles,
        "holders": {
            account: {name: bool(contract.hasRole(role_id(name), account)) for name in roles}
            for account in check
        },
    }


def _state_lines(client: Any, state: dict[str, Any]) -> list[str]:
    pending = "none"
    if state["pending_admin"]:
        pending = (
            f"{linked(client, 'address', state['pending_admin'])}  (may accept after "
            f"{state['pending_admin_accept_after']})"
        )
    delay = state["admin_delay_seconds"]
    lines = [
        f"{state['contract']}  {linked(client, 'address', state['address'])}",
        "  " + row("paused", "YES: writes are refused" if state["paused"] else "no"),
        "  " + row("admin", linked(client, "address", state["default_admin"] or "none")),
        "  " + row("pending", pending),
        "  " + row("admin delay", f"{delay} s ({_duration(delay)})"),
        "  " + row("roles", ", ".join(state["roles"])),
    ]
    for account, held in state["holders"].items():
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
    client = open_client(ctx, where)
    states = [_state(client, key, tuple(dict.fromkeys(check))) for key in contracts]
    lines = [line for state in states for line in _state_lines(client, state)]
    lines.append(row("network", client.network.name))
    emit(ctx, {"network": client.network.name, "contracts": states}, lines)


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
def _role_name(text: str) -> str:
    """`registrar`, `Registrar-Role` and `REGISTRAR_ROLE` all name REGISTRAR_ROLE."""
    name = text.strip().upper().replace("-", "_")
    return name if name.endswith("_ROLE") else name + "_ROLE"


def _change_role(
    ctx: Context, text: str, account: str, keys: tuple[str, ...], where: Where, grant: bool
) -> None:
    from daftar_registry.refusals import ADMIN_TRANSFER_HINT

    name = _role_name(text)
    if name == ADMIN_ROLE:
        raise InputError(f"{ADMIN_ROLE} cannot be granted or revoked; {ADMIN_TRANSFER_HINT}")
    client = open_client(ctx, where, sign=True)
    contract = getattr(client, keys[0])
    defined = role_names(contract)
    if name not in defined:
        elsewhere = [CONTRACTS[k] for k in CONTRACTS if name in role_names(getattr(client, k))]
        hint = f" ({name} is on {', '.join(elsewhere)})" if elsewhere else ""
        raise InputError(
            f"{contract.type.name} has no {name}{hint}; its roles are "
            f"{', '.join(r for r in defined if r != ADMIN_ROLE)}"
        )
    rid = role_id(name)
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
    if new_admin.lower() == _ZERO:
        raise InputError("the zero address can never accept; give the new admin's address")
    client = open_client(ctx, where, sign=True)
    signer = client.require_signer().address
    chosen = [getattr(client, key) for key in contracts]
    for contract in chosen:
        current = _address(contract.defaultAdmin())
        if current != signer:
            raise InputError(
                f"{signer} is not the admin of {contract.type.name} (the admin is {current}); "
                "only the admin can start a transfer. Nothing was sent."
            )
        pending, _ = _pending(contract)
        if pending and pending != new_admin:
            progress(ctx, f"{contract.type.name}: this replaces the pending transfer to {pending}")
    done = []
    for contract in chosen:
        receipt = send(ctx, client, contract.beginDefaultAdminTransfer, new_admin)
        _, schedule = _pending(contract)
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
    client = open_client(ctx, where, sign=True)
    signer = client.require_signer().address
    every = len(contracts) == len(CONTRACTS)
    chosen, skipped = [], []
    for key in contracts:
        contract = getattr(client, key)
        pending, _ = _pending(contract)
        if pending == signer:
            chosen.append(contract)
        elif every:
            skipped.append(contract.type.name)
        else:
            raise InputError(
                f"no admin transfer to {signer} is pending on {contract.type.name} (pending: "
                f"{pending or 'none'}); the current admin starts one with `daftar admin "
                "transfer-admin`"
            )
    if not chosen:
        raise InputError(
            f"no admin transfer to {signer} is pending on any registry contract on "
            f"{client.network.name}; the current admin starts one with `daftar admin "
            "transfer-admin`"
        )
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
             "default_admin": _address(contract.defaultAdmin()), **tx_data(client, receipt)}
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
