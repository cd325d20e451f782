"""The project's `interfaces/` folder, as Brownie reads it for `interface.IName(address)`.

A Brownie project may keep interfaces beside `contracts/` in a top-level `interfaces/`
folder (`project_structure.interfaces` names another). Brownie offers each one as
`interface.<Name>`; `abis(project)` gives the same set, name → ABI:

- a `.json` file: an ABI (a list), or an artifact holding one under `abi`; the name is the
  file's stem;
- `.sol` files: compiled (ABI only matters) by daftar's compiler, with the project's
  compiler settings, into `build/interfaces/` (cached there like `build/contracts/`).

Vyper interfaces (`.vy`) are not covered (as Vyper sources are not): `vyper(project,
name)` tells whether a name is one, for the error.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from daftar.errors import DaftarError

_loaded: dict[Path, dict[str, list[dict[str, Any]]]] = {}


def folder(config: Any) -> Path:
    structure = config.raw.get("project_structure") or {}
    return config.root / str(structure.get("interfaces") or "interfaces")


def abis(project: Any) -> dict[str, list[dict[str, Any]]]:
    """Name → ABI of every interface in the project's interfaces folder (read once)."""
    config = project.config
    if config.root in _loaded:
        return _loaded[config.root]
    base = folder(config)
    found: dict[str, list[dict[str, Any]]] = {}
    if base.is_dir():
        for path in sorted(base.rglob("*.json")):
            found[path.stem] = _json_abi(path)
        if any(base.rglob("*.sol")):
            found.update(_compiled(config, base))
    _loaded[config.root] = found
    return found


def _json_abi(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DaftarError(f"{path}: not a JSON ABI ({exc})") from None
    abi = data.get("abi") if isinstance(data, dict) else data
    if not isinstance(abi, list):
        raise DaftarError(f"{path}: not a JSON ABI (a list, or an object with an 'abi' list)")
    return abi


def _compiled(config: Any, base: Path) -> dict[str, list[dict[str, Any]]]:
    from daftar.compiler.build import compile_project

    build = config.build_dir / "interfaces"
    result = compile_project(dataclasses.replace(config, contracts_dir=base, build_dir=build))
    out: dict[str, list[dict[str, Any]]] = {}
    for name in result.contracts:
        artifact = json.loads((build / "contracts" / f"{name}.json").read_text())
        out[name] = artifact["abi"]
    return out


def vyper(project: Any, name: str) -> bool:
    base = folder(project.config)
    return base.is_dir() and any(p.stem == name for p in base.rglob("*.vy"))
