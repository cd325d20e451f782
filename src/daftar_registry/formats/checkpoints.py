"""Integrity checkpoints: hash a directory of server logs into one root and anchor it.

A pilot's sponsor periodically anchors the root of its log directory with
`PilotRegistry.anchorCheckpoint`; the chain of roots (`seq`, `prevRoot`) makes later
rewriting of history evident, and a Merkle proof shows one file was part of a checkpoint
without publishing the others.

Definition of the root of directory `D` (deterministic: the same bytes give the same root
on any machine, whatever order the files were created or listed in):

- Walk `D` recursively **without following symlinks**. Every entry is recorded; nothing is
  skipped silently:
  - a regular file: kind `file`, content = its bytes;
  - a symbolic link (to anything, even a missing target): kind `symlink`, content = the
    link's target path as stored in the link (the target is not read or followed);
  - an empty directory: kind `dir`, content = empty (so creating one changes the root);
  - anything else (FIFO, socket, device) raises ValueError: it has no stable content.
  Unreadable entries raise (PermissionError). `D` itself may be given through a symlink.
- `path` is the entry's path relative to `D` with `/` separators, as raw bytes
  (`os.fsencode`); entries are listed sorted by these bytes.
- `contentHash = keccak256(content)`; `size = len(content)`.
- `entryHash = keccak256(kind ‖ 0x00 ‖ path ‖ 0x00 ‖ contentHash)`. The kind tag keeps a
  symlink from colliding with a file that contains its target path; paths cannot contain
  0x00, so the encoding is unambiguous. A rename, a changed byte, a new or removed entry
  all change some entry hash or the set of them.
- `root = MerkleTree(entryHashes).root` with `daftar_registry.formats.merkle` (the same rules as
  credential batches: leaf = keccak256(keccak256(entryHash)), sorted pairs), so a single
  file is proven with `verify_proof(root, entry.entry_hash, checkpoint.proof(path))`.

An empty directory tree has no entries and no root (ValueError): the contract refuses a
zero root, and an empty checkpoint proves nothing.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from daftar_registry.formats.merkle import MerkleTree, as_bytes32, keccak256, keccak256_hasher

__all__ = [
    "Checkpoint",
    "CheckpointStatus",
    "ManifestEntry",
    "anchor_checkpoint",
    "entry_hash",
    "hash_directory",
    "next_checkpoint",
    "was_anchored",
]

_CHUNK = 1 << 20


def entry_hash(kind: str, path: bytes | str, content_hash: bytes) -> bytes:
    """keccak256(kind ‖ 0x00 ‖ path ‖ 0x00 ‖ contentHash): the value put in the tree."""
    raw = os.fsencode(path) if isinstance(path, str) else path
    if b"\0" in raw:
        raise ValueError("a path cannot contain NUL")
    return keccak256(kind.encode("ascii") + b"\0" + raw + b"\0" + as_bytes32(content_hash))


class ManifestEntry(NamedTuple):
    """One recorded entry: relative POSIX path, size in bytes, keccak256 of the content."""

    path: str
    size: int
    hash: bytes
    kind: str = "file"

    @property
    def entry_hash(self) -> bytes:
        return entry_hash(self.kind, self.path, self.hash)

    def to_json(self) -> dict[str, Any]:
        digest = "0x" + self.hash.hex()
        return {"path": self.path, "size": self.size, "hash": digest, "kind": self.kind}


@dataclass(frozen=True)
class Checkpoint:
    """A directory's root, its manifest (sorted by path) and the tree for file proofs."""

    root: bytes
    manifest: tuple[ManifestEntry, ...]
    tree: MerkleTree = field(compare=False, repr=False)  # derived from the manifest

    def entry(self, path: str) -> ManifestEntry:
        for e in self.manifest:
            if e.path == path:
                return e
        raise KeyError(path)

    def proof(self, path: str) -> list[bytes]:
        """The Merkle proof that `path` (as recorded) is part of this checkpoint."""
        return self.tree.proof(self.entry(path).entry_hash)

    def to_json(self) -> dict[str, Any]:
        """The publishable manifest (paths and hashes, no file contents)."""
        return {"root": "0x" + self.root.hex(), "entries": [e.to_json() for e in self.manifest]}


def _hash_file(path: str) -> tuple[int, bytes]:
    h = keccak256_hasher()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.digest()


def _walk(top: str, rel: bytes, out: list[ManifestEntry]) -> None:
    with os.scandir(top) as it:
        children = list(it)
    if not children and rel:
        out.append(ManifestEntry(os.fsdecode(rel), 0, keccak256(b""), "dir"))
        return
    for child in children:
        child_rel = rel + b"/" + os.fsencode(child.name) if rel else os.fsencode(child.name)
        mode = child.stat(follow_symlinks=False).st_mode
        name = os.fsdecode(child_rel)
        if stat.S_ISLNK(mode):
            target = os.fsencode(os.readlink(child.path))
            out.append(ManifestEntry(name, len(target), keccak256(target), "symlink"))
        elif stat.S_ISDIR(mode):
            _walk(child.path, child_rel, out)
        elif stat.S_ISREG(mode):
            size, digest = _hash_file(child.path)
            out.append(ManifestEntry(name, size, digest, "file"))
        else:
            raise ValueError(f"{name}: not a file, directory or symlink; it has no stable content")


def hash_directory(directory: str | os.PathLike[str]) -> Checkpoint:
    """The checkpoint of `directory` as defined in the module docstring."""
    top = Path(directory)
    if not top.is_dir():
        raise ValueError(f"{top}: not a directory")
    entries: list[ManifestEntry] = []
    _walk(os.fspath(top), b"", entries)
    if not entries:
        raise ValueError(f"{top}: nothing to checkpoint (no files, links or directories)")
    # Order by full path bytes, not per directory: "a.log" < "a/x" although "a" < "a.log".
    entries.sort(key=lambda e: os.fsencode(e.path))
    tree = MerkleTree(e.entry_hash for e in entries)
    return Checkpoint(root=tree.root, manifest=tuple(entries), tree=tree)


class CheckpointStatus(NamedTuple):
    """`checkpointAnchored` as a value: anchored?, its seq and block time (0 if not)."""

    anchored: bool
    seq: int
    at: int


def next_checkpoint(pilots: Any, pilot_id: int) -> tuple[int, bytes]:
    """(seq, prevRoot) that the next `anchorCheckpoint` of this pilot must carry."""
    last = pilots.lastCheckpoint(pilot_id)
    return int(last.seq) + 1, bytes(last.root)


def was_anchored(pilots: Any, pilot_id: int, root: bytes | str) -> CheckpointStatus:
    """Whether `root` was anchored for this pilot, and under which seq and when."""
    anchored, seq, at = pilots.checkpointAnchored(pilot_id, as_bytes32(root))
    return CheckpointStatus(bool(anchored), int(seq), int(at))


def anchor_checkpoint(
    pilots: Any, pilot_id: int, root: bytes | str, uri: str, *, sender: Any
) -> Any:
    """Anchor `root` as the pilot's next checkpoint (reads seq/prevRoot first).

    If someone else anchors in between, the contract refuses with CheckpointGap or
    CheckpointFork rather than forking the chain; read again and retry.
    """
    seq, prev = next_checkpoint(pilots, pilot_id)
    return pilots.anchorCheckpoint(pilot_id, seq, as_bytes32(root), prev, uri, sender=sender)
