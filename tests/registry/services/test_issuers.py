"""issuer_summary(): standing, window, metadata and the ordered history of an issuer."""

from __future__ import annotations

from daftar_registry.services.issuers import issuer_summary
from daftar_registry.status import Standing

EXPLORER = "https://scan.example"  # as the linked_client fixture


def test_accredited_issuer(registry, client, chain, actors):
    summary = issuer_summary(client, actors.issuer.address)
    assert summary.issuer == actors.issuer.address
    assert summary.standing is Standing.ACTIVE and summary.in_good_standing
    assert summary.name == "Universiti Teknologi" and summary.metadata_uri == "ipfs://issuer-meta"
    assert summary.valid_until == 0  # open-ended, as the fixture accredited it
    assert 0 < summary.accredited_at <= chain.time() and summary.reason_code == 0
    assert [h.status for h in summary.history] == [Standing.ACTIVE]
    assert summary.registry == registry.issuers.address and summary.network == chain.name
    assert summary.issuer_link is None and summary.registry_link is None


def test_standing_changes_are_kept_in_order(registry, client, actors):
    address = actors.issuer.address
    registry.issuers.suspend(address, 12, 0, sender=actors.office)
    suspended = issuer_summary(client, address)
    assert suspended.standing is Standing.SUSPENDED and not suspended.in_good_standing
    assert suspended.reason_code == 12
    registry.issuers.reinstate(address, sender=actors.office)
    registry.issuers.revokeAccreditation(address, 99, 0, sender=actors.office)
    summary = issuer_summary(client, address)
    assert summary.standing is Standing.REVOKED and summary.reason_code == 99
    assert [h.status for h in summary.history] == [
        Standing.ACTIVE,
        Standing.SUSPENDED,
        Standing.ACTIVE,
        Standing.REVOKED,
    ]
    assert [h.reason_code for h in summary.history] == [0, 12, 0, 99]
    times = [h.at for h in summary.history]
    assert times == sorted(times)
    data = summary.to_json()
    assert [h["status"] for h in data["history"]] == ["ACTIVE", "SUSPENDED", "ACTIVE", "REVOKED"]
    assert data["standing"] == "REVOKED" and data["in_good_standing"] is False


def test_window_and_links(registry, linked_client, chain, actors):
    start, end = chain.time() + 10, 4_102_444_800  # 2100-01-01T00:00:00Z
    who = actors.outsiders[0].address
    registry.issuers.accredit(who, "Politeknik", "ipfs://p", start, end, sender=actors.office)
    summary = issuer_summary(linked_client, who)
    assert (summary.valid_from, summary.valid_until) == (start, end)
    assert summary.standing is Standing.NOT_YET_VALID and not summary.in_good_standing
    data = summary.to_json()
    assert data["valid_until"] == "2100-01-01T00:00:00Z" and data["name"] == "Politeknik"
    assert data["issuer_link"] == f"{EXPLORER}/address/{who}"
    assert data["registry_link"] == f"{EXPLORER}/address/{registry.issuers.address}"


def test_unknown_address(client, actors):
    summary = issuer_summary(client, actors.outsiders[1].address)
    assert summary.standing is Standing.NONE and not summary.in_good_standing
    assert summary.name == "" and summary.history == () and summary.accredited_at == 0
    data = summary.to_json()
    assert data["valid_from"] is None and data["accredited_at"] is None
