"""One deploy at a time per deployments folder: `<folder>/.deploy.lock`.

The lock is an exclusive `flock` on the file, held for the whole run; the file names the
holder (PID, host, start time, command) so a second run can say who holds it. The kernel
drops a flock when its process dies, so a run killed with SIGKILL leaves only the file: the
next run acquires the lock, finds a dead holder's details in it and says it took over. The
file is removed when the run ends, and a folder the lock alone created is removed with it,
so a refused run leaves the deployments tree as it found it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from daftar.errors import DeployError

LOCK_FILE = ".deploy.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(holder: dict[str, Any]) -> str:
    started = holder.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)) if started else "?"
    return (
        f"PID {holder.get('pid', '?')} on host {holder.get('host', '?')} (started {when}: "
        f"{holder.get('command', '?')})"
    )


def _read(fd: int) -> dict[str, Any]:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = b""
    while chunk := os.read(fd, 65536):
        raw += chunk
    try:
        return json.loads(raw.decode() or "{}")
    except ValueError:
        return {}


@contextlib.contextmanager
def deploy_lock(folder: Path, say: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the folder's deploy lock for the `with` block, or refuse with who holds it."""
    created = []
    for parent in reversed([folder, *folder.parents]):
        if not parent.exists():
            created.append(parent)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    fd = -1
    try:
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                fd = -1
                raise DeployError(
                    f"another deploy is running on {folder}: {_describe(holder)} holds "
                    f"{path}. Wait for it to finish (or stop it), then rerun; two runs at once "
                    "would deploy contracts twice."
                ) from None
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the previous holder removed the file as we opened it: again
            fd = -1
        holder = _read(fd)
        if holder.get("pid"):
            local = holder.get("host") == socket.gethostname()
            state = (
                "is no longer running"
                if local and not _alive(int(holder["pid"]))
                else "no longer holds it"
            )
            say(f"Taking over a stale deploy lock in {folder}: {_describe(holder)} {state}.")
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.time(),
            "command": " ".join(sys.argv)[:300],
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(me).encode())
        os.fsync(fd)
        yield
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)
        for parent in reversed(created):  # deepest first
            with contextlib.suppress(OSError):
                parent.rmdir()  # only if empty: nothing was written there
