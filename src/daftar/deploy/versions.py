"""Versions of a network's deployment: `deployments/<network>/versions/<n>/` and an index.

A network's records folder holds the *current* deployment (one `<Contract>.json` per
contract, the journal, the README). Deploying a new version of the same contracts on the
same network (`daftar deploy --network NAME --new-version`) must not throw the old records
away: whatever still refers to the old addresses (documents, files handed out, other
systems) must be able to find out that they were a recorded deployment of that network.

Layout:

```
deployments/<network>/
  <Contract>.json, journal.jsonl, README.md   the current version (number `current`)
  .chainId                                    shared by every version (one chain)
  versions.json                               the index (below)
  versions/1/<Contract>.json, journal.jsonl, README.md   an earlier version, as it was
  versions/2/...
```

`versions.json`: `{"current": n, "complete": bool, "versions": [{"version": k, "folder":
"versions/k", "archived_at": <unix s>, "contracts": {name: address}}, ...]}`. A folder
without an index is version 1 of its network (every folder written before versions
existed). `complete` is false from the moment a new version starts until its deploy ends,
so an interrupted `--new-version` run, run again, resumes that version instead of
archiving a half-deployed one; and a journal with transactions in flight (signed, not yet
mined) is never archived: they could still be mined, unrecorded.

Archiving moves files with `os.replace` into `versions/<k>.partial/`, then renames that to
`versions/<k>/`, then writes the index atomically: a crash in between leaves either the
old layout (the partial folder is finished on the next run) or the new one.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daftar.errors import DeployError
from daftar.util.files import fsync_dir, write_json

__all__ = [
    "INDEX_FILE",
    "VERSIONS_DIR",
    "RecordedVersion",
    "current_version",
    "finish_version",
    "read_index",
    "recorded_versions",
    "start_new_version",
]

INDEX_FILE = "versions.json"
VERSIONS_DIR = "versions"
#: What belongs to one version (moved when it is archived); `.chainId` stays: same chain.
_VERSION_FILES = ("journal.jsonl", "README.md")


@dataclass(frozen=True)
class RecordedVersion:
    """One recorded deployment of a network: its number, its folder, its records."""

    version: int
    folder: Path
    current: bool
    records: dict[str, dict[str, Any]]  # contract name → its record

    def address_of(self, contract: str) -> str | None:
        record = self.records.get(contract)
        return None if record is None else record.get("address")


def read_index(folder: Path) -> dict[str, Any] | None:
    """The folder's `versions.json` (None when there is none: a single version)."""
    path = folder / INDEX_FILE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DeployError(
            f"{path} cannot be read ({exc}); it is written by `daftar deploy --new-version`. "
            "Restore it from git, or remove it if the folder holds a single version."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("current"), int):
        raise DeployError(f"{path} is not a versions index (no integer 'current'); restore it")
    return data


def current_version(folder: Path) -> int:
    """The number of the version whose records sit directly in `folder` (1 without index)."""
    index = read_index(folder)
    return 1 if index is None else int(index["current"])


def _records(folder: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == INDEX_FILE:
            continue
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and "address" in record:
            found[str(record.get("contract", path.stem))] = record
    return found


def recorded_versions(folder: Path) -> list[RecordedVersion]:
    """Every recorded version of the network, oldest first, the current one last.

    Empty when the folder holds no records at all.
    """
    versions: list[RecordedVersion] = []
    base = folder / VERSIONS_DIR
    if base.is_dir():
        numbered = [p for p in base.iterdir() if p.is_dir() and p.name.isdigit()]
        for path in sorted(numbered, key=lambda p: int(p.name)):
            versions.append(RecordedVersion(int(path.name), path, False, _records(path)))
    current = _records(folder)
    if current:
        versions.append(RecordedVersion(current_version(folder), folder, True, current))
    return versions


def start_new_version(folder: Path, now: float | None = None) -> int:
    """Archive the current records into `versions/<n>/`; the next deploy writes version n+1.

    Returns the number of the new version. If a new version was started and its deploy
    has not finished (`complete` false), nothing is archived and its number is returned:
    the deploy resumes it. DeployError when there is nothing to archive.
    """
    index = read_index(folder)
    if index is not None and not index.get("complete", True):
        return int(index["current"])
    number = 1 if index is None else int(index["current"])
    base = folder / VERSIONS_DIR
    target = base / str(number)
    partial = base / f"{number}.partial"
    names = [p.name for p in folder.glob("*.json") if p.name != INDEX_FILE]
    names += [n for n in _VERSION_FILES if (folder / n).is_file()]
    if target.exists() and names:
        raise DeployError(
            f"{target} already exists but version {number} is still current in {folder}: "
            "the records were edited by hand. Restore the folder from git."
        )
    _refuse_in_flight(folder)
    if not target.exists():  # else a crash came after the rename: only the index is left
        if not names and not partial.is_dir():
            raise DeployError(
                f"nothing is deployed in {folder} yet, so there is no version to keep: "
                "deploy without --new-version"
            )
        partial.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(folder / name, partial / name)
        fsync_dir(partial)
        fsync_dir(folder)
        os.replace(partial, target)
        fsync_dir(base)
    archived = [dict(v) for v in (index or {}).get("versions", [])]
    contracts = {n: r["address"] for n, r in _records(target).items()}
    archived.append(
        {
            "version": number,
            "folder": f"{VERSIONS_DIR}/{number}",
            "archived_at": int(time.time() if now is None else now),
            "contracts": contracts,
        }
    )
    write_json(
        folder / INDEX_FILE, {"current": number + 1, "complete": False, "versions": archived}
    )
    return number + 1


def _refuse_in_flight(folder: Path) -> None:
    """Never archive a journal whose transactions may still be mined (they would be lost
    to the records): the current version's deploy must finish first."""
    from daftar.deploy.journal import Journal

    path = folder / "journal.jsonl"
    if not path.is_file():
        return
    nonces = Journal(path).in_flight_nonces()
    if nonces:
        listed = ", ".join(str(n) for n in sorted(nonces))
        raise DeployError(
            f"the current deploy in {folder} has transactions in flight (nonce {listed}): "
            "finish it first by running the same deploy without --new-version, then start "
            "the new version"
        )


def finish_version(folder: Path) -> None:
    """Mark the current version's deploy complete (a no-op without an index)."""
    index = read_index(folder)
    if index is None or index.get("complete", True):
        return
    write_json(folder / INDEX_FILE, {**index, "complete": True})
