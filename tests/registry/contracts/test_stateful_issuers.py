"""Stateful test of IssuerRegistry: a Python model of every issuer, checked after each step.

The machine drives accreditation, suspension, reinstatement, revocation, renewal, metadata
updates, pause/unpause and time travel, from the programme office and from accounts without
the role, and mirrors the registry in a small model (stored status, window, reason code and
the append-only history of each issuer in a fixed pool).

Time: views see the latest block's timestamp. The model knows it exactly after a time jump
(`chain.mine(timestamp=t)`) or after a write whose timestamp the registry records; otherwise
it knows an interval `[lo, hi]` (`hi = chain.time()`), and a window edge inside the interval
may be judged either way. `standingAt(t)` does not depend on the clock, so it is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule, run_state_machine_as_test

from daftar.testing import ChainStateMachine, reverts
from daftar.testing.clock import ModelClock
from daftar_registry.plan import role

ZERO = "0x0000000000000000000000000000000000000000"
REGISTRAR = role("REGISTRAR_ROLE")
PAUSER = role("PAUSER_ROLE")
NONE, ACTIVE, SUSPENDED, REVOKED, EXPIRED, NOT_YET_VALID = range(6)
DAY = 24 * 3600
CALLERS = ["office", "office", "office", "office", "admin", "pauser", "issuer", "outsider"]
POOL_SIZE = 4  # issuer, issuer2, an outsider, the zero address
KEY_POOL = 4  # two fresh keys, issuer2 (an organisation's address) and the zero address
K_NONE, K_ACTIVE, K_RETIRED = range(3)
compromise_times = st.tuples(
    st.sampled_from(["none", "none", "past", "future"]), st.integers(0, 3 * DAY)
)


def evaluate(status: int, valid_from: int, valid_until: int, t: int) -> int:
    if status != ACTIVE:
        return status
    if t < valid_from:
        return NOT_YET_VALID
    if valid_until and t >= valid_until:
        return EXPIRED
    return ACTIVE


@dataclass
class IssuerModel:
    status: int = NONE
    name: str = ""
    uri: str = ""
    valid_from: int = 0
    valid_until: int = 0
    accredited_at: int = 0
    reason: int = 0
    history: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    epoch: int = 0  # suspensions and revocations (the delegated-signature epoch)
    compromised_since: int = 0
    compromised_through: int = 0  # history index of the change that declared it

    def standings(self, lo: int, hi: int) -> set[int]:
        """Every standing the issuer can have at some time in [lo, hi]."""
        times = {lo, hi} | {b for b in (self.valid_from, self.valid_until) if lo <= b <= hi}
        return {evaluate(self.status, self.valid_from, self.valid_until, t) for t in times}

    def standing_at(self, t: int) -> int:
        entry = None
        for change in self.history:
            if change[0] <= t:
                entry = change
        if entry is None:
            return NONE
        _, status, valid_from, valid_until, _ = entry
        return evaluate(status, valid_from, valid_until, t)

    def recorded_times(self) -> set[int]:
        """Times around the last changes (older answers are probed by a rule)."""
        times = {0}
        for at, *_ in self.history[-4:]:
            times |= {at - 1, at, at + 1}
        if self.history:
            _, _, valid_from, valid_until, _ = self.history[-1]
            times |= {valid_from - 1, valid_from, valid_until - 1, valid_until}
        return {t for t in times if 0 <= t < 2**64}


windows = st.tuples(
    st.sampled_from(["zero", "past", "future"]),
    st.integers(1, 30 * DAY),
    st.sampled_from(["open", "after", "after", "same", "before"]),
    st.integers(1, 30 * DAY),
)


class IssuersModel(ChainStateMachine):
    """Mirror of IssuerRegistry. Invariants, checked after every step:

    - For every issuer in the pool, `issuerInfo`, `currentStanding` and `isInGoodStanding`
      agree with the model: stored status, name, metadata URI, window, accreditation time,
      reason code and history length are equal, and the standing is the stored status judged
      against the window now (a window edge that falls inside the clock's uncertainty may go
      either way). Good standing means Active and inside `[validFrom, validUntil)`.
    - The history is append-only and equals the model's, entry by entry, and `standingAt(t)`
      equals the model for every recorded time (each change's time, one second either side,
      and the edges of the last window): the last change at or before `t`, judged against
      the window that change recorded; `None` before the first change.
    - Revoked is terminal: an issuer once revoked stays revoked and never in good standing.
    - `paused()` equals the model. While paused every registrar write that extends trust
      (accredit, reinstate, renew, setMetadataURI, addKey) reverts with `EnforcedPause` and
      changes nothing; restrictive ones (suspend, revokeAccreditation, retireKey) go through;
      every view above still answers.
    - Organisations and keys: an accredited address is its own first key; `addKey` adds an
      unused address (never a key or an organisation before) to an Active or Suspended
      organisation; `retireKey` retires an Active key, or marks a retired one compromised
      once; `keyInfo`, `keyCount` equal the model.
    - Compromise: a suspension or revocation with a compromised-since time (never in the
      future: `InvalidCompromiseTime`) records the earliest such time and the history index
      of the change that declared it; every suspension or revocation advances the epoch
      (`compromiseInfo` equals the model).
    - A write by an account without `REGISTRAR_ROLE` (pause/unpause: `PAUSER_ROLE`) reverts
      with `AccessControlUnauthorizedAccount(caller, role)` and changes nothing; an invalid
      move reverts with the documented error (`InvalidStandingChange`, `IssuerAlreadyAccredited`,
      `InvalidValidityWindow`, `ZeroIssuer`, `EmptyName`) and changes nothing. "Changes
      nothing" is checked by the invariants above: the model is left as it was.
    """

    reg = None
    who = None

    def __init__(self) -> None:
        super().__init__()
        self.issuers = self.reg.issuers
        who = self.who
        self.callers = {
            "office": who.office,
            "admin": who.admin,
            "pauser": who.pauser,
            "issuer": who.issuer,
            "outsider": who.outsiders[2],
        }
        self.pool = [
            who.issuer.address,
            who.issuer2.address,
            who.outsiders[0].address,
            ZERO,
        ]
        self.model = {a: self._read(a) for a in self.pool}
        self.key_pool = [who.outsiders[1].address, who.relayer.address, who.issuer2.address, ZERO]
        self.keys: dict[str, list] = {}  # key -> [organisation, status, compromisedSince]
        for a in {*self.pool, *self.key_pool}:
            k = self.issuers.keyInfo(a)
            if int(k.status):
                self.keys[a] = [k.issuer, int(k.status), int(k.compromisedSince)]
        for a, m in self.model.items():
            c = self.issuers.compromiseInfo(a)
            m.epoch, m.compromised_since = int(c.epoch), int(c.compromisedSince)
            m.compromised_through = int(c.throughChange)
        self.paused = bool(self.issuers.paused())
        self.ever_revoked: set[str] = set()
        self.dirty: set[str] = set(self.pool)
        self.clock = ModelClock(self.chain)

    def _read(self, address: str) -> IssuerModel:
        """Seed the model from the fixture's state (the accredited issuer)."""
        info = self.issuers.issuerInfo(address)
        history = [tuple(self.issuers.historyEntry(address, i)) for i in range(info.historyCount)]
        status = history[-1][1] if history else NONE
        return IssuerModel(
            status,
            info.name,
            info.metadataURI,
            info.validFrom,
            info.validUntil,
            info.accreditedAt,
            info.reasonCode,
            history,
        )

    # -- helpers ----------------------------------------------------------------------------
    def _send(self, fn, args, caller, expect, restrictive=False):
        """Send `fn(*args)` from `caller`; `expect` is None (success) or (error, {arg: value}).

        A restrictive action (suspend, revoke, retire a key) is never stopped by a pause."""
        sender = self.callers[caller]
        if caller != "office":  # onlyRole comes first, then whenNotPaused, then the body
            expect = (
                "AccessControlUnauthorizedAccount",
                {"account": sender, "neededRole": REGISTRAR},
            )
        elif self.paused and not restrictive:
            expect = ("EnforcedPause", {})
        try:
            if expect is None:
                fn(*args, sender=sender)
                return True
            with reverts(expect[0], **expect[1]):
                fn(*args, sender=sender)
            return False
        finally:
            self.clock.sent()

    def _record(self, address: str) -> None:
        """After a successful change: append the model's current record to its history."""
        m = self.model[address]
        n = len(m.history)
        at = self.issuers.historyEntry(address, n).at
        self.clock.learn(at)
        m.history.append((at, m.status, m.valid_from, m.valid_until, m.reason))
        self.dirty.add(address)
        if m.status == REVOKED:
            self.ever_revoked.add(address)

    def _window(self, spec) -> tuple[int, int]:
        from_kind, d1, until_kind, d2 = spec
        now = self.clock.lo
        valid_from = {"zero": 0, "past": max(now - d1, 0), "future": now + d1}[from_kind]
        valid_until = {
            "open": 0,
            "after": valid_from + d2,
            "same": valid_from,
            "before": max(valid_from - d2, 1),
        }[until_kind]
        return valid_from, valid_until

    @staticmethod
    def _bad_window(valid_from: int, valid_until: int):
        if valid_until != 0 and valid_until <= valid_from:
            return (
                "InvalidValidityWindow",
                {"validFrom": valid_from, "validUntil": valid_until},
            )
        return None

    # -- seed: every run starts with more than the fixture's one accredited issuer -------------
    @initialize(windows=st.lists(windows, min_size=2, max_size=2), suspend_first=st.booleans())
    def seed(self, windows, suspend_first):
        for address, spec in zip(self.pool[1:3], windows, strict=True):
            valid_from, valid_until = self._window(spec)
            if self._bad_window(valid_from, valid_until):
                valid_until = 0
            self.issuers.accredit(
                address, "Seed", "", valid_from, valid_until, sender=self.who.office
            )
            m = self.model[address]
            m.status, m.name, m.valid_from, m.valid_until = ACTIVE, "Seed", valid_from, valid_until
            self._record(address)
            m.accredited_at = m.history[-1][0]
            self.keys[address] = [address, K_ACTIVE, 0]
        if suspend_first:
            self.suspend(0, 3, "office")

    # -- rules: registrar writes --------------------------------------------------------------
    @rule(
        i=st.integers(0, POOL_SIZE - 1),
        name=st.sampled_from(["Kolej Komuniti", "Kolej Komuniti", ""]),
        uri=st.sampled_from(["", "ipfs://meta"]),
        window=windows,
        caller=st.sampled_from(CALLERS),
    )
    def accredit(self, i, name, uri, window, caller):
        address = self.pool[i]
        m = self.model[address]
        valid_from, valid_until = self._window(window)
        expect = None
        if address == ZERO:
            expect = ("ZeroIssuer", {})
        elif not name:
            expect = ("EmptyName", {})
        elif bad := self._bad_window(valid_from, valid_until):
            expect = bad
        elif m.status != NONE:
            expect = ("IssuerAlreadyAccredited", {"issuer": address, "status": m.status})
        elif address in self.keys:
            expect = ("KeyInUse", {"key": address, "issuer": self.keys[address][0]})
        args = (address, name, uri, valid_from, valid_until)
        if self._send(self.issuers.accredit, args, caller, expect):
            m.status, m.name, m.uri = ACTIVE, name, uri
            m.valid_from, m.valid_until, m.reason = valid_from, valid_until, 0
            self._record(address)
            m.accredited_at = m.history[-1][0]
            self.keys[address] = [address, K_ACTIVE, 0]

    def _since(self, spec) -> int:
        kind, d = spec
        return {"none": 0, "past": max(self.clock.lo - d, 1), "future": self.chain.time() + 10 + d}[
            kind
        ]

    def _move(self, fn, address, allowed, to, args, caller, reason, since=0):
        m = self.model[address]
        expect = None
        if since > self.clock.lo:  # checked before the status; lo <= block time
            expect = ("InvalidCompromiseTime", {"compromisedSince": since})
        elif m.status not in allowed:
            expect = ("InvalidStandingChange", {"issuer": address, "from": m.status, "to": to})
        restrictive = to != ACTIVE
        if self._send(fn, args, caller, expect, restrictive=restrictive):
            m.status, m.reason = to, reason
            if restrictive:
                m.epoch += 1
            if since:
                m.compromised_since = (
                    since if not m.compromised_since else min(since, m.compromised_since)
                )
                m.compromised_through = len(m.history)
            self._record(address)

    @rule(
        i=st.integers(0, POOL_SIZE - 1),
        reason=st.integers(0, 2**16 - 1),
        caller=st.sampled_from(CALLERS),
        since=compromise_times,
    )
    def suspend(self, i, reason, caller, since=("none", 0)):
        a, t = self.pool[i], self._since(since)
        fn = self.issuers.suspend
        self._move(fn, a, (ACTIVE,), SUSPENDED, (a, reason, t), caller, reason, t)

    @rule(i=st.integers(0, POOL_SIZE - 1), caller=st.sampled_from(CALLERS))
    def reinstate(self, i, caller):
        a = self.pool[i]
        self._move(self.issuers.reinstate, a, (SUSPENDED,), ACTIVE, (a,), caller, 0)

    @rule(
        i=st.integers(0, POOL_SIZE - 1),
        reason=st.integers(0, 2**16 - 1),
        caller=st.sampled_from(CALLERS),
        since=compromise_times,
    )
    def revoke_accreditation(self, i, reason, caller, since):
        a, t = self.pool[i], self._since(since)
        fn = self.issuers.revokeAccreditation
        self._move(fn, a, (ACTIVE, SUSPENDED), REVOKED, (a, reason, t), caller, reason, t)

    # -- rules: signing keys ---------------------------------------------------------------------
    @rule(
        i=st.integers(0, POOL_SIZE - 1),
        k=st.integers(0, KEY_POOL - 1),
        caller=st.sampled_from(CALLERS),
    )
    def add_key(self, i, k, caller):
        org, key = self.pool[i], self.key_pool[k]
        m = self.model[org]
        expect = None
        if key == ZERO:
            expect = ("ZeroIssuer", {})
        elif m.status not in (ACTIVE, SUSPENDED):
            expect = ("InvalidStandingChange", {"issuer": org, "from": m.status, "to": m.status})
        elif key in self.keys:
            expect = ("KeyInUse", {"key": key, "issuer": self.keys[key][0]})
        elif key in self.model and self.model[key].status != NONE:
            expect = ("KeyInUse", {"key": key, "issuer": key})
        if self._send(self.issuers.addKey, (org, key), caller, expect):
            self.keys[key] = [org, K_ACTIVE, 0]

    @rule(
        i=st.integers(0, POOL_SIZE - 1),
        k=st.integers(0, KEY_POOL - 1),
        since=compromise_times,
        caller=st.sampled_from(CALLERS),
    )
    def retire_key(self, i, k, since, caller):
        org, key, t = self.pool[i], self.key_pool[k], self._since(since)
        record = self.keys.get(key)
        status = record[1] if record else K_NONE
        expect = None
        if t > self.clock.lo:
            expect = ("InvalidCompromiseTime", {"compromisedSince": t})
        elif not (
            record
            and record[0] == org
            and org != ZERO
            and (status == K_ACTIVE or (status == K_RETIRED and t and not record[2]))
        ):
            expect = ("InvalidKeyChange", {"key": key, "issuer": org, "status": status})
        if self._send(self.issuers.retireKey, (org, key, t), caller, expect, restrictive=True):
            record[1] = K_RETIRED
            if t:
                record[2] = t

    @rule(i=st.integers(0, POOL_SIZE - 1), window=windows, caller=st.sampled_from(CALLERS))
    def renew(self, i, window, caller):
        address = self.pool[i]
        m = self.model[address]
        valid_from, valid_until = self._window(window)
        expect = self._bad_window(valid_from, valid_until)
        if expect is None and m.status not in (ACTIVE, SUSPENDED):
            expect = (
                "InvalidStandingChange",
                {"issuer": address, "from": m.status, "to": m.status},
            )
        args = (address, valid_from, valid_until)
        if self._send(self.issuers.renew, args, caller, expect):
            m.valid_from, m.valid_until = valid_from, valid_until
            self._record(address)

    @rule(
        i=st.integers(0, POOL_SIZE - 1),
        uri=st.sampled_from(["", "ipfs://meta-2", "https://example.org/issuer.json"]),
        caller=st.sampled_from(CALLERS),
    )
    def set_metadata_uri(self, i, uri, caller):
        address = self.pool[i]
        m = self.model[address]
        expect = None
        if m.status not in (ACTIVE, SUSPENDED):
            expect = (
                "InvalidStandingChange",
                {"issuer": address, "from": m.status, "to": m.status},
            )
        if self._send(self.issuers.setMetadataURI, (address, uri), caller, expect):
            m.uri = uri

    # -- rules: pause, roles, time ----------------------------------------------------------------
    @rule(pause=st.booleans(), caller=st.sampled_from(["pauser", "pauser", "office", "admin"]))
    def pause_or_unpause(self, pause, caller):
        fn = self.issuers.pause if pause else self.issuers.unpause
        sender = self.callers[caller]
        if caller != "pauser":
            expect = ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": PAUSER})
        elif pause and self.paused:
            expect = ("EnforcedPause", {})
        elif not pause and not self.paused:
            expect = ("ExpectedPause", {})
        else:
            expect = None
        try:
            if expect is None:
                fn(sender=sender)
                self.paused = pause
            else:
                with reverts(expect[0], **expect[1]):
                    fn(sender=sender)
        finally:
            self.clock.sent()

    @rule(caller=st.sampled_from(["office", "pauser", "issuer", "outsider"]))
    def grant_role_without_admin(self, caller):
        """Role management needs the default admin; nobody else can hand out the registrar role."""
        sender = self.callers[caller]
        target = self.who.outsiders[1]
        with reverts("AccessControlUnauthorizedAccount", account=sender, neededRole=b"\0" * 32):
            self.issuers.grantRole(REGISTRAR, target, sender=sender)
        self.clock.sent()
        assert not self.issuers.hasRole(REGISTRAR, target)

    @rule(seconds=st.integers(1, 40 * DAY))
    def time_travel(self, seconds):
        self.chain.sleep(seconds)
        self.clock.pin(1)

    @rule(pick=st.integers(0, 2**16), before=st.booleans())
    def jump_to_window_edge(self, pick, before):
        """Land exactly on (or one second before) a window edge: the ends are exclusive."""
        now = self.chain.time()
        edges = sorted(
            {
                b - before
                for m in self.model.values()
                for b in (m.valid_from, m.valid_until)
                if b - before > now
            }
        )
        if edges:
            self.clock.pin_at(edges[pick % len(edges)])

    @rule(i=st.integers(0, POOL_SIZE - 1), offset=st.integers(-60 * DAY, 60 * DAY))
    def probe_standing_at(self, i, offset):
        """`standingAt` at an arbitrary time (past or future) agrees with the history."""
        address = self.pool[i]
        t = max(0, self.clock.lo + offset)
        assert self.issuers.standingAt(address, t) == self.model[address].standing_at(t)

    # -- invariants -----------------------------------------------------------------------------
    @invariant()
    def current_records_match(self):
        lo, hi = self.clock.view()
        for address, m in self.model.items():
            info = self.issuers.issuerInfo(address)
            possible = m.standings(lo, hi)
            assert info.standing in possible, (address, info, possible, lo, hi)
            assert (info.name, info.metadataURI) == (m.name, m.uri)
            assert (info.validFrom, info.validUntil) == (m.valid_from, m.valid_until)
            assert (info.accreditedAt, info.reasonCode) == (m.accredited_at, m.reason)
            assert info.historyCount == len(m.history)
            good = self.issuers.isInGoodStanding(address)
            assert good in {s == ACTIVE for s in possible}, (address, good, possible)
            if address in self.ever_revoked:  # revoked is terminal
                assert m.status == REVOKED and info.standing == REVOKED and not good

    @invariant()
    def history_and_standing_at_match(self):
        for address in self.dirty:
            m = self.model[address]
            if m.history:
                last = self.issuers.historyEntry(address, len(m.history) - 1)
                assert tuple(last) == m.history[-1]
            for t in sorted(m.recorded_times()):
                got = self.issuers.standingAt(address, t)
                assert got == m.standing_at(t), (address, t, got, m.history)
            if self.clock.exact:
                assert self.issuers.currentStanding(address) == m.standing_at(self.clock.lo)
        self.dirty = set()

    @invariant()
    def keys_and_compromise_match(self):
        for key in {*self.key_pool, *self.pool}:
            info = self.issuers.keyInfo(key)
            org, status, since = self.keys.get(key, [ZERO, K_NONE, 0])
            assert (info.issuer.lower(), info.status, info.compromisedSince) == (
                org.lower(),
                status,
                since,
            ), (key, info)
        for address, m in self.model.items():
            c = self.issuers.compromiseInfo(address)
            assert (c.compromisedSince, c.epoch) == (m.compromised_since, m.epoch)
            if m.compromised_since:
                assert c.throughChange == m.compromised_through
            keys = [k for k, (o, _, _) in self.keys.items() if o == address]
            assert self.issuers.keyCount(address) == len(keys)

    @invariant()
    def pause_flag_matches(self):
        assert self.issuers.paused() == self.paused


@pytest.mark.backends
def test_issuers_stateful(registry, actors, chain):
    class Machine(IssuersModel):
        reg = registry
        who = actors

    run_state_machine_as_test(Machine, settings=settings())  # the profile, its example database
