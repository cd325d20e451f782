"""CredentialRegistry at the edges of its documented answers (docs/contracts.md).

Each test pins a rule that a surviving mutant of `daftar mutate` broke unnoticed: a batch
revoked by the programme office reports `revokedBy = Authority` for every leaf (and in
`batchInfo`); `cancelSignatures` takes 1 to 2^32 - 1 nonces, refusing 0 and 2^32; a
signature whose deadline is the block's own second is still good; the block time 2^40 - 1
still fits a record; and an issuer registry whose `judge` fails or answers short leaves a
credential unflagged (a stand-in registry, contracts/test/StubIssuerRegistry.sol).

Boundary seconds are checked with `.call` on the embedded chain: a call runs in the block
last mined, at exactly the timestamp given to `chain.mine`, where a transaction's new block
could move on with the wall clock.
"""

from __future__ import annotations

import pytest
from tests.registry.contracts.test_credential_registry import _issue_typed, h32, merkle

from daftar.keys import sign_typed_data
from daftar.testing import reverts
from daftar_registry.status import CredentialStatus, Revoker


def test_an_authority_revoked_batch_reports_the_authority(credentials, actors):
    """authorityRevokeBatch: every leaf verifies Revoked, revokedBy Authority, its reason."""
    hashes = [h32(f"office-batch-{i}") for i in range(3)]
    root, proofs = merkle(hashes)
    credentials.issueBatch(root, 3, 0, "ipfs://m", sender=actors.issuer)
    credentials.authorityRevokeBatch(actors.issuer, root, 41, sender=actors.office)
    assert credentials.batchInfo(actors.issuer, root).revokedBy == Revoker.AUTHORITY
    for h, proof in zip(hashes, proofs, strict=True):
        r = credentials.verifyLeaf(actors.issuer, root, h, proof)
        assert (r.status, r.reasonCode, r.revokedBy) == (
            CredentialStatus.REVOKED,
            41,
            Revoker.AUTHORITY,
        )


def test_an_issuer_revoked_batch_reports_the_issuer(credentials, actors):
    """The same batch revoked by its own key says Issuer: the two are told apart."""
    hashes = [h32(f"own-batch-{i}") for i in range(2)]
    root, proofs = merkle(hashes)
    credentials.issueBatch(root, 2, 0, "", sender=actors.issuer)
    credentials.revokeBatch(actors.issuer, root, 7, sender=actors.issuer)
    r = credentials.verifyLeaf(actors.issuer, root, hashes[1], proofs[1])
    assert (r.status, r.revokedBy) == (CredentialStatus.REVOKED, Revoker.ISSUER)


def test_cancel_signatures_takes_up_to_two_to_the_32_minus_one(credentials, actors):
    """2^32 - 1 nonces burn in one call; 0 and 2^32 are refused with InvalidCancellation."""
    signer = actors.outsiders[0]
    for bad in (0, 2**32):
        with reverts("InvalidCancellation", count=bad):
            credentials.cancelSignatures(bad, sender=signer)
    before = credentials.nonces(signer)
    rc = credentials.cancelSignatures(2**32 - 1, sender=signer)
    assert credentials.nonces(signer) == before + 2**32 - 1
    ev = rc.event("SignaturesCancelled")
    assert (ev.signer, ev.fromNonce, ev.toNonce) == (signer.address, before, before + 2**32 - 1)


def test_a_deadline_of_this_very_second_is_still_good(credentials, actors, chain, signer):
    """_checkDeadline: block.timestamp == deadline passes; one second later it is expired."""
    now = chain.time() + 100
    chain.mine(timestamp=now)
    h = h32("deadline-now")
    for deadline, ok in ((now, True), (now - 1, False)):
        typed = _issue_typed(credentials, chain, signer.address, h, 0, 0, deadline)
        sig = sign_typed_data(signer, typed)
        call = credentials.issueWithSig.call
        if ok:
            call(signer, h, 0, deadline, sig, sender=actors.relayer)
        else:
            with reverts("SignatureExpired", deadline=deadline):
                call(signer, h, 0, deadline, sig, sender=actors.relayer)


def test_the_last_second_a_uint40_holds_is_still_a_time(credentials, actors, chain):
    """At block time 2^40 - 1 an issue is accepted (TimeOverflow starts at 2^40)."""
    chain.mine(timestamp=2**40 - 1)
    credentials.issue.call(h32("last-second"), 0, sender=actors.issuer)


@pytest.fixture
def stubbed(project, chain, actors):
    """A CredentialRegistry on the stand-in registry, and a credential of `actors.issuer`."""
    stub = project.StubIssuerRegistry.deploy(sender=actors.admin, chain=chain)
    creds = project.CredentialRegistry.deploy(
        stub.address, 0, actors.admin, sender=actors.admin, chain=chain
    )
    h = h32("stubbed")
    creds.issue(h, 0, sender=actors.issuer)
    return stub, creds, h


@pytest.mark.parametrize(
    ("word", "status"),
    [
        (1, CredentialStatus.ISSUER_SUSPENDED),
        (2, CredentialStatus.ISSUER_REVOKED),
        (3, CredentialStatus.ISSUER_COMPROMISED),
        (0, CredentialStatus.VALID),
    ],
)
def test_the_issuer_registrys_judgement_is_read(stubbed, actors, word, status):
    """The stand-in answering a flag word: verify reports that flag."""
    stub, creds, h = stubbed
    stub.setJudge(0, word, sender=actors.admin)
    assert creds.verify(actors.issuer, h).status == status


@pytest.mark.parametrize("mode", [1, 2], ids=["reverts-with-a-flag-word", "answers-31-bytes"])
def test_a_failed_or_short_judgement_leaves_the_credential_unflagged(stubbed, actors, mode):
    """judge reverting (its data the word for Revoked) or answering 31 bytes: Valid."""
    stub, creds, h = stubbed
    stub.setJudge(mode, 2, sender=actors.admin)
    assert creds.verify(actors.issuer, h).status == CredentialStatus.VALID
