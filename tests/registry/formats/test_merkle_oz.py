"""The batch tree is OpenZeppelin's StandardMerkleTree: same root, same proofs, same layout.

The reference is the npm package `@openzeppelin/merkle-tree` (pinned in package.json),
driven through node (tests/registry/formats/oz_merkle.js), for random sets of 1 to 300
credential hashes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daftar_registry.formats.merkle import MerkleTree

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("oz_merkle.js")
PACKAGE = REPO / "node_modules" / "@openzeppelin" / "merkle-tree"


@pytest.fixture(scope="module")
def oz() -> Iterator[subprocess.Popen[str]]:
    node = shutil.which("node")
    if node is None or not PACKAGE.is_dir():
        pytest.fail(
            "node and node_modules/@openzeppelin/merkle-tree are needed: run `npm ci` "
            "(package.json pins @openzeppelin/merkle-tree)"
        )
    proc = subprocess.Popen(
        [node, str(SCRIPT)], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    yield proc
    proc.stdin.close()  # type: ignore[union-attr]
    proc.wait(timeout=10)


def _ask(oz: subprocess.Popen[str], hashes: list[bytes]) -> dict:
    assert oz.stdin is not None and oz.stdout is not None
    oz.stdin.write(json.dumps(["0x" + h.hex() for h in hashes]) + "\n")
    oz.stdin.flush()
    return json.loads(oz.stdout.readline())


def _b(text: str) -> bytes:
    return bytes.fromhex(text[2:])


@settings(max_examples=60, deadline=None)
@given(hashes=st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=300, unique=True))
def test_same_root_proofs_and_layout_as_openzeppelin(oz, hashes):
    """For any set of 1-300 distinct credential hashes, in any order: the Python tree's root,
    every credential's proof and the whole node array equal StandardMerkleTree.of(values,
    ["bytes32"]) of @openzeppelin/merkle-tree."""
    ours = MerkleTree(hashes)
    theirs = _ask(oz, hashes)
    assert ours.root == _b(theirs["root"])
    assert list(ours.nodes) == [_b(n) for n in theirs["tree"]]
    for h, proof in zip(hashes, theirs["proofs"], strict=True):
        assert ours.proof(h) == [_b(p) for p in proof]


@pytest.mark.parametrize("size", [5, 7, 100])
def test_sizes_where_the_v1_shape_differed(oz, size):
    """Registry v1's tree differed from OpenZeppelin's for 5, 7 and 100 leaves (issue 12)."""
    hashes = [bytes([i % 256, i // 256]) + b"\x11" * 30 for i in range(size)]
    assert MerkleTree(hashes).root == _b(_ask(oz, hashes)["root"])
