"""Registry fixtures: the three contracts deployed and wired, with named actors.

Accounts (dev accounts, same on every backend):
  0 admin · 1 programme office (registrar + programme office) · 2 pauser
  3 issuer (accredited) · 4 second issuer (not accredited) · 5 sponsor (registered)
  6 relayer · 7..9 outsiders
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from daftar_registry import RegistryRoles, deploy_registry


@pytest.fixture(scope="module")
def actors(accounts):
    return SimpleNamespace(
        admin=accounts[0],
        office=accounts[1],
        pauser=accounts[2],
        issuer=accounts[3],
        issuer2=accounts[4],
        sponsor=accounts[5],
        relayer=accounts[6],
        outsiders=accounts[7:10],
    )


@pytest.fixture(scope="module")
def registry(project, chain, actors):
    """Deployed once per module; each test's changes are reverted by the plugin."""
    roles = RegistryRoles(
        admin=actors.admin,
        registrar=actors.office,
        programme_office=actors.office,
        pauser=actors.pauser,
    )
    reg = deploy_registry(project, roles)
    reg.issuers.accredit(
        actors.issuer, "Universiti Teknologi", "ipfs://issuer-meta", 0, 0, sender=actors.office
    )
    reg.pilots.registerSponsor(actors.sponsor, "GLC Berhad", sender=actors.office)
    return reg


@pytest.fixture
def issuers(registry):
    return registry.issuers


@pytest.fixture
def credentials(registry):
    return registry.credentials


@pytest.fixture
def pilots(registry):
    return registry.pilots
