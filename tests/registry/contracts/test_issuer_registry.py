"""IssuerRegistry: accreditation, standing transitions, windows, history (docs/contracts.md)."""

from __future__ import annotations

import pytest

from daftar.testing import reverts
from daftar_registry.plan import role
from daftar_registry.status import Standing

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def _entry_at(issuers, issuer, index):
    return issuers.historyEntry(issuer, index).at


def _put_in_state(issuers, actors, state):
    """Bring the already accredited `actors.issuer` (or the fresh issuer2) into a stored state."""
    if state is Standing.NONE:
        return actors.issuer2
    if state is Standing.SUSPENDED:
        issuers.suspend(actors.issuer, 5, 0, sender=actors.office)
    elif state is Standing.REVOKED:
        issuers.revokeAccreditation(actors.issuer, 6, 0, sender=actors.office)
    return actors.issuer


# ───────────────────────────────────────── accredit ─────────────────────────────────────────


def test_accredit_stores_record_history_and_emits(issuers, actors, chain):
    before = chain.time()
    rc = issuers.accredit(
        actors.issuer2, "Kolej Dua", "ipfs://two", 10, 2**40, sender=actors.office
    )

    ev = rc.event("IssuerAccredited")
    assert ev.issuer == actors.issuer2.address
    assert ev.registrar == actors.office.address
    assert ev.event == "IssuerAccredited"
    assert (ev.name, ev.metadataURI, ev.validFrom, ev.validUntil) == (
        "Kolej Dua",
        "ipfs://two",
        10,
        2**40,
    )

    info = issuers.issuerInfo(actors.issuer2)
    assert info.standing == Standing.ACTIVE
    assert (info.name, info.metadataURI) == ("Kolej Dua", "ipfs://two")
    assert (info.validFrom, info.validUntil) == (10, 2**40)
    assert before <= info.accreditedAt <= chain.time()
    assert info.reasonCode == 0
    assert info.historyCount == 1 == issuers.historyLength(actors.issuer2)

    entry = issuers.historyEntry(actors.issuer2, 0)
    assert tuple(entry) == (info.accreditedAt, Standing.ACTIVE, 10, 2**40, 0)
    assert issuers.currentStanding(actors.issuer2) == Standing.ACTIVE
    assert issuers.isInGoodStanding(actors.issuer2) is True


def test_accredit_allows_empty_metadata_uri(issuers, actors):
    issuers.accredit(actors.issuer2, "No Meta", "", 0, 0, sender=actors.office)
    assert issuers.issuerInfo(actors.issuer2).metadataURI == ""
    assert issuers.isInGoodStanding(actors.issuer2)


def test_accredit_zero_issuer(issuers, actors):
    with reverts("ZeroIssuer"):
        issuers.accredit(ZERO_ADDRESS, "Nobody", "", 0, 0, sender=actors.office)


def test_accredit_empty_name(issuers, actors):
    with reverts("EmptyName"):
        issuers.accredit(actors.issuer2, "", "ipfs://x", 0, 0, sender=actors.office)
    assert issuers.historyLength(actors.issuer2) == 0


@pytest.mark.parametrize(("valid_from", "valid_until"), [(100, 100), (100, 99), (2**64 - 1, 1)])
def test_accredit_rejects_empty_or_inverted_window(issuers, actors, valid_from, valid_until):
    with reverts("InvalidValidityWindow", validFrom=valid_from, validUntil=valid_until):
        issuers.accredit(actors.issuer2, "X", "", valid_from, valid_until, sender=actors.office)


@pytest.mark.parametrize(("valid_from", "valid_until"), [(0, 0), (100, 0), (0, 1), (99, 100)])
def test_accredit_accepts_open_or_ordered_window(issuers, actors, valid_from, valid_until):
    issuers.accredit(actors.issuer2, "X", "", valid_from, valid_until, sender=actors.office)
    info = issuers.issuerInfo(actors.issuer2)
    assert (info.validFrom, info.validUntil) == (valid_from, valid_until)


@pytest.mark.parametrize("state", [Standing.ACTIVE, Standing.SUSPENDED, Standing.REVOKED])
def test_accredit_twice_reverts_whatever_the_status(issuers, actors, state):
    issuer = _put_in_state(issuers, actors, state)
    with reverts("IssuerAlreadyAccredited", issuer=issuer, status=int(state)):
        issuers.accredit(issuer, "Again", "", 0, 0, sender=actors.office)


def test_accredit_needs_registrar_role(issuers, actors):
    for caller in (actors.outsiders[0], actors.admin, actors.pauser):
        with reverts(
            "AccessControlUnauthorizedAccount", account=caller, neededRole=role("REGISTRAR_ROLE")
        ):
            issuers.accredit(actors.issuer2, "X", "", 0, 0, sender=caller)


# ─────────────────────────────── suspend / reinstate / revoke ───────────────────────────────

# (stored state, action) -> target status, or None if the edge does not exist.
_ACTIONS = {
    "suspend": Standing.SUSPENDED,
    "reinstate": Standing.ACTIVE,
    "revokeAccreditation": Standing.REVOKED,
}
_ALLOWED = {
    (Standing.ACTIVE, "suspend"),
    (Standing.SUSPENDED, "reinstate"),
    (Standing.ACTIVE, "revokeAccreditation"),
    (Standing.SUSPENDED, "revokeAccreditation"),
}
_STATES = [Standing.NONE, Standing.ACTIVE, Standing.SUSPENDED, Standing.REVOKED]


def _act(issuers, action, issuer, sender, reason=42):
    if action == "reinstate":
        return issuers.reinstate(issuer, sender=sender)
    return getattr(issuers, action)(issuer, reason, 0, sender=sender)


@pytest.mark.parametrize("action", list(_ACTIONS))
@pytest.mark.parametrize("state", _STATES, ids=lambda s: s.name)
def test_standing_transition_matrix(issuers, actors, state, action):
    issuer = _put_in_state(issuers, actors, state)
    target = _ACTIONS[action]
    length = issuers.historyLength(issuer)
    if (state, action) in _ALLOWED:
        _act(issuers, action, issuer, actors.office)
        assert issuers.currentStanding(issuer) == target
        assert issuers.historyLength(issuer) == length + 1
        assert issuers.historyEntry(issuer, length).status == target
    else:
        with reverts("InvalidStandingChange", issuer=issuer, to=int(target)) as info:
            _act(issuers, action, issuer, actors.office)
        assert info.exc.args_by_name["from"] == state
        assert issuers.historyLength(issuer) == length


def test_suspend_emits_and_records_reason(issuers, actors):
    rc = issuers.suspend(actors.issuer, 7, 0, sender=actors.office)
    ev = rc.event("IssuerSuspended")
    assert (ev.issuer, ev.registrar, ev.reasonCode) == (
        actors.issuer.address,
        actors.office.address,
        7,
    )
    info = issuers.issuerInfo(actors.issuer)
    assert (info.standing, info.reasonCode, info.historyCount) == (Standing.SUSPENDED, 7, 2)
    assert issuers.historyEntry(actors.issuer, 1).reasonCode == 7
    assert issuers.isInGoodStanding(actors.issuer) is False


def test_reinstate_emits_clears_reason_and_keeps_window(issuers, actors):
    issuers.suspend(actors.issuer, 7, 0, sender=actors.office)
    issuers.renew(actors.issuer, 5, 2**40, sender=actors.office)  # window changed while suspended
    rc = issuers.reinstate(actors.issuer, sender=actors.office)
    ev = rc.event("IssuerReinstated")
    assert (ev.issuer, ev.registrar) == (actors.issuer.address, actors.office.address)
    info = issuers.issuerInfo(actors.issuer)
    assert (info.standing, info.reasonCode) == (Standing.ACTIVE, 0)
    assert (info.validFrom, info.validUntil) == (5, 2**40)
    entry = issuers.historyEntry(actors.issuer, info.historyCount - 1)
    assert (entry.status, entry.validFrom, entry.validUntil, entry.reasonCode) == (
        Standing.ACTIVE,
        5,
        2**40,
        0,
    )
    assert issuers.isInGoodStanding(actors.issuer) is True


@pytest.mark.parametrize("from_state", [Standing.ACTIVE, Standing.SUSPENDED])
def test_revoke_accreditation_is_terminal(issuers, actors, from_state):
    _put_in_state(issuers, actors, from_state)
    rc = issuers.revokeAccreditation(actors.issuer, 9, 0, sender=actors.office)
    ev = rc.event("IssuerRevoked")
    assert (ev.issuer, ev.registrar, ev.reasonCode) == (
        actors.issuer.address,
        actors.office.address,
        9,
    )
    info = issuers.issuerInfo(actors.issuer)
    assert (info.standing, info.reasonCode) == (Standing.REVOKED, 9)
    assert issuers.isInGoodStanding(actors.issuer) is False
    # never again: not re-accredited, not reinstated, not renewed, no metadata change
    with reverts("IssuerAlreadyAccredited", status=int(Standing.REVOKED)):
        issuers.accredit(actors.issuer, "Back", "", 0, 0, sender=actors.office)
    with reverts("InvalidStandingChange", to=int(Standing.ACTIVE)):
        issuers.reinstate(actors.issuer, sender=actors.office)


# ─────────────────────────────────────── renew ───────────────────────────────────────


@pytest.mark.parametrize("state", [Standing.ACTIVE, Standing.SUSPENDED])
def test_renew_replaces_window_and_records(issuers, actors, state):
    _put_in_state(issuers, actors, state)
    length = issuers.historyLength(actors.issuer)
    rc = issuers.renew(actors.issuer, 100, 2**41, sender=actors.office)
    ev = rc.event("IssuerRenewed")
    assert (ev.issuer, ev.registrar, ev.validFrom, ev.validUntil) == (
        actors.issuer.address,
        actors.office.address,
        100,
        2**41,
    )
    info = issuers.issuerInfo(actors.issuer)
    assert (info.validFrom, info.validUntil, info.standing) == (100, 2**41, state)
    assert info.historyCount == length + 1
    entry = issuers.historyEntry(actors.issuer, length)
    assert (entry.status, entry.validFrom, entry.validUntil) == (state, 100, 2**41)
    # a suspension's reason survives the renewal
    assert entry.reasonCode == (5 if state is Standing.SUSPENDED else 0)


@pytest.mark.parametrize("state", [Standing.NONE, Standing.REVOKED])
def test_renew_refused_unless_active_or_suspended(issuers, actors, state):
    issuer = _put_in_state(issuers, actors, state)
    with reverts("InvalidStandingChange", issuer=issuer, to=int(state)) as info:
        issuers.renew(issuer, 0, 0, sender=actors.office)
    assert info.exc.args_by_name["from"] == state


def test_renew_validates_window(issuers, actors):
    with reverts("InvalidValidityWindow", validFrom=50, validUntil=50):
        issuers.renew(actors.issuer, 50, 50, sender=actors.office)


def test_renew_brings_expired_issuer_back(issuers, actors, chain):
    now = chain.time()
    issuers.accredit(actors.issuer2, "Short", "", 0, now + 100, sender=actors.office)
    chain.mine(timestamp=now + 200)
    assert issuers.currentStanding(actors.issuer2) == Standing.EXPIRED
    issuers.renew(actors.issuer2, 0, 0, sender=actors.office)
    assert issuers.currentStanding(actors.issuer2) == Standing.ACTIVE
    assert issuers.isInGoodStanding(actors.issuer2)


# ─────────────────────────────────── setMetadataURI ───────────────────────────────────


@pytest.mark.parametrize("state", [Standing.ACTIVE, Standing.SUSPENDED])
def test_set_metadata_uri(issuers, actors, state):
    _put_in_state(issuers, actors, state)
    length = issuers.historyLength(actors.issuer)
    rc = issuers.setMetadataURI(actors.issuer, "ipfs://new", sender=actors.office)
    ev = rc.event("IssuerMetadataUpdated")
    assert (ev.issuer, ev.registrar, ev.metadataURI) == (
        actors.issuer.address,
        actors.office.address,
        "ipfs://new",
    )
    assert issuers.issuerInfo(actors.issuer).metadataURI == "ipfs://new"
    assert issuers.historyLength(actors.issuer) == length  # not a standing change


@pytest.mark.parametrize("state", [Standing.NONE, Standing.REVOKED])
def test_set_metadata_uri_refused_unless_active_or_suspended(issuers, actors, state):
    issuer = _put_in_state(issuers, actors, state)
    with reverts("InvalidStandingChange", issuer=issuer, to=int(state)) as info:
        issuers.setMetadataURI(issuer, "ipfs://new", sender=actors.office)
    assert info.exc.args_by_name["from"] == state


# ─────────────────────────────── windows and standingAt ───────────────────────────────


def test_window_not_yet_valid_then_active_then_expired(issuers, actors, chain):
    now = chain.time()
    start, end = now + 1_000, now + 2_000
    issuers.accredit(actors.issuer2, "Windowed", "", start, end, sender=actors.office)
    assert issuers.currentStanding(actors.issuer2) == Standing.NOT_YET_VALID
    assert issuers.isInGoodStanding(actors.issuer2) is False
    assert issuers.issuerInfo(actors.issuer2).standing == Standing.NOT_YET_VALID

    chain.mine(timestamp=start + 500)
    assert issuers.currentStanding(actors.issuer2) == Standing.ACTIVE
    assert issuers.isInGoodStanding(actors.issuer2) is True

    chain.mine(timestamp=end)
    assert issuers.currentStanding(actors.issuer2) == Standing.EXPIRED
    assert issuers.isInGoodStanding(actors.issuer2) is False
    assert issuers.issuerInfo(actors.issuer2).standing == Standing.EXPIRED


def test_standing_at_window_edges_are_inclusive_start_exclusive_end(issuers, actors, chain):
    now = chain.time()
    start, end = now + 1_000, now + 2_000
    issuers.accredit(actors.issuer2, "Windowed", "", start, end, sender=actors.office)
    at = _entry_at(issuers, actors.issuer2, 0)
    expected = {
        at - 1: Standing.NONE,
        at: Standing.NOT_YET_VALID,
        start - 1: Standing.NOT_YET_VALID,
        start: Standing.ACTIVE,
        end - 1: Standing.ACTIVE,
        end: Standing.EXPIRED,
        end + 10**6: Standing.EXPIRED,
    }
    assert {t: issuers.standingAt(actors.issuer2, t) for t in expected} == expected


def test_suspended_is_reported_whatever_the_window(issuers, actors, chain):
    now = chain.time()
    issuers.accredit(actors.issuer2, "W", "", 0, now + 100, sender=actors.office)
    issuers.suspend(actors.issuer2, 1, 0, sender=actors.office)
    chain.mine(timestamp=now + 500)
    assert issuers.currentStanding(actors.issuer2) == Standing.SUSPENDED
    assert issuers.standingAt(actors.issuer2, now + 10**6) == Standing.SUSPENDED


def test_standing_at_across_history(issuers, actors, chain):
    issuers.accredit(actors.issuer2, "History", "", 0, 0, sender=actors.office)
    chain.sleep(100)
    issuers.suspend(actors.issuer2, 3, 0, sender=actors.office)
    chain.sleep(100)
    issuers.reinstate(actors.issuer2, sender=actors.office)
    chain.sleep(100)
    issuers.revokeAccreditation(actors.issuer2, 4, 0, sender=actors.office)

    t0, t1, t2, t3 = (_entry_at(issuers, actors.issuer2, i) for i in range(4))
    assert t0 < t1 < t2 < t3
    statuses = [issuers.historyEntry(actors.issuer2, i).status for i in range(4)]
    assert statuses == [Standing.ACTIVE, Standing.SUSPENDED, Standing.ACTIVE, Standing.REVOKED]
    expected = {
        0: Standing.NONE,
        t0 - 1: Standing.NONE,
        t0: Standing.ACTIVE,
        (t0 + t1) // 2: Standing.ACTIVE,
        t1 - 1: Standing.ACTIVE,
        t1: Standing.SUSPENDED,
        t2 - 1: Standing.SUSPENDED,
        t2: Standing.ACTIVE,
        t3 - 1: Standing.ACTIVE,
        t3: Standing.REVOKED,
        2**64 - 1: Standing.REVOKED,
    }
    assert {t: issuers.standingAt(actors.issuer2, t) for t in expected} == expected


def test_standing_at_judges_each_entry_by_its_own_window(issuers, actors, chain):
    now = chain.time()
    issuers.accredit(actors.issuer2, "Renewed", "", 0, now + 50, sender=actors.office)
    chain.mine(timestamp=now + 1_000)
    issuers.renew(actors.issuer2, now + 2_000, now + 3_000, sender=actors.office)
    t0 = _entry_at(issuers, actors.issuer2, 0)
    t_renew = _entry_at(issuers, actors.issuer2, 1)
    assert issuers.standingAt(actors.issuer2, t0) == Standing.ACTIVE
    assert issuers.standingAt(actors.issuer2, now + 50) == Standing.EXPIRED  # old window
    assert issuers.standingAt(actors.issuer2, t_renew - 1) == Standing.EXPIRED
    assert issuers.standingAt(actors.issuer2, t_renew) == Standing.NOT_YET_VALID  # new window
    assert issuers.standingAt(actors.issuer2, now + 2_000) == Standing.ACTIVE
    assert issuers.standingAt(actors.issuer2, now + 3_000) == Standing.EXPIRED


def test_standing_at_never_accredited_is_none(issuers, actors):
    for t in (0, 1, 2**32, 2**64 - 1):
        assert issuers.standingAt(actors.outsiders[0], t) == Standing.NONE
    assert issuers.standingAt(ZERO_ADDRESS, 2**40) == Standing.NONE


# ─────────────────────────────────── views ───────────────────────────────────


def test_issuer_info_of_unknown_address(issuers, actors):
    info = issuers.issuerInfo(actors.outsiders[1])
    assert tuple(info) == (Standing.NONE, "", "", 0, 0, 0, 0, 0)
    assert issuers.currentStanding(actors.outsiders[1]) == Standing.NONE
    assert issuers.isInGoodStanding(actors.outsiders[1]) is False
    assert issuers.historyLength(actors.outsiders[1]) == 0


def test_fixture_issuer_info(issuers, actors):
    info = issuers.issuerInfo(actors.issuer)
    assert info.standing == Standing.ACTIVE
    assert (info.name, info.metadataURI) == ("Universiti Teknologi", "ipfs://issuer-meta")
    assert (info.validFrom, info.validUntil, info.reasonCode, info.historyCount) == (0, 0, 0, 1)
    assert info.accreditedAt == _entry_at(issuers, actors.issuer, 0) > 0


def test_history_entry_out_of_range(issuers, actors):
    with reverts("HistoryIndexOutOfRange", issuer=actors.issuer, index=1, length=1):
        issuers.historyEntry(actors.issuer, 1)
    with reverts("HistoryIndexOutOfRange", issuer=actors.issuer2, index=0, length=0):
        issuers.historyEntry(actors.issuer2, 0)
    with reverts("HistoryIndexOutOfRange", index=2**256 - 1, length=1):
        issuers.historyEntry(actors.issuer, 2**256 - 1)


def test_history_is_append_only(issuers, actors):
    first = tuple(issuers.historyEntry(actors.issuer, 0))
    issuers.suspend(actors.issuer, 1, 0, sender=actors.office)
    issuers.renew(actors.issuer, 0, 2**40, sender=actors.office)
    issuers.reinstate(actors.issuer, sender=actors.office)
    assert issuers.historyLength(actors.issuer) == 4
    assert tuple(issuers.historyEntry(actors.issuer, 0)) == first
    entries = [tuple(issuers.historyEntry(actors.issuer, i))[1:] for i in range(4)]
    assert entries == [
        (Standing.ACTIVE, 0, 0, 0),
        (Standing.SUSPENDED, 0, 0, 1),
        (Standing.SUSPENDED, 0, 2**40, 1),
        (Standing.ACTIVE, 0, 2**40, 0),
    ]


def test_role_constants(issuers):
    assert issuers.REGISTRAR_ROLE() == role("REGISTRAR_ROLE")
    assert issuers.PAUSER_ROLE() == role("PAUSER_ROLE")
