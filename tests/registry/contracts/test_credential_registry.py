"""CredentialRegistry: issuance, batches, revocation, verification, delegated issuance."""

from __future__ import annotations

import pytest
from eth_account import Account as EthAccount
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from daftar.keys import sign_typed_data
from daftar.testing import reverts
from daftar_registry.status import CredentialStatus as Status

ZERO32 = b"\x00" * 32
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def h32(label: str) -> bytes:
    """A credential hash (any 32 bytes; real ones are salted document hashes)."""
    return keccak(text=label)


# ─────────────────────── Merkle helpers (docs/contracts.md, inline) ───────────────────────


def leaf_of(credential_hash: bytes) -> bytes:
    return keccak(keccak(credential_hash))


def _node(a: bytes, b: bytes) -> bytes:
    return keccak(min(a, b) + max(a, b))


def merkle(credential_hashes: list[bytes]) -> tuple[bytes, list[list[bytes]]]:
    """Root and one proof per credential; a node without a sibling moves up unchanged."""
    level = [leaf_of(h) for h in credential_hashes]
    positions = list(range(len(level)))
    proofs: list[list[bytes]] = [[] for _ in level]
    while len(level) > 1:
        for i, pos in enumerate(positions):
            sibling = pos ^ 1
            if sibling < len(level):
                proofs[i].append(level[sibling])
        level = [
            _node(level[j], level[j + 1]) if j + 1 < len(level) else level[j]
            for j in range(0, len(level), 2)
        ]
        positions = [p // 2 for p in positions]
    return level[0], proofs


@pytest.fixture
def batch(credentials, actors):
    """A 4-credential batch issued by the accredited issuer, open-ended."""
    hashes = [h32(f"batch-{i}") for i in range(4)]
    root, proofs = merkle(hashes)
    credentials.issueBatch(root, 4, 0, "ipfs://manifest", sender=actors.issuer)
    return root, hashes, proofs


# ─────────────────────────────────────── issue ───────────────────────────────────────


def test_issue_open_ended(credentials, actors, chain):
    h = h32("alice-degree")
    before = chain.time()
    rc = credentials.issue(h, 0, sender=actors.issuer)
    ev = rc.event("CredentialIssued")
    assert (ev.credentialHash, ev.issuer, ev.expiresAt) == (h, actors.issuer.address, 0)
    r = credentials.verify(actors.issuer, h)
    assert (r.status, r.signer, r.expiresAt, r.revokedAt, r.reasonCode) == (
        Status.VALID,
        actors.issuer.address,
        0,
        0,
        0,
    )
    assert before <= r.issuedAt <= chain.time()


def test_issue_with_expiry(credentials, actors, chain):
    h = h32("with-expiry")
    expires = chain.time() + 3_600
    rc = credentials.issue(h, expires, sender=actors.issuer)
    assert rc.event("CredentialIssued").expiresAt == expires
    r = credentials.verify(actors.issuer, h)
    assert (r.status, r.expiresAt) == (Status.VALID, expires)


def test_issue_accepts_largest_40_bit_expiry(credentials, actors):
    h = h32("far-future")
    credentials.issue(h, 2**40 - 1, sender=actors.issuer)
    assert credentials.verify(actors.issuer, h).expiresAt == 2**40 - 1


def test_issue_zero_hash(credentials, actors):
    with reverts("ZeroHash"):
        credentials.issue(ZERO32, 0, sender=actors.issuer)


@pytest.mark.parametrize("case", ["past", "one", "now", "2**40", "max-uint64"])
def test_issue_invalid_expiry(credentials, actors, chain, case):
    if case == "now":
        expires = chain.time()
        chain.mine(timestamp=expires)  # the issuing block is at or after `expires`
    else:
        expires = {
            "past": chain.time() - 10,
            "one": 1,
            "2**40": 2**40,
            "max-uint64": 2**64 - 1,
        }[case]
    with reverts("InvalidExpiry", expiresAt=expires):
        credentials.issue(h32("bad-expiry"), expires, sender=actors.issuer)


def test_issue_twice_already_issued(credentials, actors):
    h = h32("dup")
    credentials.issue(h, 0, sender=actors.issuer)
    with reverts("AlreadyIssued", hash=h, issuer=actors.issuer):
        credentials.issue(h, 0, sender=actors.issuer)


def test_squatting_another_issuers_hash_takes_nothing(credentials, issuers, actors):
    """Audit finding (squatting): on v1 the first issuer to get a hash mined owned it; the
    genuine issue reverted AlreadyIssued and verify named the squatter. Records are now
    scoped by issuer: the squatter's record is its own, the genuine one is untouched."""
    h = h32("graduate-batch")
    issuers.accredit(actors.issuer2, "Squatter", "", 0, 0, sender=actors.office)
    credentials.issue(h, 0, sender=actors.issuer2)  # front-run from the mempool
    credentials.issueBatch(h, 10_000, 0, "", sender=actors.issuer2)
    credentials.issue(h, 0, sender=actors.issuer)  # the genuine issue still goes through
    credentials.issueBatch(h, 10_000, 0, "", sender=actors.issuer)
    assert credentials.verify(actors.issuer, h).signer == actors.issuer.address
    assert credentials.verify(actors.issuer2, h).signer == actors.issuer2.address
    # only the squatter's own keys can revoke its record; the genuine one stays valid
    with reverts("NotIssuer", hash=h, caller=actors.issuer2, issuer=actors.issuer):
        credentials.revoke(actors.issuer, h, 1, sender=actors.issuer2)
    credentials.revoke(actors.issuer2, h, 1, sender=actors.issuer2)
    assert credentials.verify(actors.issuer, h).status == Status.VALID
    assert credentials.verify(actors.issuer2, h).status == Status.REVOKED


def _spoil_standing(issuers, actors, chain, how):
    """Leave `issuer` unable to issue in one of the ways the registry knows; return it."""
    now = chain.time()
    if how == "never-accredited":
        return actors.issuer2
    if how == "suspended":
        issuers.suspend(actors.issuer, 1, 0, sender=actors.office)
        return actors.issuer
    if how == "revoked":
        issuers.revokeAccreditation(actors.issuer, 2, 0, sender=actors.office)
        return actors.issuer
    if how == "not-yet-valid":
        issuers.accredit(actors.issuer2, "Later", "", now + 10_000, 0, sender=actors.office)
        return actors.issuer2
    if how == "window-expired":
        issuers.accredit(actors.issuer2, "Short", "", 0, now + 100, sender=actors.office)
        chain.mine(timestamp=now + 200)
        return actors.issuer2
    raise AssertionError(how)


_BAD_STANDING = ["never-accredited", "suspended", "revoked", "not-yet-valid", "window-expired"]


@pytest.mark.parametrize("how", _BAD_STANDING)
def test_issue_needs_good_standing(credentials, issuers, actors, chain, how):
    issuer = _spoil_standing(issuers, actors, chain, how)
    with reverts("IssuerNotInGoodStanding", issuer=issuer):
        credentials.issue(h32("x"), 0, sender=issuer)
    with reverts("IssuerNotInGoodStanding", issuer=issuer):
        credentials.issueBatch(h32("root"), 3, 0, "ipfs://m", sender=issuer)
    assert credentials.verify(actors.issuer, h32("x")).status == Status.NOT_ISSUED


def test_not_yet_valid_issuer_can_issue_once_window_opens(credentials, issuers, actors, chain):
    now = chain.time()
    issuers.renew(actors.issuer, now + 1_000, 0, sender=actors.office)
    with reverts("IssuerNotInGoodStanding", issuer=actors.issuer):
        credentials.issue(h32("opened"), 0, sender=actors.issuer)
    chain.mine(timestamp=now + 1_000)
    credentials.issue(h32("opened"), 0, sender=actors.issuer)
    assert credentials.verify(actors.issuer, h32("opened")).status == Status.VALID


def test_reinstated_issuer_can_issue_again(credentials, issuers, actors):
    issuers.suspend(actors.issuer, 1, 0, sender=actors.office)
    issuers.reinstate(actors.issuer, sender=actors.office)
    credentials.issue(h32("after-reinstate"), 0, sender=actors.issuer)
    assert credentials.verify(actors.issuer, h32("after-reinstate")).status == Status.VALID


# ─────────────────────────────────────── issueBatch ───────────────────────────────────────


def test_issue_batch_records_and_emits(credentials, actors, chain):
    hashes = [h32(f"b{i}") for i in range(3)]
    root, _ = merkle(hashes)
    expires = chain.time() + 10_000
    rc = credentials.issueBatch(root, 3, expires, "ipfs://batch", sender=actors.issuer)
    ev = rc.event("BatchIssued")
    assert (ev.merkleRoot, ev.issuer, ev.count, ev.expiresAt, ev.uri) == (
        root,
        actors.issuer.address,
        3,
        expires,
        "ipfs://batch",
    )
    info = credentials.batchInfo(actors.issuer, root)
    assert (info.signer, info.expiresAt, info.revokedAt, info.reasonCode) == (
        actors.issuer.address,
        expires,
        0,
        0,
    )
    assert info.issuedAt > 0
    # batches and single credentials live in separate namespaces
    assert credentials.verify(actors.issuer, root).status == Status.NOT_ISSUED


def test_issue_batch_zero_root(credentials, actors):
    with reverts("ZeroHash"):
        credentials.issueBatch(ZERO32, 1, 0, "", sender=actors.issuer)


def test_issue_batch_empty(credentials, actors):
    with reverts("EmptyBatch"):
        credentials.issueBatch(h32("r"), 0, 0, "", sender=actors.issuer)


def test_issue_batch_invalid_expiry(credentials, actors):
    with reverts("InvalidExpiry", expiresAt=2**40):
        credentials.issueBatch(h32("r"), 1, 2**40, "", sender=actors.issuer)
    with reverts("InvalidExpiry", expiresAt=1):
        credentials.issueBatch(h32("r"), 1, 1, "", sender=actors.issuer)


def test_issue_batch_twice(credentials, actors, batch):
    root, _, _ = batch
    with reverts("AlreadyIssued", hash=root, issuer=actors.issuer):
        credentials.issueBatch(root, 9, 0, "ipfs://other", sender=actors.issuer)


def _calldata_gas(data: bytes) -> int:
    return sum(4 if b == 0 else 16 for b in data)


def test_issue_batch_gas_independent_of_count(credentials, actors):
    uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/manifest"
    # warm-up so both measured calls see the same warm/cold accounts (revm keeps warmth)
    credentials.issueBatch(b"\x01" * 32, 1, 0, uri, sender=actors.issuer)
    one = credentials.issueBatch(b"\xaa" * 32, 1, 0, uri, sender=actors.issuer)
    many = credentials.issueBatch(b"\xbb" * 32, 10_000, 0, uri, sender=actors.issuer)
    # total gas differs only by the calldata bytes of `count` (0x01 vs 0x2710)
    data_one = credentials.issueBatch.encode_input(b"\xaa" * 32, 1, 0, uri)
    data_many = credentials.issueBatch.encode_input(b"\xbb" * 32, 10_000, 0, uri)
    exec_one = one.gas_used - _calldata_gas(data_one)
    exec_many = many.gas_used - _calldata_gas(data_many)
    assert exec_one == exec_many
    assert many.gas_used - one.gas_used == _calldata_gas(data_many) - _calldata_gas(data_one)


# ─────────────────────────────────────── revoke ───────────────────────────────────────


def test_revoke_keeps_reason_and_time(credentials, actors, chain):
    h = h32("to-revoke")
    credentials.issue(h, 0, sender=actors.issuer)
    issued_at = credentials.verify(actors.issuer, h).issuedAt
    chain.sleep(60)
    rc = credentials.revoke(actors.issuer, h, 17, sender=actors.issuer)
    ev = rc.event("CredentialRevoked")
    assert (ev.credentialHash, ev.issuer, ev.reasonCode) == (h, actors.issuer.address, 17)
    r = credentials.verify(actors.issuer, h)
    assert (r.status, r.signer, r.issuedAt, r.reasonCode) == (
        Status.REVOKED,
        actors.issuer.address,
        issued_at,
        17,
    )
    assert issued_at < r.revokedAt <= chain.time()


def test_revoke_not_issued(credentials, actors):
    with reverts("NotIssued", hash=h32("ghost")):
        credentials.revoke(actors.issuer, h32("ghost"), 1, sender=actors.issuer)


@pytest.mark.parametrize("who", ["issuer2", "relayer", "office"])
def test_revoke_by_other_account(credentials, issuers, actors, who):
    h = h32("mine")
    credentials.issue(h, 0, sender=actors.issuer)
    issuers.accredit(actors.issuer2, "Second", "", 0, 0, sender=actors.office)
    caller = getattr(actors, who)
    with reverts("NotIssuer", hash=h, caller=caller, issuer=actors.issuer):
        credentials.revoke(actors.issuer, h, 1, sender=caller)


def test_revoke_twice(credentials, actors):
    h = h32("twice")
    credentials.issue(h, 0, sender=actors.issuer)
    credentials.revoke(actors.issuer, h, 1, sender=actors.issuer)
    revoked_at = credentials.verify(actors.issuer, h).revokedAt
    with reverts("AlreadyRevoked", hash=h, revokedAt=revoked_at):
        credentials.revoke(actors.issuer, h, 2, sender=actors.issuer)
    assert credentials.verify(actors.issuer, h).reasonCode == 1


@pytest.mark.parametrize("how", ["suspended", "revoked", "window-expired"])
def test_revoke_allowed_without_good_standing(credentials, issuers, actors, chain, how):
    if how == "window-expired":
        now = chain.time()
        issuers.renew(actors.issuer, 0, now + 100, sender=actors.office)
    h = h32("withdraw")
    credentials.issue(h, 0, sender=actors.issuer)
    root, hashes, proofs = _issue_small_batch(credentials, actors.issuer)
    if how == "window-expired":
        chain.mine(timestamp=chain.time() + 200)
        assert not issuers.isInGoodStanding(actors.issuer)
    else:
        _spoil_standing(issuers, actors, chain, how)
    credentials.revoke(actors.issuer, h, 3, sender=actors.issuer)
    credentials.revokeLeaf(actors.issuer, root, hashes[0], proofs[0], 3, sender=actors.issuer)
    credentials.revokeBatch(actors.issuer, root, 3, sender=actors.issuer)
    assert credentials.verify(actors.issuer, h).status == Status.REVOKED
    assert (
        credentials.verifyLeaf(actors.issuer, root, hashes[1], proofs[1]).status == Status.REVOKED
    )


def _issue_small_batch(credentials, issuer, n=2, label="small", expires=0):
    hashes = [h32(f"{label}-{i}") for i in range(n)]
    root, proofs = merkle(hashes)
    credentials.issueBatch(root, n, expires, "ipfs://small", sender=issuer)
    return root, hashes, proofs


# ─────────────────────────────────── revokeLeaf / revokeBatch ───────────────────────────────────


def test_revoke_leaf(credentials, actors, batch):
    root, hashes, proofs = batch
    rc = credentials.revokeLeaf(actors.issuer, root, hashes[2], proofs[2], 21, sender=actors.issuer)
    ev = rc.event("LeafRevoked")
    assert (ev.merkleRoot, ev.credentialHash, ev.issuer, ev.leaf, ev.reasonCode) == (
        root,
        hashes[2],
        actors.issuer.address,
        leaf_of(hashes[2]),
        21,
    )
    r = credentials.verifyLeaf(actors.issuer, root, hashes[2], proofs[2])
    assert (r.status, r.reasonCode) == (Status.REVOKED, 21)
    assert r.revokedAt >= r.issuedAt > 0
    for i in (0, 1, 3):  # the other leaves are untouched
        assert (
            credentials.verifyLeaf(actors.issuer, root, hashes[i], proofs[i]).status == Status.VALID
        )
    assert credentials.batchInfo(actors.issuer, root).revokedAt == 0


def test_revoke_leaf_invalid_proof(credentials, actors, batch):
    root, hashes, proofs = batch
    with reverts("InvalidMerkleProof", merkleRoot=root, credentialHash=hashes[0]):
        credentials.revokeLeaf(actors.issuer, root, hashes[0], proofs[1], 1, sender=actors.issuer)
    with reverts("InvalidMerkleProof", merkleRoot=root, credentialHash=h32("outsider")):
        credentials.revokeLeaf(
            actors.issuer, root, h32("outsider"), proofs[0], 1, sender=actors.issuer
        )
    # the second argument is the credential hash: passing the leaf itself does not verify
    with reverts("InvalidMerkleProof"):
        credentials.revokeLeaf(
            actors.issuer, root, leaf_of(hashes[0]), proofs[0], 1, sender=actors.issuer
        )


def test_revoke_leaf_inner_node_is_not_a_leaf(credentials, actors, batch):
    root, hashes, proofs = batch
    inner = _node(leaf_of(hashes[0]), leaf_of(hashes[1]))  # proofs[2][1] is this node
    assert proofs[2][1] == inner
    with reverts("InvalidMerkleProof", credentialHash=inner):
        credentials.revokeLeaf(actors.issuer, root, inner, [proofs[2][0]], 1, sender=actors.issuer)


def test_revoke_leaf_unknown_root(credentials, actors):
    with reverts("NotIssued", hash=h32("no-root")):
        credentials.revokeLeaf(actors.issuer, h32("no-root"), h32("c"), [], 1, sender=actors.issuer)


def test_revoke_leaf_not_batch_issuer(credentials, actors, batch):
    root, hashes, proofs = batch
    with reverts("NotIssuer", hash=root, caller=actors.relayer, issuer=actors.issuer):
        credentials.revokeLeaf(actors.issuer, root, hashes[0], proofs[0], 1, sender=actors.relayer)


def test_revoke_leaf_twice(credentials, actors, batch):
    root, hashes, proofs = batch
    credentials.revokeLeaf(actors.issuer, root, hashes[1], proofs[1], 1, sender=actors.issuer)
    at = credentials.verifyLeaf(actors.issuer, root, hashes[1], proofs[1]).revokedAt
    with reverts("AlreadyRevoked", hash=hashes[1], revokedAt=at):
        credentials.revokeLeaf(actors.issuer, root, hashes[1], proofs[1], 2, sender=actors.issuer)


def test_revoke_batch(credentials, actors, batch):
    root, hashes, proofs = batch
    rc = credentials.revokeBatch(actors.issuer, root, 33, sender=actors.issuer)
    ev = rc.event("BatchRevoked")
    assert (ev.merkleRoot, ev.issuer, ev.reasonCode) == (root, actors.issuer.address, 33)
    info = credentials.batchInfo(actors.issuer, root)
    assert (info.signer, info.reasonCode) == (actors.issuer.address, 33)
    assert info.revokedAt >= info.issuedAt > 0
    for h, proof in zip(hashes, proofs, strict=True):
        r = credentials.verifyLeaf(actors.issuer, root, h, proof)
        assert (r.status, r.revokedAt, r.reasonCode) == (Status.REVOKED, info.revokedAt, 33)


def test_revoke_batch_errors(credentials, actors, batch):
    root, _, _ = batch
    with reverts("NotIssued", hash=h32("nope")):
        credentials.revokeBatch(actors.issuer, h32("nope"), 1, sender=actors.issuer)
    with reverts("NotIssuer", hash=root, caller=actors.outsiders[0], issuer=actors.issuer):
        credentials.revokeBatch(actors.issuer, root, 1, sender=actors.outsiders[0])
    credentials.revokeBatch(actors.issuer, root, 1, sender=actors.issuer)
    at = credentials.batchInfo(actors.issuer, root).revokedAt
    with reverts("AlreadyRevoked", hash=root, revokedAt=at):
        credentials.revokeBatch(actors.issuer, root, 2, sender=actors.issuer)


def test_leaf_and_batch_revoked_reports_the_leaf(credentials, actors, chain, batch):
    root, hashes, proofs = batch
    credentials.revokeLeaf(actors.issuer, root, hashes[0], proofs[0], 11, sender=actors.issuer)
    leaf_at = credentials.verifyLeaf(actors.issuer, root, hashes[0], proofs[0]).revokedAt
    chain.sleep(100)
    credentials.revokeBatch(actors.issuer, root, 22, sender=actors.issuer)
    batch_at = credentials.batchInfo(actors.issuer, root).revokedAt
    assert batch_at > leaf_at
    r = credentials.verifyLeaf(actors.issuer, root, hashes[0], proofs[0])
    assert (r.status, r.revokedAt, r.reasonCode) == (Status.REVOKED, leaf_at, 11)
    r = credentials.verifyLeaf(actors.issuer, root, hashes[1], proofs[1])
    assert (r.status, r.revokedAt, r.reasonCode) == (Status.REVOKED, batch_at, 22)


def test_revoke_leaf_after_batch_revoked_is_allowed(credentials, actors, batch):
    root, hashes, proofs = batch
    credentials.revokeBatch(actors.issuer, root, 22, sender=actors.issuer)
    credentials.revokeLeaf(actors.issuer, root, hashes[3], proofs[3], 44, sender=actors.issuer)
    assert credentials.verifyLeaf(actors.issuer, root, hashes[3], proofs[3]).reasonCode == 44


# ─────────────────────────────────────── verify ───────────────────────────────────────


@pytest.mark.parametrize(
    "garbage",
    [ZERO32, b"\xff" * 32, keccak(text="random"), b"\x00" * 31 + b"\x01"],
    ids=["zero", "ones", "random", "one"],
)
def test_verify_never_reverts_on_unknown_hash(credentials, actors, garbage):
    nothing = (Status.NOT_ISSUED, ZERO_ADDRESS, 0, 0, 0, 0, 0)
    for issuer in (actors.issuer, ZERO_ADDRESS, actors.outsiders[0]):
        assert tuple(credentials.verify(issuer, garbage)) == nothing
        assert tuple(credentials.verifyLeaf(issuer, garbage, garbage, [garbage] * 3)) == nothing


def _set_issuer(issuers, actors, chain, issuer_state):
    if issuer_state == "suspended":
        issuers.suspend(actors.issuer, 1, 0, sender=actors.office)
    elif issuer_state == "revoked":
        issuers.revokeAccreditation(actors.issuer, 2, 0, sender=actors.office)
    elif issuer_state == "suspended-then-revoked":
        issuers.suspend(actors.issuer, 1, 0, sender=actors.office)
        issuers.revokeAccreditation(actors.issuer, 2, 0, sender=actors.office)
    elif issuer_state == "window-expired":
        issuers.renew(actors.issuer, 0, chain.time() + 50, sender=actors.office)
    elif issuer_state == "not-yet-valid":
        issuers.renew(actors.issuer, chain.time() + 10**6, 0, sender=actors.office)


_ISSUER_FLAG = {
    "active": Status.VALID,
    "suspended": Status.ISSUER_SUSPENDED,
    "revoked": Status.ISSUER_REVOKED,
    "suspended-then-revoked": Status.ISSUER_REVOKED,
    "window-expired": Status.VALID,  # an accreditation that ran out is not flagged
    "not-yet-valid": Status.VALID,
}


def _expected(revoked: bool, expired: bool, issuer_state: str) -> Status:
    """Precedence: Revoked > Expired > IssuerRevoked > IssuerSuspended > Valid."""
    if revoked:
        return Status.REVOKED
    if expired:
        return Status.EXPIRED
    return _ISSUER_FLAG[issuer_state]


_MATRIX = [
    (revoked, expired, state)
    for revoked in (False, True)
    for expired in (False, True)
    for state in _ISSUER_FLAG
]


def _matrix_id(case):
    revoked, expired, state = case
    return f"{'revoked' if revoked else 'live'}-{'expired' if expired else 'current'}-{state}"


@pytest.mark.parametrize("case", _MATRIX, ids=_matrix_id)
def test_verify_status_precedence(credentials, issuers, actors, chain, case):
    revoked, expired, issuer_state = case
    h = h32("precedence")
    start = chain.time()
    expires = start + 1_000 if expired else 0
    credentials.issue(h, expires, sender=actors.issuer)
    if revoked:
        credentials.revoke(actors.issuer, h, 8, sender=actors.issuer)
    _set_issuer(issuers, actors, chain, issuer_state)
    chain.mine(timestamp=start + 2_000)
    r = credentials.verify(actors.issuer, h)
    assert r.status == _expected(revoked, expired, issuer_state)
    assert (r.signer, r.expiresAt, r.reasonCode) == (
        actors.issuer.address,
        expires,
        8 if revoked else 0,
    )
    assert (r.revokedAt > 0) is revoked


@pytest.mark.parametrize("case", _MATRIX, ids=_matrix_id)
def test_verify_leaf_status_precedence(credentials, issuers, actors, chain, case):
    revoked, expired, issuer_state = case
    start = chain.time()
    expires = start + 1_000 if expired else 0
    root, hashes, proofs = _issue_small_batch(credentials, actors.issuer, 3, expires=expires)
    if revoked:
        credentials.revokeLeaf(actors.issuer, root, hashes[1], proofs[1], 8, sender=actors.issuer)
    _set_issuer(issuers, actors, chain, issuer_state)
    chain.mine(timestamp=start + 2_000)
    r = credentials.verifyLeaf(actors.issuer, root, hashes[1], proofs[1])
    assert r.status == _expected(revoked, expired, issuer_state)
    assert (r.signer, r.expiresAt, r.reasonCode) == (
        actors.issuer.address,
        expires,
        8 if revoked else 0,
    )
    # a wrong proof on a known root is InvalidProof, which outranks everything but NotIssued
    bad = credentials.verifyLeaf(actors.issuer, root, hashes[1], proofs[0])
    assert (bad.status, bad.signer, bad.expiresAt, bad.revokedAt, bad.reasonCode) == (
        Status.INVALID_PROOF,
        actors.issuer.address,
        expires,
        0,
        0,
    )


def test_expiry_end_is_exclusive(credentials, actors, chain):
    h = h32("edge")
    expires = chain.time() + 1_000
    credentials.issue(h, expires, sender=actors.issuer)
    chain.mine(timestamp=expires - 500)
    assert credentials.verify(actors.issuer, h).status == Status.VALID
    chain.mine(timestamp=expires)
    assert credentials.verify(actors.issuer, h).status == Status.EXPIRED


def test_verify_reports_reinstated_issuer_as_valid(credentials, issuers, actors):
    h = h32("reinstated")
    credentials.issue(h, 0, sender=actors.issuer)
    issuers.suspend(actors.issuer, 1, 0, sender=actors.office)
    assert credentials.verify(actors.issuer, h).status == Status.ISSUER_SUSPENDED
    issuers.reinstate(actors.issuer, sender=actors.office)
    assert credentials.verify(actors.issuer, h).status == Status.VALID


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_verify_leaf_small_trees(credentials, actors, size):
    root, hashes, proofs = _issue_small_batch(credentials, actors.issuer, size, label=f"t{size}")
    issued_at = credentials.batchInfo(actors.issuer, root).issuedAt
    for h, proof in zip(hashes, proofs, strict=True):
        r = credentials.verifyLeaf(actors.issuer, root, h, proof)
        assert tuple(r) == (Status.VALID, actors.issuer.address, issued_at, 0, 0, 0, 0)
    if size == 1:
        assert root == leaf_of(hashes[0]) and proofs == [[]]


def test_verify_leaf_invalid_proof_on_garbage(credentials, actors, batch):
    root, hashes, proofs = batch
    issued_at = credentials.batchInfo(actors.issuer, root).issuedAt
    expected = (Status.INVALID_PROOF, actors.issuer.address, issued_at, 0, 0, 0, 0)
    assert (
        tuple(credentials.verifyLeaf(actors.issuer, root, h32("not-in-batch"), proofs[0]))
        == expected
    )
    assert tuple(credentials.verifyLeaf(actors.issuer, root, hashes[0], [])) == expected
    assert tuple(credentials.verifyLeaf(actors.issuer, root, hashes[0], [ZERO32] * 40)) == expected
    assert tuple(credentials.verifyLeaf(actors.issuer, root, ZERO32, proofs[0])) == expected
    assert (
        tuple(credentials.verifyLeaf(actors.issuer, root, leaf_of(hashes[0]), proofs[0]))
        == expected
    )


def test_verify_leaf_invalid_proof_outranks_batch_revocation(credentials, actors, batch):
    root, hashes, proofs = batch
    credentials.revokeBatch(actors.issuer, root, 5, sender=actors.issuer)
    assert (
        credentials.verifyLeaf(actors.issuer, root, hashes[0], proofs[3]).status
        == Status.INVALID_PROOF
    )


def test_leaf_hash_matches_documented_formula(credentials):
    for h in (ZERO32, h32("a"), b"\xff" * 32):
        assert credentials.leafHash(h) == leaf_of(h) == keccak(keccak(h))


# ─────────────────────────────── delegated issuance (EIP-712) ───────────────────────────────


def _domain(credentials, chain):
    return {
        "name": "Daftar CredentialRegistry",
        "version": "2",
        "chainId": chain.chain_id,
        "verifyingContract": credentials.address,
    }


_DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def _issue_typed(credentials, chain, issuer, h, expires, nonce, deadline):
    return {
        "types": {
            "EIP712Domain": _DOMAIN_TYPE,
            "Issue": [
                {"name": "issuer", "type": "address"},
                {"name": "credentialHash", "type": "bytes32"},
                {"name": "expiresAt", "type": "uint64"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Issue",
        "domain": _domain(credentials, chain),
        "message": {
            "issuer": issuer,
            "credentialHash": h,
            "expiresAt": expires,
            "nonce": nonce,
            "deadline": deadline,
        },
    }


def _batch_typed(credentials, chain, issuer, root, count, expires, uri, nonce, deadline):
    return {
        "types": {
            "EIP712Domain": _DOMAIN_TYPE,
            "IssueBatch": [
                {"name": "issuer", "type": "address"},
                {"name": "merkleRoot", "type": "bytes32"},
                {"name": "count", "type": "uint32"},
                {"name": "expiresAt", "type": "uint64"},
                {"name": "uri", "type": "string"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "IssueBatch",
        "domain": _domain(credentials, chain),
        "message": {
            "issuer": issuer,
            "merkleRoot": root,
            "count": count,
            "expiresAt": expires,
            "uri": uri,
            "nonce": nonce,
            "deadline": deadline,
        },
    }


def test_eip712_domain_and_digest(credentials, actors, chain):
    d = credentials.eip712Domain()
    assert (d.name, d.version, d.chainId, d.verifyingContract) == (
        "Daftar CredentialRegistry",
        "2",
        chain.chain_id,
        credentials.address,
    )
    h, deadline = h32("digest"), 2**40
    typed = _issue_typed(credentials, chain, actors.issuer.address, h, 7, 3, deadline)
    signable = encode_typed_data(full_message=typed)
    expected = keccak(b"\x19" + signable.version + signable.header + signable.body)
    assert credentials.issueDigest(actors.issuer, h, 7, 3, deadline) == expected


def test_issue_with_sig_by_relayer(credentials, actors, chain, signer):
    h = h32("relayed")
    deadline = chain.time() + 3_600
    assert credentials.nonces(signer) == 0
    sig = sign_typed_data(
        signer, _issue_typed(credentials, chain, signer.address, h, 0, 0, deadline)
    )
    rc = credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    ev = rc.event("CredentialIssued")
    assert (ev.credentialHash, ev.issuer) == (h, signer.address)
    assert credentials.verify(signer, h).signer == signer.address
    assert credentials.nonces(signer) == 1
    # the same signature cannot be replayed: its nonce is spent
    with reverts("InvalidSignature", issuer=signer):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)


def test_issue_with_sig_after_signer_transacted(credentials, actors, chain):
    """An EOA issuer that has also sent transactions itself can still sign for a relayer."""
    credentials.issue(h32("direct"), 0, sender=actors.issuer)  # the issuer transacts
    h = h32("relayed-after-direct")
    deadline = chain.time() + 3_600
    typed = _issue_typed(credentials, chain, actors.issuer.address, h, 0, 0, deadline)
    sig = sign_typed_data(actors.issuer, typed)
    credentials.issueWithSig(actors.issuer, h, 0, deadline, sig, sender=actors.relayer)
    assert credentials.verify(actors.issuer, h).signer == actors.issuer.address


def test_issue_batch_with_sig_by_relayer(credentials, actors, chain, signer):
    hashes = [h32("r0"), h32("r1")]
    root, proofs = merkle(hashes)
    deadline = chain.time() + 3_600
    typed = _batch_typed(credentials, chain, signer.address, root, 2, 0, "ipfs://sig", 0, deadline)
    sig = sign_typed_data(signer, typed)
    rc = credentials.issueBatchWithSig(
        signer, root, 2, 0, "ipfs://sig", deadline, sig, sender=actors.relayer
    )
    ev = rc.event("BatchIssued")
    assert (ev.merkleRoot, ev.issuer, ev.count, ev.uri) == (root, signer.address, 2, "ipfs://sig")
    assert credentials.verifyLeaf(signer, root, hashes[0], proofs[0]).status == Status.VALID
    assert credentials.nonces(signer) == 1
    # replaying the signature fails (nonce spent), as does changing a signed field
    for other_root in (root, h32("other")):
        with reverts("InvalidSignature", issuer=signer):
            credentials.issueBatchWithSig(
                signer, other_root, 2, 0, "ipfs://sig", deadline, sig, sender=actors.relayer
            )


def test_issue_with_sig_expired_deadline(credentials, actors, chain, signer):
    h = h32("late")
    deadline = chain.time() - 1
    typed = _issue_typed(credentials, chain, signer.address, h, 0, 0, deadline)
    sig = sign_typed_data(signer, typed)
    with reverts("SignatureExpired", deadline=deadline):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    btyped = _batch_typed(credentials, chain, signer.address, h, 1, 0, "", 0, deadline)
    bsig = sign_typed_data(signer, btyped)
    with reverts("SignatureExpired", deadline=deadline):
        credentials.issueBatchWithSig(signer, h, 1, 0, "", deadline, bsig, sender=actors.relayer)
    assert credentials.nonces(signer) == 0


@pytest.mark.parametrize("defect", ["wrong-signer", "wrong-nonce", "wrong-field", "garbage"])
def test_issue_with_sig_invalid_signature(credentials, actors, chain, signer, defect):
    h = h32("forged")
    deadline = chain.time() + 3_600
    who, nonce, signed_hash = signer, 0, h
    if defect == "wrong-signer":
        who = actors.relayer
    elif defect == "wrong-nonce":
        nonce = 1
    elif defect == "wrong-field":
        signed_hash = h32("something else")
    typed = _issue_typed(credentials, chain, signer.address, signed_hash, 0, nonce, deadline)
    sig = b"\x01" * 65 if defect == "garbage" else sign_typed_data(who, typed)
    with reverts("InvalidSignature", issuer=signer):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    assert credentials.nonces(signer) == 0
    assert credentials.verify(signer, h).status == Status.NOT_ISSUED


def test_issue_with_sig_needs_good_standing(credentials, issuers, actors, chain, signer):
    issuers.suspend(signer, 1, 0, sender=actors.office)
    h = h32("suspended-sig")
    deadline = chain.time() + 3_600
    nonce = credentials.nonces(signer)
    sig = sign_typed_data(
        signer, _issue_typed(credentials, chain, signer.address, h, 0, nonce, deadline)
    )
    with reverts("IssuerNotInGoodStanding", issuer=signer):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    assert credentials.nonces(signer) == nonce  # a failed call consumes nothing


def test_signature_made_before_a_suspension_never_works_after_it(
    credentials, issuers, actors, chain, signer
):
    """Audit finding (delegated signatures): on v1 a signature held back during a suspension
    came back to life on reinstatement. The nonce carries the organisation's epoch, which
    every suspension or revocation advances."""
    h = h32("held back")
    deadline = chain.time() + 3_600
    sig = sign_typed_data(
        signer, _issue_typed(credentials, chain, signer.address, h, 0, 0, deadline)
    )
    issuers.suspend(signer, 1, 0, sender=actors.office)
    issuers.reinstate(signer, sender=actors.office)
    assert credentials.nonces(signer) == 1 << 64
    with reverts("InvalidSignature", issuer=signer):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    fresh = sign_typed_data(
        signer, _issue_typed(credentials, chain, signer.address, h, 0, 1 << 64, deadline)
    )
    credentials.issueWithSig(signer, h, 0, deadline, fresh, sender=actors.relayer)
    assert credentials.verify(signer, h).status == Status.VALID


def test_cancel_signatures_burns_nonces(credentials, actors, chain, signer):
    """Audit finding: v1 had no way to cancel an outstanding signature."""
    deadline = chain.time() + 3_600
    sigs = [
        sign_typed_data(
            signer, _issue_typed(credentials, chain, signer.address, h32(f"c{n}"), 0, n, deadline)
        )
        for n in range(3)
    ]
    chain.set_balance(signer.address, 10**18)
    rc = credentials.cancelSignatures(2, sender=signer)
    ev = rc.event("SignaturesCancelled")
    assert (ev.signer, ev.fromNonce, ev.toNonce) == (signer.address, 0, 2)
    for n in (0, 1):
        with reverts("InvalidSignature", issuer=signer):
            credentials.issueWithSig(
                signer, h32(f"c{n}"), 0, deadline, sigs[n], sender=actors.relayer
            )
    credentials.issueWithSig(signer, h32("c2"), 0, deadline, sigs[2], sender=actors.relayer)
    for count in (0, 2**32):
        with reverts("InvalidCancellation", count=count):
            credentials.cancelSignatures(count, sender=signer)


def test_deadline_window_is_bounded(credentials, actors, chain, signer):
    """Audit finding: v1 accepted any deadline, so a signature could stay usable forever."""
    window = credentials.MAX_SIGNATURE_WINDOW()
    assert window == 30 * 24 * 3600
    h = h32("far deadline")
    deadline = chain.time() + window + 1_000
    sig = sign_typed_data(
        signer, _issue_typed(credentials, chain, signer.address, h, 0, 0, deadline)
    )
    with reverts("DeadlineTooFar", deadline=deadline):
        credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)
    chain.mine(timestamp=deadline - window)
    credentials.issueWithSig(signer, h, 0, deadline, sig, sender=actors.relayer)


def test_issue_with_sig_from_eip1271_wallet(project, credentials, issuers, actors, chain):
    wallet = project.ERC1271Wallet.deploy(actors.issuer2, sender=actors.admin)
    issuers.accredit(wallet.address, "Wallet Issuer", "", 0, 0, sender=actors.office)
    h = h32("wallet")
    deadline = chain.time() + 3_600
    typed = _issue_typed(credentials, chain, wallet.address, h, 0, 0, deadline)
    sig = sign_typed_data(actors.issuer2, typed)  # the wallet's owner signs
    credentials.issueWithSig(wallet.address, h, 0, deadline, sig, sender=actors.relayer)
    assert credentials.verify(wallet.address, h).signer == wallet.address
    assert credentials.nonces(wallet.address) == 1
    # a signature by someone other than the owner is refused by the wallet
    h2 = h32("wallet-2")
    typed2 = _issue_typed(credentials, chain, wallet.address, h2, 0, 1, deadline)
    with reverts("InvalidSignature", issuer=wallet.address):
        credentials.issueWithSig(
            wallet.address,
            h2,
            0,
            deadline,
            sign_typed_data(actors.relayer, typed2),
            sender=actors.relayer,
        )


def test_signature_helper_matches_eth_account(credentials, actors, chain):
    """Guard for the test helper itself: the signature recovers to the issuer."""
    typed = _issue_typed(credentials, chain, actors.issuer.address, h32("x"), 0, 0, 1)
    sig = sign_typed_data(actors.issuer, typed)
    recovered = EthAccount.recover_message(encode_typed_data(full_message=typed), signature=sig)
    assert recovered == actors.issuer.address


def test_constructor_rejects_registry_without_code(project, actors):
    with reverts("InvalidIssuerRegistry", registry=actors.outsiders[2]):
        project.CredentialRegistry.deploy(actors.outsiders[2], 0, actors.admin, sender=actors.admin)


def test_public_constants(credentials, issuers):
    assert credentials.issuerRegistry() == issuers.address
    assert credentials.ISSUE_TYPEHASH() == keccak(
        text="Issue(address issuer,bytes32 credentialHash,uint64 expiresAt,uint256 nonce,"
        "uint256 deadline)"
    )
    assert credentials.ISSUE_BATCH_TYPEHASH() == keccak(
        text="IssueBatch(address issuer,bytes32 merkleRoot,uint32 count,uint64 expiresAt,"
        "string uri,uint256 nonce,uint256 deadline)"
    )


def test_time_fields_refuse_instead_of_wrapping(credentials, actors, chain, batch):
    """Audit finding (time fields): on v1 a revoke at 2**40 stored revokedAt 0 (wrapped),
    emitted its event, and verify still said Valid. Every write that records the block time
    in a 40-bit field now refuses it; verify keeps answering."""
    root, _, _ = batch
    h = h32("before the wrap")
    credentials.issue(h, 0, sender=actors.issuer)
    chain.mine(timestamp=2**40)
    for write in (
        lambda: credentials.issue(h32("far future"), 0, sender=actors.issuer),
        lambda: credentials.issueBatch(h32("far root"), 1, 0, "", sender=actors.issuer),
        lambda: credentials.revoke(actors.issuer, h, 1, sender=actors.issuer),
        lambda: credentials.revokeBatch(actors.issuer, root, 1, sender=actors.issuer),
        lambda: credentials.authorityRevoke(actors.issuer, h, 1, sender=actors.office),
    ):
        with reverts("TimeOverflow", timestamp=2**40):
            write()
    assert credentials.verify(actors.issuer, h).status == Status.VALID
    assert credentials.verify(actors.issuer, h).revokedAt == 0
