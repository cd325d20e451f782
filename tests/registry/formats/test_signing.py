"""Delegated issuance: typed data built in Python is what the contract checks.

The signing issuer is a local key that never sends a transaction (the offline-signer case
the feature exists for); a relayer submits and pays gas.
"""

from __future__ import annotations

import os

import pytest
from eth_account import Account as EthAccount
from eth_utils import keccak

from daftar.chain.base import Account
from daftar.keys import sign_typed_data
from daftar.testing import reverts
from daftar_registry import MerkleTree
from daftar_registry.formats.signing import (
    domain_of,
    issue_batch_typed_data,
    issue_typed_data,
    registry_domain,
    typed_data_digest,
)

VALID = 1
HOUR = 3600


def _local_account(label: str) -> Account:
    """A deterministic throwaway key, known to no chain (it holds no ether, sends nothing)."""
    key = keccak(text=f"daftar test key: {label}")
    return Account(EthAccount.from_key(key).address, key)


@pytest.fixture
def domain(credentials):
    return domain_of(credentials)


@pytest.fixture
def signer(registry, actors):
    """An accredited issuer whose key only signs, offline."""
    acct = _local_account("offline issuer")
    registry.issuers.accredit(acct, "Offline Issuer", "ipfs://o", 0, 0, sender=actors.office)
    return acct


def _signed_issue(
    credentials, domain, key_holder, issuer, h, expires_at=0, deadline=None, nonce=None
):
    """(deadline, signature) of an Issue for `issuer`, signed with `key_holder`'s key."""
    deadline = credentials.chain.time() + HOUR if deadline is None else deadline
    nonce = credentials.nonces(issuer) if nonce is None else nonce
    typed = issue_typed_data(domain, issuer, h, expires_at, nonce, deadline)
    return deadline, sign_typed_data(key_holder, typed)


def test_domain_read_from_contract(credentials, chain, domain):
    """The domain comes from eip712Domain() and equals the one built offline."""
    assert domain == registry_domain(chain.chain_id, credentials.address)
    assert domain["name"] == "Daftar CredentialRegistry"
    assert domain["version"] == "2"


def test_digest_matches_contract(credentials, actors, domain):
    """Python's EIP-712 digest is the contract's `issueDigest` for the same values."""
    h = os.urandom(32)
    typed = issue_typed_data(domain, actors.issuer, h, 12345, 7, 99)
    assert typed_data_digest(typed) == credentials.issueDigest(actors.issuer, h, 12345, 7, 99)


def test_relayer_issues_for_offline_issuer(credentials, actors, domain, chain, signer):
    h = os.urandom(32)
    expires = chain.time() + 30 * 24 * HOUR
    deadline, sig = _signed_issue(credentials, domain, signer, signer, h, expires)
    receipt = credentials.issueWithSig(signer, h, expires, deadline, sig, sender=actors.relayer)
    assert receipt.sender == actors.relayer.address
    event = receipt.event("CredentialIssued")
    assert event.issuer == signer.address
    result = credentials.verify(signer, h)
    assert (result.status, result.signer, result.expiresAt) == (
        VALID,
        signer.address,
        expires,
    )
    assert credentials.nonces(signer) == 1


def test_relayer_issues_batch(credentials, actors, domain, chain, signer):
    """IssueBatch typed data (string uri hashed per EIP-712) matches the contract's."""
    tree = MerkleTree(os.urandom(32) for _ in range(5))
    deadline = chain.time() + HOUR
    nonce = credentials.nonces(signer)
    typed = issue_batch_typed_data(
        domain, signer, tree.root, len(tree), 0, "ipfs://batch-manifest", nonce, deadline
    )
    sig = sign_typed_data(signer, typed)
    credentials.issueBatchWithSig(
        signer, tree.root, len(tree), 0, "ipfs://batch-manifest", deadline, sig,
        sender=actors.relayer,
    )  # fmt: skip
    h = tree.credential_hashes[2]
    assert credentials.verifyLeaf(signer, tree.root, h, tree.proof(h)).status == VALID
    assert credentials.batchInfo(signer, tree.root).signer == signer.address


def test_batch_signature_covers_uri(credentials, actors, domain, chain, signer):
    tree = MerkleTree([os.urandom(32)])
    deadline = chain.time() + HOUR
    typed = issue_batch_typed_data(domain, signer, tree.root, 1, 0, "ipfs://a", 0, deadline)
    sig = sign_typed_data(signer, typed)
    with reverts("InvalidSignature", issuer=signer):
        credentials.issueBatchWithSig(
            signer, tree.root, 1, 0, "ipfs://b", deadline, sig, sender=actors.relayer
        )


def test_wrong_signer_reverts(credentials, actors, domain, signer):
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, actors.outsiders[0], signer, h)
    with reverts("InvalidSignature", issuer=signer):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    assert credentials.verify(actors.issuer, h).status == 0


def test_tampered_message_reverts(credentials, actors, domain, signer):
    """The signature binds the hash and the expiry: a relayer cannot change either."""
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, signer, signer, h)
    with reverts("InvalidSignature"):
        credentials.issueWithSig(signer, os.urandom(32), 0, deadline, sig, sender=actors.relayer)
    with reverts("InvalidSignature"):
        credentials.issueWithSig(signer, h, 2**39, deadline, sig, sender=actors.relayer)
    with reverts("InvalidSignature"):
        credentials.issueWithSig(signer, h, 0, deadline + 1, sig, sender=actors.relayer)


def test_expired_deadline_reverts(credentials, actors, domain, chain, signer):
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, signer, signer, h)
    chain.sleep(HOUR + 60)
    with reverts("SignatureExpired", deadline=deadline):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)


def test_replayed_nonce_reverts(credentials, actors, domain, signer):
    """A signature is good once: its nonce is consumed, so a replay no longer verifies."""
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, signer, signer, h)
    credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    with reverts("InvalidSignature", issuer=signer):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    # A signature made for a future nonce is refused too (nonces are strictly sequential).
    h2 = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, signer, signer, h2, nonce=5)
    with reverts("InvalidSignature"):
        credentials.issueWithSig(signer, h2, 0, deadline, sig, sender=actors.relayer)


def test_signer_must_be_accredited(credentials, actors, domain):
    """A valid signature does not make its signer an issuer."""
    stranger = _local_account("unaccredited")
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, stranger, stranger, h)
    with reverts("IssuerNotInGoodStanding", issuer=stranger):
        credentials.issueWithSig(stranger, h, 0, deadline, sig, sender=actors.relayer)


def test_issuer_that_also_transacts_can_delegate(credentials, actors, domain, chain):
    """An issuer that also sends its own transactions can still sign for a relayer."""
    credentials.issue(os.urandom(32), 0, sender=actors.issuer)
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, actors.issuer, actors.issuer, h)
    assert chain.code(actors.issuer.address) == b""  # still an EOA after transacting
    credentials.issueWithSig(actors.issuer, h, 0, deadline, sig, sender=actors.relayer)
    assert credentials.verify(actors.issuer, h).status == VALID


def test_other_deployment_domain_is_refused(credentials, actors, chain, signer):
    """A signature for another verifying contract (or chain) cannot be replayed here."""
    h = os.urandom(32)
    foreign = registry_domain(chain.chain_id, actors.outsiders[1].address)
    deadline, sig = _signed_issue(credentials, foreign, signer, signer, h)
    with reverts("InvalidSignature"):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)


@pytest.fixture
def wallet(project, registry, actors):
    """An EIP-1271 wallet owned by the (otherwise unaccredited) second issuer, accredited."""
    w = project.ERC1271Wallet.deploy(actors.issuer2, sender=actors.issuer2)
    registry.issuers.accredit(w.address, "Wallet Issuer", "ipfs://w", 0, 0, sender=actors.office)
    return w


def test_erc1271_wallet_issuer(credentials, actors, domain, wallet):
    """A contract wallet issues through its owner's signature, checked with EIP-1271."""
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, actors.issuer2, wallet.address, h)
    credentials.issueWithSig(wallet.address, h, 0, deadline, sig, sender=actors.relayer)
    result = credentials.verify(wallet.address, h)
    assert (result.status, result.signer) == (VALID, wallet.address)
    assert credentials.nonces(wallet.address) == 1


def test_erc1271_wallet_rejects_non_owner(credentials, actors, domain, wallet):
    h = os.urandom(32)
    deadline, sig = _signed_issue(credentials, domain, actors.issuer, wallet.address, h)
    with reverts("InvalidSignature", issuer=wallet.address):
        credentials.issueWithSig(wallet.address, h, 0, deadline, sig, sender=actors.relayer)


def test_erc1271_wallet_issues_directly(credentials, actors, wallet):
    """The wallet can also call `issue` itself; the record names the wallet as issuer."""
    h = os.urandom(32)
    wallet.execute(
        credentials.address, 0, credentials.issue.encode_input(h, 0), sender=actors.issuer2
    )
    assert credentials.verify(wallet.address, h).signer == wallet.address


def test_revoke_typed_data_matches_the_contract(
    registry, credentials, actors, domain, chain, signer
):
    """revoke_typed_data builds what revokeWithSig / revokeLeafWithSig / revokeBatchWithSig
    check: a relayer submits each form for the offline signer."""
    from daftar_registry.formats.signing import revoke_typed_data

    deadline = chain.time() + HOUR
    single = os.urandom(32)
    deadline0, sig0 = _signed_issue(credentials, domain, signer, signer, single)
    credentials.issueWithSig(signer, single, 0, deadline0, sig0, sender=actors.relayer)
    tree = MerkleTree(os.urandom(32) for _ in range(3))
    typed = issue_batch_typed_data(
        domain, signer, tree.root, 3, 0, "", credentials.nonces(signer), deadline
    )
    credentials.issueBatchWithSig(
        signer, tree.root, 3, 0, "", deadline, sign_typed_data(signer, typed),
        sender=actors.relayer,
    )  # fmt: skip

    def sign(**which):
        nonce = credentials.nonces(signer)
        return sign_typed_data(
            signer, revoke_typed_data(domain, signer, signer, 5, nonce, deadline, **which)
        )

    credentials.revokeWithSig(
        signer, signer, single, 5, deadline, sign(credential_hash=single), sender=actors.relayer
    )
    assert credentials.verify(signer, single).status == 2
    h = tree.credential_hashes[0]
    sig = sign(credential_hash=h, merkle_root=tree.root)
    credentials.revokeLeafWithSig(
        signer, signer, tree.root, h, tree.proof(h), 5, deadline, sig, sender=actors.relayer
    )
    assert credentials.verifyLeaf(signer, tree.root, h, tree.proof(h)).status == 2
    sig = sign(merkle_root=tree.root)
    credentials.revokeBatchWithSig(
        signer, signer, tree.root, 5, deadline, sig, sender=actors.relayer
    )
    assert credentials.batchInfo(signer, tree.root).revokedBy == 1
    with pytest.raises(ValueError):
        revoke_typed_data(domain, signer, signer, 5, 0, deadline)
