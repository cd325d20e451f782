"""The pytest plugin changes nothing in a project that does not use daftar.

Each case runs pytest in a subprocess, in a folder of its own, with the plugin loaded from
its entry point as any installed daftar is; a test there reports what it saw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPORTER = """
import json, os
from hypothesis import given, settings, strategies as st


@given(st.integers())
def test_hypothesis_runs(x):
    pass


def test_report(request):
    from daftar.testing.fixtures import ROOT_KEY

    manager = request.config.pluginmanager
    root = request.config.stash.get(ROOT_KEY, None)
    report = {
        "root": str(root) if root else None,
        "profile": settings.get_current_profile_name(),
        "max_examples": settings().max_examples,
        "derandomize": settings().derandomize,
        "plugin_loaded": manager.has_plugin("daftar"),
        "fixtures_registered": manager.has_plugin("daftar.testing.fixtures"),
        "autouse": "_daftar_isolation" in request.fixturenames,
    }
    with open(os.environ["REPORT"], "w") as fh:
        json.dump(report, fh)
"""

CONFIG = """compiler:
  evm_version: prague
  solc: {version: 0.8.30}
"""


def _run(folder: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    """pytest in `folder` (from the current environment, minus daftar's profile variable)."""
    report = folder / "report.json"
    # $CI makes Hypothesis load its own "ci" profile by itself: each case says if it wants it.
    clean = {k: v for k, v in os.environ.items() if k not in ("DAFTAR_HYPOTHESIS_PROFILE", "CI")}
    clean = {k: v for k, v in clean.items() if not k.startswith("PYTEST_")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env={**clean, **(env or {}), "REPORT": str(report)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout, proc.stdout
    return json.loads(report.read_text())


@pytest.fixture
def other_project(tmp_path: Path) -> Path:
    """A project that does not use daftar: no brownie-config.yaml anywhere above it."""
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "test_other.py").write_text(REPORTER)
    return folder


@pytest.fixture
def daftar_project(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    (folder / "tests").mkdir(parents=True)
    (folder / "brownie-config.yaml").write_text(CONFIG)
    (folder / "tests" / "test_mine.py").write_text(REPORTER)
    return folder


def test_other_projects_keep_hypothesis_defaults(other_project):
    """Without a brownie-config.yaml: Hypothesis's own defaults (even with daftar's
    profile variable set), no daftar fixture, although the plugin is loaded."""
    seen = _run(other_project, env={"DAFTAR_HYPOTHESIS_PROFILE": "ci"})
    assert seen == {
        "root": None,
        "profile": "default",
        "max_examples": 100,
        "derandomize": False,
        "plugin_loaded": True,
        "fixtures_registered": False,
        "autouse": False,
    }


def test_other_projects_keep_hypothesis_own_ci_profile(other_project):
    """On a CI machine ($CI set) Hypothesis loads its own "ci" profile; daftar registers a
    profile of that name too, but a project without brownie-config.yaml keeps Hypothesis's."""
    from daftar.testing.plugin import _HYPOTHESIS_OWN

    own = _HYPOTHESIS_OWN["ci"]
    assert own.max_examples != 25  # daftar's ci profile runs 25: the two differ
    seen = _run(other_project, env={"CI": "true"})
    assert (seen["profile"], seen["max_examples"], seen["derandomize"]) == (
        "ci",
        own.max_examples,
        own.derandomize,
    )
    assert seen["fixtures_registered"] is False


def test_other_projects_can_name_a_daftar_profile(other_project):
    seen = _run(other_project, "--hypothesis-profile", "ci")
    assert (seen["profile"], seen["max_examples"], seen["derandomize"]) == ("ci", 25, True)
    assert not seen["fixtures_registered"]


def test_a_daftar_project_gets_its_profile_and_fixtures(daftar_project):
    """Found from a folder below the config too (pytest run inside tests/)."""
    seen = _run(daftar_project / "tests")
    assert (seen["profile"], seen["max_examples"]) == ("dev", 30)
    assert seen["fixtures_registered"] and seen["autouse"]
    assert seen["root"] == str(daftar_project.resolve())


def test_the_nearest_project_is_the_one_tested(daftar_project):
    """A project inside another, with its own pytest.ini, run from the outer one."""
    inner = daftar_project / "examples" / "inner"
    (inner / "tests").mkdir(parents=True)
    (inner / "brownie-config.yaml").write_text(CONFIG)
    (inner / "pytest.ini").write_text("[pytest]\n")
    (inner / "tests" / "test_inner.py").write_text(REPORTER)
    seen = _run(daftar_project, "examples/inner/tests")
    assert seen["root"] == str(inner.resolve())


def test_profile_variable_and_option_choose_the_profile(daftar_project):
    seen = _run(daftar_project, env={"DAFTAR_HYPOTHESIS_PROFILE": "ci"})
    assert (seen["profile"], seen["max_examples"]) == ("ci", 25)
    seen = _run(
        daftar_project, "--hypothesis-profile", "nightly", env={"DAFTAR_HYPOTHESIS_PROFILE": "ci"}
    )
    assert (seen["profile"], seen["max_examples"]) == ("nightly", 1000)


def test_a_conftest_profile_is_left_alone(daftar_project):
    (daftar_project / "conftest.py").write_text(
        "from hypothesis import settings\n"
        "settings.register_profile('mine', max_examples=7)\n"
        "settings.load_profile('mine')\n"
    )
    seen = _run(daftar_project)
    assert (seen["profile"], seen["max_examples"]) == ("mine", 7)


def test_an_unknown_profile_variable_is_a_usage_error(daftar_project):
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=daftar_project,
        env={**os.environ, "DAFTAR_HYPOTHESIS_PROFILE": "nihgtly", "REPORT": os.devnull},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR
    assert "DAFTAR_HYPOTHESIS_PROFILE='nihgtly'" in proc.stderr
    assert "dev, ci, nightly" in proc.stderr
