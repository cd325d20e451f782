"""The registry's deploy plan: three contracts, then the initial role grants.

One plan serves every environment: `deploy_registry` runs it directly on a local chain
(tests, the demo), and `scripts/deploy.py` hands it to `daftar deploy`, whose journaled
executor runs it on live networks. Each grant is skipped when the holder already has the
role, so a rerun never grants twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils import is_address, keccak

from daftar.chain.base import Account, Chain
from daftar.deploy.local import run_local
from daftar.deploy.plan import Plan, Ref
from daftar.errors import ConfigError
from daftar.util.addresses import AddressError, checked_address

ADMIN_DELAY = 2 * 24 * 3600  # two-step admin transfer waits two days

#: Role holder keys of a network's `roles:` mapping in brownie-config.yaml.
ROLE_KEYS = ("registrar", "programme_office", "pauser")

#: The initial role grants: (step name, contract step, role, holder key).
GRANTS = (
    ("grant-issuers-registrar", "issuers", "REGISTRAR_ROLE", "registrar"),
    ("grant-issuers-pauser", "issuers", "PAUSER_ROLE", "pauser"),
    ("grant-credentials-pauser", "credentials", "PAUSER_ROLE", "pauser"),
    ("grant-pilots-programme-office", "pilots", "PROGRAMME_OFFICE_ROLE", "programme_office"),
    ("grant-pilots-pauser", "pilots", "PAUSER_ROLE", "pauser"),
)


def role(name: str) -> bytes:
    """A role id as OpenZeppelin's AccessControl computes it: keccak256 of its name."""
    return keccak(text=name)


def role_holders(admin: str, settings: dict[str, Any], network: str) -> dict[str, str]:
    """Holders from the network's `roles:` mapping in brownie-config.yaml; default: admin."""
    given = dict(settings.get("roles") or {})
    if not isinstance(given, dict):
        raise ConfigError(f"daftar.networks.{network}.roles must map role keys to addresses")
    unknown = set(given) - set(ROLE_KEYS)
    if unknown:
        raise ConfigError(
            f"daftar.networks.{network}.roles: unknown key(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(ROLE_KEYS)}"
        )
    holders = {}
    for key in ROLE_KEYS:
        value = str(given.get(key) or admin)
        if not is_address(str(value).lower()):
            raise ConfigError(f"daftar.networks.{network}.roles.{key}: '{value}' is no address")
        try:  # a mixed-case address with a wrong EIP-55 checksum: a typo, refused
            holders[key] = checked_address(value, f"daftar.networks.{network}.roles.{key}")
        except AddressError as exc:
            raise ConfigError(str(exc)) from None
    return holders


#: Opt-in for a public network whose registrar, programme office and pauser are all the
#: deployer (also `allow_deployer_roles: true` in the network's brownie-config.yaml entry).
ALLOW_DEPLOYER_ENV = "DAFTAR_ALLOW_DEPLOYER_ROLES"
LOCAL_CHAIN_IDS = (1337, 31337)


def check_role_separation(
    admin: str, holders: dict[str, str], settings: dict[str, Any], network: str, chain_id: Any
) -> None:
    """Refuse, on a public network, a plan that gives every role to the deployer.

    A stolen deployer key would otherwise be admin, registrar, programme office and pauser at
    once: it could accredit a rogue issuer in one transaction, with no delay. Local chains
    (chain id 1337 / 31337) are exempt, and so is a public dev account (the stand-in a dry run
    plans with when no deployer is set; it holds no real funds); elsewhere opt in with
    `allow_deployer_roles: true` in the network's config or ${ALLOW_DEPLOYER_ENV}=1.
    """
    if chain_id in LOCAL_CHAIN_IDS or _is_public_dev_account(admin):
        return  # a dev account on a public network only stands in for a dry run's plan
    if any(holders[key].lower() != admin.lower() for key in ROLE_KEYS):
        return
    if settings.get("allow_deployer_roles") is True or os.environ.get(ALLOW_DEPLOYER_ENV) == "1":
        return
    raise ConfigError(
        f"refusing to deploy on {network}: the deployer {admin} would hold every role "
        "(admin, registrar, programme office, pauser), so one stolen key could accredit a rogue "
        f"issuer. Name other holders under daftar.networks.{network}.roles in "
        "brownie-config.yaml (quoted addresses: registrar, programme_office, pauser), or opt in "
        f"with `allow_deployer_roles: true` there or {ALLOW_DEPLOYER_ENV}=1."
    )


def _is_public_dev_account(address: str) -> bool:
    from daftar.keys import dev_accounts

    return address.lower() in {a.address.lower() for a in dev_accounts()}


def registry_plan(
    admin: str, holders: dict[str, str] | None = None, admin_delay: int = ADMIN_DELAY
) -> Plan:
    """IssuerRegistry, CredentialRegistry (wired to it), PilotRegistry, then the grants."""
    holders = holders or dict.fromkeys(ROLE_KEYS, admin)
    plan = Plan()
    refs: dict[str, Ref] = {}
    refs["issuers"] = plan.deploy("issuers", "IssuerRegistry", admin_delay, admin)
    refs["credentials"] = plan.deploy(
        "credentials", "CredentialRegistry", refs["issuers"], admin_delay, admin
    )
    refs["pilots"] = plan.deploy("pilots", "PilotRegistry", admin_delay, admin)
    for step, target, role_name, key in GRANTS:
        role_id, holder = role(role_name), holders[key]
        plan.call(
            step,
            refs[target],
            "grantRole",
            role_id,
            holder,
            skip_if=lambda c, r=role_id, h=holder: bool(c.hasRole(r, h)),
        )
    return plan


@dataclass(frozen=True)
class RegistryRoles:
    """Who holds which role; one account may hold several on a dev chain."""

    admin: Account
    registrar: Account  # programme office: accredits issuers
    programme_office: Account  # programme office: approves pilots
    pauser: Account

    def holders(self) -> dict[str, str]:
        return {key: getattr(self, key).address for key in ROLE_KEYS}


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
    chain: Chain | None = None,
) -> Registry:
    """Run `registry_plan` on a local chain (the project's, by default) as `roles.admin`."""
    chain = chain or project.chain
    plan = registry_plan(roles.admin.address, roles.holders(), admin_delay)
    results = run_local(project, plan, chain, roles.admin, progress or (lambda _m: None))
    at = {r.name: r.address for r in results if r.address}
    return Registry(
        project.IssuerRegistry.at(at["issuers"], chain),
        project.CredentialRegistry.at(at["credentials"], chain),
        project.PilotRegistry.at(at["pilots"], chain),
        roles,
    )
