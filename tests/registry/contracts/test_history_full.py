"""IssuerRegistry refuses a change its history cannot hold (65,535 entries): HistoryFull.

Its own module: filling the history takes 65,534 transactions (seconds on the embedded
revm), and the mutation runner orders modules cheapest first.
"""

from __future__ import annotations

import pytest

from daftar.testing import reverts
from daftar_registry.status import Standing


def test_a_full_history_refuses_the_next_change(issuers, actors, chain):
    """At 65,535 entries every further change reverts HistoryFull(issuer), never wraps.

    65,534 renewals are sent as raw transactions (the encoded call once, then
    chain.transact): seconds on the embedded revm, far too slow elsewhere.
    """
    if chain.backend != "revm":
        pytest.skip("65,534 transactions: run on the embedded revm only")
    issuer, office = actors.issuer, actors.office
    data = issuers.renew.encode_input(issuer, 0, 0)
    for _ in range(65_535 - issuers.historyLength(issuer)):
        chain.transact(issuers.address, data, office)
    assert issuers.historyLength(issuer) == 65_535
    for change in (
        lambda: issuers.renew(issuer, 0, 0, sender=office),
        lambda: issuers.suspend(issuer, 1, 0, sender=office),
        lambda: issuers.revokeAccreditation(issuer, 1, 0, sender=office),
    ):
        with reverts("HistoryFull", issuer=issuer.address):
            change()
    assert issuers.currentStanding(issuer) == Standing.ACTIVE
