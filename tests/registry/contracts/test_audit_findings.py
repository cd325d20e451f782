"""The registry v2 audit findings, one test each: every test here fails on the v1 contracts.

Findings already pinned elsewhere: squatting (test_credential_registry.py::
test_squatting_another_issuers_hash_takes_nothing), signature cancellation, revival after a
suspension and the deadline window (test_credential_registry.py), time fields that wrap
(test_credential_registry.py::test_time_fields_refuse_instead_of_wrapping), pause against
incident response (test_pause_and_roles.py::test_pause_never_blocks_a_restrictive_action),
roles at deploy (tests/registry/test_plan.py).
"""

from __future__ import annotations

import pytest
from eth_account import Account as EthAccount
from eth_utils import keccak

from daftar.chain.base import Account
from daftar.keys import sign_typed_data
from daftar.testing import reverts
from daftar_registry.formats.merkle import MerkleTree
from daftar_registry.formats.signing import domain_of
from daftar_registry.status import CredentialStatus as Status
from daftar_registry.status import KeyStatus, Revoker, Standing


def h32(label: str) -> bytes:
    return keccak(text=label)


def fresh(label: str) -> Account:
    key = keccak(text=f"daftar audit: {label}")
    return Account(EthAccount.from_key(key).address, key)


# ───────────────────────────── a stolen issuer key can be cleaned up ─────────────────────────────


def test_stolen_key_cleanup(credentials, issuers, actors, chain):
    """v1: after revokeAccreditation forged and genuine credentials both read IssuerRevoked,
    only the thief could revoke the forged ones, the thief could still revoke genuine ones,
    and the organisation could never rotate to a new key. v2: the office retires the key as
    compromised since the theft, forged credentials turn ISSUER_COMPROMISED, genuine ones stay
    VALID, the thief can revoke nothing, the office revokes the forgeries, and a new key
    carries on for the same organisation (and can revoke its older credentials)."""
    org, new_key = actors.issuer, actors.outsiders[1]
    genuine = [h32("genuine-1"), h32("genuine-2")]
    for h in genuine:
        credentials.issue(h, 0, sender=org)
    chain.sleep(3600)
    stolen_at = chain.time()
    forged = h32("forged")
    credentials.issue(forged, 0, sender=org)  # the thief

    rc = issuers.retireKey(org, org, stolen_at, sender=actors.office)
    assert rc.event("KeyRetired").compromisedSince == stolen_at
    assert credentials.verify(org, forged).status == Status.ISSUER_COMPROMISED
    assert all(credentials.verify(org, h).status == Status.VALID for h in genuine)
    with reverts("NotIssuer", hash=genuine[0], caller=org, issuer=org):
        credentials.revoke(org, genuine[0], 1, sender=org)  # the thief cannot touch them
    with reverts("IssuerNotInGoodStanding", issuer=org):
        credentials.issue(h32("more forgeries"), 0, sender=org)

    rc = credentials.authorityRevoke(org, forged, 66, sender=actors.office)
    ev = rc.event("CredentialRevoked")
    assert (ev.revoker, ev.revokedBy) == (actors.office.address, Revoker.AUTHORITY)
    r = credentials.verify(org, forged)
    assert (r.status, r.reasonCode, r.revokedBy) == (Status.REVOKED, 66, Revoker.AUTHORITY)

    added = issuers.addKey(org, new_key, sender=actors.office).event("KeyAdded")
    assert (added.issuer, added.key, added.registrar) == (
        org.address,
        new_key.address,
        actors.office.address,
    )
    info = issuers.keyInfo(new_key)  # a fresh key: active, never retired or compromised
    assert (info.issuer, info.status, info.compromisedSince, info.retiredAt) == (
        org.address,
        KeyStatus.ACTIVE,
        0,
        0,
    )
    rc = credentials.issue(h32("after rotation"), 0, sender=new_key)
    ev = rc.event("CredentialIssued")
    assert (ev.issuer, ev.signer) == (org.address, new_key.address)
    r = credentials.verify(org, h32("after rotation"))
    assert (r.status, r.signer) == (Status.VALID, new_key.address)
    credentials.revoke(org, genuine[1], 3, sender=new_key)  # a new key revokes older ones
    r = credentials.verify(org, genuine[1])
    assert (r.status, r.revokedBy) == (Status.REVOKED, Revoker.ISSUER)
    assert credentials.verify(org, genuine[0]).status == Status.VALID


def test_retired_key_keeps_its_credentials_valid(credentials, issuers, actors):
    org, key = actors.issuer, actors.outsiders[1]
    issuers.addKey(org, key, sender=actors.office)
    credentials.issue(h32("by the old key"), 0, sender=key)
    issuers.retireKey(org, key, 0, sender=actors.office)
    assert issuers.keyInfo(key).status == KeyStatus.RETIRED
    assert credentials.verify(org, h32("by the old key")).status == Status.VALID
    with reverts("IssuerNotInGoodStanding", issuer=key):
        credentials.issue(h32("after retirement"), 0, sender=key)
    with reverts("NotIssuer", caller=key, issuer=org):
        credentials.revoke(org, h32("by the old key"), 1, sender=key)
    # a retired key can still be marked compromised later, once
    issuers.retireKey(org, key, 1, sender=actors.office)
    assert credentials.verify(org, h32("by the old key")).status == Status.ISSUER_COMPROMISED
    with reverts("InvalidKeyChange", key=key, issuer=org):
        issuers.retireKey(org, key, 1, sender=actors.office)


def test_keys_belong_to_one_organisation_forever(issuers, actors):
    org, key = actors.issuer, actors.outsiders[1]
    issuers.addKey(org, key, sender=actors.office)
    with reverts("KeyInUse", key=key, issuer=org):
        issuers.accredit(key, "Squatting a key", "", 0, 0, sender=actors.office)
    issuers.accredit(actors.issuer2, "Second", "", 0, 0, sender=actors.office)
    with reverts("KeyInUse", key=key, issuer=org):
        issuers.addKey(actors.issuer2, key, sender=actors.office)
    with reverts("KeyInUse", key=actors.issuer2, issuer=actors.issuer2):
        issuers.addKey(org, actors.issuer2, sender=actors.office)
    assert [issuers.keyAt(org, i) for i in range(issuers.keyCount(org))] == [
        org.address,
        key.address,
    ]


def test_organisation_compromise_window_closes_at_the_suspension(
    credentials, issuers, actors, chain
):
    """A suspension with a compromised-since time: credentials from that time until the
    suspension are compromised; earlier ones and those after a reinstatement are not, and
    while the compromise stands no key of the organisation can revoke."""
    org = actors.issuer
    credentials.issue(h32("before"), 0, sender=org)
    chain.sleep(100)
    since = chain.time()
    credentials.issue(h32("inside"), 0, sender=org)
    issuers.suspend(org, 5, since, sender=actors.office)
    assert issuers.compromiseInfo(org).compromisedSince == since
    assert credentials.verify(org, h32("before")).status == Status.ISSUER_SUSPENDED
    assert credentials.verify(org, h32("inside")).status == Status.ISSUER_COMPROMISED
    with reverts("NotIssuer", caller=org, issuer=org):
        credentials.revoke(org, h32("inside"), 1, sender=org)
    issuers.reinstate(org, sender=actors.office)
    credentials.issue(h32("after"), 0, sender=org)  # the same second may be `since`: no matter
    assert credentials.verify(org, h32("after")).status == Status.VALID
    assert credentials.verify(org, h32("before")).status == Status.VALID
    assert credentials.verify(org, h32("inside")).status == Status.ISSUER_COMPROMISED
    with reverts("InvalidCompromiseTime", compromisedSince=chain.time() + 1000):
        issuers.suspend(org, 5, chain.time() + 1000, sender=actors.office)


def test_revocation_with_compromise_flags_only_the_window(credentials, issuers, actors, chain):
    org = actors.issuer
    credentials.issue(h32("old"), 0, sender=org)
    chain.sleep(100)
    since = chain.time()
    credentials.issue(h32("new"), 0, sender=org)
    issuers.revokeAccreditation(org, 9, since, sender=actors.office)
    assert credentials.verify(org, h32("old")).status == Status.ISSUER_REVOKED
    assert credentials.verify(org, h32("new")).status == Status.ISSUER_COMPROMISED


# ───────────────────────────── exact standing within a block or second ─────────────────────────────


def _freeze(chain) -> int:
    """Every following block gets the same timestamp (as on an L2 with second-grained time)."""
    t = chain.time() + 10
    chain.mine(timestamp=t)
    chain.sleep(-10_000)
    return t


@pytest.mark.parametrize("order", ["issue-then-suspend", "suspend-then-issue"])
def test_same_second_issue_and_suspension(credentials, issuers, actors, chain, order):
    """v1: issue and suspend in one second made standingAt(issuer, issuedAt) say Suspended for
    a credential `issue` accepted as Active. v2 stores the history position with the
    credential: standingAfter answers exactly, in both orders."""
    org, h = actors.issuer, h32(order)
    t = _freeze(chain)
    if order == "issue-then-suspend":
        credentials.issue(h, 0, sender=org)
        issuers.suspend(org, 4, 0, sender=actors.office)
        info = credentials.credentialInfo(org, h)
        last = issuers.historyEntry(org, issuers.historyLength(org) - 1)
        assert info.issuedAt == last.at == t  # one second for both
        assert issuers.standingAt(org, t) == Standing.SUSPENDED  # by the second: ambiguous
        assert issuers.standingAfter(org, info.issuerChanges, t) == Standing.ACTIVE  # exact
        assert credentials.verify(org, h).status == Status.ISSUER_SUSPENDED
        # a compromise declared in that same second covers it (at or after `since`) ...
        issuers.revokeAccreditation(org, 4, t, sender=actors.office)
        assert credentials.verify(org, h).status == Status.ISSUER_COMPROMISED
    else:
        issuers.suspend(org, 4, 0, sender=actors.office)
        with reverts("IssuerNotInGoodStanding", issuer=org):
            credentials.issue(h, 0, sender=org)
        issuers.reinstate(org, sender=actors.office)
        credentials.issue(h, 0, sender=org)
        info = credentials.credentialInfo(org, h)
        assert info.issuedAt == t
        assert issuers.standingAfter(org, info.issuerChanges, t) == Standing.ACTIVE
        # ... but one declared with the suspension before the issue does not, same second
        issuers.suspend(org, 4, 0, sender=actors.office)  # no compromise: plain flag
        assert credentials.verify(org, h).status == Status.ISSUER_SUSPENDED
    chain.mine(timestamp=t + 20)


def test_reinstated_in_the_same_second_after_a_compromise(credentials, issuers, actors, chain):
    """Compromise window [since, suspension]: a credential issued after the reinstatement in
    the very same second is outside it (ordering by history position, not by time)."""
    org = actors.issuer
    t = _freeze(chain)
    credentials.issue(h32("inside"), 0, sender=org)
    issuers.suspend(org, 4, t, sender=actors.office)
    issuers.reinstate(org, sender=actors.office)
    credentials.issue(h32("outside"), 0, sender=org)
    assert credentials.verify(org, h32("inside")).status == Status.ISSUER_COMPROMISED
    assert credentials.verify(org, h32("outside")).status == Status.VALID
    chain.mine(timestamp=t + 20)


# ─────────────────────────────────── delegated revocation ───────────────────────────────────


@pytest.fixture
def offline(issuers, actors):
    acct = fresh("offline issuer")
    issuers.accredit(acct, "Offline", "", 0, 0, sender=actors.office)
    return acct


def _typed(credentials, primary, fields, message):
    domain = domain_of(credentials)
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            primary: [{"name": n, "type": t} for n, t in fields],
        },
        "primaryType": primary,
        "domain": domain,
        "message": message,
    }


_HEAD = [("signer", "address"), ("issuer", "address")]
_TAIL = [("reasonCode", "uint16"), ("nonce", "uint256"), ("deadline", "uint256")]


def test_revoke_with_sig_needs_no_funded_key(credentials, actors, chain, offline):
    """v1 had no delegated revocation: an offline issuer key had to be funded to revoke."""
    tree = MerkleTree([h32("a"), h32("b"), h32("c")])
    deadline = chain.time() + 3600

    def issue_sig(h):
        nonce = credentials.nonces(offline)
        digest = credentials.issueDigest(offline, h, 0, nonce, deadline)
        return EthAccount.unsafe_sign_hash(digest, offline.key).signature

    credentials.issueWithSig(offline, h32("one"), 0, deadline, issue_sig(h32("one")),
                             sender=actors.relayer)  # fmt: skip
    batch_typed = _typed(
        credentials, "IssueBatch",
        [("issuer", "address"), ("merkleRoot", "bytes32"), ("count", "uint32"),
         ("expiresAt", "uint64"), ("uri", "string"), ("nonce", "uint256"),
         ("deadline", "uint256")],
        {"issuer": offline.address, "merkleRoot": tree.root, "count": 3, "expiresAt": 0,
         "uri": "", "nonce": credentials.nonces(offline), "deadline": deadline},
    )  # fmt: skip
    credentials.issueBatchWithSig(offline, tree.root, 3, 0, "", deadline,
                                  sign_typed_data(offline, batch_typed), sender=actors.relayer)  # fmt: skip
    base = {"signer": offline.address, "issuer": offline.address, "reasonCode": 7,
            "deadline": deadline}  # fmt: skip

    msg = {**base, "credentialHash": h32("one"), "nonce": credentials.nonces(offline)}
    typed = _typed(credentials, "Revoke", [*_HEAD, ("credentialHash", "bytes32"), *_TAIL], msg)
    sig = sign_typed_data(offline, typed)
    credentials.revokeWithSig(offline, offline, h32("one"), 7, deadline, sig, sender=actors.relayer)
    r = credentials.verify(offline, h32("one"))
    assert (r.status, r.reasonCode, r.revokedBy) == (Status.REVOKED, 7, Revoker.ISSUER)
    with reverts("InvalidSignature", issuer=offline):  # replay: the nonce is spent
        credentials.revokeWithSig(offline, offline, h32("one"), 7, deadline, sig,
                                  sender=actors.relayer)  # fmt: skip

    a = h32("a")
    msg = {**base, "merkleRoot": tree.root, "credentialHash": a,
           "nonce": credentials.nonces(offline)}  # fmt: skip
    fields = [*_HEAD, ("merkleRoot", "bytes32"), ("credentialHash", "bytes32"), *_TAIL]
    sig = sign_typed_data(offline, _typed(credentials, "RevokeLeaf", fields, msg))
    credentials.revokeLeafWithSig(offline, offline, tree.root, a, tree.proof(a), 7, deadline,
                                  sig, sender=actors.relayer)  # fmt: skip
    r = credentials.verifyLeaf(offline, tree.root, a, tree.proof(a))
    assert (r.status, r.reasonCode, r.revokedBy) == (Status.REVOKED, 7, Revoker.ISSUER)
    b = h32("b")
    assert credentials.verifyLeaf(offline, tree.root, b, tree.proof(b)).status == Status.VALID

    msg = {**base, "merkleRoot": tree.root, "nonce": credentials.nonces(offline)}
    fields = [*_HEAD, ("merkleRoot", "bytes32"), *_TAIL]
    sig = sign_typed_data(offline, _typed(credentials, "RevokeBatch", fields, msg))
    credentials.revokeBatchWithSig(offline, offline, tree.root, 7, deadline, sig,
                                   sender=actors.relayer)  # fmt: skip
    r = credentials.verifyLeaf(offline, tree.root, b, tree.proof(b))
    assert (r.status, r.reasonCode, r.revokedBy) == (Status.REVOKED, 7, Revoker.ISSUER)
    assert credentials.REVOKE_TYPEHASH() == keccak(
        text="Revoke(address signer,address issuer,bytes32 credentialHash,uint16 reasonCode,"
        "uint256 nonce,uint256 deadline)"
    )


def test_revoke_with_sig_by_a_stranger_is_refused(credentials, actors, chain, offline):
    """A valid signature of someone who is not a key of the issuer revokes nothing."""
    credentials.issue(h32("theirs"), 0, sender=actors.issuer)
    stranger, deadline = fresh("stranger"), chain.time() + 3600
    msg = {"signer": stranger.address, "issuer": actors.issuer.address,
           "credentialHash": h32("theirs"), "reasonCode": 1, "nonce": 0,
           "deadline": deadline}  # fmt: skip
    fields = [*_HEAD, ("credentialHash", "bytes32"), *_TAIL]
    sig = sign_typed_data(stranger, _typed(credentials, "Revoke", fields, msg))
    with reverts("NotIssuer", caller=stranger, issuer=actors.issuer):
        credentials.revokeWithSig(stranger, actors.issuer, h32("theirs"), 1, deadline, sig,
                                  sender=actors.relayer)  # fmt: skip
    assert credentials.verify(actors.issuer, h32("theirs")).status == Status.VALID


def test_authority_revocation_needs_the_registrar_role(credentials, actors):
    credentials.issue(h32("x"), 0, sender=actors.issuer)
    for caller in (actors.issuer, actors.admin, actors.pauser, actors.relayer):
        with reverts("NotAuthority", caller=caller):
            credentials.authorityRevoke(actors.issuer, h32("x"), 1, sender=caller)
    with reverts("NotIssued", hash=h32("never")):
        credentials.authorityRevoke(actors.issuer, h32("never"), 1, sender=actors.office)


def test_standing_after_no_change_is_none(issuers, actors, chain):
    """Before its first history entry an organisation has no standing at all, whatever the
    time; the first entry (the accreditation) makes it Active."""
    now = chain.time()
    assert issuers.standingAfter(actors.issuer, 0, now) == Standing.NONE
    assert issuers.standingAfter(actors.issuer, 0, 0) == Standing.NONE
    assert issuers.standingAfter(actors.issuer2, 5, now) == Standing.NONE  # never accredited
    assert issuers.standingAfter(actors.issuer, 1, now) == Standing.ACTIVE
