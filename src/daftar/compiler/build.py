"""Compile a project into build/ artifacts, reusing them when nothing changed.

The cache key is the hash of the full standard-JSON input plus the compiler version, so an
unchanged project compiles nothing, and any change (a source, an import, a setting)
recompiles. Each artifact carries the exact input it came from, for verification.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daftar.compiler import solc, sources
from daftar.config import Config
from daftar.errors import CompileError
from daftar.util.files import PUBLIC, write_json

OUTPUTS = [
    "abi",
    "evm.bytecode.object",
    "evm.bytecode.linkReferences",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.immutableReferences",
    "evm.methodIdentifiers",
    "metadata",
    "devdoc",
    "userdoc",
]
STATE_FILE = ".daftar-build.json"


@dataclass
class BuildResult:
    key: str
    compiled: bool
    contracts: list[str]
    seconds: float
    warnings: list[str]


def standard_input(config: Config) -> dict[str, Any]:
    c = config.compiler
    roots = sources.project_sources(config.contracts_dir, config.root)
    if not roots:
        raise CompileError(f"no .sol files under {config.contracts_dir}")
    settings: dict[str, Any] = {
        "optimizer": {"enabled": c.optimizer_enabled, "runs": c.optimizer_runs},
        "evmVersion": c.evm_version,
        "remappings": list(c.remappings),
        "outputSelection": {"*": {"*": OUTPUTS, "": ["ast"]}},
    }
    if c.via_ir:
        settings["viaIR"] = True
    found = sources.collect(roots, config.root, c.remappings)
    return {
        "language": "Solidity",
        "sources": {unit: {"content": text} for unit, text in found.items()},
        "settings": settings,
    }


def input_key(input_json: dict[str, Any], version: str) -> str:
    blob = json.dumps({"solc": version, "input": input_json}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def compile_project(
    config: Config, force: bool = False, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Compile `contracts/` into `build/contracts/*.json`, or reuse them if unchanged."""
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    input_json = standard_input(config)
    key = input_key(input_json, config.compiler.version)
    out_dir = config.build_dir / "contracts"
    state = _read_state(config.build_dir)
    if (
        not force
        and state.get("key") == key
        and all((out_dir / f"{name}.json").is_file() for name in state.get("contracts", []))
    ):
        return BuildResult(key, False, state["contracts"], time.perf_counter() - start, [])

    own = sources.project_sources(config.contracts_dir, config.root)
    say(
        f"Compiling {len(own)} source file(s) ({len(input_json['sources'])} with imports) "
        f"with solc {config.compiler.version}, evm {config.compiler.evm_version}"
    )
    exe = solc.launcher(config.node_modules, config.compiler.version)
    output = solc.compile_standard(exe, input_json, config.root)
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    warnings = [
        format_diagnostic(e, input_json)
        for e in output.get("errors", [])
        if e.get("severity") != "error"
    ]
    if errors:
        raise CompileError("\n".join(format_diagnostic(e, input_json) for e in errors))

    names = _write_artifacts(output, input_json, key, own, out_dir)
    _write_json(config.build_dir / STATE_FILE, {"key": key, "contracts": names})
    seconds = time.perf_counter() - start
    say(f"Compiled {len(names)} contract(s) in {seconds:.1f}s: {', '.join(names)}")
    return BuildResult(key, True, names, seconds, warnings)


def format_diagnostic(error: dict[str, Any], input_json: dict[str, Any]) -> str:
    """`file:line:col: Kind: message`, the way an editor can jump to it."""
    message = f"{error.get('type', 'Error')}: {error.get('message', '').strip()}"
    loc = error.get("sourceLocation")
    if not loc:
        return message
    unit = loc.get("file", "?")
    text = input_json["sources"].get(unit, {}).get("content", "")
    start = max(int(loc.get("start", 0)), 0)
    before = text.encode()[:start].decode(errors="replace")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    source_line = text.splitlines()[line - 1] if text else ""
    caret = " " * (col - 1) + "^"
    return f"{unit}:{line}:{col}: {message}\n    {source_line}\n    {caret}"


def _write_artifacts(
    output: dict[str, Any], input_json: dict[str, Any], key: str, own: list[str], out_dir: Path
) -> list[str]:
    names: dict[str, str] = {}
    artifacts = []
    for unit in own:
        for name, data in output.get("contracts", {}).get(unit, {}).items():
            if name in names:
                raise CompileError(
                    f"{unit}: contract name '{name}' is also used in {names[name]}; "
                    "contract names must be unique in a project"
                )
            names[name] = unit
            meta = json.loads(data.get("metadata") or "{}")
            evm = data.get("evm", {})
            artifacts.append(
                {
                    "contractName": name,
                    "sourceName": unit,
                    "abi": data.get("abi", []),
                    "bytecode": evm.get("bytecode", {}).get("object", ""),
                    "deployedBytecode": evm.get("deployedBytecode", {}).get("object", ""),
                    "linkReferences": evm.get("bytecode", {}).get("linkReferences", {}),
                    "immutableReferences": evm.get("deployedBytecode", {}).get(
                        "immutableReferences", {}
                    ),
                    "methodIdentifiers": evm.get("methodIdentifiers", {}),
                    "metadata": data.get("metadata", ""),
                    "devdoc": data.get("devdoc", {}),
                    "userdoc": data.get("userdoc", {}),
                    "compiler": {"version": meta.get("compiler", {}).get("version", "")},
                    "inputHash": key,
                    "input": input_json,
                }
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        if old.stem not in names:
            old.unlink()
    for art in artifacts:
        _write_json(out_dir / f"{art['contractName']}.json", art)
    return sorted(names)


def _read_state(build_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((build_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write_json(path: Path, data: Any) -> None:
    """Atomic: a crash never leaves a half-written artifact behind."""
    write_json(path, data, PUBLIC, indent=1)
