"""Merkle trees of credential hashes, byte for byte as `CredentialRegistry` verifies them.

The contract (OpenZeppelin `MerkleProof`, double-hashed leaves) fixes the hashing:

    leaf(h) = keccak256(keccak256(h))           # h: the 32 raw bytes of a credential hash
    node(a, b) = keccak256(min(a, b) ‖ max(a, b))  # sorted pair, compared as 256-bit numbers

A proof lists sibling hashes from the leaf up to the root and carries no left/right bits,
because the pair is sorted before hashing. The contract only *checks* proofs, so the tree
shape is ours to choose; this module fixes it so every client builds the same root:

- the leaves are sorted (as bytes, which is numeric order for 32-byte words), so the root
  depends only on the *set* of credential hashes, not on the order an issuer listed them;
- levels are built bottom-up pairing neighbours (0,1), (2,3), ...; the last node of a level
  with an odd count has no sibling and moves up unchanged (adding nothing to proofs);
- one leaf: the root is the leaf itself and the proof is empty;
- duplicate credential hashes are rejected: a batch would otherwise commit to fewer
  credentials than its declared count, and a leaf's position would be ambiguous.

A leaf hashes 32 bytes and an inner node 64, so an inner node can never pass as a leaf.
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
    """A tree over credential hashes; see the module docstring for the exact shape.

    `tree.root` goes on chain with `issueBatch(root, len(tree), ...)`; each holder keeps
    `tree.proof(h)` for `verifyLeaf(root, h, proof)` and `revokeLeaf`.
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
        levels = [leaves]
        while len(levels[-1]) > 1:
            below = levels[-1]
            above = [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            if len(below) % 2:
                above.append(below[-1])  # no sibling: moves up unchanged
            levels.append(above)
        self._levels: tuple[tuple[bytes, ...], ...] = tuple(tuple(level) for level in levels)
        self._index = {leaf: i for i, leaf in enumerate(leaves)}
        self._hashes = tuple(by_leaf[leaf] for leaf in leaves)

    @property
    def root(self) -> bytes:
        return self._levels[-1][0]

    @property
    def levels(self) -> tuple[tuple[bytes, ...], ...]:
        """Every level, leaves first and the root last (for tooling and tests)."""
        return self._levels

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

    def proof(self, credential_hash: bytes | str) -> list[bytes]:
        """Sibling hashes from the credential's leaf up to the root (KeyError if absent)."""
        leaf = self.leaf(credential_hash)
        index = self._index.get(leaf)
        if index is None:
            raise KeyError(
                f"credential hash 0x{as_bytes32(credential_hash).hex()} is not in the tree"
            )
        return self.node_proof(0, index)

    def node_proof(self, level: int, index: int) -> list[bytes]:
        """The proof from the node at (`level`, `index`) up to the root."""
        out: list[bytes] = []
        for nodes in self._levels[level:-1]:
            sibling = index ^ 1
            if sibling < len(nodes):
                out.append(nodes[sibling])
            index //= 2
        return out

    def __repr__(self) -> str:
        return f"<MerkleTree {len(self)} leaves root=0x{self.root.hex()}>"
