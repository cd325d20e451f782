"""Compile time: cold (empty cache), warm (nothing changed), and `daftar --help` start-up.

Each is the wall time of a fresh process, because that is what a person waits for: a
warm compile includes interpreter start and imports, not just the cache check. The cold
compile runs in a temporary copy of the project (contracts/, brownie-config.yaml, and a
node_modules/ of symlinks to the real packages), so the real build/ is never touched. The
packages are linked one by one, not node_modules/ as a whole, because daftar writes its
solc launcher (naming the project root) into node_modules/.cache: a temp root must not
overwrite the real project's launcher.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import emit, say

ROOT = Path(__file__).resolve().parent.parent
GOAL_WARM_S = 0.3
GOAL_HELP_S = 0.3
COMPILE = (
    "from daftar import config; from daftar.compiler import compile_project; "
    "r = compile_project(config.load()); print(r.compiled)"
)


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def compile_in(root: Path) -> tuple[float, bool]:
    """Seconds for one `compile_project` in a fresh interpreter, and whether it compiled."""
    seconds, proc = timed([sys.executable, "-c", COMPILE], root)
    if proc.returncode != 0:
        raise SystemExit(f"compile failed in {root}:\n{proc.stderr}")
    return seconds, proc.stdout.strip().splitlines()[-1] == "True"


def copy_project(dest: Path) -> None:
    shutil.copytree(ROOT / "contracts", dest / "contracts")
    shutil.copy2(ROOT / "brownie-config.yaml", dest / "brownie-config.yaml")
    modules = dest / "node_modules"
    modules.mkdir()
    for entry in (ROOT / "node_modules").iterdir():
        if entry.name != ".cache":
            (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())


def help_seconds(repeat: int) -> float | None:
    """Median wall time of `daftar --help`, or None while the console script is missing."""
    exe = Path(sys.executable).parent / "daftar"
    if not exe.is_file():
        say(f"help: {exe} does not exist; help_s = null")
        return None
    times = []
    for _ in range(repeat):
        seconds, proc = timed([str(exe), "--help"], ROOT)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            say(f"help: `daftar --help` exited {proc.returncode} ({last}); help_s = null")
            return None
        times.append(seconds)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compile", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="warm and help runs (median)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    with tempfile.TemporaryDirectory(prefix="daftar-bench-") as tmp:
        root = Path(tmp)
        copy_project(root)
        say(f"cold: compiling a fresh copy of the project in {root} ...")
        cold_s, compiled = compile_in(root)
        assert compiled, "cold compile reported compiled=False: the cache was not cold"
        say(f"cold: {cold_s:.2f}s")
        warm = []
        for _ in range(args.repeat):
            seconds, compiled = compile_in(root)
            assert not compiled, "warm compile recompiled although nothing changed"
            warm.append(seconds)
        warm_s = statistics.median(warm)
        say(f"warm: median {warm_s:.3f}s of {', '.join(f'{s:.3f}' for s in warm)} (cache hit)")

    help_s = help_seconds(args.repeat)
    if help_s is not None:
        say(f"help: median {help_s:.3f}s")
    emit(
        {
            "cold_s": round(cold_s, 2),
            "warm_s": round(warm_s, 3),
            "help_s": round(help_s, 3) if help_s is not None else None,
            "goal_warm_s": GOAL_WARM_S,
            "goal_help_s": GOAL_HELP_S,
        }
    )
    return 0
