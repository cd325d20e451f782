"""Golden vectors: the Python formats reproduce hashes computed independently in JavaScript.

tests/vectors/*.json come from tests/vectors/make_vectors.js (its header says how: RFC 8785
written from the RFC's rules, Keccak-256 from js-sha3, EIP-55 by hand). Nothing in them was
computed by the code under test, so a change to any hash definition fails here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from daftar_registry.formats.checkpoints import entry_hash, hash_directory
from daftar_registry.formats.credentials import (
    build_credential,
    canonical_json,
    credential_hash_of,
    field_commitment,
)
from daftar_registry.formats.merkle import MerkleTree, leaf_hash, verify_proof

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def _load(name: str) -> dict:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


CREDENTIALS = _load("credentials.json")
MERKLE = _load("merkle.json")
CHECKPOINTS = _load("checkpoints.json")


def _b(text: str) -> bytes:
    return bytes.fromhex(text.removeprefix("0x"))


def test_vector_files_are_what_the_script_prints():
    """The checked-in files are the script's output (regenerate with `--write`)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    out = subprocess.run(
        [node, str(VECTORS / "make_vectors.js")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    printed = json.loads(out)
    assert sorted(printed) == sorted(p.name for p in VECTORS.glob("*.json"))
    for name, data in printed.items():
        assert data == _load(name), (
            f"{name} is stale: run node {VECTORS / 'make_vectors.js'} --write"
        )


@pytest.mark.parametrize(
    "case", CREDENTIALS["canonical"], ids=lambda c: c["canonical"][:30] or "empty"
)
def test_canonical_json(case):
    assert canonical_json(case["value"]) == case["canonical"].encode("utf-8")


@pytest.mark.parametrize("doc", CREDENTIALS["documents"], ids=lambda d: d["input"]["network"])
def test_field_commitments_and_credential_hash(doc):
    """Commitments per field, the salted document byte for byte, the credential hash."""
    given = doc["input"]
    for name, value in given["fields"].items():
        assert field_commitment(name, value, given["salts"][name]) == _b(doc["commitments"][name])
    built = build_credential(
        given["fields"],
        given["issuer"],
        given["network"],
        given["expiresAt"],
        salts=given["salts"],
    )
    assert canonical_json(built.salted()) == doc["salted_canonical"].encode("utf-8")
    assert built.credential_hash == _b(doc["credential_hash"])
    assert credential_hash_of(json.loads(doc["salted_canonical"])) == _b(doc["credential_hash"])


@pytest.mark.parametrize("case", CREDENTIALS["rfc8785_divergences"], ids=lambda c: c["why"][-20:])
def test_rfc8785_member_order_beyond_the_bmp(case):
    assert canonical_json(case["value"]) == case["canonical"].encode("utf-8")


@pytest.mark.parametrize("tree", MERKLE["trees"], ids=lambda t: f"{len(t['leaves'])}-leaves")
def test_merkle_leaves_root_and_proofs(tree):
    hashes = [_b(h) for h in tree["credential_hashes"]]
    built = MerkleTree(hashes)
    assert [leaf_hash(h) for h in hashes] == [_b(x) for x in tree["leaves"]]
    assert built.root == _b(tree["root"])
    assert list(built.nodes) == [_b(n) for n in tree["tree"]]  # OpenZeppelin's layout
    for h, proof in zip(hashes, tree["proofs"], strict=True):
        assert built.proof(h) == [_b(p) for p in proof]
        assert verify_proof(_b(tree["root"]), h, proof)


def _make_directory(root: Path, entries: list[dict]) -> None:
    for e in entries:
        where = root / e["path"]
        where.parent.mkdir(parents=True, exist_ok=True)
        content = _b(e["content_hex"])
        if e["kind"] == "file":
            where.write_bytes(content)
        elif e["kind"] == "symlink":
            os.symlink(os.fsdecode(content), where)
        else:
            where.mkdir()


@pytest.mark.parametrize("vector", CHECKPOINTS["directories"], ids=lambda v: f"{len(v['input'])}")
def test_checkpoint_manifest_entry_hashes_and_root(tmp_path, vector):
    """A directory laid out as the vector says gives its manifest, entry hashes, root and
    per-entry proofs."""
    _make_directory(tmp_path / "logs", vector["input"])
    cp = hash_directory(tmp_path / "logs")
    expected = vector["manifest"]
    assert [(e.path, e.kind, e.size, e.hash) for e in cp.manifest] == [
        (m["path"], m["kind"], m["size"], _b(m["content_hash"])) for m in expected
    ]
    for e, m in zip(cp.manifest, expected, strict=True):
        assert e.entry_hash == entry_hash(m["kind"], m["path"], _b(m["content_hash"]))
        assert e.entry_hash == _b(m["entry_hash"])
        assert cp.proof(e.path) == [_b(p) for p in m["proof"]]
    assert cp.root == _b(vector["root"])
