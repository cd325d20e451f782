"""The Python Merkle builder agrees byte for byte with `CredentialRegistry.verifyLeaf`."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daftar_registry.formats.merkle import MerkleTree, leaf_hash, node_hash, verify_proof

VALID, INVALID_PROOF = 1, 5
SAMPLE = 8  # leaves checked on chain per tree: all of a small tree, a sample of a big one

hash32 = st.binary(min_size=32, max_size=32).filter(any)  # the contract refuses a zero root
hash_sets = st.lists(hash32, min_size=1, max_size=64, unique=True)


def _issue(credentials, actors, tree: MerkleTree) -> None:
    credentials.issueBatch(tree.root, len(tree), 0, "ipfs://b", sender=actors.issuer)


def _sample(tree: MerkleTree, data) -> list[bytes]:
    hashes = list(tree.credential_hashes)
    if len(hashes) <= SAMPLE:
        return hashes
    picks = data.draw(st.lists(st.sampled_from(hashes), min_size=SAMPLE - 2, max_size=SAMPLE - 2))
    # The first and last leaves sit at the two ends of the node array (different depths).
    return [hashes[0], hashes[-1], *picks]


@given(hashes=hash_sets, data=st.data())
def test_every_leaf_verifies_on_chain(credentials, actors, hashes, data):
    """For any set of credential hashes, the root built in Python, once issued as a batch,
    makes the contract report Valid for each member with the proof Python gives it, and
    Python's own verify_proof accepts the same proof."""
    tree = MerkleTree(hashes)
    _issue(credentials, actors, tree)
    for h in _sample(tree, data):
        proof = tree.proof(h)
        assert verify_proof(tree.root, h, proof)
        assert credentials.verifyLeaf(actors.issuer, tree.root, h, proof).status == VALID


@given(hashes=hash_sets, data=st.data())
def test_wrong_proofs_are_invalid(credentials, actors, hashes, data):
    """A proof that does not connect the leaf to the root (another leaf's proof, a flipped
    bit, an extra or missing sibling, a non-member hash) gives InvalidProof on chain exactly
    when Python's verify_proof says False; a member with its own proof is never rejected."""
    tree = MerkleTree(hashes)
    _issue(credentials, actors, tree)
    h = data.draw(st.sampled_from(tree.credential_hashes))
    good = tree.proof(h)
    other = data.draw(hash32.filter(lambda x: x not in tree))
    candidates = [
        (h, [*good, data.draw(hash32)]),
        (other, good),
    ]
    if good:
        i = data.draw(st.integers(0, len(good) - 1))
        flipped = bytearray(good[i])
        flipped[data.draw(st.integers(0, 31))] ^= 1 << data.draw(st.integers(0, 7))
        candidates += [(h, [*good[:i], bytes(flipped), *good[i + 1 :]]), (h, good[:-1])]
    for credential_hash, proof in candidates:
        expected = verify_proof(tree.root, credential_hash, proof)
        got = credentials.verifyLeaf(actors.issuer, tree.root, credential_hash, proof).status
        assert got == (VALID if expected else INVALID_PROOF)
        assert not expected  # none of these can be a real proof
    # The verdicts also agree on a proof that belongs to another leaf.
    h2 = data.draw(st.sampled_from(tree.credential_hashes))
    expected = verify_proof(tree.root, h, tree.proof(h2))
    assert credentials.verifyLeaf(actors.issuer, tree.root, h, tree.proof(h2)).status == (
        VALID if expected else INVALID_PROOF
    )
    assert expected == (h == h2)


@given(hashes=st.lists(hash32, min_size=2, max_size=64, unique=True), data=st.data())
def test_inner_node_is_not_a_leaf(credentials, actors, hashes, data):
    """An inner node presented as a credential hash, with the rest of the path to the
    root, is refused: the contract re-hashes whatever it is given as a leaf."""
    tree = MerkleTree(hashes)
    _issue(credentials, actors, tree)
    index = data.draw(st.integers(1, len(hashes) - 2)) if len(hashes) > 2 else 0
    node = tree.nodes[index]  # an inner node (indexes below n - 1), never the root alone
    rest = tree.node_proof(index)
    assert not verify_proof(tree.root, node, rest)
    assert credentials.verifyLeaf(actors.issuer, tree.root, node, rest).status == INVALID_PROOF


@given(h=st.binary(min_size=32, max_size=32))
def test_leaf_hash_matches_contract(credentials, h):
    """Python's leaf is the contract's `leafHash`: keccak256 twice over the 32 bytes."""
    assert credentials.leafHash(h) == leaf_hash(h) == MerkleTree([h]).leaf(h)


def test_single_leaf_root_is_the_leaf(credentials, actors):
    h = os.urandom(32)
    tree = MerkleTree([h])
    assert tree.root == leaf_hash(h)
    assert tree.proof(h) == []
    _issue(credentials, actors, tree)
    assert credentials.verifyLeaf(actors.issuer, tree.root, h, []).status == VALID


def test_shape_is_openzeppelins():
    """Leaves are sorted, so the root is a function of the set; the layout is OpenZeppelin
    StandardMerkleTree's flat array: sorted leaves at the end in reverse order, node i =
    hash(tree[2i+1], tree[2i+2])."""
    hashes = [bytes([i]) * 32 for i in range(1, 6)]
    tree = MerkleTree(hashes)
    assert tree.root == MerkleTree(reversed(hashes)).root
    s = sorted(leaf_hash(h) for h in hashes)
    # nodes: [root, n1, n2, n3, s4, s3, s2, s1, s0]
    assert tree.nodes[4:] == (s[4], s[3], s[2], s[1], s[0])
    n3 = node_hash(s[1], s[0])
    n2 = node_hash(s[3], s[2])
    n1 = node_hash(n3, s[4])
    assert tree.nodes[:4] == (node_hash(n1, n2), n1, n2, n3)
    assert tree.proof(tree.credential_hashes[0]) == [s[1], s[4], n2]  # s0 sits at index 8


def test_rejects_duplicates_and_bad_input():
    h = os.urandom(32)
    with pytest.raises(ValueError, match="duplicate"):
        MerkleTree([h, os.urandom(32), "0x" + h.hex()])
    with pytest.raises(ValueError):
        MerkleTree([])
    with pytest.raises(ValueError):
        MerkleTree([b"short"])
    with pytest.raises(KeyError):
        MerkleTree([h]).proof(os.urandom(32))


def test_ten_thousand_leaves(credentials, actors):
    """A 10,000-credential batch has the expected depth and its proofs verify on chain.
    (How fast it builds is measured by `python -m bench merkle`.)"""
    hashes = [os.urandom(32) for _ in range(10_000)]
    tree = MerkleTree(hashes)
    assert len(tree.nodes) == 2 * 10_000 - 1
    _issue(credentials, actors, tree)
    for h in [hashes[0], hashes[-1], tree.credential_hashes[-1], *hashes[1:5000:997]]:
        proof = tree.proof(h)
        assert len(proof) <= 14
        assert credentials.verifyLeaf(actors.issuer, tree.root, h, proof).status == VALID
    assert credentials.verifyLeaf(
        actors.issuer, tree.root, hashes[1], tree.proof(hashes[2])
    ).status == (INVALID_PROOF)
