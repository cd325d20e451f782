"""The pytest plugin imports Hypothesis only when a run's tests do, and a run that imports it
late (inside a test) still gets daftar's profile, as one importing it at collection does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFIG = """compiler:
  evm_version: prague
  solc: {version: 0.8.30}
"""

NO_HYPOTHESIS = """
import sys


def test_plain():
    assert "hypothesis" not in sys.modules


def test_late_import_gets_the_dev_profile():
    from hypothesis import settings

    assert settings.get_current_profile_name() == "dev"
    assert settings().max_examples == 30
    assert settings().deadline is None
"""


def _pytest(folder: Path, *args: str, env: dict[str, str] | None = None):
    clean = {k: v for k, v in os.environ.items() if k not in ("DAFTAR_HYPOTHESIS_PROFILE", "CI")}
    clean = {k: v for k, v in clean.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         *args],
        cwd=folder, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_hypothesis_is_imported_only_when_used(tmp_path: Path):
    (tmp_path / "brownie-config.yaml").write_text(CONFIG)
    (tmp_path / "test_plain.py").write_text(NO_HYPOTHESIS)
    proc = _pytest(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout


def test_a_late_import_honours_the_profile_variable(tmp_path: Path):
    (tmp_path / "brownie-config.yaml").write_text(CONFIG)
    (tmp_path / "test_ci.py").write_text(
        "def test_ci():\n    from hypothesis import settings\n"
        "    assert settings.get_current_profile_name() == 'ci'\n"
        "    assert settings().derandomize is True\n"
    )
    proc = _pytest(tmp_path, env={"DAFTAR_HYPOTHESIS_PROFILE": "ci"})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_an_unknown_profile_variable_is_a_usage_error_before_any_test(tmp_path: Path):
    (tmp_path / "brownie-config.yaml").write_text(CONFIG)
    (tmp_path / "test_plain.py").write_text(NO_HYPOTHESIS)
    proc = _pytest(tmp_path, env={"DAFTAR_HYPOTHESIS_PROFILE": "nosuch"})
    assert proc.returncode == 4, proc.stdout + proc.stderr  # pytest's usage-error exit
    assert "DAFTAR_HYPOTHESIS_PROFILE='nosuch' is not a registered Hypothesis profile" in (
        proc.stdout + proc.stderr
    )
    assert "passed" not in proc.stdout


UNCONFIGURE_PROBE = """
import os, sys


def pytest_unconfigure(config):
    with open(os.environ["PROBE"], "w") as fh:
        fh.write(str("hypothesis" in sys.modules))
"""


def test_a_run_without_hypothesis_never_imports_it_not_even_for_the_summary(tmp_path: Path):
    """Hypothesis's own plugin would import it for its terminal summary; such a run has
    nothing to summarise, so the summary is skipped, unless statistics are asked for."""
    (tmp_path / "brownie-config.yaml").write_text(CONFIG)
    (tmp_path / "conftest.py").write_text(UNCONFIGURE_PROBE)
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    pass\n")
    probe = tmp_path / "probe.txt"
    proc = _pytest(tmp_path, env={"PROBE": str(probe)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert probe.read_text() == "False"
    proc = _pytest(tmp_path, "--hypothesis-show-statistics", env={"PROBE": str(probe)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Hypothesis Statistics" in proc.stdout
