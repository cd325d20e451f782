"""PilotRegistry: sponsors, proposals, the lifecycle graph, milestones, checkpoint chains."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from daftar.testing import reverts
from daftar_registry.status import PilotStatus as Status

ZERO32 = b"\x00" * 32
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def h32(label: str) -> bytes:
    return keccak(text=label)


def _propose(pilots, sponsor, title="Pilot", uri="ipfs://proposal", details=None):
    rc = pilots.propose(title, uri, details or h32(title), sender=sponsor)
    return rc.event("PilotProposed").pilotId


def _pilot_in(pilots, actors, state: Status) -> int:
    """A fresh pilot of the fixture sponsor, driven to `state` along allowed edges."""
    pid = _propose(pilots, actors.sponsor)
    if state in (Status.APPROVED, Status.ACTIVE, Status.COMPLETED, Status.TERMINATED):
        pilots.approve(pid, sender=actors.office)
    if state in (Status.ACTIVE, Status.COMPLETED):
        pilots.activate(pid, sender=actors.sponsor)
    if state is Status.COMPLETED:
        pilots.complete(pid, sender=actors.sponsor)
    if state is Status.REJECTED:
        pilots.reject(pid, 1, sender=actors.office)
    if state is Status.TERMINATED:
        pilots.terminate(pid, 2, sender=actors.office)
    assert pilots.pilot(pid).status == state
    return pid


@pytest.fixture
def active(pilots, actors):
    return _pilot_in(pilots, actors, Status.ACTIVE)


# ─────────────────────────────────────── sponsors ───────────────────────────────────────


def test_register_sponsor(pilots, actors, chain):
    new = actors.outsiders[0]
    before = chain.time()
    rc = pilots.registerSponsor(new, "Syarikat Baru", sender=actors.office)
    ev = rc.event("SponsorRegistered")
    assert (ev.sponsor, ev.office, ev["name"]) == (
        new.address,
        actors.office.address,
        "Syarikat Baru",
    )
    info = pilots.sponsorInfo(new)
    assert (info.registered, info.name) == (True, "Syarikat Baru")
    assert before <= info.registeredAt <= chain.time()


def test_register_sponsor_errors(pilots, actors):
    with reverts("ZeroSponsor"):
        pilots.registerSponsor(ZERO_ADDRESS, "Nobody", sender=actors.office)
    with reverts("EmptyString"):
        pilots.registerSponsor(actors.outsiders[0], "", sender=actors.office)
    with reverts("SponsorAlreadyRegistered", sponsor=actors.sponsor):
        pilots.registerSponsor(actors.sponsor, "Again", sender=actors.office)


def test_deregister_sponsor(pilots, actors):
    rc = pilots.deregisterSponsor(actors.sponsor, sender=actors.office)
    ev = rc.event("SponsorDeregistered")
    assert (ev.sponsor, ev.office) == (actors.sponsor.address, actors.office.address)
    info = pilots.sponsorInfo(actors.sponsor)
    assert info.registered is False
    assert info.name == "GLC Berhad"  # the public name is kept
    with reverts("SponsorNotRegistered", sponsor=actors.sponsor):
        pilots.deregisterSponsor(actors.sponsor, sender=actors.office)


def test_deregister_unknown_sponsor(pilots, actors):
    with reverts("SponsorNotRegistered", sponsor=actors.outsiders[1]):
        pilots.deregisterSponsor(actors.outsiders[1], sender=actors.office)


def test_sponsor_can_be_registered_again(pilots, actors, chain):
    first = pilots.sponsorInfo(actors.sponsor).registeredAt
    pilots.deregisterSponsor(actors.sponsor, sender=actors.office)
    chain.sleep(100)
    pilots.registerSponsor(actors.sponsor, "GLC Berhad (renamed)", sender=actors.office)
    info = pilots.sponsorInfo(actors.sponsor)
    assert (info.registered, info.name) == (True, "GLC Berhad (renamed)")
    assert info.registeredAt > first
    assert _propose(pilots, actors.sponsor) == 1


def test_sponsor_info_unknown(pilots, actors):
    assert tuple(pilots.sponsorInfo(actors.outsiders[2])) == (False, 0, "")


def test_deregistered_sponsor_loses_its_powers_but_office_can_terminate(pilots, actors):
    approved = _pilot_in(pilots, actors, Status.APPROVED)
    active = _pilot_in(pilots, actors, Status.ACTIVE)
    pilots.deregisterSponsor(actors.sponsor, sender=actors.office)
    s = actors.sponsor
    calls = [
        lambda: pilots.propose("New", "", h32("new"), sender=s),
        lambda: pilots.activate(approved, sender=s),
        lambda: pilots.complete(active, sender=s),
        lambda: pilots.reportMilestone(active, h32("ev"), "", sender=s),
        lambda: pilots.anchorCheckpoint(active, 1, h32("root"), ZERO32, "", sender=s),
    ]
    for call in calls:
        with reverts("SponsorNotRegistered", sponsor=s):
            call()
    pilots.terminate(active, 9, sender=actors.office)
    pilots.terminate(approved, 9, sender=actors.office)
    assert pilots.pilot(active).status == pilots.pilot(approved).status == Status.TERMINATED


# ─────────────────────────────────────── propose ───────────────────────────────────────


def test_propose_returns_id_and_ids_start_at_one(pilots, actors, chain):
    assert pilots.pilotCount() == 0
    details = h32("details-1")
    before = chain.time()
    rc = pilots.propose("Smart Campus", "ipfs://p1", details, sender=actors.sponsor)
    ev = rc.event("PilotProposed")
    assert (ev.pilotId, ev.sponsor, ev.detailsHash, ev.title, ev.uri) == (
        1,
        actors.sponsor.address,
        details,
        "Smart Campus",
        "ipfs://p1",
    )
    assert pilots.pilotCount() == 1
    p = pilots.pilot(1)
    assert (p.sponsor, p.status, p.title, p.uri, p.detailsHash, p.reasonCode) == (
        actors.sponsor.address,
        Status.PROPOSED,
        "Smart Campus",
        "ipfs://p1",
        details,
        0,
    )
    assert before <= p.proposedAt == p.updatedAt <= chain.time()
    assert _propose(pilots, actors.sponsor, "Second") == 2
    assert pilots.pilotCount() == 2


def test_propose_return_value(pilots, actors):
    """propose() returns the new id: visible through an eth_call of the transaction."""
    assert pilots.propose.call("T", "", h32("d"), sender=actors.sponsor) == 1
    _propose(pilots, actors.sponsor)
    assert pilots.propose.call("T", "", h32("d"), sender=actors.sponsor) == 2


def test_propose_allows_empty_uri(pilots, actors):
    pid = _propose(pilots, actors.sponsor, "No URI", uri="")
    assert pilots.pilot(pid).uri == ""


def test_propose_errors(pilots, actors):
    with reverts("SponsorNotRegistered", sponsor=actors.outsiders[0]):
        pilots.propose("T", "", h32("d"), sender=actors.outsiders[0])
    with reverts("SponsorNotRegistered", sponsor=actors.office):  # the office is no sponsor
        pilots.propose("T", "", h32("d"), sender=actors.office)
    with reverts("EmptyString"):
        pilots.propose("", "ipfs://x", h32("d"), sender=actors.sponsor)
    with reverts("ZeroHash"):
        pilots.propose("T", "ipfs://x", ZERO32, sender=actors.sponsor)
    assert pilots.pilotCount() == 0


# ─────────────────────────────────────── lifecycle ───────────────────────────────────────

_ACTIONS = {
    # action: (target status, who calls it, takes a reason code)
    "approve": (Status.APPROVED, "office", False),
    "reject": (Status.REJECTED, "office", True),
    "activate": (Status.ACTIVE, "sponsor", False),
    "complete": (Status.COMPLETED, "sponsor", False),
    "terminate": (Status.TERMINATED, "office", True),
}
_EDGES = {
    (Status.PROPOSED, "approve"),
    (Status.PROPOSED, "reject"),
    (Status.APPROVED, "activate"),
    (Status.APPROVED, "terminate"),
    (Status.ACTIVE, "complete"),
    (Status.ACTIVE, "terminate"),
}
_STATES = [
    Status.PROPOSED,
    Status.APPROVED,
    Status.ACTIVE,
    Status.COMPLETED,
    Status.REJECTED,
    Status.TERMINATED,
]


def _do(pilots, actors, action, pid, reason=77):
    _, who, with_reason = _ACTIONS[action]
    fn = getattr(pilots, action)
    sender = getattr(actors, who)
    return fn(pid, reason, sender=sender) if with_reason else fn(pid, sender=sender)


@pytest.mark.parametrize("action", list(_ACTIONS))
@pytest.mark.parametrize("state", _STATES, ids=lambda s: s.name)
def test_lifecycle_matrix(pilots, actors, chain, state, action):
    pid = _pilot_in(pilots, actors, state)
    target, who, with_reason = _ACTIONS[action]
    before = pilots.pilot(pid)
    if (state, action) in _EDGES:
        chain.sleep(10)
        rc = _do(pilots, actors, action, pid)
        ev = rc.event("PilotStatusChanged")
        reason = 77 if with_reason else 0
        assert (ev.pilotId, ev.to, ev.by, ev["from"], ev.reasonCode) == (
            pid,
            target,
            getattr(actors, who).address,
            state,
            reason,
        )
        after = pilots.pilot(pid)
        assert (after.status, after.reasonCode) == (target, reason)
        assert after.updatedAt > before.updatedAt
        assert after.proposedAt == before.proposedAt
    else:
        with reverts("InvalidTransition", pilotId=pid, **{"from": int(state), "to": int(target)}):
            _do(pilots, actors, action, pid)
        assert tuple(pilots.pilot(pid)) == tuple(before)


def test_full_happy_path(pilots, actors):
    pid = _propose(pilots, actors.sponsor)
    pilots.approve(pid, sender=actors.office)
    pilots.activate(pid, sender=actors.sponsor)
    pilots.complete(pid, sender=actors.sponsor)
    assert pilots.pilot(pid).status == Status.COMPLETED


@pytest.mark.parametrize("action", list(_ACTIONS))
@pytest.mark.parametrize("pid", [0, 1, 2**256 - 1])
def test_unknown_pilot(pilots, actors, action, pid):
    with reverts("UnknownPilot", pilotId=pid):
        _do(pilots, actors, action, pid)


@pytest.mark.parametrize("action", ["activate", "complete"])
def test_sponsor_actions_need_the_pilots_sponsor(pilots, actors, action):
    state = Status.APPROVED if action == "activate" else Status.ACTIVE
    pid = _pilot_in(pilots, actors, state)
    other = actors.outsiders[0]
    pilots.registerSponsor(other, "Another Sponsor", sender=actors.office)
    for caller in (other, actors.office, actors.relayer):
        with reverts("NotPilotSponsor", pilotId=pid, caller=caller, sponsor=actors.sponsor):
            getattr(pilots, action)(pid, sender=caller)
    assert pilots.pilot(pid).status == state


def test_not_sponsor_is_checked_before_the_transition(pilots, actors):
    pid = _pilot_in(pilots, actors, Status.PROPOSED)
    with reverts("NotPilotSponsor", caller=actors.relayer):
        pilots.activate(pid, sender=actors.relayer)


# ─────────────────────────────────────── milestones ───────────────────────────────────────


def test_report_milestones(pilots, actors, chain, active):
    before = chain.time()
    rc = pilots.reportMilestone(active, h32("evidence-0"), "ipfs://m0", sender=actors.sponsor)
    ev = rc.event("MilestoneReported")
    assert (ev.pilotId, ev.index, ev.evidenceHash, ev.uri) == (
        active,
        0,
        h32("evidence-0"),
        "ipfs://m0",
    )
    rc = pilots.reportMilestone(active, h32("evidence-1"), "", sender=actors.sponsor)
    assert rc.event("MilestoneReported").index == 1
    assert pilots.milestoneCount(active) == 2
    m0 = pilots.milestone(active, 0)
    assert (m0.evidenceHash, m0.uri) == (h32("evidence-0"), "ipfs://m0")
    assert before <= m0.reportedAt <= chain.time()
    assert tuple(pilots.milestone(active, 1))[::2] == (h32("evidence-1"), "")


@pytest.mark.parametrize(
    "state",
    [Status.PROPOSED, Status.APPROVED, Status.COMPLETED, Status.REJECTED, Status.TERMINATED],
    ids=lambda s: s.name,
)
def test_milestone_only_while_active(pilots, actors, state):
    pid = _pilot_in(pilots, actors, state)
    with reverts("PilotNotActive", pilotId=pid, status=int(state)):
        pilots.reportMilestone(pid, h32("ev"), "", sender=actors.sponsor)
    assert pilots.milestoneCount(pid) == 0


def test_milestone_errors(pilots, actors, active):
    with reverts("NotPilotSponsor", pilotId=active, caller=actors.office, sponsor=actors.sponsor):
        pilots.reportMilestone(active, h32("ev"), "", sender=actors.office)
    with reverts("ZeroHash"):
        pilots.reportMilestone(active, ZERO32, "", sender=actors.sponsor)
    with reverts("UnknownPilot", pilotId=999):
        pilots.reportMilestone(999, h32("ev"), "", sender=actors.sponsor)
    with reverts("MilestoneIndexOutOfRange", pilotId=active, index=0, count=0):
        pilots.milestone(active, 0)
    pilots.reportMilestone(active, h32("ev"), "", sender=actors.sponsor)
    with reverts("MilestoneIndexOutOfRange", pilotId=active, index=1, count=1):
        pilots.milestone(active, 1)


# ─────────────────────────────────────── checkpoints ───────────────────────────────────────


def _anchor(pilots, actors, pid, seq, root, prev, uri=""):
    return pilots.anchorCheckpoint(pid, seq, root, prev, uri, sender=actors.sponsor)


def test_checkpoint_chain(pilots, actors, chain, active):
    r1, r2, r3 = h32("root-1"), h32("root-2"), h32("root-3")
    before = chain.time()
    rc = _anchor(pilots, actors, active, 1, r1, ZERO32, "ipfs://c1")
    ev = rc.event("CheckpointAnchored")
    assert (ev.pilotId, ev.seq, ev.root, ev.prevRoot, ev.uri) == (
        active,
        1,
        r1,
        ZERO32,
        "ipfs://c1",
    )
    last = pilots.lastCheckpoint(active)
    assert (last.seq, last.root) == (1, r1)
    assert before <= last.at <= chain.time()
    assert tuple(pilots.checkpointAnchored(active, r1)) == (True, 1, last.at)
    assert pilots.checkpointRoot(active, 1) == r1

    chain.sleep(60)
    _anchor(pilots, actors, active, 2, r2, r1)
    _anchor(pilots, actors, active, 3, r3, r2)
    last = pilots.lastCheckpoint(active)
    assert (last.seq, last.root) == (3, r3)
    assert [pilots.checkpointRoot(active, s) for s in (1, 2, 3, 4)] == [r1, r2, r3, ZERO32]
    a1, a2 = pilots.checkpointAnchored(active, r1), pilots.checkpointAnchored(active, r2)
    assert (a2.anchored, a2.seq) == (True, 2)
    assert a2.anchoredAt > a1.anchoredAt
    assert tuple(pilots.checkpointAnchored(active, h32("never"))) == (False, 0, 0)


@pytest.mark.parametrize(("done", "seq"), [(0, 0), (0, 2), (0, 2**64 - 1), (2, 2), (2, 4), (2, 1)])
def test_checkpoint_gap(pilots, actors, active, done, seq):
    roots = [ZERO32] + [h32(f"gap-{i}") for i in range(1, done + 1)]
    for i in range(1, done + 1):
        _anchor(pilots, actors, active, i, roots[i], roots[i - 1])
    with reverts("CheckpointGap", pilotId=active, expectedSeq=done + 1, seq=seq):
        _anchor(pilots, actors, active, seq, h32("next"), roots[-1])
    assert pilots.lastCheckpoint(active).seq == done


def test_checkpoint_fork(pilots, actors, active):
    r1 = h32("fork-1")
    with reverts(
        "CheckpointFork", pilotId=active, seq=1, expectedPrevRoot=ZERO32, prevRoot=h32("x")
    ):
        _anchor(pilots, actors, active, 1, r1, h32("x"))
    _anchor(pilots, actors, active, 1, r1, ZERO32)
    for wrong in (ZERO32, h32("other")):
        with reverts("CheckpointFork", pilotId=active, seq=2, expectedPrevRoot=r1, prevRoot=wrong):
            _anchor(pilots, actors, active, 2, h32("fork-2"), wrong)


def test_checkpoint_gap_is_checked_before_fork(pilots, actors, active):
    with reverts("CheckpointGap"):
        _anchor(pilots, actors, active, 5, h32("r"), h32("wrong-prev"))


def test_checkpoint_zero_root(pilots, actors, active):
    with reverts("ZeroHash"):
        _anchor(pilots, actors, active, 1, ZERO32, ZERO32)


def test_checkpoint_root_reused(pilots, actors, active):
    r1, r2 = h32("reuse-1"), h32("reuse-2")
    _anchor(pilots, actors, active, 1, r1, ZERO32)
    _anchor(pilots, actors, active, 2, r2, r1)
    with reverts("CheckpointRootReused", pilotId=active, root=r1, seq=1):
        _anchor(pilots, actors, active, 3, r1, r2)
    with reverts("CheckpointRootReused", pilotId=active, root=r2, seq=2):
        _anchor(pilots, actors, active, 3, r2, r2)
    assert pilots.lastCheckpoint(active).seq == 2


def test_same_root_in_another_pilot_is_fine(pilots, actors, active):
    other = _pilot_in(pilots, actors, Status.ACTIVE)
    r = h32("shared")
    _anchor(pilots, actors, active, 1, r, ZERO32)
    _anchor(pilots, actors, other, 1, r, ZERO32)
    assert pilots.checkpointAnchored(other, r).seq == pilots.checkpointAnchored(active, r).seq == 1


@pytest.mark.parametrize(
    "state",
    [Status.PROPOSED, Status.APPROVED, Status.COMPLETED, Status.REJECTED, Status.TERMINATED],
    ids=lambda s: s.name,
)
def test_checkpoint_only_while_active(pilots, actors, state):
    pid = _pilot_in(pilots, actors, state)
    with reverts("PilotNotActive", pilotId=pid, status=int(state)):
        _anchor(pilots, actors, pid, 1, h32("r"), ZERO32)
    assert tuple(pilots.lastCheckpoint(pid)) == (0, ZERO32, 0)


def test_checkpoints_stop_after_completion_but_stay_readable(pilots, actors, active):
    r1 = h32("kept")
    _anchor(pilots, actors, active, 1, r1, ZERO32)
    pilots.complete(active, sender=actors.sponsor)
    with reverts("PilotNotActive", pilotId=active, status=int(Status.COMPLETED)):
        _anchor(pilots, actors, active, 2, h32("late"), r1)
    assert pilots.checkpointAnchored(active, r1).anchored is True
    assert pilots.lastCheckpoint(active).root == r1


def test_checkpoint_sponsor_and_existence(pilots, actors, active):
    with reverts("NotPilotSponsor", pilotId=active, caller=actors.office, sponsor=actors.sponsor):
        pilots.anchorCheckpoint(active, 1, h32("r"), ZERO32, "", sender=actors.office)
    with reverts("UnknownPilot", pilotId=12345):
        _anchor(pilots, actors, 12345, 1, h32("r"), ZERO32)


# ─────────────────────────────────────── views ───────────────────────────────────────


@pytest.mark.parametrize("pid", [0, 1, 42, 2**256 - 1])
def test_views_on_unknown_pilot_do_not_revert(pilots, pid):
    assert tuple(pilots.pilot(pid)) == (ZERO_ADDRESS, Status.NONE, "", "", ZERO32, 0, 0, 0)
    assert tuple(pilots.lastCheckpoint(pid)) == (0, ZERO32, 0)
    assert tuple(pilots.checkpointAnchored(pid, h32("r"))) == (False, 0, 0)
    assert pilots.checkpointRoot(pid, 1) == ZERO32
    assert pilots.milestoneCount(pid) == 0
    with reverts("MilestoneIndexOutOfRange", pilotId=pid, index=0, count=0):
        pilots.milestone(pid, 0)


def test_role_constants(pilots):
    assert pilots.PROGRAMME_OFFICE_ROLE() == keccak(text="PROGRAMME_OFFICE_ROLE")
    assert pilots.PAUSER_ROLE() == keccak(text="PAUSER_ROLE")
