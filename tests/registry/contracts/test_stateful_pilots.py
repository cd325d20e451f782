"""Stateful test of PilotRegistry: lifecycle, milestones, checkpoint chains and sponsors.

The machine tries every action on random pilots (known and unknown ids) from the programme
office, the pilot's sponsor and accounts that are neither, registers and deregisters
sponsors, anchors correct, gapped, forked, reused and zero checkpoints, and pauses. A small
Python model mirrors the registry and decides, for every call, success or the exact error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from daftar.chain.base import Reverted
from daftar.testing import ChainStateMachine
from daftar_registry.plan import role

ZERO = "0x0000000000000000000000000000000000000000"
ZERO32 = b"\0" * 32
OFFICE = role("PROGRAMME_OFFICE_ROLE")
PAUSER = role("PAUSER_ROLE")
NONE, PROPOSED, APPROVED, ACTIVE, COMPLETED, REJECTED, TERMINATED = range(7)
# The lifecycle graph, and which function moves along which edge.
EDGES = {
    (PROPOSED, APPROVED),
    (PROPOSED, REJECTED),
    (APPROVED, ACTIVE),
    (APPROVED, TERMINATED),
    (ACTIVE, COMPLETED),
    (ACTIVE, TERMINATED),
}
TARGET = {
    "approve": APPROVED,
    "reject": REJECTED,
    "terminate": TERMINATED,
    "activate": ACTIVE,
    "complete": COMPLETED,
}
MAX_PILOTS = 4
MAX_CHECKPOINTS = 5  # per pilot
MAX_MILESTONES = 3  # per pilot
pilot_ids = Bundle("pilot_ids")
# mostly known ids, sometimes an unknown one (0, or past the count)
ids = st.one_of(pilot_ids, pilot_ids, pilot_ids, st.integers(0, MAX_PILOTS + 1))

SPONSOR_CALLERS = ["sponsor"] * 5 + ["sponsor2", "sponsor2", "outsider", "office"]
OFFICE_CALLERS = ["office", "office", "office", "office", "admin", "sponsor", "pauser"]


def _norm(value):
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    return value


@dataclass
class PilotModel:
    sponsor: str
    title: str
    uri: str
    details: bytes
    proposed_at: int
    status: int = PROPOSED
    updated_at: int = 0
    reason: int = 0
    milestones: list[tuple[bytes, int, str]] = field(default_factory=list)
    roots: list[bytes] = field(default_factory=list)  # roots[seq - 1]
    anchored_at: dict[bytes, int] = field(default_factory=dict)
    last_at: int = 0


class PilotsModel(ChainStateMachine):
    """Mirror of PilotRegistry. Invariants, checked after every step:

    - `pilotCount()` equals the number of pilots proposed; ids run 1..pilotCount; an unknown
      id reads as status None (no revert) and every action on it reverts `UnknownPilot`.
    - Every pilot's record (`pilot(id)`: sponsor, status, title, URI, details hash, times,
      reason code) equals the model's, and its status only ever moved along the lifecycle
      edges Proposed→Approved/Rejected, Approved→Active/Terminated, Active→Completed/
      Terminated: the on-chain status is compared with the one seen after the previous step.
      Any other move reverts `InvalidTransition(pilotId, from, to)` and changes nothing.
    - Each pilot's checkpoint chain has no gap and no fork: `lastCheckpoint` equals the
      model's head (seq, root, time), `checkpointRoot(seq)` gives the root of every seq 1..n
      and zero beyond, `checkpointAnchored(root)` gives each root's seq and time. An anchor
      with a seq other than last+1 reverts `CheckpointGap`, one whose prevRoot is not the
      head `CheckpointFork`, a zero root `ZeroHash`, a root already used by that pilot
      `CheckpointRootReused`; checkpoints and milestones need an Active pilot
      (`PilotNotActive`). Milestones equal the model's, in order.
    - Sponsor actions need the pilot's sponsor (`NotPilotSponsor`) while registered
      (`SponsorNotRegistered`); office actions need `PROGRAMME_OFFICE_ROLE`, pause/unpause
      `PAUSER_ROLE`, granting roles the default admin (`AccessControlUnauthorizedAccount`).
      `sponsorInfo` equals the model for every account that rules register or deregister.
    - `paused()` equals the model; while paused every write reverts `EnforcedPause` and every
      view keeps answering. A refused write changes nothing (the model is left as it was,
      and all of the above is compared against it).
    """

    reg = None
    who = None

    def __init__(self) -> None:
        super().__init__()
        self.pilots = self.reg.pilots
        who = self.who
        self.accounts = {
            "office": who.office,
            "admin": who.admin,
            "pauser": who.pauser,
            "sponsor": who.sponsor,
            "sponsor2": who.outsiders[0],
            "outsider": who.outsiders[1],
        }
        self.sponsors = {}  # every account a rule can register or deregister
        for address in (who.sponsor.address, who.outsiders[0].address, who.outsiders[1].address):
            info = self.pilots.sponsorInfo(address)
            self.sponsors[address] = (info.registered, info.registeredAt, info.name)
        assert self.pilots.pilotCount() == 0
        self.model: dict[int, PilotModel] = {}
        self.seen: dict[int, int] = {}
        self.dirty: set[int] = set()
        self.paused = bool(self.pilots.paused())
        self.lo = 0  # no block seen yet is older than this
        self.fresh = 0

    # -- helpers ----------------------------------------------------------------------------
    def learn(self, t: int) -> int:
        """A write's recorded time: not before the previous one, not after the clock."""
        assert self.lo <= t <= self.chain.time(), (self.lo, t, self.chain.time())
        self.lo = t
        return t

    def new_hash(self, tag: bytes) -> bytes:
        self.fresh += 1
        return keccak(tag + self.fresh.to_bytes(8, "big"))

    def send(self, fn, args, caller, expect) -> bool:
        """Send from `caller`; `expect` None means success, else (error, {arg: value})."""
        sender = self.accounts[caller]
        try:
            fn(*args, sender=sender)
        except Reverted as exc:
            assert expect is not None, f"{fn}{args} from {caller} reverted: {exc}"
            name, want = expect
            got = {k: _norm(exc.args_by_name.get(k)) for k in want}
            assert (exc.error, got) == (name, {k: _norm(v) for k, v in want.items()}), (
                exc.error,
                exc.args_by_name,
                expect,
            )
            return False
        assert expect is None, f"{fn}{args} from {caller} succeeded; expected {expect}"
        return True

    def sponsor_refusal(self, pilot_id: int, caller: str):
        """`whenNotPaused` then `_onlySponsor`, in contract order."""
        if self.paused:
            return ("EnforcedPause", {})
        p = self.model.get(pilot_id)
        if p is None:
            return ("UnknownPilot", {"pilotId": pilot_id})
        address = self.accounts[caller].address
        if address != p.sponsor:
            return (
                "NotPilotSponsor",
                {"pilotId": pilot_id, "caller": address, "sponsor": p.sponsor},
            )
        if not self.sponsors[p.sponsor][0]:
            return ("SponsorNotRegistered", {"sponsor": p.sponsor})
        return None

    def move_refusal(self, pilot_id: int, to: int):
        p = self.model.get(pilot_id)
        if p is None:
            return ("UnknownPilot", {"pilotId": pilot_id})
        if (p.status, to) not in EDGES:
            return ("InvalidTransition", {"pilotId": pilot_id, "from": p.status, "to": to})
        return None

    def live_pilot(self, pilot_id: int) -> int:
        """An Active pilot if there is one (checkpoints and milestones need one), else `pilot_id`."""
        live = [q for q, p in self.model.items() if p.status == ACTIVE]
        return live[pilot_id % len(live)] if live else pilot_id

    def moved(self, pilot_id: int, to: int, reason: int) -> None:
        p = self.model[pilot_id]
        p.status, p.reason = to, reason
        record = self.pilots.pilot(pilot_id)
        p.updated_at = self.learn(record.updatedAt)
        assert (self.seen[pilot_id], record.status) in EDGES, (self.seen[pilot_id], record.status)
        self.seen[pilot_id] = record.status
        self.dirty.add(pilot_id)

    # -- seed: every run starts with a pilot somewhere along its lifecycle ----------------------
    @initialize(
        target=pilot_ids,
        stages=st.lists(
            st.sampled_from([ACTIVE, ACTIVE, APPROVED, PROPOSED]), min_size=1, max_size=3
        ),
        anchors=st.integers(0, 2),
    )
    def seed_pilots(self, stages, anchors):
        ids = []
        for stage in stages:
            pilot_id = self.propose("sponsor", "Seed pilot", False)
            if stage >= APPROVED:
                self.office_action(pilot_id, "approve", "office", 0)
            if stage >= ACTIVE:
                self.sponsor_action(pilot_id, "activate", "sponsor")
                for _ in range(anchors):
                    self.anchor_checkpoint(pilot_id, "sponsor", "correct", 1)
            assert self.model[pilot_id].status == stage
            ids.append(pilot_id)
        return multiple(*ids)

    # -- rules: sponsors ------------------------------------------------------------------------
    @rule(
        who=st.sampled_from(["sponsor", "sponsor2", "sponsor2", "outsider", "zero"]),
        name=st.sampled_from(["Syarikat Pilot", "Syarikat Pilot", ""]),
        caller=st.sampled_from(OFFICE_CALLERS),
    )
    def register_sponsor(self, who, name, caller):
        address = ZERO if who == "zero" else self.accounts[who].address
        sender = self.accounts[caller].address
        if caller != "office":
            expect = ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": OFFICE})
        elif self.paused:
            expect = ("EnforcedPause", {})
        elif address == ZERO:
            expect = ("ZeroSponsor", {})
        elif not name:
            expect = ("EmptyString", {})
        elif self.sponsors[address][0]:
            expect = ("SponsorAlreadyRegistered", {"sponsor": address})
        else:
            expect = None
        if self.send(self.pilots.registerSponsor, (address, name), caller, expect):
            at = self.learn(self.pilots.sponsorInfo(address).registeredAt)
            self.sponsors[address] = (True, at, name)

    @rule(
        who=st.sampled_from(["sponsor", "sponsor2", "outsider", "zero"]),
        caller=st.sampled_from(OFFICE_CALLERS),
    )
    def deregister_sponsor(self, who, caller):
        address = ZERO if who == "zero" else self.accounts[who].address
        sender = self.accounts[caller].address
        if caller != "office":
            expect = ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": OFFICE})
        elif self.paused:
            expect = ("EnforcedPause", {})
        elif not self.sponsors.get(address, (False,))[0]:
            expect = ("SponsorNotRegistered", {"sponsor": address})
        else:
            expect = None
        if self.send(self.pilots.deregisterSponsor, (address,), caller, expect):
            _, at, name = self.sponsors[address]
            self.sponsors[address] = (False, at, name)

    # -- rules: lifecycle -----------------------------------------------------------------------
    @precondition(lambda self: len(self.model) < MAX_PILOTS)
    @rule(
        target=pilot_ids,
        caller=st.sampled_from(SPONSOR_CALLERS),
        title=st.sampled_from(["Smart meters", "Smart meters", ""]),
        zero_details=st.sampled_from([False, False, False, True]),
    )
    def propose(self, caller, title, zero_details):
        address = self.accounts[caller].address
        details = ZERO32 if zero_details else self.new_hash(b"details")
        if self.paused:
            expect = ("EnforcedPause", {})
        elif not self.sponsors.get(address, (False,))[0]:
            expect = ("SponsorNotRegistered", {"sponsor": address})
        elif not title:
            expect = ("EmptyString", {})
        elif zero_details:
            expect = ("ZeroHash", {})
        else:
            expect = None
        uri = "ipfs://proposal"
        if not self.send(self.pilots.propose, (title, uri, details), caller, expect):
            return multiple()
        pilot_id = len(self.model) + 1
        at = self.learn(self.pilots.pilot(pilot_id).proposedAt)
        self.model[pilot_id] = PilotModel(address, title, uri, details, at, updated_at=at)
        self.seen[pilot_id] = PROPOSED
        self.dirty.add(pilot_id)
        return pilot_id

    @rule(
        pilot_id=ids,
        action=st.sampled_from(["approve", "reject", "terminate"]),
        caller=st.sampled_from(OFFICE_CALLERS),
        reason=st.integers(0, 2**16 - 1),
    )
    def office_action(self, pilot_id, action, caller, reason):
        sender = self.accounts[caller].address
        to = TARGET[action]
        if caller != "office":
            expect = ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": OFFICE})
        elif self.paused:
            expect = ("EnforcedPause", {})
        else:
            expect = self.move_refusal(pilot_id, to)
        fn = getattr(self.pilots, action)
        args = (pilot_id,) if action == "approve" else (pilot_id, reason)
        if self.send(fn, args, caller, expect):
            self.moved(pilot_id, to, 0 if action == "approve" else reason)

    @rule(
        pilot_id=ids,
        action=st.sampled_from(["activate", "complete", "activate"]),
        caller=st.sampled_from(SPONSOR_CALLERS),
    )
    def sponsor_action(self, pilot_id, action, caller):
        to = TARGET[action]
        expect = self.sponsor_refusal(pilot_id, caller) or self.move_refusal(pilot_id, to)
        if self.send(getattr(self.pilots, action), (pilot_id,), caller, expect):
            self.moved(pilot_id, to, 0)

    # -- rules: milestones and checkpoints ------------------------------------------------------
    @rule(
        pilot_id=ids,
        caller=st.sampled_from(SPONSOR_CALLERS),
        zero_evidence=st.sampled_from([False, False, False, True]),
        live=st.sampled_from([True, False]),
    )
    def report_milestone(self, pilot_id, caller, zero_evidence, live):
        pilot_id = self.live_pilot(pilot_id) if live else pilot_id
        p = self.model.get(pilot_id)
        if p is not None and len(p.milestones) >= MAX_MILESTONES:
            return
        evidence = ZERO32 if zero_evidence else self.new_hash(b"evidence")
        expect = self.sponsor_refusal(pilot_id, caller)
        if expect is None and p.status != ACTIVE:
            expect = ("PilotNotActive", {"pilotId": pilot_id, "status": p.status})
        elif expect is None and zero_evidence:
            expect = ("ZeroHash", {})
        uri = f"ipfs://evidence/{self.fresh}"
        if self.send(self.pilots.reportMilestone, (pilot_id, evidence, uri), caller, expect):
            index = len(p.milestones)
            at = self.learn(self.pilots.milestone(pilot_id, index).reportedAt)
            p.milestones.append((evidence, at, uri))
            self.dirty.add(pilot_id)

    @rule(
        pilot_id=ids,
        caller=st.sampled_from(SPONSOR_CALLERS),
        attempts=st.lists(
            st.tuples(
                st.sampled_from(
                    ["correct", "fork", "correct", "gap", "replay", "reuse", "zero", "elsewhere"]
                ),
                st.integers(1, 3),
            ),
            min_size=1,
            max_size=3,
        ),
        live=st.sampled_from([True, False]),
    )
    def anchor_checkpoints(self, pilot_id, caller, attempts, live):
        """Up to three anchors in a row on one pilot: correct ones extend the chain, gapped,
        replayed, forked, reused and zero ones are refused."""
        pilot_id = self.live_pilot(pilot_id) if live else pilot_id
        for kind, skip in attempts:
            self.anchor_checkpoint(pilot_id, caller, kind, skip)

    def anchor_checkpoint(self, pilot_id, caller, kind, skip):
        p = self.model.get(pilot_id)
        if p is not None and len(p.roots) >= MAX_CHECKPOINTS:
            return
        last_seq = len(p.roots) if p else 0
        last_root = p.roots[-1] if p and p.roots else ZERO32
        seq, prev, root = last_seq + 1, last_root, self.new_hash(b"root")
        if kind == "gap":
            seq = last_seq + 1 + skip
        elif kind == "replay":  # an old seq again (0 when the chain is empty)
            seq = max(last_seq - skip + 1, 0)
        elif kind == "fork":
            prev = self.new_hash(b"fork")
        elif kind == "reuse" and p and p.roots:
            root = p.roots[(skip - 1) % len(p.roots)]
        elif kind == "zero":
            root = ZERO32
        elif kind == "elsewhere":  # a root another pilot anchored: per-pilot, so allowed
            others = [r for q, o in self.model.items() if q != pilot_id for r in o.roots]
            root = others[skip % len(others)] if others else root

        expect = self.sponsor_refusal(pilot_id, caller)
        if expect is None:
            if p.status != ACTIVE:
                expect = ("PilotNotActive", {"pilotId": pilot_id, "status": p.status})
            elif seq != last_seq + 1:
                expect = (
                    "CheckpointGap",
                    {"pilotId": pilot_id, "expectedSeq": last_seq + 1, "seq": seq},
                )
            elif prev != last_root:
                expect = (
                    "CheckpointFork",
                    {
                        "pilotId": pilot_id,
                        "seq": seq,
                        "expectedPrevRoot": last_root,
                        "prevRoot": prev,
                    },
                )
            elif root == ZERO32:
                expect = ("ZeroHash", {})
            elif root in p.roots:
                expect = (
                    "CheckpointRootReused",
                    {"pilotId": pilot_id, "root": root, "seq": p.roots.index(root) + 1},
                )
        args = (pilot_id, seq, root, prev, "ipfs://checkpoint")
        if self.send(self.pilots.anchorCheckpoint, args, caller, expect):
            at = self.learn(self.pilots.lastCheckpoint(pilot_id).at)
            p.roots.append(root)
            p.anchored_at[root] = p.last_at = at
            self.dirty.add(pilot_id)

    # -- rules: pause and roles -------------------------------------------------------------------
    @rule(pause=st.booleans(), caller=st.sampled_from(["pauser", "pauser", "office", "admin"]))
    def pause_or_unpause(self, pause, caller):
        sender = self.accounts[caller].address
        if caller != "pauser":
            expect = ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": PAUSER})
        elif pause == self.paused:
            expect = ("EnforcedPause", {}) if pause else ("ExpectedPause", {})
        else:
            expect = None
        fn = self.pilots.pause if pause else self.pilots.unpause
        if self.send(fn, (), caller, expect):
            self.paused = pause

    @rule(caller=st.sampled_from(["office", "pauser", "sponsor"]))
    def grant_role_without_admin(self, caller):
        sender = self.accounts[caller].address
        target = self.accounts["outsider"].address
        expect = ("AccessControlUnauthorizedAccount", {"account": sender, "neededRole": ZERO32})
        self.send(self.pilots.grantRole, (OFFICE, target), caller, expect)
        assert not self.pilots.hasRole(OFFICE, target)

    # -- invariants -------------------------------------------------------------------------------
    @invariant()
    def pilots_match(self):
        assert self.pilots.pilotCount() == len(self.model)
        for pilot_id, p in self.model.items():
            got = self.pilots.pilot(pilot_id)
            want = (p.sponsor, p.status, p.title, p.uri, p.details, p.proposed_at)
            assert (_norm(got.sponsor), *tuple(got)[1:6]) == (_norm(want[0]), *want[1:])
            assert (got.updatedAt, got.reasonCode) == (p.updated_at, p.reason)
            before = self.seen[pilot_id]
            assert got.status == before or (before, got.status) in EDGES, (before, got.status)
            self.seen[pilot_id] = got.status
            head = self.pilots.lastCheckpoint(pilot_id)
            assert tuple(head) == (len(p.roots), p.roots[-1] if p.roots else ZERO32, p.last_at)
            assert self.pilots.milestoneCount(pilot_id) == len(p.milestones)
        unknown = len(self.model) + 1
        assert self.pilots.pilot(unknown).status == NONE

    @invariant()
    def chains_and_milestones_match(self):
        for pilot_id in self.dirty:
            p = self.model[pilot_id]
            for seq in range(len(p.roots) + 2):
                want = p.roots[seq - 1] if 1 <= seq <= len(p.roots) else ZERO32
                assert self.pilots.checkpointRoot(pilot_id, seq) == want, (pilot_id, seq)
            for seq, root in enumerate(p.roots, start=1):
                assert tuple(self.pilots.checkpointAnchored(pilot_id, root)) == (
                    True,
                    seq,
                    p.anchored_at[root],
                )
            never = keccak(b"never anchored")
            assert tuple(self.pilots.checkpointAnchored(pilot_id, never)) == (False, 0, 0)
            for index, milestone in enumerate(p.milestones):
                assert tuple(self.pilots.milestone(pilot_id, index)) == milestone
        self.dirty = set()

    @invariant()
    def sponsors_match(self):
        for address, want in self.sponsors.items():
            assert tuple(self.pilots.sponsorInfo(address)) == want, address

    @invariant()
    def pause_flag_matches(self):
        assert self.pilots.paused() == self.paused


@pytest.mark.backends
def test_pilots_stateful(registry, actors, chain):
    class Machine(PilotsModel):
        reg = registry
        who = actors

    run_state_machine_as_test(Machine, settings=settings())  # the profile, its example database
