"""The wiring the other registry tests rely on."""

from daftar_registry.plan import role


def test_roles_granted(registry, actors):
    assert registry.issuers.hasRole(role("REGISTRAR_ROLE"), actors.office)
    assert registry.pilots.hasRole(role("PROGRAMME_OFFICE_ROLE"), actors.office)
    assert registry.credentials.hasRole(role("PAUSER_ROLE"), actors.pauser)
    assert not registry.issuers.hasRole(role("REGISTRAR_ROLE"), actors.outsiders[0])


def test_issue_and_verify(credentials, actors):
    h = b"\x11" * 32
    credentials.issue(h, 0, sender=actors.issuer)
    result = credentials.verify(actors.issuer, h)
    assert result.status == 1
    assert result.signer == actors.issuer.address
