"""IssuerRegistry at the edges of its documented answers (docs/contracts.md).

Each test pins a rule that a surviving mutant of `daftar mutate` broke unnoticed: a fresh
organisation's own key record and its `KeyAdded` event; `addKey` refused for an issuer that
is neither Active nor Suspended; a retired key cannot be retired again without a compromise
time; `issuingOrganisation` answers all zeros (organisation, changes, epoch) whenever the key
may not issue, and the organisation's signature epoch otherwise; `canRevoke` and `judge` for
every address, the precompile-like `0x…01`, a compromise declared since second 1, and one
declared since the last second a uint40 holds.
"""

from __future__ import annotations

import pytest

from daftar.testing import reverts
from daftar_registry.status import CredentialStatus, KeyStatus, Standing

ZERO = "0x0000000000000000000000000000000000000000"
ONE = "0x0000000000000000000000000000000000000001"


def test_accredit_records_the_own_key_fresh_and_announces_it(issuers, actors):
    """The organisation's own address is its first key: Active, never compromised or retired."""
    rc = issuers.accredit(actors.issuer2, "Kolej Dua", "ipfs://two", 0, 0, sender=actors.office)
    issuer2 = actors.issuer2.address
    assert tuple(issuers.keyInfo(issuer2)) == (issuer2, KeyStatus.ACTIVE, 0, 0)
    added = rc.event("KeyAdded")
    assert (added.issuer, added.key, added.registrar) == (issuer2, issuer2, actors.office.address)


@pytest.mark.parametrize("state", [Standing.NONE, Standing.REVOKED])
def test_add_key_needs_an_active_or_suspended_issuer(issuers, actors, state):
    """Unknown and revoked organisations get no keys: InvalidStandingChange(issuer, s, s)."""
    issuer = actors.issuer2 if state is Standing.NONE else actors.issuer
    if state is Standing.REVOKED:
        issuers.revokeAccreditation(issuer, 6, 0, sender=actors.office)
    key = actors.outsiders[0]
    with reverts(
        "InvalidStandingChange", issuer=issuer.address, to=int(state), **{"from": int(state)}
    ):
        issuers.addKey(issuer, key, sender=actors.office)
    assert issuers.keyInfo(key).status == KeyStatus.NONE


def test_a_retired_key_is_not_retired_twice_without_a_compromise(issuers, actors):
    """Retired → Retired is refused with compromisedSince 0; a compromise time is accepted once."""
    key = actors.outsiders[0]
    issuers.addKey(actors.issuer, key, sender=actors.office)
    issuers.retireKey(actors.issuer, key, 0, sender=actors.office)
    with reverts("InvalidKeyChange", key=key.address, issuer=actors.issuer.address,
                 status=int(KeyStatus.RETIRED)):  # fmt: skip
        issuers.retireKey(actors.issuer, key, 0, sender=actors.office)
    issuers.retireKey(actors.issuer, key, 1, sender=actors.office)
    assert issuers.keyInfo(key).compromisedSince == 1


def _nobody(issuers, key) -> None:
    assert tuple(issuers.issuingOrganisation(key)) == (ZERO, 0, 0)


def test_issuing_organisation_is_all_zero_for_a_key_that_may_not_issue(issuers, actors):
    """Own key retired, another key retired or unknown, organisation suspended or paused."""
    issuer, office = actors.issuer, actors.office
    key, spare = actors.outsiders[0], actors.outsiders[1]
    issuers.addKey(issuer, key, sender=office)
    issuers.addKey(issuer, spare, sender=office)
    issuers.suspend(issuer, 1, 0, sender=office)  # epoch 1, 2 changes: nonzero fields
    _nobody(issuers, issuer)
    _nobody(issuers, key)
    issuers.reinstate(issuer, sender=office)
    assert tuple(issuers.issuingOrganisation(key)) == (issuer.address, 3, 1)
    issuers.pause(sender=actors.pauser)
    _nobody(issuers, key)
    issuers.unpause(sender=actors.pauser)
    issuers.retireKey(issuer, key, 0, sender=office)
    _nobody(issuers, key)
    _nobody(issuers, actors.outsiders[2])  # never a key
    issuers.retireKey(issuer, issuer, 0, sender=office)  # the organisation's own key
    _nobody(issuers, issuer)
    assert issuers.issuingOrganisation(spare).issuer == issuer.address


def test_issuing_organisation_reports_the_signature_epoch(issuers, actors):
    """The epoch grows by one per suspension; issuingOrganisation and signingEpoch agree."""
    issuer, office = actors.issuer, actors.office
    for n in (1, 2, 3):
        issuers.suspend(issuer, n, 0, sender=office)
        issuers.reinstate(issuer, sender=office)
        answer = issuers.issuingOrganisation(issuer)
        assert (answer.issuer, answer.epoch) == (issuer.address, n)
        assert issuers.signingEpoch(issuer) == n
        assert answer.changes == issuers.historyLength(issuer) == 1 + 2 * n


def test_any_address_can_be_an_organisation_with_keys(issuers, actors):
    """An accredited 0x…01 revokes with its own key and retires it, as any organisation."""
    issuers.accredit(ONE, "Unit One", "ipfs://one", 0, 0, sender=actors.office)
    assert issuers.canRevoke(ONE, ONE) is True
    assert issuers.canRevoke(ZERO, ZERO) is False
    assert issuers.canRevoke(actors.issuer, ONE) is False
    issuers.retireKey(ONE, ONE, 0, sender=actors.office)
    assert issuers.keyInfo(ONE).status == KeyStatus.RETIRED


def test_judge_without_a_compromise_is_not_compromised_for_any_position(issuers, actors):
    """No compromise declared: every (issuedAt, changes), changes 0 included, judges Ok."""
    for issued_at, changes in ((0, 0), (1, 0), (10**9, 1)):
        assert issuers.judge(actors.issuer, actors.issuer, issued_at, changes) == 0  # Flag.Ok


def test_a_compromise_since_second_one_covers_every_credential(registry, actors, chain):
    """compromisedSince = 1: everything the organisation ever anchored verifies Compromised."""
    issuers, credentials = registry.issuers, registry.credentials
    h = b"\x11" * 32
    credentials.issue(h, 0, sender=actors.issuer)
    issuers.revokeAccreditation(actors.issuer, 9, 1, sender=actors.office)
    assert credentials.verify(actors.issuer, h).status == CredentialStatus.ISSUER_COMPROMISED


def test_a_later_compromise_never_narrows_the_window(issuers, actors, chain):
    """A second declaration keeps the earlier start; an earlier one moves the start back."""
    issuer, office = actors.issuer, actors.office
    t = chain.time()
    issuers.suspend(issuer, 1, t - 100, sender=office)
    issuers.reinstate(issuer, sender=office)
    issuers.suspend(issuer, 2, t - 50, sender=office)
    since, through, _ = issuers.compromiseInfo(issuer)
    assert (since, through) == (t - 100, issuers.historyLength(issuer) - 1)
    issuers.revokeAccreditation(issuer, 3, t - 200, sender=office)
    assert issuers.compromiseInfo(issuer).compromisedSince == t - 200


def test_a_compromise_time_may_be_the_last_second_uint40_holds(issuers, actors, chain):
    """At block time 2^40 - 1 a compromise since 2^40 - 1 is accepted and stored exactly."""
    last = 2**40 - 1
    chain.mine(timestamp=last)
    issuers.suspend(actors.issuer, 1, last, sender=actors.office)
    assert issuers.compromiseInfo(actors.issuer).compromisedSince == last
