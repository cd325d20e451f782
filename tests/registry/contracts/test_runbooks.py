"""docs/runbooks.md, end to end on the embedded chain: the contract calls each command makes.

Each test sets up the incident (a thief holding a key), follows the runbook's steps in order,
and checks the outcome the runbook promises.
"""

from __future__ import annotations

from eth_utils import keccak

from daftar.testing import reverts
from daftar_registry.plan import role
from daftar_registry.status import CredentialStatus as Status
from daftar_registry.status import Revoker, Standing

REGISTRAR, PAUSER = role("REGISTRAR_ROLE"), role("PAUSER_ROLE")


def h32(label: str) -> bytes:
    return keccak(text=label)


def test_runbook_stolen_issuer_key(credentials, issuers, actors, chain):
    org, new_key = actors.issuer, actors.outsiders[1]
    credentials.issue(h32("genuine"), 0, sender=org)
    chain.sleep(600)
    stolen_at = chain.time()
    credentials.issue(h32("forged"), 0, sender=org)  # the thief

    # 2. daftar issuer retire-key ORG KEY --compromised-since T
    issuers.retireKey(org, org, stolen_at, sender=actors.office)
    assert credentials.verify(org, h32("forged")).status == Status.ISSUER_COMPROMISED
    assert credentials.verify(org, h32("genuine")).status == Status.VALID
    with reverts("IssuerNotInGoodStanding"):
        credentials.issue(h32("forged 2"), 0, sender=org)
    with reverts("NotIssuer"):
        credentials.revoke(org, h32("genuine"), 1, sender=org)
    # 3. daftar credential revoke forged.holder.json --reason 21 --as-authority
    credentials.authorityRevoke(org, h32("forged"), 21, sender=actors.office)
    assert credentials.verify(org, h32("forged")).revokedBy == Revoker.AUTHORITY
    # 4. daftar issuer add-key ORG NEWKEY; daftar credential issue ... --account newkey
    issuers.addKey(org, new_key, sender=actors.office)
    credentials.issue(h32("re-issued"), 0, sender=new_key)
    assert credentials.verify(org, h32("re-issued")).status == Status.VALID
    # 5. daftar credential cancel-signatures --count 10 (the new key's, say)
    credentials.cancelSignatures(10, sender=new_key)
    assert credentials.nonces(new_key) == 10


def test_runbook_stolen_registrar_key(credentials, issuers, actors, chain):
    thief, rogue, new_reg = actors.office, actors.outsiders[0], actors.outsiders[2]
    org, thief_key = actors.issuer, actors.outsiders[1]
    credentials.issue(h32("genuine"), 0, sender=org)
    # the incident: the thief accredits a rogue issuer and adds its own key to a real one
    issuers.accredit(rogue, "Universiti Palsu", "", 0, 0, sender=thief)
    rogue_at = issuers.issuerInfo(rogue).accreditedAt
    credentials.issue(h32("rogue degree"), 0, sender=rogue)
    issuers.addKey(org, thief_key, sender=thief)
    key_added_at = chain.time()
    credentials.issue(h32("forged by added key"), 0, sender=thief_key)

    # 1. daftar admin pause issuers
    issuers.pause(sender=actors.pauser)
    with reverts("IssuerNotInGoodStanding"):
        credentials.issue(h32("rogue again"), 0, sender=rogue)
    # 2. daftar admin revoke-role / grant REGISTRAR_ROLE
    issuers.revokeRole(REGISTRAR, thief, sender=actors.admin)
    issuers.grantRole(REGISTRAR, new_reg, sender=actors.admin)
    with reverts("AccessControlUnauthorizedAccount"):
        issuers.suspend(org, 1, 0, sender=thief)
    # 3. undo, while paused: revoke the rogue issuer, retire the thief's key
    issuers.revokeAccreditation(rogue, 31, rogue_at, sender=new_reg)
    issuers.retireKey(org, thief_key, key_added_at, sender=new_reg)
    assert credentials.verify(rogue, h32("rogue degree")).status == Status.ISSUER_COMPROMISED
    assert credentials.verify(org, h32("forged by added key")).status == Status.ISSUER_COMPROMISED
    assert credentials.verify(org, h32("genuine")).status == Status.VALID
    # 4. daftar admin unpause issuers: the real issuer carries on
    issuers.unpause(sender=actors.pauser)
    credentials.issue(h32("after the incident"), 0, sender=org)
    assert credentials.verify(org, h32("after the incident")).status == Status.VALID


def test_runbook_stolen_admin_key(credentials, issuers, pilots, actors, chain):
    thief, new_admin = actors.outsiders[0], actors.outsiders[2]
    # the incident: the thief (holding the admin key) makes itself registrar and pauser
    issuers.grantRole(REGISTRAR, thief, sender=actors.admin)
    issuers.grantRole(PAUSER, thief, sender=actors.admin)
    issuers.accredit(actors.issuer2, "Rogue", "", 0, 0, sender=thief)
    rogue_at = issuers.issuerInfo(actors.issuer2).accreditedAt
    credentials.issue(h32("rogue"), 0, sender=actors.issuer2)

    # 1. daftar admin pause issuers / credentials
    issuers.pause(sender=actors.pauser)
    credentials.pause(sender=actors.pauser)
    # 2. revoke the roles the thief granted itself
    issuers.revokeRole(REGISTRAR, thief, sender=actors.admin)
    issuers.revokeRole(PAUSER, thief, sender=actors.admin)
    with reverts("AccessControlUnauthorizedAccount"):
        issuers.unpause(sender=thief)
    # 3. move the admin seat (two steps, two days), on every contract
    for contract in (issuers, credentials, pilots):
        contract.beginDefaultAdminTransfer(new_admin, sender=actors.admin)
    chain.sleep(2 * 24 * 3600 + 60)
    for contract in (issuers, credentials, pilots):
        contract.acceptDefaultAdminTransfer(sender=new_admin)
        assert contract.defaultAdmin() == new_admin.address
    with reverts("AccessControlUnauthorizedAccount"):
        issuers.grantRole(REGISTRAR, thief, sender=actors.admin)  # the old key is powerless
    # 4. undo as in runbook 2, then unpause
    issuers.revokeAccreditation(actors.issuer2, 41, rogue_at, sender=actors.office)
    assert credentials.verify(actors.issuer2, h32("rogue")).status == Status.ISSUER_COMPROMISED
    assert issuers.currentStanding(actors.issuer2) == Standing.REVOKED
    issuers.unpause(sender=actors.pauser)
    credentials.unpause(sender=actors.pauser)
    credentials.issue(h32("business as usual"), 0, sender=actors.issuer)
