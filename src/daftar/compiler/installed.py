"""Which solc-js compilers are installed, and installing one into the per-user cache.

Two places hold compilers, and nothing is ever downloaded while compiling:

- the project's `node_modules`: the `solc` package and exact npm aliases beside it
  (`"solc0612": "npm:solc@0.6.12"` in package.json), installed by `npm ci`;
- the per-user cache `$DAFTAR_HOME/compilers/<version>/` (default ~/.daftar), filled only by
  `daftar compilers install VERSION`: npm installs `solc@VERSION` into a temporary folder
  (npm checks the registry's integrity hash), and the folder is renamed into place
  atomically, with the integrity npm recorded kept in `entry.json`.

The project's copy of a version wins over the cache's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from daftar.compiler.versions import Version, format_version, parse_version
from daftar.errors import ToolchainError

ENTRY = "entry.json"


@dataclass(frozen=True)
class Compiler:
    """One installed solc-js: the package folder `node_modules/<package>`."""

    version: Version
    node_modules: Path
    package: str
    origin: str  # "node_modules/solc0612" or "cache"

    @property
    def text(self) -> str:
        return format_version(self.version)

    @property
    def folder(self) -> Path:
        return self.node_modules / self.package


def cache_dir() -> Path:
    """`$DAFTAR_HOME/compilers`: per-user, shared by every project."""
    from daftar.keys.keystore import daftar_home

    return daftar_home() / "compilers"


def alias_for(version: str) -> str:
    """The package.json line that pins `version` beside the others."""
    return f'"solc{version.replace(".", "")}": "npm:solc@{version}"'


def install_hint(version: str) -> str:
    alias = f"solc{version.replace('.', '')}"
    return (
        f"install it with `daftar compilers install {version}` (per-user cache), or pin it in "
        f"the project with `npm install --save-exact {alias}@npm:solc@{version}` "
        f"(package.json: {alias_for(version)})"
    )


def _package_version(folder: Path) -> Version | None:
    try:
        meta = json.loads((folder / "package.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("name") != "solc" or not (folder / "soljson.js").is_file():
        return None
    try:
        return parse_version(str(meta.get("version", "")))
    except ValueError:
        return None


def project_compilers(node_modules: Path) -> list[Compiler]:
    """`solc` and every `solc*` alias in the project's node_modules."""
    found = []
    if node_modules.is_dir():
        for folder in sorted(node_modules.glob("solc*")):
            version = _package_version(folder)
            if version is not None:
                origin = f"node_modules/{folder.name}"
                found.append(Compiler(version, node_modules, folder.name, origin))
    return found


def cached_compilers() -> list[Compiler]:
    """Complete entries of the per-user cache (a half-finished install is never listed)."""
    found = []
    root = cache_dir()
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            if entry.name.startswith(".") or not (entry / ENTRY).is_file():
                continue
            version = _package_version(entry / "node_modules" / "solc")
            if version is not None and format_version(version) == entry.name:
                found.append(Compiler(version, entry / "node_modules", "solc", "cache"))
    return found


def available(node_modules: Path) -> dict[Version, Compiler]:
    """Every installed version, the project's node_modules first, then the cache."""
    found: dict[Version, Compiler] = {}
    for compiler in [*project_compilers(node_modules.resolve()), *cached_compilers()]:
        found.setdefault(compiler.version, compiler)
    return found


def describe(found: dict[Version, Compiler]) -> str:
    if not found:
        return "none"
    return ", ".join(f"{c.text} ({c.origin})" for _, c in sorted(found.items(), reverse=True))


def find(node_modules: Path, version: str, why: str = "") -> Compiler:
    """The installed compiler of exactly `version`, or a ToolchainError saying how to get it."""
    found = available(node_modules)
    try:
        wanted = parse_version(version)
    except ValueError as exc:
        raise ToolchainError(f"{exc}{why}") from None
    if wanted in found:
        return found[wanted]
    raise ToolchainError(
        f"solc {version}{why} is not installed: not in node_modules nor in {cache_dir()} "
        f"(installed: {describe(found)}). To {install_hint(version)}."
    )


def installed_entry(version: str) -> dict | None:
    try:
        return json.loads((cache_dir() / version / ENTRY).read_text())
    except (OSError, ValueError):
        return None


def install(version: str, progress=lambda _m: None) -> tuple[Compiler, bool]:
    """Install solc-js `version` (exact) into the cache; returns (compiler, newly installed)."""
    try:
        parsed = parse_version(version)
    except ValueError:
        raise ToolchainError(
            f"'{version}' is not an exact compiler version: give one like 0.6.12 "
            "(ranges are for pragmas; an install is always exact)"
        ) from None
    text = format_version(parsed)
    root = cache_dir()
    dest = root / text
    for compiler in cached_compilers():
        if compiler.version == parsed:
            return compiler, False
    npm = shutil.which("npm")
    if npm is None:
        raise ToolchainError("npm is not on PATH: install Node.js 20+ (it brings npm)")
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{text}-", dir=root))
    try:
        (tmp / "package.json").write_text('{"name": "daftar-compiler", "private": true}\n')
        progress(f"Installing solc-js {text} into {dest}")
        proc = subprocess.run(
            [npm, "install", "--prefix", str(tmp), "--save-exact", "--ignore-scripts",
             "--no-audit", "--no-fund", "--loglevel=error", f"solc@{text}"],
            capture_output=True, text=True, timeout=600, cwd=tmp,
        )  # fmt: skip
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise ToolchainError(
                f"npm could not install solc@{text}: "
                + (" / ".join(detail[-3:]) or f"exit {proc.returncode}")
                + " (no such release, or the npm registry is unreachable)"
            )
        package = tmp / "node_modules" / "solc"
        if _package_version(package) != parsed:
            raise ToolchainError(f"npm installed something other than solc {text} in {tmp}")
        lock = json.loads((tmp / "package-lock.json").read_text())
        locked = lock.get("packages", {}).get("node_modules/solc", {})
        entry = {
            "version": text,
            "package": f"solc@{text}",
            "integrity": locked.get("integrity", ""),
            "soljson_sha256": hashlib.sha256((package / "soljson.js").read_bytes()).hexdigest(),
            "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / ENTRY).write_text(json.dumps(entry, indent=2) + "\n")
        tmp.chmod(0o755)  # like any npm install (mkdtemp makes it 0700)
        try:
            os.rename(tmp, dest)  # atomic: the entry appears complete or not at all
        except OSError:
            if not (dest / ENTRY).is_file():
                raise
            # Another install of the same version finished first: keep that one.
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return Compiler(parsed, dest / "node_modules", "solc", "cache"), True
