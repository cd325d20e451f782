"""The registry as a deploy plan: three contracts, then the initial role grants.

Same wiring as `daftar.registry.deploy_registry` (which tests and the demo use on local
chains), expressed as named steps so a live deploy is journaled and resumable. Each grant
is skipped when the holder already has the role, so a rerun never grants twice.
"""

from __future__ import annotations

from typing import Any

from eth_utils import is_address, to_checksum_address

from daftar.deploy.plan import Plan, Ref
from daftar.errors import ConfigError
from daftar.registry.deployment import ADMIN_DELAY, GRANTS, role

ROLE_KEYS = ("registrar", "programme_office", "pauser")


def role_holders(admin: str, settings: dict[str, Any], network: str) -> dict[str, str]:
    """Holders from the network's `roles:` mapping in brownie-config.yaml; default: admin."""
    given = settings.get("roles") or {}
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
        if not is_address(value):
            raise ConfigError(f"daftar.networks.{network}.roles.{key}: '{value}' is no address")
        holders[key] = to_checksum_address(value)
    return holders


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
