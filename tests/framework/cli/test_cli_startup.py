"""`daftar <framework command>` does not load the applications' command groups; `daftar
--help` and an application's command still do."""

from __future__ import annotations

import subprocess
import sys

import pytest

from daftar.cli import _subcommand

PROBE = (
    "import sys\nfrom daftar.cli import main\ncode = main(sys.argv[1:])\n"
    "print('APPS' if any(m.endswith('.cli') and not m.startswith(('daftar.', 'click'))"
    " or m.startswith('daftar_registry.cli') for m in sys.modules) else 'NOAPPS')\n"
)


def _run(*argv: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=60
    )
    return proc.stdout


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["test", "-x"], "test"),
        (["--network", "anvil", "run", "scripts/x.py"], "run"),
        (["--project", "p", "--json", "compile"], "compile"),
        (["--help"], None),
        ([], None),
    ],
)
def test_subcommand_is_found_after_the_global_options(argv, name):
    assert _subcommand(argv) == name


def test_a_framework_command_loads_no_application_commands():
    out = _run("networks", "--help")
    assert "List the networks" in out
    assert out.strip().endswith("NOAPPS")


def test_help_and_application_commands_still_load_them():
    out = _run("--help")
    assert "compile" in out
    assert out.strip().endswith("APPS")
