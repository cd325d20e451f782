"""VestToken: deployment, transfers, allowances, owner-only capped minting."""

from __future__ import annotations

from conftest import CAP, E18, SUPPLY, ZERO_ADDRESS
from daftar.testing import reverts


def test_deploy(token, actors):
    assert (token.name(), token.symbol(), token.decimals()) == ("Vest Token", "VEST", 18)
    assert token.cap() == CAP
    assert token.owner() == actors.owner.address
    assert token.totalSupply() == SUPPLY
    assert token.balanceOf(actors.owner) == SUPPLY
    assert token.balanceOf(actors.alice) == 0


def test_deploy_refuses_a_zero_cap(project, actors):
    with reverts("ERC20InvalidCap", cap=0):
        project.VestToken.deploy("Vest Token", "VEST", 0, actors.owner, sender=actors.owner)


def test_transfer(token, actors):
    rc = token.transfer(actors.alice, 250 * E18, sender=actors.owner)
    ev = rc.event("Transfer")
    assert (ev["from"], ev.to, ev.value) == (actors.owner.address, actors.alice.address, 250 * E18)
    assert token.balanceOf(actors.alice) == 250 * E18
    assert token.balanceOf(actors.owner) == SUPPLY - 250 * E18
    assert token.totalSupply() == SUPPLY


def test_transfer_more_than_the_balance_reverts(token, actors):
    token.transfer(actors.alice, 10, sender=actors.owner)
    with reverts("ERC20InsufficientBalance", sender=actors.alice, balance=10, needed=11):
        token.transfer(actors.bob, 11, sender=actors.alice)
    assert token.balanceOf(actors.alice) == 10
    with reverts("ERC20InvalidReceiver", receiver=ZERO_ADDRESS):
        token.transfer(ZERO_ADDRESS, 1, sender=actors.alice)


def test_approve_and_transfer_from(token, actors):
    owner, alice, bob = actors.owner, actors.alice, actors.bob
    ev = token.approve(alice, 100, sender=owner).event("Approval")
    assert (ev.owner, ev.spender, ev.value) == (owner.address, alice.address, 100)
    token.transferFrom(owner, bob, 60, sender=alice)
    assert token.balanceOf(bob) == 60
    assert token.allowance(owner, alice) == 40
    with reverts("ERC20InsufficientAllowance", spender=alice, allowance=40, needed=41):
        token.transferFrom(owner, bob, 41, sender=alice)


def test_only_the_owner_mints(token, actors):
    with reverts("OwnableUnauthorizedAccount", account=actors.alice):
        token.mint(actors.alice, 1, sender=actors.alice)
    ev = token.mint(actors.alice, 5 * E18, sender=actors.owner).event("Transfer")
    assert (ev["from"], ev.to, ev.value) == (ZERO_ADDRESS, actors.alice.address, 5 * E18)
    assert token.totalSupply() == SUPPLY + 5 * E18


def test_mint_stops_at_the_cap(token, actors):
    room = CAP - SUPPLY
    with reverts("ERC20ExceededCap", increasedSupply=CAP + 1, cap=CAP):
        token.mint(actors.bob, room + 1, sender=actors.owner)
    token.mint(actors.bob, room, sender=actors.owner)
    assert token.totalSupply() == CAP
    with reverts("ERC20ExceededCap", increasedSupply=CAP + 1, cap=CAP):
        token.mint(actors.bob, 1, sender=actors.owner)
