"""admin_state() and the checks run before an admin command sends anything.

Roles as the fixture deployed them: admin (accounts 0) is every contract's default admin;
the office holds REGISTRAR_ROLE on IssuerRegistry and PROGRAMME_OFFICE_ROLE on
PilotRegistry; the pauser holds PAUSER_ROLE on all three.
"""

from __future__ import annotations

import pytest

from daftar_registry.errors import InputError
from daftar_registry.plan import ADMIN_DELAY
from daftar_registry.services.admin import (
    accept_choice,
    admin_state,
    check_transfer,
    contract_state,
    defined_role,
    grantable_role,
)

EXPECTED_ROLES = {
    "IssuerRegistry": ("DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "REGISTRAR_ROLE"),
    "CredentialRegistry": ("DEFAULT_ADMIN_ROLE", "PAUSER_ROLE"),
    "PilotRegistry": ("DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "PROGRAMME_OFFICE_ROLE"),
}


def test_roles_admin_and_pause_state(registry, client, chain, actors):
    office, pauser, stranger = actors.office.address, actors.pauser.address, actors.relayer.address
    state = admin_state(client, check=[office, pauser, stranger, office])
    assert state.network == chain.name
    assert [c.contract for c in state.contracts] == list(EXPECTED_ROLES)
    assert [c.address for c in state.contracts] == [
        registry.issuers.address,
        registry.credentials.address,
        registry.pilots.address,
    ]
    for c in state.contracts:
        assert c.roles == EXPECTED_ROLES[c.contract]
        assert c.paused is False and c.default_admin == actors.admin.address
        assert c.pending_admin is None and c.pending_admin_accept_after == 0
        assert c.admin_delay_seconds == ADMIN_DELAY
        assert list(c.holders) == [office, pauser, stranger]  # each account once
        assert c.holders[pauser]["PAUSER_ROLE"] is True
        assert not any(c.holders[stranger].values())
        assert c.holders[office]["PAUSER_ROLE"] is False
    issuers, _credentials, pilots = state.contracts
    assert issuers.holders[office]["REGISTRAR_ROLE"] is True
    assert pilots.holders[office]["PROGRAMME_OFFICE_ROLE"] is True
    assert pilots.holders[pauser]["PROGRAMME_OFFICE_ROLE"] is False
    data = state.to_json()
    assert data["contracts"][1]["roles"] == list(EXPECTED_ROLES["CredentialRegistry"])
    assert data["contracts"][0]["pending_admin_accept_after"] is None


def test_pause_shows_on_that_contract_only(registry, client, actors):
    registry.credentials.pause(sender=actors.pauser)
    paused = {c.contract: c.paused for c in admin_state(client).contracts}
    assert paused == {"IssuerRegistry": False, "CredentialRegistry": True, "PilotRegistry": False}
    assert admin_state(client, ["credentials"]).contracts[0].paused is True


def test_pending_admin_transfer(registry, client, chain, actors):
    new_admin = actors.outsiders[0].address
    before = chain.time()
    registry.pilots.beginDefaultAdminTransfer(new_admin, sender=actors.admin)
    state = contract_state(client, "pilots")
    assert state.pending_admin == new_admin
    assert before + ADMIN_DELAY <= state.pending_admin_accept_after <= chain.time() + ADMIN_DELAY
    assert state.to_json()["pending_admin_accept_after"].endswith("Z")
    assert contract_state(client, "issuers").pending_admin is None
    # Accepting: only the pilots contract has a transfer pending to the new admin.
    chosen, skipped = accept_choice(client, ["issuers", "credentials", "pilots"], new_admin)
    assert [c.address for c in chosen] == [registry.pilots.address]
    assert skipped == ["IssuerRegistry", "CredentialRegistry"]
    with pytest.raises(InputError, match="no admin transfer to .* is pending on IssuerRegistry"):
        accept_choice(client, ["issuers"], new_admin)
    with pytest.raises(InputError, match="on any registry contract"):
        accept_choice(client, ["issuers", "credentials", "pilots"], actors.office.address)
    # A new transfer to someone else replaces it, and says so.
    other = actors.outsiders[1].address
    notes = check_transfer(client, ["pilots", "issuers"], actors.admin.address, other)
    assert notes == [f"PilotRegistry: this replaces the pending transfer to {new_admin}"]


def test_only_the_admin_may_start_a_transfer(client, actors):
    with pytest.raises(InputError, match="is not the admin of IssuerRegistry"):
        check_transfer(client, ["issuers"], actors.office.address, actors.office.address)
    with pytest.raises(InputError, match="zero address"):
        check_transfer(client, ["issuers"], actors.admin.address, "0x" + "0" * 40)


def test_role_names_and_where_they_live(client):
    assert grantable_role("registrar") == "REGISTRAR_ROLE"
    assert grantable_role("Programme-Office") == "PROGRAMME_OFFICE_ROLE"
    assert grantable_role(" PAUSER_ROLE ") == "PAUSER_ROLE"
    with pytest.raises(InputError, match="two-step"):
        grantable_role("default_admin")
    assert defined_role(client, "issuers", "REGISTRAR_ROLE") != defined_role(
        client, "issuers", "PAUSER_ROLE"
    )
    with pytest.raises(InputError, match=r"\(REGISTRAR_ROLE is on IssuerRegistry\)"):
        defined_role(client, "credentials", "REGISTRAR_ROLE")
    with pytest.raises(InputError, match="its roles are PAUSER_ROLE, PROGRAMME_OFFICE_ROLE"):
        defined_role(client, "pilots", "MINTER_ROLE")


def test_role_ids_are_what_the_contract_checks(registry, client, actors):
    """The id defined_role gives is the one hasRole answers to for the fixture's grants."""
    rid = defined_role(client, "issuers", "REGISTRAR_ROLE")
    assert registry.issuers.hasRole(rid, actors.office) is True
    assert registry.issuers.hasRole(rid, actors.pauser) is False
