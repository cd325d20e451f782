"""Brownie compatibility: the project's brownie-config.yaml works in Brownie 1.22.2 as well.

What this proves:

* `brownie compile` (Brownie 1.22.2, in its own virtualenv) compiles `contracts/` with the
  same solc-js shim daftar uses: py-solc-x finds daftar's `solc-v<version>` launcher through
  $SOLCX_BINARY_PATH, the pinned `compiler.solc.version` means no compiler download and no
  version lookup (it works with no network at all), and the `@openzeppelin/` remapping from
  the config resolves without any Brownie package of its own;
* the resulting artifacts have byte-for-byte the same creation and runtime bytecode as
  daftar's own `build/contracts/*.json`: same compiler, same settings, same source unit
  names, hence even the same metadata hash;
* Brownie's full project-config loader (the one `brownie run`, `test` and `console` use,
  stricter than what `brownie compile` reads) accepts the file as it is in a fresh checkout,
  and reads the same compiler settings daftar reads.

Brownie pins old versions of nearly everything, so it is not a dependency of daftar: the
virtualenv is built once in `<repo>/.cache/brownie-venv` (a few minutes of pip) and reused;
a stamp file marks a finished install, and a file lock keeps parallel runs from building it
twice. Brownie runs in a temporary copy of the project with HOME pointing into the tmp dir,
so neither the repo (build/, interfaces/, reports/ …) nor ~/.brownie is touched.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BROWNIE = "eth-brownie==1.22.2"
VENV = REPO / ".cache" / "brownie-venv"
STAMP = VENV / ".daftar-installed"
LOCK = REPO / ".cache" / "brownie-venv.lock"
PIP_TIMEOUT_S = 1800
BROWNIE_TIMEOUT_S = 300

# pip's wording when it cannot reach any index at all (the only reason to skip).
OFFLINE_MARKERS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ProxyError",
)


def _stamp_text() -> str:
    return f"{BROWNIE}\npython {sys.version_info.major}.{sys.version_info.minor}\n"


def brownie_venv() -> Path:
    """The Brownie virtualenv, built on first use; later runs reuse it."""
    if STAMP.is_file() and STAMP.read_text() == _stamp_text():
        return VENV
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run may be building it: wait for it
        if STAMP.is_file() and STAMP.read_text() == _stamp_text():
            return VENV
        shutil.rmtree(VENV, ignore_errors=True)  # a half-built or outdated venv
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300, env=_clean_env()
        )
        pip = subprocess.run(
            [
                str(VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                BROWNIE,
            ],
            capture_output=True,
            text=True,
            timeout=PIP_TIMEOUT_S,
            env=_clean_env(),
            check=False,
        )
        if pip.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            output = pip.stdout + pip.stderr
            if any(marker in output for marker in OFFLINE_MARKERS):
                pytest.skip(f"cannot install {BROWNIE}: no network to reach a package index")
            pytest.fail(f"pip install {BROWNIE} failed:\n{output[-4000:]}")
        STAMP.write_text(_stamp_text())
        print(f"built {VENV} in {time.perf_counter() - started:.0f}s")
    return VENV


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without this venv's Python settings, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env.update(extra)
    return env


def copy_project(dest: Path) -> Path:
    """A fresh-checkout copy: contracts/ and the config; node_modules linked (read only).

    No .env is copied: it is gitignored, so a fresh checkout has none.
    """
    dest.mkdir()
    shutil.copytree(REPO / "contracts", dest / "contracts")
    shutil.copy2(REPO / "brownie-config.yaml", dest / "brownie-config.yaml")
    (dest / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return dest


def private_solcx_folder(dest: Path, version: str) -> Path:
    """A $SOLCX_BINARY_PATH holding a copy of daftar's launcher for `version`.

    A copy, not node_modules/.cache/daftar-solcx itself: daftar rewrites that launcher
    whenever it is asked for one from another project root (e.g. a temp copy), so another
    process could change it under Brownie's feet mid-run.
    """
    from daftar.compiler.solc import launcher

    exe = launcher(REPO / "node_modules", version)
    dest.mkdir()
    shutil.copy2(exe, dest / exe.name)
    return dest


def run_brownie(
    venv: Path, args: list[str], cwd: Path, home: Path, solcx: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a program from the Brownie venv with HOME (hence ~/.brownie) inside the tmp dir."""
    home.mkdir(exist_ok=True)
    extra = {"HOME": str(home)}  # Brownie's data folder is ~/.brownie, no other setting
    if solcx is not None:
        extra["SOLCX_BINARY_PATH"] = str(solcx)
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BROWNIE_TIMEOUT_S,
        env=_clean_env(**extra),
        check=False,
    )


def _strip_metadata(code: str) -> str:
    """Bytecode without solc's CBOR metadata tail (its length is in the last 2 bytes)."""
    return code[: -(int(code[-4:], 16) + 2) * 2] if code else code


def test_brownie_compile_matches_daftar(tmp_path: Path) -> None:
    """`brownie compile` with daftar's solc-js launcher gives daftar's exact bytecode."""
    from daftar import config
    from daftar.compiler import compile_project

    cfg = config.load(REPO)
    ours = compile_project(cfg)
    venv = brownie_venv()
    project = copy_project(tmp_path / "project")
    solcx = private_solcx_folder(tmp_path / "solcx", cfg.compiler.version)

    proc = run_brownie(venv, ["brownie", "compile"], project, tmp_path / "home", solcx)
    assert proc.returncode == 0, f"brownie compile failed:\n{proc.stdout[-4000:]}\n{proc.stderr}"
    assert "CredentialRegistry" in ours.contracts
    for name in ours.contracts:
        daftar_art = json.loads((cfg.build_dir / "contracts" / f"{name}.json").read_text())
        path = project / "build" / "contracts" / f"{name}.json"
        assert path.is_file(), f"Brownie wrote no {path.name}:\n{proc.stdout[-2000:]}"
        brownie_art = json.loads(path.read_text())
        assert brownie_art["compiler"]["version"] == daftar_art["compiler"]["version"]
        for key in ("bytecode", "deployedBytecode"):
            theirs, mine = brownie_art[key], daftar_art[key]
            only_metadata = _strip_metadata(theirs) == _strip_metadata(mine)
            assert theirs == mine, f"{name}.{key} differs between Brownie and daftar" + (
                " (only in the metadata hash)" if only_metadata else ""
            )


def test_brownie_loads_project_config(tmp_path: Path) -> None:
    """Brownie's full config loader (run/test/console) accepts brownie-config.yaml."""
    from daftar import config

    venv = brownie_venv()
    project = copy_project(tmp_path / "project")
    script = (
        "import json\n"
        "from pathlib import Path\n"
        "from brownie._config import CONFIG, _load_project_config\n"
        "_load_project_config(Path.cwd())\n"
        "c = CONFIG.settings['compiler']\n"
        "print(json.dumps({'evm_version': c['evm_version'], 'solc': dict(c['solc']),"
        " 'structure': dict(CONFIG.settings['project_structure'])}, default=dict))\n"
    )
    proc = run_brownie(venv, ["python", "-c", script], project, tmp_path / "home")
    assert proc.returncode == 0, f"Brownie rejects brownie-config.yaml:\n{proc.stderr[-3000:]}"
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    cfg = config.load(REPO)
    assert seen["evm_version"] == cfg.compiler.evm_version
    assert seen["solc"]["version"] == cfg.compiler.version
    assert seen["solc"]["optimizer"] == {
        "enabled": cfg.compiler.optimizer_enabled,
        "runs": cfg.compiler.optimizer_runs,
    }
    assert tuple(seen["solc"]["remappings"]) == cfg.compiler.remappings
    assert seen["structure"]["contracts"] == cfg.contracts_dir.relative_to(REPO).as_posix()
    assert seen["structure"]["build"] == cfg.build_dir.relative_to(REPO).as_posix()
