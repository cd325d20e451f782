"""Make `import brownie` resolve to daftar's layer, only where that is wanted.

`activate(root)` installs a meta-path finder when (1) `root` is a Brownie-style project
(a brownie-config.yaml, and tests or scripts that import brownie) and (2) no real Brownie
is importable in this environment: a real Brownie always wins. Nothing is installed into
site-packages; the finder lives only in the process that daftar's commands or pytest
plugin run in.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from daftar.compat.brownie.exceptions import NotCovered

PACKAGE = "daftar.compat.brownie"
#: Brownie's public module names → the modules here that provide them.
ALIASES = {
    "brownie": PACKAGE,
    "brownie.convert": f"{PACKAGE}.convert",
    "brownie.convert.datatypes": f"{PACKAGE}.convert.datatypes",
    "brownie.exceptions": f"{PACKAGE}.exceptions",
    "brownie.network": f"{PACKAGE}.network",
    "brownie.network.account": f"{PACKAGE}.network.account",
    "brownie.network.contract": f"{PACKAGE}.network.contract",
    "brownie.network.transaction": f"{PACKAGE}.network.transaction",
    "brownie.network.state": f"{PACKAGE}.network.state",
    "brownie.network.web3": f"{PACKAGE}.network.web3",
    "brownie.test": f"{PACKAGE}.test",
    "brownie.test.strategies": f"{PACKAGE}.test.strategies",
    "brownie.test.stateful": f"{PACKAGE}.test.stateful",
}
_IMPORTS_BROWNIE = re.compile(r"^\s*(?:import\s+brownie\b|from\s+brownie[\s.])", re.MULTILINE)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """Already executed under its own name."""


class BrownieFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "brownie" and not fullname.startswith("brownie."):
            return None
        if fullname not in ALIASES:
            raise NotCovered(f"the module {fullname}")
        return importlib.util.spec_from_loader(
            fullname, _AliasLoader(ALIASES[fullname]), is_package=True
        )


def installed() -> bool:
    return any(isinstance(f, BrownieFinder) for f in sys.meta_path)


def real_brownie_available() -> bool:
    if installed():
        return False
    try:
        return importlib.util.find_spec("brownie") is not None
    except (ImportError, ValueError):
        return False


def imports_brownie(source: str) -> bool:
    """Does this Python source import brownie (a line `import brownie…`/`from brownie…`)?"""
    return bool(_IMPORTS_BROWNIE.search(source))


def is_brownie_project(root: Path) -> bool:
    """brownie-config.yaml, and Python under tests/ or scripts/ that imports brownie."""
    if not (root / "brownie-config.yaml").is_file():
        return False
    for folder in ("tests", "scripts"):
        base = root / folder
        if not base.is_dir():
            continue
        for n, path in enumerate(sorted(base.rglob("*.py"))):
            if n > 500:
                break
            try:
                if _IMPORTS_BROWNIE.search(path.read_text(encoding="utf-8", errors="replace")):
                    return True
            except OSError:
                continue
    return False


def activate(root: Path | None = None, force: bool = False) -> bool:
    """Install the finder for a Brownie-style project; True if `brownie` is now daftar's."""
    if installed():
        return True
    if root is not None and not force and not is_brownie_project(root):
        return False
    if real_brownie_available():
        return False
    sys.meta_path.insert(0, BrownieFinder())
    return True


def deactivate() -> None:
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, BrownieFinder)]
    for name in list(sys.modules):
        if name == "brownie" or name.startswith("brownie."):
            del sys.modules[name]
