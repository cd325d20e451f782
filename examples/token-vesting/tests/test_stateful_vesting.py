"""Stateful test of TokenVesting and VestToken together, against a small Python model.

The machine creates grants (good and bad: zero beneficiary, zero amount, zero duration, a
cliff past the end, a second grant, more than the owner holds, from a non-owner), moves
chain time forward by seconds to months, releases (from the beneficiary or anyone, for
known and unknown beneficiaries), revokes (from the owner and others, revocable or not,
twice), and moves tokens between holders. The model decides every outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from conftest import SUPPLY, ZERO_ADDRESS
from daftar.chain.base import Reverted
from daftar.testing import ChainStateMachine
from daftar.testing.clock import ModelClock

U64 = 2**64 - 1
BENEFICIARIES = ["alice", "bob", "carol", "dave"]
HOLDERS = ["owner", *BENEFICIARIES, "outsider"]
CALLERS = ["owner", "owner", "owner", "owner", "alice", "outsider"]
amounts = st.one_of(
    st.just(0),
    st.integers(1, SUPPLY // 2),
    st.integers(1, 10**6),
    st.sampled_from([SUPPLY // 2, SUPPLY]),  # more than the owner holds once anything is granted
)
valid_durations = st.one_of(st.sampled_from([1, 60, 86400, 30 * 86400]), st.integers(1, 10**7))
durations = st.one_of(st.just(0), valid_durations, valid_durations)
# the cliff as a share of the duration; past 1 it ends after the vesting (refused)
cliff_shares = st.one_of(st.just(0.0), st.floats(0, 0.5), st.floats(0, 1), st.just(1.5))
# seconds from now; before now: partly vested already
start_offsets = st.one_of(st.just(0), st.integers(-(10**4), 10**4), st.integers(-(10**6), 10**5))
revocables = st.sampled_from([True, True, False])
granted = Bundle("granted")  # beneficiaries with a grant (a rule may pick any other)
seconds = st.one_of(st.sampled_from([1, 59, 600, 3600, 86400, 30 * 86400]), st.integers(1, 10**6))


@dataclass
class Grant:
    total: int
    start: int
    cliff: int
    duration: int
    revocable: bool
    released: int = 0
    revoked: bool = False

    def vested(self, t: int) -> int:
        """The schedule, written independently of the contract."""
        if self.revoked:
            return self.total
        if t < self.start + self.cliff:
            return 0
        if t >= self.start + self.duration:
            return self.total
        return self.total * (t - self.start) // self.duration

    def as_tuple(self) -> tuple:
        return (self.total, self.released, self.start, self.cliff, self.duration,
                self.revocable, self.revoked)  # fmt: skip


class VestingModel(ChainStateMachine):
    """Mirror of the token and the vesting contract. Invariants, checked after every step
    (for the holders and grants the step touched; for all of them at the end of each run):

    - Solvency: the vesting contract's token balance equals `totalOwed()` equals the sum
      over grants of (total − released): it holds exactly what it still owes, no more, no
      less, whatever was created, released and revoked.
    - Conservation: no rule mints or burns, so `totalSupply()` stays the initial supply,
      which the model's balances add up to; every holder's balance equals the model's, so a
      release pays the beneficiary (never the caller) and a revoke refunds the owner.
    - Each beneficiary's `schedule()` equals the model's grant (all zero without one), so
      `released` only ever grows and never passes `total`; a revoked grant's `total` is what
      had vested when it was revoked.
    - The schedule: `vestedAmount(b, t)` equals the model's formula (zero before
      start + cliff, the whole grant from start + duration, linear and rounded down between;
      frozen once revoked) at times around the grant's start, cliff and end, probed whenever
      the grant is made or revoked (nothing else changes the curve); and for every grant,
      `releasable(b)` lies between what had vested at the earliest and the latest time the
      latest block can carry, minus what was released.
    - A refused transaction changes nothing: it reverts with the model's exact error
      (OwnableUnauthorizedAccount, ZeroAddress, ZeroAmount, ZeroDuration,
      CliffExceedsDuration, ScheduleExists, UnknownSchedule, NothingToRelease, NotRevocable,
      AlreadyRevoked, ERC20InsufficientBalance) and all of the above still holds.

    A transaction's block time is only known to lie in a window (see ModelClock), so amounts
    a release or revoke moves are checked against the schedule over that window.
    """

    token = None
    vesting = None
    who = None

    def __init__(self) -> None:
        super().__init__()
        self.accounts = dict(self.who)
        self.address = {k: a.address for k, a in self.accounts.items()}
        self.address["zero"] = ZERO_ADDRESS
        self.clock = ModelClock(self.chain)
        self.grants: dict[str, Grant] = {}
        self.reshaped: set[str] = set()  # grants whose curve the last step changed
        self.touched: set[str] = set()  # holders the last step may have changed
        self.settled = False  # the invariants held after the last step
        self.balances = {k: self.token.balanceOf(self.address[k]) for k in HOLDERS}
        self.balances["vesting"] = self.token.balanceOf(self.vesting)
        assert self.balances["vesting"] == 0 and self.vesting.totalOwed() == 0
        assert sum(self.balances.values()) == self.token.totalSupply() == SUPPLY

    # -- helpers ----------------------------------------------------------------------------
    def begin(self, *keys):
        """A step starts: note the holders it may touch (checked after it)."""
        self.settled = False
        self.touched.update(k for k in keys if k in self.address and k != "zero")

    def send(self, fn, args, caller, expect):
        """Send from `caller`; `expect` None means success, else (error, {arg: value})."""
        try:
            receipt = fn(*args, sender=self.accounts[caller])
        except Reverted as exc:
            self.clock.sent()
            assert expect is not None, f"{fn}{args} from {caller} reverted: {exc}"
            name, want = expect
            got = {k: exc.args_by_name.get(k) for k in want}
            assert (exc.error, got) == (name, want), (exc.error, exc.args_by_name, expect)
            return None
        self.clock.sent()
        assert expect is None, f"{fn}{args} from {caller} succeeded; expected {expect}"
        return receipt

    def window(self) -> tuple[int, int]:
        """Times a transaction just mined may have run at."""
        return self.clock.lo, self.chain.time()

    def pay(self, frm: str, to: str, amount: int) -> None:
        self.balances[frm] -= amount
        self.balances[to] += amount

    # -- seed: every run starts with a few valid grants --------------------------------------
    @initialize(
        target=granted,
        grants=st.lists(
            st.tuples(
                st.sampled_from(BENEFICIARIES),
                st.integers(1, SUPPLY // 4),
                start_offsets,
                st.floats(0, 0.5),
                st.one_of(st.sampled_from([3600, 86400, 30 * 86400]), st.integers(100, 10**7)),
                revocables,
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda g: g[0],
        ),
    )
    def seed(self, grants):
        for who, amount, start_offset, cliff_share, duration, revocable in grants:
            self.create(who, amount, start_offset, cliff_share, duration, revocable, "owner")
            assert who in self.grants
        return multiple(*(g[0] for g in grants))

    # -- rules --------------------------------------------------------------------------------
    @rule(
        target=granted,
        who=st.sampled_from([*BENEFICIARIES, "zero"]),
        amount=amounts,
        start_offset=start_offsets,
        cliff_share=cliff_shares,
        duration=durations,
        revocable=revocables,
        caller=st.sampled_from(CALLERS),
    )
    def create(self, who, amount, start_offset, cliff_share, duration, revocable, caller):
        self.begin(who, caller, "owner")
        start = min(max(self.chain.time() + start_offset, 0), U64)
        cliff = min(int(duration * cliff_share), U64)
        beneficiary = self.address[who]
        if caller != "owner":
            expect = ("OwnableUnauthorizedAccount", {"account": self.address[caller]})
        elif who == "zero":
            expect = ("ZeroAddress", {})
        elif amount == 0:
            expect = ("ZeroAmount", {})
        elif duration == 0:
            expect = ("ZeroDuration", {})
        elif cliff > duration:
            expect = ("CliffExceedsDuration", {"cliff": cliff, "duration": duration})
        elif who in self.grants:
            expect = ("ScheduleExists", {"beneficiary": beneficiary})
        elif amount > self.balances["owner"]:
            want = {"sender": self.address["owner"], "balance": self.balances["owner"],
                    "needed": amount}  # fmt: skip
            expect = ("ERC20InsufficientBalance", want)
        else:
            expect = None
        args = (beneficiary, amount, start, cliff, duration, revocable)
        if self.send(self.vesting.createSchedule, args, caller, expect):
            self.grants[who] = Grant(amount, start, cliff, duration, revocable)
            self.reshaped.add(who)
            self.pay("owner", "vesting", amount)
            return multiple(who)
        return multiple()

    @rule(delta=seconds)
    def wait(self, delta):
        self.begin()
        self.clock.pin(delta)

    @rule(who=granted, share=st.floats(0, 0.5))
    def wait_into(self, who, share):
        """Move time by a share of a grant's duration, so vesting is often part-way."""
        self.begin()
        self.clock.pin(int(self.grants[who].duration * share))

    @rule(who=granted, delta=seconds)
    def wait_and_claim(self, who, delta):
        """The usual case: time passes, then the beneficiary claims."""
        self.wait(delta)
        self.release(who, who)

    @rule(
        who=st.one_of(granted, granted, st.sampled_from([*BENEFICIARIES, "outsider"])),
        caller=st.sampled_from([*BENEFICIARIES, "owner", "outsider"]),
    )
    def release(self, who, caller):
        self.begin(who, caller)
        beneficiary = self.address[who]
        grant = self.grants.get(who)
        if grant is None:
            expect = ("UnknownSchedule", {"beneficiary": beneficiary})
            self.send(self.vesting.release, (beneficiary,), caller, expect)
            return
        lo = max(0, grant.vested(self.clock.lo) - grant.released)
        try:
            receipt = self.vesting.release(beneficiary, sender=self.accounts[caller])
        except Reverted as exc:
            self.clock.sent()
            want = ("NothingToRelease", {"beneficiary": beneficiary})
            assert (exc.error, exc.args_by_name) == want, (exc.error, exc.args_by_name)
            assert lo == 0, f"release refused, yet {lo} had vested beyond the released"
            return
        self.clock.sent()
        ev = receipt.event("Released")
        t_lo, t_hi = self.window()
        assert (ev.beneficiary, ev.caller) == (beneficiary, self.address[caller])
        assert ev.amount > 0 and lo <= ev.amount <= grant.vested(t_hi) - grant.released, (
            ev.amount, grant, t_lo, t_hi,
        )  # fmt: skip
        grant.released += ev.amount
        self.pay("vesting", who, ev.amount)

    @rule(
        who=st.one_of(granted, st.sampled_from([*BENEFICIARIES, "outsider"])),
        caller=st.sampled_from(CALLERS),
    )
    def revoke(self, who, caller):
        self.begin(who, caller, "owner")
        beneficiary = self.address[who]
        grant = self.grants.get(who)
        if caller != "owner":
            expect = ("OwnableUnauthorizedAccount", {"account": self.address[caller]})
        elif grant is None:
            expect = ("UnknownSchedule", {"beneficiary": beneficiary})
        elif not grant.revocable:
            expect = ("NotRevocable", {"beneficiary": beneficiary})
        elif grant.revoked:
            expect = ("AlreadyRevoked", {"beneficiary": beneficiary})
        else:
            expect = None
        before = self.clock.lo
        receipt = self.send(self.vesting.revoke, (beneficiary,), caller, expect)
        if receipt is None:
            return
        ev = receipt.event("Revoked")
        _, t_hi = self.window()
        assert ev.beneficiary == beneficiary
        assert ev.vested + ev.refund == grant.total
        assert max(grant.released, grant.vested(before)) <= ev.vested <= grant.vested(t_hi)
        grant.total, grant.revoked = ev.vested, True
        self.reshaped.add(who)
        self.pay("vesting", "owner", ev.refund)

    @rule(
        frm=st.sampled_from(HOLDERS),
        to=st.sampled_from(HOLDERS),
        share=st.floats(0, 1.2),
    )
    def transfer(self, frm, to, share):
        self.begin(frm, to)
        amount = int(self.balances[frm] * share) if self.balances[frm] else int(share * 10)
        expect = None
        if amount > self.balances[frm]:
            want = {"sender": self.address[frm], "balance": self.balances[frm], "needed": amount}
            expect = ("ERC20InsufficientBalance", want)
        if self.send(self.token.transfer, (self.address[to], amount), frm, expect):
            self.pay(frm, to, amount)

    # -- invariants ---------------------------------------------------------------------------
    @invariant()
    def consistent(self):
        """Every step: solvency, the clock window, what the step touched; at the end: all."""
        self.check_solvent()
        self.check_releasable()
        self.check_curves(self.reshaped)
        self.check_balances(self.touched)
        self.check_schedules(self.touched & set(BENEFICIARIES))
        self.reshaped, self.touched = set(), set()
        self.settled = True

    def teardown(self):
        try:
            if self.settled:  # no step failed: sweep what the steps did not touch too
                self.check_balances(HOLDERS)
                self.check_schedules(BENEFICIARIES)
        finally:
            super().teardown()

    def check_solvent(self):
        owed = sum(g.total - g.released for g in self.grants.values())
        assert self.token.balanceOf(self.vesting) == self.vesting.totalOwed() == owed
        assert owed == self.balances["vesting"]

    def check_balances(self, keys):
        for key in keys:
            assert self.token.balanceOf(self.address[key]) == self.balances[key], key
        assert sum(self.balances.values()) == self.token.totalSupply() == SUPPLY

    def check_schedules(self, keys):
        for who in keys:
            grant = self.grants.get(who)
            want = grant.as_tuple() if grant else (0, 0, 0, 0, 0, False, False)
            assert tuple(self.vesting.schedule(self.address[who])) == want, who
            if grant:
                assert grant.released <= grant.total

    def check_releasable(self):
        lo, hi = self.clock.view()
        for who, grant in self.grants.items():
            releasable = self.vesting.releasable(self.address[who])
            low = max(0, grant.vested(lo) - grant.released)
            assert low <= releasable <= grant.vested(hi) - grant.released, (releasable, grant)

    def check_curves(self, keys):
        """The curve only changes when a grant is made or revoked: probe it then."""
        lo, _ = self.clock.view()
        for who in keys:
            grant, b = self.grants[who], self.address[who]
            edges = (grant.start, grant.start + grant.cliff, grant.start + grant.duration)
            probes = {0, U64, lo, *(e + d for e in edges for d in (-1, 0, 1))}
            probes.add(grant.start + grant.duration // 2)
            for t in probes:
                if 0 <= t <= U64:
                    assert self.vesting.vestedAmount(b, t) == grant.vested(t), (who, t, grant)


def test_vesting_stateful(token, vesting, actors):
    class Machine(VestingModel):
        pass

    Machine.token, Machine.vesting = token, vesting
    Machine.who = {
        "owner": actors.owner,
        "alice": actors.alice,
        "bob": actors.bob,
        "carol": actors.carol,
        "dave": actors.others[0],
        "outsider": actors.others[1],
    }
    run_state_machine_as_test(Machine, settings=settings(settings(), database=None))
