"""Fixtures of this project: the token and the vesting contract, deployed once per module.

daftar's pytest plugin gives `project` (this folder's contracts, compiled), `chain` (the
`--network`, revm by default) and `accounts` (the ten funded dev accounts); every test runs
in a snapshot the plugin reverts afterwards, so tests never see each other's changes.

Accounts: 0 owner (mints, grants, revokes) · 1..3 beneficiaries · 4..9 others.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

E18 = 10**18
CAP = 1_000_000_000 * E18
SUPPLY = 100_000_000 * E18  # minted to the owner at the start
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


@pytest.fixture(scope="module")
def actors(accounts):
    return SimpleNamespace(
        owner=accounts[0],
        alice=accounts[1],
        bob=accounts[2],
        carol=accounts[3],
        others=accounts[4:10],
    )


@pytest.fixture(scope="module")
def token(project, chain, actors):
    token = project.VestToken.deploy("Vest Token", "VEST", CAP, actors.owner, sender=actors.owner)
    token.mint(actors.owner, SUPPLY, sender=actors.owner)
    return token


@pytest.fixture(scope="module")
def vesting(project, token, actors):
    vesting = project.TokenVesting.deploy(token, actors.owner, sender=actors.owner)
    token.approve(vesting, 2**256 - 1, sender=actors.owner)
    return vesting
