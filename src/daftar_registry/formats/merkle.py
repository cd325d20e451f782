"""Merkle trees of credential hashes: OpenZeppelin's `StandardMerkleTree`, exactly.

A batch is `StandardMerkleTree.of(hashes.map(h => [h]), ["bytes32"])` of the npm package
`@openzeppelin/merkle-tree` (cross-tested in tests/registry/formats/test_merkle_oz.py), and
`CredentialRegistry` checks proofs with OpenZeppelin `MerkleProof`:

    leaf(h) = keccak256(bytes.concat(keccak256(abi.encode(h))))
            = keccak256(keccak256(h))           # h: the 32 raw bytes of a credential hash
    node(a, b) = keccak256(min(a, b) ‖ max(a, b))  # sorted pair, compared as 256-bit numbers

The tree layout is OpenZeppelin's, so any implementation of the standard builds the same
root and proofs:

- the leaves are sorted ascending (as bytes, which is numeric order for 32-byte words), so
  the root depends only on the *set* of credential hashes;
- the tree is a flat array of `2n - 1` nodes; the sorted leaves fill its end in reverse
  order (leaf `i` of the sorted list sits at index `2n - 2 - i`), and every inner node `i`,
  from `n - 2` down to 0, is `node(tree[2i + 1], tree[2i + 2])`; the root is `tree[0]`;
- a proof lists the siblings from the leaf up (sibling of `i`: `i + 1` if `i` is odd, else
  `i - 1`; parent: `(i - 1) // 2`) and carries no left/right bits (pairs are sorted);
- one leaf: the root is the leaf itself and the proof is empty;
- duplicate credential hashes are rejected: a batch would otherwise commit to fewer
  credentials than its declared count.

A leaf hashes 32 bytes and an inner node 64, so an inner node can never pass as a leaf.
(Registry v1 used another shape, pairing neighbours level by level; its proofs still verify
on chain, only roots of trees whose size is not a power of two differ.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from daftar.util.hashing import keccak256, keccak256_hasher

__all__ = [
    "MerkleTree",
    "as_bytes32",
    "keccak256",
    "keccak256_hasher",
    "leaf_hash",
    "node_hash",
    "verify_proof",
]


def as_bytes32(value: bytes | bytearray | str) -> bytes:
    """Normalise a bytes32 given as bytes or 0x-hex text; anything else is a ValueError."""
    if isinstance(value, str):
        text = value[2:] if value[:2] in ("0x", "0X") else value
        try:
            value = bytes.fromhex(text)
        except ValueError:
            raise ValueError(f"not a hex bytes32: {text[:80]!r}") from None
    out = bytes(value)
    if len(out) != 32:
        raise ValueError(f"a bytes32 must be 32 bytes, got {len(out)}")
    return out


def leaf_hash(credential_hash: bytes | str) -> bytes:
    """The contract's `leafHash`: keccak256 applied twice to the 32-byte credential hash."""
    return keccak256(keccak256(as_bytes32(credential_hash)))


def node_hash(a: bytes, b: bytes) -> bytes:
    """An inner node: keccak256 of the two children in ascending order (OZ `MerkleProof`)."""
    return keccak256(a + b if a <= b else b + a)


def verify_proof(
    root: bytes | str, credential_hash: bytes | str, proof: Sequence[bytes | str]
) -> bool:
    """True iff `proof` connects `leaf_hash(credential_hash)` to `root`, as `verifyLeaf` checks.

    Malformed inputs (not 32 bytes) raise ValueError: the contract could not even be called
    with them, so there is no answer to agree with.
    """
    node = leaf_hash(credential_hash)
    for sibling in proof:
        node = node_hash(node, as_bytes32(sibling))
    return node == as_bytes32(root)


class MerkleTree:
    """A tree over credential hashes; see the module docstring for the exact layout.

    `tree.root` goes on chain with `issueBatch(root, len(tree), ...)`; each holder keeps
    `tree.proof(h)` for `verifyLeaf(issuer, root, h, proof)` and `revokeLeaf`.
    """

    def __init__(self, credential_hashes: Iterable[bytes | str]) -> None:
        hashes = [as_bytes32(h) for h in credential_hashes]
        if not hashes:
            raise ValueError("a Merkle tree needs at least one credential hash")
        by_leaf: dict[bytes, bytes] = {}
        for h in hashes:
            leaf = keccak256(keccak256(h))
            if leaf in by_leaf:
                raise ValueError(f"duplicate credential hash 0x{h.hex()}")
            by_leaf[leaf] = h
        leaves = sorted(by_leaf)
        n = len(leaves)
        nodes: list[bytes] = [b""] * (2 * n - 1)
        for i, leaf in enumerate(leaves):
            nodes[len(nodes) - 1 - i] = leaf
        for i in range(len(nodes) - 1 - n, -1, -1):
            nodes[i] = node_hash(nodes[2 * i + 1], nodes[2 * i + 2])
        self._nodes: tuple[bytes, ...] = tuple(nodes)
        self._index = {leaf: len(nodes) - 1 - i for i, leaf in enumerate(leaves)}
        self._hashes = tuple(by_leaf[leaf] for leaf in leaves)

    @property
    def root(self) -> bytes:
        return self._nodes[0]

    @property
    def nodes(self) -> tuple[bytes, ...]:
        """The flat node array (OpenZeppelin's `tree`): root first, leaves at the end."""
        return self._nodes

    @property
    def credential_hashes(self) -> tuple[bytes, ...]:
        """The credential hashes in leaf order (sorted by leaf)."""
        return self._hashes

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, credential_hash: object) -> bool:
        try:
            return self.leaf(credential_hash) in self._index  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False

    def leaf(self, credential_hash: bytes | str) -> bytes:
        """The leaf of a credential hash (whether or not it is in this tree)."""
        return leaf_hash(credential_hash)

    def tree_index(self, credential_hash: bytes | str) -> int:
        """Where the credential's leaf sits in `nodes` (KeyError if absent)."""
        index = self._index.get(self.leaf(credential_hash))
        if index is None:
            raise KeyError(
                f"credential hash 0x{as_bytes32(credential_hash).hex()} is not in the tree"
            )
        return index

    def proof(self, credential_hash: bytes | str) -> list[bytes]:
        """Sibling hashes from the credential's leaf up to the root (KeyError if absent)."""
        return self.node_proof(self.tree_index(credential_hash))

    def node_proof(self, index: int) -> list[bytes]:
        """The proof from the node at `nodes[index]` up to the root."""
        if not 0 <= index < len(self._nodes):
            raise IndexError(f"node index {index} outside 0..{len(self._nodes) - 1}")
        out: list[bytes] = []
        while index > 0:
            out.append(self._nodes[index + 1 if index % 2 else index - 1])
            index = (index - 1) // 2
        return out

    def __repr__(self) -> str:
        return f"<MerkleTree {len(self)} leaves root=0x{self.root.hex()}>"
