"""Merkle batches: building a tree of `n` credential hashes, against the hashing it needs.

A tree of n leaves cannot cost less than its Keccak-256 calls: two per leaf (leaves are
double-hashed) over 32 bytes and one per inner node over 64 bytes (n - 1 of them). The
peer, timed in the same run on the same machine, is exactly those calls in a bare loop;
`build_over_keccak` is how much the tree's sorting, pairing and bookkeeping add on top.
`proofs_s` is the time to give every holder their proof. Correctness is checked after the
clock stops: sampled proofs must verify against the root.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench import emit, say
from daftar.util.hashing import keccak256
from daftar_registry.formats.merkle import MerkleTree, verify_proof

GOAL_BUILD_S = 2.0  # for the default 10,000 leaves (the former unit test's limit)
GOAL_BUILD_OVER_KECCAK = 2.5  # the tree adds at most 1.5x its own hashing


def keccak_floor(hashes: list[bytes]) -> float:
    """Seconds for the Keccak calls alone that a tree over `hashes` needs."""
    pair = hashes[0] + hashes[-1]
    start = time.perf_counter()
    for h in hashes:
        keccak256(keccak256(h))
    for _ in range(len(hashes) - 1):
        keccak256(pair)
    return time.perf_counter() - start


def build(hashes: list[bytes]) -> tuple[float, MerkleTree]:
    start = time.perf_counter()
    tree = MerkleTree(hashes)
    return time.perf_counter() - start, tree


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench merkle", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="credential hashes per tree")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (median)")
    args = parser.parse_args(argv)
    if args.n < 2 or args.repeat < 1:
        parser.error("--n must be at least 2 and --repeat at least 1")

    hashes = [os.urandom(32) for _ in range(args.n)]
    builds, floors = [], []
    for _ in range(args.repeat):  # interleaved, so load changes hit both alike
        seconds, tree = build(hashes)
        builds.append(seconds)
        floors.append(keccak_floor(hashes))
    build_s, floor_s = statistics.median(builds), statistics.median(floors)
    say(f"build: median {build_s:.3f}s for {args.n} leaves; keccak floor {floor_s:.3f}s")

    start = time.perf_counter()
    proofs = {h: tree.proof(h) for h in hashes}
    proofs_s = time.perf_counter() - start
    say(f"proofs: {proofs_s:.3f}s for all {args.n}")

    for h in hashes[:: max(1, args.n // 64)]:
        assert verify_proof(tree.root, h, proofs[h]), "a proof does not lead to the root"
    assert len(tree) == args.n

    emit(
        {
            "n": args.n,
            "build_s": round(build_s, 4),
            "keccak_floor_s": round(floor_s, 4),
            "build_over_keccak": round(build_s / floor_s, 2),
            "proofs_s": round(proofs_s, 4),
            "goal_build_s": GOAL_BUILD_S,
            "goal_build_over_keccak": GOAL_BUILD_OVER_KECCAK,
        }
    )
    return 0
