"""CredentialRegistry at the edges of its documented answers (docs/contracts.md).

Each test pins a rule that a surviving mutant of `daftar mutate` broke unnoticed: a batch
revoked by the programme office reports `revokedBy = Authority` for every leaf (and in
`batchInfo`), and `cancelSignatures` takes 1 to 2^32 - 1 nonces, refusing 0 and 2^32.
"""

from __future__ import annotations

from tests.registry.contracts.test_credential_registry import h32, merkle

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
