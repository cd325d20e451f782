"""The Brownie-style example projects: each passes under `daftar test` on revm and anvil,
and under Brownie 1.22.2 itself (proof that they are real Brownie projects).

`daftar test` runs as a subprocess from the example's folder, exactly as a user would.
Brownie runs in its own virtualenv (built once by test_brownie_compat, reused), in a temp
copy of the example with HOME inside the temp dir; its development network is anvil from
node_modules on a free port, with `--steps-tracing` so Brownie can map reverts to
`// dev:` comments, as it does on Ganache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ("brownie-token", "brownie-shop", "brownie-bank")
DAFTAR = REPO / ".venv" / "bin" / "daftar"
TIMEOUT_S = 600


def run_daftar_test(
    example: str, network: str | None = None, *extra: str
) -> subprocess.CompletedProcess:
    """`daftar [--network N] test -q` in examples/<example>."""
    cmd = [str(DAFTAR if DAFTAR.exists() else Path(sys.executable).with_name("daftar"))]
    if network:
        cmd += ["--network", network]
    cmd += ["test", "-q", "-p", "no:randomly", *extra]
    env = {k: v for k, v in os.environ.items() if k != "DAFTAR_NETWORK"}
    return subprocess.run(
        cmd, cwd=REPO / "examples" / example, capture_output=True, text=True,
        timeout=TIMEOUT_S, env=env, check=False,
    )  # fmt: skip


def passed(output: str) -> int:
    m = re.search(r"(\d+) passed", output)
    return int(m.group(1)) if m else 0


def brownie_home(venv: Path, home: Path, port: int) -> Path:
    """A ~/.brownie whose development network is anvil on `port` with steps tracing."""
    import yaml

    data = next((venv / "lib").glob("python3*/site-packages/brownie/data/network-config.yaml"))
    networks = yaml.safe_load(data.read_text())
    for net in networks["development"]:
        if net["id"] == "development":
            net["cmd_settings"].update({"port": port, "steps_tracing": True})
    folder = home / ".brownie"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "network-config.yaml").write_text(yaml.safe_dump(networks))
    return home


def copy_example(example: str, dest: Path) -> Path:
    src = REPO / "examples" / example
    shutil.copytree(
        src, dest, symlinks=True, ignore=shutil.ignore_patterns("build", ".hypothesis", "reports")
    )
    link = dest / "node_modules"
    if link.is_symlink() or not link.exists():
        link.unlink(missing_ok=True)
        link.symlink_to(REPO / "node_modules", target_is_directory=True)
    return dest


#: Brownie 1.22.2's wheel ships `brownie.test.stateful` compiled (mypyc) beside its source,
#: and the compiled one rejects every state machine ("_BrownieStateMachine object expected",
#: docs/brownie.md). The launcher loads that one module from the wheel's own .py source;
#: everything else is Brownie as installed.
LAUNCHER = """\
import importlib.machinery, importlib.util, re, sys
from pathlib import Path

class _SourceStateful:
    def find_spec(self, name, path=None, target=None):
        if name != "brownie.test.stateful":
            return None
        src = Path(list(path)[0]) / "stateful.py"
        return importlib.util.spec_from_file_location(name, src)

sys.meta_path.insert(0, _SourceStateful())
main = importlib.import_module("brownie._cli.__main__").main
sys.argv[0] = "brownie"
sys.exit(main())
"""


def run_brownie_test(
    example: str, tmp: Path, venv: Path, *extra: str
) -> subprocess.CompletedProcess:
    """`brownie test` (Brownie 1.22.2, its development network = anvil) on a copy of example."""
    from daftar.chain.anvil import free_port
    from daftar.compiler.solc import solcx_folder

    tmp.mkdir(parents=True, exist_ok=True)
    project = tmp / example
    if not project.exists():  # a second run reuses the copy (and Brownie's build/ in it)
        copy_example(example, project)
    home = brownie_home(venv, tmp / "home", free_port())
    solcx = solcx_folder(REPO / "node_modules", tmp / "solcx")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env.update(
        HOME=str(home),
        SOLCX_BINARY_PATH=str(solcx),
        PATH=f"{REPO / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    launcher = tmp / "brownie_launcher.py"
    launcher.write_text(LAUNCHER)
    return subprocess.run(
        [str(venv / "bin" / "python"), str(launcher), "test", *extra], cwd=project,
        capture_output=True,
        text=True, timeout=TIMEOUT_S, env=env, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_passes_on_revm(example: str) -> None:
    proc = run_daftar_test(example)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"daftar test failed in examples/{example}:\n{out[-4000:]}"
    assert passed(out) > 0


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_passes_on_anvil(example: str) -> None:
    proc = run_daftar_test(example, "anvil")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"daftar --network anvil test failed:\n{out[-4000:]}"
    assert passed(out) > 0


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_passes_under_brownie(example: str, tmp_path: Path) -> None:
    from tests.integration.test_brownie_compat import brownie_venv

    proc = run_brownie_test(example, tmp_path, brownie_venv())
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"brownie test failed in examples/{example}:\n{out[-6000:]}"
    assert passed(out) == passed(run_daftar_test(example).stdout)


def test_deploy_script_runs_with_daftar_run() -> None:
    proc = subprocess.run(
        [str(DAFTAR), "run", "scripts/deploy.py"], cwd=REPO / "examples" / "brownie-shop",
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Shop at 0x" in proc.stdout and "on development" in proc.stdout


def test_script_without_main_is_a_clear_error(tmp_path: Path) -> None:
    project = copy_example("brownie-token", tmp_path / "p")
    (project / "scripts" / "nomain.py").write_text("from brownie import accounts\n\nX = 1\n")
    proc = subprocess.run(
        [str(DAFTAR), "run", "scripts/nomain.py"], cwd=project,
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "has no main() function" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_console_has_the_project_loaded() -> None:
    lines = (
        't = Token.deploy("C", "C", 18, "5 ether", {"from": accounts[0]})\n'
        "print('BALANCE', t.balanceOf(accounts[0]), network.show_active(), len(Token))\n"
    )
    proc = subprocess.run(
        [str(DAFTAR), "console"], cwd=REPO / "examples" / "brownie-token", input=lines,
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "BALANCE 5000000000000000000 development 1" in proc.stdout
    assert "contracts: SafeMath, Token" in proc.stderr  # the banner
