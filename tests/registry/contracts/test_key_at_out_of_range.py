"""IssuerRegistry.keyAt: an out-of-range key index reverts with HistoryIndexOutOfRange.

Kills a mutation-testing survivor: no test checked which error `keyAt` gives for an index
past the end, nor its arguments (issuer, index, length).
"""

from __future__ import annotations

from daftar.testing import reverts


def test_key_at_last_valid_index_then_out_of_range(issuers, actors):
    """The last index answers; index == length and beyond give the exact custom error."""
    org, key = actors.issuer, actors.outsiders[1]
    issuers.addKey(org, key, sender=actors.office)
    assert issuers.keyCount(org) == 2
    assert issuers.keyAt(org, 0).lower() == org.address.lower()
    assert issuers.keyAt(org, 1).lower() == key.address.lower()
    with reverts("HistoryIndexOutOfRange", issuer=org, index=2, length=2):
        issuers.keyAt(org, 2)
    with reverts("HistoryIndexOutOfRange", issuer=org, index=7, length=2):
        issuers.keyAt(org, 7)
    with reverts("HistoryIndexOutOfRange", issuer=org, index=2**256 - 1, length=2):
        issuers.keyAt(org, 2**256 - 1)


def test_key_at_of_organisation_without_keys(issuers, actors):
    """An address never accredited has no keys: even index 0 is out of range (length 0)."""
    stranger = actors.issuer2
    assert issuers.keyCount(stranger) == 0
    with reverts("HistoryIndexOutOfRange", issuer=stranger, index=0, length=0):
        issuers.keyAt(stranger, 0)
    with reverts("HistoryIndexOutOfRange", issuer=stranger, index=1, length=0):
        issuers.keyAt(stranger, 1)
