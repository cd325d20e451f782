"""Atomic file writes: the one way daftar writes a file.

Temp file in the same folder, fsync, rename over the target, fsync of the folder: a crash
or Ctrl-C leaves either the old file or the new one, never half of one. Files that carry
personal data (holder and disclosure files) and keystores are written with mode 0600.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PRIVATE = 0o600  # holder and disclosure files, keystores: personal data or keys
PUBLIC = 0o644  # artifacts, records, manifests


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed directory entry durable (POSIX; a no-op elsewhere)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that readers (and crashes) see old or new, never a mix.

    `mode` None keeps 0600 for the temp file and applies no chmod afterwards (the umask
    decides nothing: the file stays private until a caller says otherwise).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(tmp, flags, PRIVATE if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, text: str, mode: int | None = None) -> None:
    """`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def write_json(path: Path, data: Any, mode: int | None = PUBLIC, *, indent: int = 2) -> None:
    """Pretty, key-sorted JSON with a final newline, written atomically."""
    atomic_write(path, json.dumps(data, indent=indent, sort_keys=True) + "\n", mode)
