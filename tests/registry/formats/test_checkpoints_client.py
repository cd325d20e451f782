"""Log-directory checkpoints: deterministic roots, file proofs, and the on-chain hash chain."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from daftar.testing import reverts
from daftar_registry.formats.checkpoints import (
    anchor_checkpoint,
    entry_hash,
    hash_directory,
    next_checkpoint,
    was_anchored,
)
from daftar_registry.formats.merkle import keccak256, verify_proof

LOGS = {
    "app/2024-05-01.log": b"GET /health 200\n",
    "app/2024-05-02.log": b"POST /issue 201\n" * 100,
    "db/slow.log": b"",
    "audit.log": b"pengguna=admin tindakan=log masuk\n",
    "a.log": b"sorts before a/",
    "a/x.log": b"and after a.log",
}


def _write(root: Path, files: dict[str, bytes], order=None) -> Path:
    for rel in order or files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])
    return root


@pytest.fixture
def logs(tmp_path) -> Path:
    return _write(tmp_path / "logs", LOGS)


def test_manifest_and_root_definition(logs):
    """The root is the Merkle root of keccak(kind‖0‖path‖0‖keccak(content)), paths sorted."""
    cp = hash_directory(logs)
    paths = [e.path for e in cp.manifest]
    assert paths == sorted(LOGS, key=os.fsencode)
    assert paths.index("a.log") < paths.index("a/x.log")
    for e in cp.manifest:
        assert (e.size, e.hash, e.kind) == (len(LOGS[e.path]), keccak256(LOGS[e.path]), "file")
        assert e.entry_hash == keccak256(b"file\0" + e.path.encode() + b"\0" + e.hash)
    # Every file can be proven alone against the root.
    for e in cp.manifest:
        assert verify_proof(cp.root, e.entry_hash, cp.proof(e.path))
    assert cp.to_json()["root"] == "0x" + cp.root.hex()


def test_deterministic_whatever_the_creation_order(tmp_path):
    first = _write(tmp_path / "one", LOGS)
    second = _write(tmp_path / "two", LOGS, order=list(reversed(LOGS)))
    assert hash_directory(first).root == hash_directory(second).root
    assert hash_directory(first) == hash_directory(first)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: (d / "db/slow.log").write_bytes(b"\0"),  # a byte appended to an empty file
        lambda d: (d / "app/2024-05-02.log").write_bytes(LOGS["app/2024-05-02.log"][:-1] + b"!"),
        lambda d: (d / "audit.log").rename(d / "audit.log.1"),  # rename, same content
        lambda d: (d / "app/2024-05-01.log").rename(d / "db/2024-05-01.log"),  # move
        lambda d: (d / "new.log").write_bytes(b""),  # a new empty file
        lambda d: (d / "a.log").unlink(),
        lambda d: (d / "empty-dir").mkdir(),
        lambda d: (d / "link").symlink_to("audit.log"),
    ],
    ids=["byte", "last-byte", "rename", "move", "new-file", "removed", "empty-dir", "symlink"],
)
def test_any_change_changes_the_root(logs, change):
    before = hash_directory(logs).root
    change(logs)
    assert hash_directory(logs).root != before


def test_symlinks_are_recorded_not_followed(logs, tmp_path):
    """A link is hashed as its target path; the target's content never enters the entry."""
    (logs / "current.log").symlink_to("app/2024-05-02.log")
    (logs / "dangling").symlink_to("/nonexistent/elsewhere")
    (logs / "linked-dir").symlink_to(logs / "app", target_is_directory=True)
    cp = hash_directory(logs)
    link = cp.entry("current.log")
    assert (link.kind, link.hash, link.size) == ("symlink", keccak256(b"app/2024-05-02.log"), 18)
    assert cp.entry("dangling").kind == "symlink"
    assert not any(e.path.startswith("linked-dir/") for e in cp.manifest)
    before = cp.root
    (logs / "app/2024-05-02.log").write_bytes(b"changed")  # the target changes ...
    changed = hash_directory(logs)
    assert changed.entry("current.log") == link  # ... the link entry does not
    assert changed.root != before  # (the file itself does)
    # A link and a file whose content is the link's target path differ.
    assert entry_hash("symlink", "x", keccak256(b"t")) != entry_hash("file", "x", keccak256(b"t"))


def test_special_files_and_empty_trees_are_refused(tmp_path):
    with pytest.raises(ValueError, match="nothing to checkpoint"):
        hash_directory(tmp_path)
    with pytest.raises(ValueError, match="not a directory"):
        hash_directory(tmp_path / "missing")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        with pytest.raises(ValueError, match="pipe"):
            hash_directory(tmp_path)


def test_large_file_is_streamed(tmp_path):
    data = os.urandom(3 * (1 << 20) + 17)  # crosses the 1 MiB read chunks
    (tmp_path / "big.log").write_bytes(data)
    e = hash_directory(tmp_path).entry("big.log")
    assert (e.size, e.hash) == (len(data), keccak256(data))


# ─────────────────────────────── on chain ───────────────────────────────


@pytest.fixture
def pilot_id(pilots, actors):
    """An Active pilot: the sponsor proposes, the office approves, the sponsor activates."""
    receipt = pilots.propose("Log integrity", "ipfs://pilot", b"\x01" * 32, sender=actors.sponsor)
    pid = receipt.event("PilotProposed").pilotId
    pilots.approve(pid, sender=actors.office)
    pilots.activate(pid, sender=actors.sponsor)
    assert pilots.pilot(pid).status == 3
    return pid


def test_anchor_three_checkpoints(pilots, actors, pilot_id, logs):
    """Three days of logs anchored in a chain; each root is reported with its seq."""
    assert next_checkpoint(pilots, pilot_id) == (1, bytes(32))
    roots = []
    for day in range(3):
        (logs / f"app/day-{day}.log").write_bytes(f"day {day}\n".encode())
        cp = hash_directory(logs)
        seq, prev = next_checkpoint(pilots, pilot_id)
        assert (seq, prev) == (day + 1, roots[-1] if roots else bytes(32))
        receipt = anchor_checkpoint(
            pilots, pilot_id, cp.root, f"ipfs://cp{day}", sender=actors.sponsor
        )
        event = receipt.event("CheckpointAnchored")
        assert (event.seq, event.root, event.prevRoot) == (seq, cp.root, prev)
        roots.append(cp.root)
    for seq, root in enumerate(roots, start=1):
        status = was_anchored(pilots, pilot_id, root)
        assert status.anchored and status.seq == seq and status.at > 0
        assert pilots.checkpointRoot(pilot_id, seq) == root
    assert next_checkpoint(pilots, pilot_id) == (4, roots[-1])
    assert was_anchored(pilots, pilot_id, b"\x42" * 32) == (False, 0, 0)


def test_forks_and_gaps_revert(pilots, actors, pilot_id, logs):
    first = hash_directory(logs).root
    anchor_checkpoint(pilots, pilot_id, first, "ipfs://cp1", sender=actors.sponsor)
    (logs / "tampered.log").write_bytes(b"history rewritten")
    second = hash_directory(logs).root
    seq, prev = next_checkpoint(pilots, pilot_id)
    forged_prev = b"\x66" * 32
    with reverts(
        "CheckpointFork", pilotId=pilot_id, seq=seq, expectedPrevRoot=prev, prevRoot=forged_prev
    ):
        pilots.anchorCheckpoint(pilot_id, seq, second, forged_prev, "", sender=actors.sponsor)
    with reverts("CheckpointGap", pilotId=pilot_id, expectedSeq=seq, seq=seq + 1):
        pilots.anchorCheckpoint(pilot_id, seq + 1, second, prev, "", sender=actors.sponsor)
    with reverts("CheckpointRootReused", root=first):
        pilots.anchorCheckpoint(pilot_id, seq, first, prev, "", sender=actors.sponsor)
    assert not was_anchored(pilots, pilot_id, second).anchored


def test_copied_directory_proves_anchored_state(pilots, actors, pilot_id, logs, tmp_path):
    """An auditor re-hashes a copy of the logs and finds the anchored root."""
    root = hash_directory(logs).root
    anchor_checkpoint(pilots, pilot_id, root, "ipfs://cp1", sender=actors.sponsor)
    copy = Path(shutil.copytree(logs, tmp_path / "audit-copy"))
    assert was_anchored(pilots, pilot_id, hash_directory(copy).root).seq == 1
    (copy / "audit.log").write_bytes(b"edited after the fact\n")
    assert not was_anchored(pilots, pilot_id, hash_directory(copy).root).anchored
