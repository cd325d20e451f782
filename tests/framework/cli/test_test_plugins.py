"""`daftar test` leaves anyio's pytest plugin out of runs that cannot use it, and keeps it
for projects whose tests use anyio (marker, fixture, import) or when paths are given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("anyio")

CONFIG = """compiler:
  evm_version: prague
  solc: {version: 0.8.30}
"""

PLAIN = """
def test_plugins(request):
    import os
    with open(os.environ["PROBE"], "w") as fh:
        fh.write(str(request.config.pluginmanager.has_plugin("any" + "io")))  # not named
"""

ASYNC = (
    PLAIN
    + """

import pytest


@pytest.mark.anyio
async def test_async():
    pass


@pytest.fixture
def anyio_backend():
    return "asyncio"
"""
)


def _daftar_test(root: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    probe = root / "probe.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DAFTAR_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "daftar", "test", "-q", "-p", "no:randomly", *args],
        cwd=root, env={**env, "PROBE": str(probe)}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    return proc, probe.read_text() if probe.exists() else ""


def _project(tmp_path: Path, test_source: str) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "brownie-config.yaml").write_text(CONFIG)
    (tmp_path / "tests" / "test_it.py").write_text(test_source)
    return tmp_path


def test_a_project_without_anyio_runs_without_its_plugin(tmp_path: Path):
    proc, seen = _daftar_test(_project(tmp_path, PLAIN))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert seen == "False"


def test_a_project_using_anyio_keeps_its_plugin(tmp_path: Path):
    proc, seen = _daftar_test(_project(tmp_path, ASYNC))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout
    assert seen == "True"


def test_given_paths_keep_the_plugin(tmp_path: Path):
    proc, seen = _daftar_test(_project(tmp_path, PLAIN), "tests")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert seen == "True"
