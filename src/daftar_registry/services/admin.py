"""The agency's levers as state: each contract's admin, pending handover, delay, pause, roles.

Every registry contract pauses on its own and keeps its own roles (OpenZeppelin 5
AccessControlDefaultAdminRules). DEFAULT_ADMIN_ROLE is never granted or revoked: it moves
by the two-step transfer (`beginDefaultAdminTransfer` by the admin, then
`acceptDefaultAdminTransfer` by the new admin once `defaultAdminDelay()` has passed).
Role holders cannot be listed cheaply (that means scanning logs), so the state answers
`hasRole` for the accounts asked about.

The checks here run before anything is sent, on every contract chosen, so acting on all
three never stops half-way for a reason known in advance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from daftar_registry.errors import InputError
from daftar_registry.plan import role
from daftar_registry.refusals import ADMIN_TRANSFER_HINT
from daftar_registry.times import utc

__all__ = [
    "ADMIN_ROLE",
    "CONTRACTS",
    "AdminState",
    "ContractState",
    "accept_choice",
    "admin_state",
    "check_new_admin",
    "check_transfer",
    "contract_admin",
    "contract_state",
    "defined_role",
    "grantable_role",
    "pending_admin",
    "role_id",
    "role_names",
]

#: Client attribute → contract name, in deployment order.
CONTRACTS = {
    "issuers": "IssuerRegistry",
    "credentials": "CredentialRegistry",
    "pilots": "PilotRegistry",
}
ADMIN_ROLE = "DEFAULT_ADMIN_ROLE"
_ZERO = "0x" + "0" * 40
_TRANSFER_HINT = "the current admin starts one with `daftar admin transfer-admin`"


def _address(value: Any) -> str | None:
    return None if not value or str(value).lower() == _ZERO else str(value)


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
    """The bytes32 id of a role (DEFAULT_ADMIN_ROLE is zero, the others keccak256(name))."""
    return bytes(32) if name == ADMIN_ROLE else role(name)


def contract_admin(contract: Any) -> str | None:
    """The contract's current default admin (None once renounced)."""
    return _address(contract.defaultAdmin())


def pending_admin(contract: Any) -> tuple[str | None, int]:
    """The pending admin (None if no transfer) and the time after which it may accept."""
    pending = contract.pendingDefaultAdmin()
    return _address(pending.newAdmin), int(pending.schedule)


@dataclass(frozen=True)
class ContractState:
    """One contract's pause state, admin, pending handover, delay, roles and holders asked."""

    contract: str
    address: str
    address_link: str | None
    paused: bool
    default_admin: str | None
    default_admin_link: str | None
    pending_admin: str | None  # None: no transfer pending
    pending_admin_accept_after: int  # unix seconds; 0 when none is pending
    admin_delay_seconds: int
    roles: tuple[str, ...]
    holders: Mapping[str, Mapping[str, bool]]  # account → role name → holds it

    def to_json(self) -> dict[str, Any]:
        pending = self.pending_admin is not None
        return {
            "contract": self.contract,
            "address": self.address,
            "address_link": self.address_link,
            "paused": self.paused,
            "default_admin": self.default_admin,
            "default_admin_link": self.default_admin_link,
            "pending_admin": self.pending_admin,
            "pending_admin_accept_after": utc(self.pending_admin_accept_after) if pending else None,
            "pending_admin_accept_after_unix": self.pending_admin_accept_after if pending else 0,
            "admin_delay_seconds": self.admin_delay_seconds,
            "roles": list(self.roles),
            "holders": {a: dict(held) for a, held in self.holders.items()},
        }


@dataclass(frozen=True)
class AdminState:
    network: str
    contracts: tuple[ContractState, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON object `daftar admin roles --json` prints."""
        return {"network": self.network, "contracts": [c.to_json() for c in self.contracts]}


def contract_state(client: Any, key: str, check: Iterable[str] = ()) -> ContractState:
    """The state of one contract (`issuers`, `credentials` or `pilots`)."""
    contract = getattr(client, key)
    admin_now = contract_admin(contract)
    pending, schedule = pending_admin(contract)
    roles = role_names(contract)
    return ContractState(
        contract=contract.type.name,
        address=contract.address,
        address_link=client.link("address", contract.address),
        paused=bool(contract.paused()),
        default_admin=admin_now,
        default_admin_link=client.link("address", admin_now) if admin_now else None,
        pending_admin=pending,
        pending_admin_accept_after=schedule if pending else 0,
        admin_delay_seconds=int(contract.defaultAdminDelay()),
        roles=tuple(roles),
        holders={
            account: {name: bool(contract.hasRole(role_id(name), account)) for name in roles}
            for account in check
        },
    )


def admin_state(
    client: Any, contracts: Iterable[str] = tuple(CONTRACTS), check: Iterable[str] = ()
) -> AdminState:
    """The state of the chosen contracts (default: all three); `check`: accounts to ask about."""
    accounts = tuple(dict.fromkeys(check))
    return AdminState(
        network=client.network.name,
        contracts=tuple(contract_state(client, key, accounts) for key in contracts),
    )


# -- checks before sending ----------------------------------------------------------------------
def grantable_role(text: str) -> str:
    """`registrar`, `Registrar-Role`, `REGISTRAR_ROLE` → REGISTRAR_ROLE; never the admin role."""
    name = text.strip().upper().replace("-", "_")
    name = name if name.endswith("_ROLE") else name + "_ROLE"
    if name == ADMIN_ROLE:
        raise InputError(f"{ADMIN_ROLE} cannot be granted or revoked; {ADMIN_TRANSFER_HINT}")
    return name


def defined_role(client: Any, key: str, name: str) -> bytes:
    """The id of role `name` on the contract; InputError (saying where it is) if undefined."""
    contract = getattr(client, key)
    defined = role_names(contract)
    if name not in defined:
        elsewhere = [CONTRACTS[k] for k in CONTRACTS if name in role_names(getattr(client, k))]
        hint = f" ({name} is on {', '.join(elsewhere)})" if elsewhere else ""
        raise InputError(
            f"{contract.type.name} has no {name}{hint}; its roles are "
            f"{', '.join(r for r in defined if r != ADMIN_ROLE)}"
        )
    return role_id(name)


def check_new_admin(address: str) -> None:
    if address.lower() == _ZERO:
        raise InputError("the zero address can never accept; give the new admin's address")


def check_transfer(client: Any, keys: Iterable[str], signer: str, new_admin: str) -> list[str]:
    """InputError unless `signer` is the admin of every chosen contract.

    Returns a note for each pending transfer to someone else that the new one replaces.
    """
    check_new_admin(new_admin)
    notes = []
    for key in keys:
        contract = getattr(client, key)
        current = contract_admin(contract)
        if current != signer:
            raise InputError(
                f"{signer} is not the admin of {contract.type.name} (the admin is {current}); "
                "only the admin can start a transfer. Nothing was sent."
            )
        pending, _ = pending_admin(contract)
        if pending and pending != new_admin:
            notes.append(f"{contract.type.name}: this replaces the pending transfer to {pending}")
    return notes


def accept_choice(client: Any, keys: Iterable[str], signer: str) -> tuple[list[Any], list[str]]:
    """The chosen contracts with a transfer pending to `signer`, and the names skipped.

    With all three chosen, a contract without one is skipped; named alone, it is an error.
    InputError as well when none has a transfer pending to `signer`.
    """
    keys = tuple(keys)
    every = len(keys) == len(CONTRACTS)
    chosen, skipped = [], []
    for key in keys:
        contract = getattr(client, key)
        pending, _ = pending_admin(contract)
        if pending == signer:
            chosen.append(contract)
        elif every:
            skipped.append(contract.type.name)
        else:
            raise InputError(
                f"no admin transfer to {signer} is pending on {contract.type.name} (pending: "
                f"{pending or 'none'}); {_TRANSFER_HINT}"
            )
    if not chosen:
        raise InputError(
            f"no admin transfer to {signer} is pending on any registry contract on "
            f"{client.network.name}; {_TRANSFER_HINT}"
        )
    return chosen, skipped
