"""Pilots as PilotRegistry knows them, and the proof that a directory's state was anchored.

`pilot_summary` reads a pilot (status, sponsor, milestones, last checkpoint). A checkpoint
anchors the root of a directory of server logs (daftar_registry.formats.checkpoints); its
manifest (paths and hashes, never contents) is written beside the directory as
`<root>.manifest.json`, never inside it: that would change the next root. `prove` hashes
the directory again and asks whether that exact state was anchored; when it was not and a
checkpoint's manifest is at hand, `manifest_diff` names the files that differ.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daftar.util.files import PUBLIC, atomic_write
from daftar_registry.errors import InputError
from daftar_registry.formats.checkpoints import Checkpoint, ManifestEntry, hash_directory
from daftar_registry.formats.checkpoints import was_anchored as _was_anchored
from daftar_registry.formats.merkle import MerkleTree, as_bytes32
from daftar_registry.status import PilotStatus
from daftar_registry.times import utc

__all__ = [
    "MANIFEST_FORMAT",
    "LastCheckpoint",
    "ManifestDiff",
    "Milestone",
    "PilotSummary",
    "Proof",
    "SponsorSummary",
    "checkpoint_manifest",
    "checkpoint_of",
    "default_manifest",
    "manifest_diff",
    "pilot_summary",
    "prove",
    "sponsor_summary",
    "write_manifest",
]

MANIFEST_FORMAT = "daftar-checkpoint-manifest/1"
PathLike = str | os.PathLike[str]


def _hex(value: Any) -> str:
    return "0x" + bytes(value).hex()


@dataclass(frozen=True)
class Milestone:
    index: int
    evidence_hash: bytes
    reported_at: int
    uri: str

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "evidence_hash": _hex(self.evidence_hash),
            "reported_at": utc(self.reported_at),
            "uri": self.uri,
        }


@dataclass(frozen=True)
class LastCheckpoint:
    """The pilot's latest checkpoint: seq 0 (and root None) before the first one."""

    seq: int
    root: bytes | None
    anchored_at: int

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "root": _hex(self.root) if self.root is not None else None,
            "anchored_at": utc(self.anchored_at),
        }


@dataclass(frozen=True)
class PilotSummary:
    """What PilotRegistry says of one pilot. Times are unix seconds."""

    pilot: int
    status: PilotStatus
    title: str
    uri: str
    details_hash: bytes
    sponsor: str
    sponsor_link: str | None
    sponsor_name: str
    sponsor_registered: bool  # False once the office deregistered it
    proposed_at: int
    updated_at: int
    reason_code: int
    milestones: tuple[Milestone, ...]
    last_checkpoint: LastCheckpoint
    registry: str
    registry_link: str | None
    network: str

    def to_json(self) -> dict[str, Any]:
        """The JSON object `daftar pilot show --json` prints."""
        return {
            "pilot": self.pilot,
            "status": self.status.name,
            "title": self.title,
            "uri": self.uri,
            "details_hash": _hex(self.details_hash),
            "sponsor": self.sponsor,
            "sponsor_link": self.sponsor_link,
            "sponsor_name": self.sponsor_name,
            "sponsor_registered": self.sponsor_registered,
            "proposed_at": utc(self.proposed_at),
            "updated_at": utc(self.updated_at),
            "reason_code": self.reason_code,
            "milestones": [m.to_json() for m in self.milestones],
            "last_checkpoint": self.last_checkpoint.to_json(),
            "registry": self.registry,
            "registry_link": self.registry_link,
            "network": self.network,
        }


def pilot_summary(client: Any, pilot_id: int) -> PilotSummary:
    """The pilot's record, milestones and last checkpoint; InputError if there is none."""
    pilots = client.pilots
    p = pilots.pilot(pilot_id)
    status = PilotStatus(int(p.status))
    if status is PilotStatus.NONE:
        raise InputError(
            f"there is no pilot #{pilot_id} on {client.network.name} "
            f"({int(pilots.pilotCount())} pilot(s) so far)"
        )
    sponsor = pilots.sponsorInfo(p.sponsor)
    milestones = []
    for i in range(int(pilots.milestoneCount(pilot_id))):
        m = pilots.milestone(pilot_id, i)
        milestones.append(Milestone(i, bytes(m.evidenceHash), int(m.reportedAt), m.uri))
    last = pilots.lastCheckpoint(pilot_id)
    seq = int(last.seq)
    return PilotSummary(
        pilot=pilot_id,
        status=status,
        title=p.title,
        uri=p.uri,
        details_hash=bytes(p.detailsHash),
        sponsor=p.sponsor,
        sponsor_link=client.link("address", p.sponsor),
        sponsor_name=sponsor.name,
        sponsor_registered=bool(sponsor.registered),
        proposed_at=int(p.proposedAt),
        updated_at=int(p.updatedAt),
        reason_code=int(p.reasonCode),
        milestones=tuple(milestones),
        last_checkpoint=LastCheckpoint(seq, bytes(last.root) if seq else None, int(last.at)),
        registry=pilots.address,
        registry_link=client.link("address", pilots.address),
        network=client.network.name,
    )


@dataclass(frozen=True)
class SponsorSummary:
    sponsor: str
    sponsor_link: str | None
    registered: bool
    name: str
    registered_at: int
    network: str

    def to_json(self) -> dict[str, Any]:
        return {
            "sponsor": self.sponsor,
            "sponsor_link": self.sponsor_link,
            "registered": self.registered,
            "name": self.name,
            "registered_at": utc(self.registered_at),
            "network": self.network,
        }


def sponsor_summary(client: Any, address: str) -> SponsorSummary:
    """Whether `address` is a registered sponsor, under which name, since when."""
    info = client.pilots.sponsorInfo(address)
    return SponsorSummary(
        sponsor=address,
        sponsor_link=client.link("address", address),
        registered=bool(info.registered),
        name=info.name,
        registered_at=int(info.registeredAt),
        network=client.network.name,
    )


# -- checkpoints and their manifests ------------------------------------------------------------
def checkpoint_of(directory: PathLike) -> Checkpoint:
    """The directory's checkpoint (root and manifest); InputError if it cannot be hashed."""
    try:
        return hash_directory(directory)
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot checkpoint {directory}: {exc}") from None


def default_manifest(directory: PathLike, root: bytes | str) -> Path:
    """Where a checkpoint's manifest goes: beside the directory, `<root>.manifest.json`."""
    name = root if isinstance(root, str) else "0x" + root.hex()
    return Path(directory).resolve().parent / f"{name}.manifest.json"


def checkpoint_manifest(
    client: Any,
    pilot_id: int,
    seq: int,
    prev_root: bytes,
    tx: str,
    directory: PathLike,
    checkpoint: Checkpoint,
) -> dict[str, Any]:
    """The manifest of an anchored checkpoint: where, which seq, and every entry's hash."""
    return {
        "format": MANIFEST_FORMAT,
        "pilot": pilot_id,
        "seq": seq,
        "prev_root": _hex(prev_root),
        "network": client.network.name,
        "contract": client.pilots.address,
        "tx": tx,
        "directory": str(Path(directory).resolve()),
        **checkpoint.to_json(),
    }


def write_manifest(target: PathLike, manifest: dict[str, Any]) -> None:
    """Write a checkpoint's manifest; InputError (saying nothing is lost) if it cannot."""
    try:
        atomic_write(Path(target), json.dumps(manifest, indent=2) + "\n", PUBLIC)
    except OSError as exc:
        raise InputError(
            f"checkpoint #{manifest['seq']} of pilot #{manifest['pilot']} is anchored (tx "
            f"{manifest['tx']}), but its manifest could not be written to {target}: "
            f"{exc.strerror or exc}. Nothing is lost: hashing the unchanged directory again "
            "rebuilds it."
        ) from None


@dataclass(frozen=True)
class ManifestDiff:
    """The paths where a directory differs from a checkpoint's manifest (sorted)."""

    manifest: str
    manifest_root: str
    changed: tuple[str, ...]  # content or kind changed
    added: tuple[str, ...]  # in the directory, not in the manifest
    removed: tuple[str, ...]  # in the manifest, not in the directory

    def to_json(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "manifest_root": self.manifest_root,
            "changed": list(self.changed),
            "added": list(self.added),
            "removed": list(self.removed),
        }


def manifest_diff(checkpoint: Checkpoint, manifest: PathLike) -> ManifestDiff | None:
    """How `checkpoint` differs from a saved manifest whose entries really hash to its root.

    None when the manifest is missing, unreadable, or edited (its entries no longer hash
    to its root): an edited manifest proves nothing.
    """
    path = Path(manifest)
    if not path.is_file():
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        entries = [
            ManifestEntry(e["path"], int(e["size"]), as_bytes32(e["hash"]), e["kind"])
            for e in saved["entries"]
        ]
        if MerkleTree(e.entry_hash for e in entries).root != as_bytes32(saved["root"]):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    old = {e.path: (e.kind, e.hash) for e in entries}
    new = {e.path: (e.kind, e.hash) for e in checkpoint.manifest}
    return ManifestDiff(
        manifest=str(path),
        manifest_root=saved["root"],
        changed=tuple(sorted(p for p in old.keys() & new.keys() if old[p] != new[p])),
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
    )


@dataclass(frozen=True)
class Proof:
    """Whether a directory's exact current state was anchored as one of a pilot's checkpoints.

    `differences` is set only when it was not, against the manifest given or, by default,
    the last checkpoint's manifest beside the directory (when it is there and intact).
    """

    pilot: int
    directory: str
    root: bytes
    entries: int
    anchored: bool
    seq: int | None  # the checkpoint it was anchored as (None if never)
    anchored_at: int
    last_checkpoint: LastCheckpoint
    differences: ManifestDiff | None
    registry: str
    registry_link: str | None
    network: str

    @property
    def latest(self) -> bool:
        """Anchored as the pilot's latest checkpoint."""
        return self.anchored and self.seq == self.last_checkpoint.seq

    def to_json(self) -> dict[str, Any]:
        """The JSON object `daftar pilot prove --json` prints."""
        data = {
            "pilot": self.pilot,
            "root": _hex(self.root),
            "entries": self.entries,
            "anchored": self.anchored,
            "seq": self.seq,
            "anchored_at": utc(self.anchored_at),
            "last_checkpoint": self.last_checkpoint.to_json(),
            "network": self.network,
            "registry": self.registry,
            "registry_link": self.registry_link,
        }
        if self.differences is not None:
            data["differences"] = self.differences.to_json()
        return data


def prove(
    client: Any,
    pilot_id: int,
    directory: PathLike,
    *,
    manifest: PathLike | None = None,
    checkpoint: Checkpoint | None = None,
) -> Proof:
    """Was `directory`'s exact state anchored for the pilot? If not, what differs.

    `checkpoint` is the directory's, if already hashed; `manifest` the one to compare with
    (default: the last checkpoint's, `<root>.manifest.json` beside the directory).
    """
    cp = checkpoint or checkpoint_of(directory)
    summary = pilot_summary(client, pilot_id)
    found = _was_anchored(client.pilots, pilot_id, cp.root)
    last = summary.last_checkpoint
    diff = None
    if not found.anchored:
        path = manifest
        if path is None and last.root is not None:
            path = default_manifest(directory, last.root)
        diff = manifest_diff(cp, path) if path is not None else None
    return Proof(
        pilot=pilot_id,
        directory=str(directory),
        root=cp.root,
        entries=len(cp.manifest),
        anchored=found.anchored,
        seq=found.seq if found.anchored else None,
        anchored_at=found.at,
        last_checkpoint=last,
        differences=diff,
        registry=client.pilots.address,
        registry_link=client.link("address", client.pilots.address),
        network=client.network.name,
    )
