"""TokenVesting: grants, the cliff and linear schedule over chain time, release, revoke, refusals.

Time travel: `chain.mine(timestamp=t)` mines a block at `t`; the next transaction's block
is at `t` or a little later (backends differ), so amounts released by a transaction are
checked against the schedule over a few seconds' window, and exact values through the
`vestedAmount(beneficiary, timestamp)` view.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import E18, SUPPLY, ZERO_ADDRESS
from daftar.testing import reverts

AMOUNT = 4000 * E18
CLIFF = 1000
DURATION = 4000  # so AMOUNT vests at 1e18 per second
SLACK = 30  # seconds a transaction's block may lie past the block mined before it


def vested(amount: int, start: int, cliff: int, duration: int, t: int) -> int:
    """The schedule, written independently of the contract."""
    if t < start + cliff:
        return 0
    if t >= start + duration:
        return amount
    return amount * (t - start) // duration


@pytest.fixture
def grant(chain, vesting, actors):
    """A revocable grant for alice starting 100 s from now; returns its start time."""
    start = chain.time() + 100
    vesting.createSchedule(actors.alice, AMOUNT, start, CLIFF, DURATION, True, sender=actors.owner)
    return start


def test_deploy(vesting, token, actors):
    assert vesting.token() == token.address
    assert vesting.owner() == actors.owner.address
    assert vesting.totalOwed() == 0


def test_deploy_refuses_a_zero_token(project, actors):
    with reverts("ZeroAddress"):
        project.TokenVesting.deploy(ZERO_ADDRESS, actors.owner, sender=actors.owner)


def test_create_schedule_pays_the_grant_in(chain, vesting, token, actors):
    before = token.balanceOf(actors.owner)
    start = chain.time() + 100
    rc = vesting.createSchedule(
        actors.alice, AMOUNT, start, CLIFF, DURATION, True, sender=actors.owner
    )
    ev = rc.event("ScheduleCreated")
    assert (ev.beneficiary, ev.amount, ev.start, ev.cliff, ev.duration, ev.revocable) == (
        actors.alice.address, AMOUNT, start, CLIFF, DURATION, True,
    )  # fmt: skip
    s = vesting.schedule(actors.alice)
    assert tuple(s) == (AMOUNT, 0, start, CLIFF, DURATION, True, False)
    assert vesting.totalOwed() == AMOUNT
    assert token.balanceOf(vesting) == AMOUNT
    assert token.balanceOf(actors.owner) == before - AMOUNT


def test_the_schedule_is_zero_before_the_cliff_then_linear(vesting, actors, grant):
    at = lambda t: vesting.vestedAmount(actors.alice, t)  # noqa: E731
    assert at(0) == at(grant) == at(grant + CLIFF - 1) == 0
    assert at(grant + CLIFF) == 1000 * E18  # the cliff releases what accrued since start
    assert at(grant + 2500) == 2500 * E18
    assert at(grant + DURATION - 1) == AMOUNT - E18
    assert at(grant + DURATION) == at(2**64 - 1) == AMOUNT
    for t in (grant + CLIFF + 1, grant + 3333, grant + 3999):
        assert at(t) == vested(AMOUNT, grant, CLIFF, DURATION, t)
    assert vesting.vestedAmount(actors.bob, grant + DURATION) == 0  # no schedule


def test_nothing_is_released_before_the_cliff(chain, vesting, actors, grant):
    chain.mine(timestamp=grant + CLIFF - SLACK - 10)
    assert vesting.releasable(actors.alice) == 0
    with reverts("NothingToRelease", beneficiary=actors.alice):
        vesting.release(actors.alice, sender=actors.alice)


def test_release_after_the_cliff_pays_what_has_vested(chain, vesting, token, actors, grant):
    chain.mine(timestamp=grant + 2000)
    assert vesting.releasable(actors.alice) == 2000 * E18
    rc = vesting.release(actors.alice, sender=actors.alice)
    ev = rc.event("Released")
    assert (ev.beneficiary, ev.caller) == (actors.alice.address, actors.alice.address)
    assert 2000 * E18 <= ev.amount <= (2000 + SLACK) * E18
    assert token.balanceOf(actors.alice) == ev.amount
    assert vesting.schedule(actors.alice).released == ev.amount
    assert vesting.totalOwed() == AMOUNT - ev.amount
    assert token.balanceOf(vesting) == AMOUNT - ev.amount


def test_release_pays_in_steps_until_everything_has_vested(chain, vesting, token, actors, grant):
    paid = 0
    for t in (grant + 1500, grant + 3000, grant + DURATION + 1):
        chain.mine(timestamp=t)
        paid += vesting.release(actors.alice, sender=actors.alice).event("Released").amount
        assert paid == vesting.schedule(actors.alice).released
        assert paid >= vested(AMOUNT, grant, CLIFF, DURATION, t)
    assert paid == AMOUNT == token.balanceOf(actors.alice)
    assert vesting.totalOwed() == 0 == token.balanceOf(vesting)
    with reverts("NothingToRelease", beneficiary=actors.alice):
        vesting.release(actors.alice, sender=actors.alice)


def test_anyone_may_release_but_the_beneficiary_is_paid(chain, vesting, token, actors, grant):
    stranger = actors.others[0]
    chain.mine(timestamp=grant + DURATION)
    ev = vesting.release(actors.alice, sender=stranger).event("Released")
    assert (ev.beneficiary, ev.caller, ev.amount) == (
        actors.alice.address, stranger.address, AMOUNT,
    )  # fmt: skip
    assert token.balanceOf(actors.alice) == AMOUNT
    assert token.balanceOf(stranger) == 0


def test_revoke_refunds_the_unvested_part(chain, vesting, token, actors, grant):
    owner_before = token.balanceOf(actors.owner)
    chain.mine(timestamp=grant + 1000)
    ev = vesting.revoke(actors.alice, sender=actors.owner).event("Revoked")
    assert ev.beneficiary == actors.alice.address
    assert ev.vested + ev.refund == AMOUNT
    assert 1000 * E18 <= ev.vested <= (1000 + SLACK) * E18
    assert token.balanceOf(actors.owner) == owner_before + ev.refund
    s = vesting.schedule(actors.alice)
    assert (s.total, s.released, s.revoked) == (ev.vested, 0, True)
    # vesting stopped: later times add nothing, and what had vested is all releasable
    assert vesting.vestedAmount(actors.alice, grant + DURATION) == ev.vested
    chain.mine(timestamp=grant + DURATION + 100)
    assert vesting.release(actors.alice, sender=actors.alice).event("Released").amount == ev.vested
    assert vesting.totalOwed() == 0 == token.balanceOf(vesting)


def test_revoke_refusals(chain, vesting, actors, grant):
    with reverts("OwnableUnauthorizedAccount", account=actors.alice):
        vesting.revoke(actors.alice, sender=actors.alice)
    with reverts("UnknownSchedule", beneficiary=actors.bob):
        vesting.revoke(actors.bob, sender=actors.owner)
    start = chain.time()
    vesting.createSchedule(actors.bob, E18, start, 0, 10, False, sender=actors.owner)
    with reverts("NotRevocable", beneficiary=actors.bob):
        vesting.revoke(actors.bob, sender=actors.owner)
    vesting.revoke(actors.alice, sender=actors.owner)
    with reverts("AlreadyRevoked", beneficiary=actors.alice):
        vesting.revoke(actors.alice, sender=actors.owner)


def test_create_schedule_refusals(chain, vesting, token, actors, grant):
    owner, bob = actors.owner, actors.bob
    t = chain.time()
    with reverts("OwnableUnauthorizedAccount", account=bob):
        vesting.createSchedule(bob, E18, t, 0, 10, True, sender=bob)
    with reverts("ZeroAddress"):
        vesting.createSchedule(ZERO_ADDRESS, E18, t, 0, 10, True, sender=owner)
    with reverts("ZeroAmount"):
        vesting.createSchedule(bob, 0, t, 0, 10, True, sender=owner)
    with reverts("ZeroDuration"):
        vesting.createSchedule(bob, E18, t, 0, 0, True, sender=owner)
    with reverts("CliffExceedsDuration", cliff=11, duration=10):
        vesting.createSchedule(bob, E18, t, 11, 10, True, sender=owner)
    with reverts("ScheduleExists", beneficiary=actors.alice):
        vesting.createSchedule(actors.alice, E18, t, 0, 10, True, sender=owner)
    token.approve(vesting, 5, sender=owner)
    with reverts("ERC20InsufficientAllowance", spender=vesting.address, allowance=5, needed=6):
        vesting.createSchedule(bob, 6, t, 0, 10, True, sender=owner)
    assert vesting.schedule(bob).duration == 0  # nothing was stored
    assert vesting.totalOwed() == AMOUNT


def test_release_of_an_unknown_schedule(vesting, actors):
    with reverts("UnknownSchedule", beneficiary=actors.bob):
        vesting.release(actors.bob, sender=actors.bob)
    assert vesting.releasable(actors.bob) == 0


@given(
    amount=st.integers(1, SUPPLY),
    start=st.integers(0, 2**40),
    duration=st.integers(1, 10 * 365 * 86400),
    cliff_share=st.floats(0, 1),
    probes=st.lists(st.integers(-(2**20), 2**20), min_size=1, max_size=5),
)
def test_vested_amount_matches_the_schedule(vesting, actors, amount, start, duration,
                                            cliff_share, probes):  # fmt: skip
    """For any grant and any time, `vestedAmount` is the formula: zero before the cliff,
    the whole grant from the end, else amount·(t − start)/duration rounded down. Each
    example runs in its own snapshot (the plugin), so alice's schedule is always new."""
    cliff = int(duration * cliff_share)
    vesting.createSchedule(actors.alice, amount, start, cliff, duration, False, sender=actors.owner)
    for offset in [*probes, cliff, duration]:
        t = min(max(start + offset, 0), 2**64 - 1)
        assert vesting.vestedAmount(actors.alice, t) == vested(amount, start, cliff, duration, t)
