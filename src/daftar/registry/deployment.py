"""Deploy the whole registry (three contracts) and grant the initial roles.

One function used by the demo, the tests and (through a journaled plan) the deploy
script, so every environment gets the same wiring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils import keccak

from daftar.chain.base import Account

ADMIN_DELAY = 2 * 24 * 3600  # two-step admin transfer waits two days

#: The initial role grants: (step name, contract, role, holder field of RegistryRoles).
#: Shared with the journaled deploy plan (daftar.deploy.registry), so both wire alike.
GRANTS = (
    ("grant-issuers-registrar", "issuers", "REGISTRAR_ROLE", "registrar"),
    ("grant-issuers-pauser", "issuers", "PAUSER_ROLE", "pauser"),
    ("grant-credentials-pauser", "credentials", "PAUSER_ROLE", "pauser"),
    ("grant-pilots-programme-office", "pilots", "PROGRAMME_OFFICE_ROLE", "programme_office"),
    ("grant-pilots-pauser", "pilots", "PAUSER_ROLE", "pauser"),
)


def role(name: str) -> bytes:
    return keccak(text=name)


@dataclass(frozen=True)
class RegistryRoles:
    """Who holds which role; one account may hold several on a dev chain."""

    admin: Account
    registrar: Account  # programme office: accredits issuers
    programme_office: Account  # programme office: approves pilots
    pauser: Account


@dataclass
class Registry:
    issuers: Any  # IssuerRegistry contract
    credentials: Any  # CredentialRegistry contract
    pilots: Any  # PilotRegistry contract
    roles: RegistryRoles


def deploy_registry(
    project: Any,
    roles: RegistryRoles,
    admin_delay: int = ADMIN_DELAY,
    progress: Callable[[str], None] | None = None,
) -> Registry:
    """Deploy IssuerRegistry, CredentialRegistry and PilotRegistry, then grant roles."""
    say = progress or (lambda _m: None)
    admin = roles.admin
    issuers = project.IssuerRegistry.deploy(admin_delay, admin, sender=admin)
    say(f"IssuerRegistry      {issuers.address}")
    credentials = project.CredentialRegistry.deploy(
        issuers.address, admin_delay, admin, sender=admin
    )
    say(f"CredentialRegistry  {credentials.address}")
    pilots = project.PilotRegistry.deploy(admin_delay, admin, sender=admin)
    say(f"PilotRegistry       {pilots.address}")
    contracts = {"issuers": issuers, "credentials": credentials, "pilots": pilots}
    for _step, target, name, key in GRANTS:
        contract, holder = contracts[target], getattr(roles, key)
        contract.grantRole(role(name), holder, sender=admin)
        say(f"granted {name} on {contract.type.name} to {holder.address}")
    return Registry(issuers, credentials, pilots, roles)
