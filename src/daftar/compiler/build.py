"""Compile a project into build/ artifacts, reusing every build it has made before.

Each source gets a compiler version: `compiler.solc.version` when the config pins one, else
the newest installed solc that satisfies the `pragma solidity` of the file and of everything
it imports (installed.py says what is installed; nothing is downloaded here). Files that
chose the same version compile together in one job, as Brownie groups them.

A job's cache key is the hash of its full standard-JSON input plus the compiler version. Every
job's artifacts are kept under `build/.daftar-builds/<key>/`; `build/contracts/` holds the
current selection. An unchanged project compiles nothing, and going back to an earlier state
(toggling a change off again) reuses that state's build instead of compiling. Each artifact
carries the exact input it came from, for verification.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daftar.compiler import solc, sources
from daftar.compiler.versions import ANY, Range, Version, format_version, source_range
from daftar.config import Config
from daftar.errors import CompileError, ToolchainError
from daftar.util.files import PUBLIC, atomic_write_bytes, write_json

if TYPE_CHECKING:
    from daftar.compiler.installed import Compiler

OUTPUTS = [
    "abi",
    "evm.bytecode.object",
    "evm.bytecode.linkReferences",
    "evm.bytecode.sourceMap",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.immutableReferences",
    "evm.deployedBytecode.sourceMap",
    "evm.methodIdentifiers",
    "metadata",
    "devdoc",
    "userdoc",
]
STATE_FILE = ".daftar-build.json"
BUILDS = ".daftar-builds"
DONE = ".done.json"
SOURCES = "sources.json"  # per build: each source unit's solc id and AST (coverage, traces)
MAX_BUILDS = 64  # kept builds (jobs); the least recently used go first

# The first solc release that accepts each `evmVersion` (solc's changelogs).
EVM_SINCE: list[tuple[str, Version]] = [
    ("homestead", (0, 4, 21)),
    ("tangerineWhistle", (0, 4, 21)),
    ("spuriousDragon", (0, 4, 21)),
    ("byzantium", (0, 4, 21)),
    ("constantinople", (0, 4, 21)),
    ("petersburg", (0, 5, 5)),
    ("istanbul", (0, 5, 14)),
    ("berlin", (0, 8, 5)),
    ("london", (0, 8, 7)),
    ("paris", (0, 8, 18)),
    ("shanghai", (0, 8, 20)),
    ("cancun", (0, 8, 24)),
    ("prague", (0, 8, 27)),
    ("osaka", (0, 8, 29)),
]
# solc-js releases on the npm registry, to suggest one when none installed fits a pragma.
KNOWN_RELEASES: list[Version] = [
    (0, minor, patch)
    for minor, last in ((4, 26), (5, 17), (6, 12), (7, 6), (8, 37))
    for patch in range(last + 1)
]


@dataclass
class BuildResult:
    key: str
    compiled: bool
    contracts: list[str]
    seconds: float
    warnings: list[str]
    versions: dict[str, str] = field(default_factory=dict)  # source unit -> solc version


@dataclass
class Job:
    """One compiler run: the project files that chose `compiler`, with all they import."""

    compiler: Compiler
    units: list[str]
    input: dict[str, Any]
    key: str
    notes: list[str]
    warnings: list[str] = field(default_factory=list)


def evm_for(requested: str, version: Version) -> tuple[str | None, str | None]:
    """The `evmVersion` to send solc `version`, and a note if it had to be lowered."""
    since = dict(EVM_SINCE)
    if requested not in since:
        return requested, None  # unknown to daftar: let solc judge it
    if version < EVM_SINCE[0][1]:
        return (
            None,
            f"solc {format_version(version)} has no evmVersion setting: its default is used",
        )
    if since[requested] <= version:
        return requested, None
    best = [n for n, v in EVM_SINCE if v <= version][-1]
    return best, (
        f"solc {format_version(version)} does not know evm_version {requested}: "
        f"compiling for {best}, the newest it knows (the bytecode runs on {requested} chains)"
    )


def _settings(config: Config, version: Version) -> tuple[dict[str, Any], list[str]]:
    c = config.compiler
    settings: dict[str, Any] = {
        "optimizer": {"enabled": c.optimizer_enabled, "runs": c.optimizer_runs},
    }
    evm, note = evm_for(c.evm_version, version)
    if evm is not None:
        settings["evmVersion"] = evm
    settings["remappings"] = list(c.remappings)
    settings["outputSelection"] = {"*": {"*": OUTPUTS, "": ["ast"]}}
    if c.via_ir:
        settings["viaIR"] = True
    return settings, [note] if note else []


def input_key(input_json: dict[str, Any], version: str) -> str:
    blob = json.dumps({"solc": version, "input": input_json}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def plan(config: Config) -> list[Job]:
    """Choose each project file's compiler and group the files into jobs."""
    from daftar.compiler import installed

    c = config.compiler
    own = sources.project_sources(config.contracts_dir, config.root)
    if not own:
        raise CompileError(f"no .sol files under {config.contracts_dir}")
    found = sources.collect(own, config.root, c.remappings)
    deps = sources.dependencies(found, c.remappings)
    ranges = {unit: source_range(unit, text) for unit, text in found.items()}

    chosen: dict[str, Compiler] = {}
    if c.version:
        pinned = installed.find(
            config.node_modules, c.version, " (compiler.solc.version in brownie-config.yaml)"
        )
        for unit in own:
            for dep in [unit, *sorted(deps[unit])]:
                if pinned.version not in ranges[dep]:
                    via = "" if dep == unit else f" (imported by {unit})"
                    raise CompileError(
                        f"{dep}{via}: `pragma solidity {ranges[dep].text};` does not accept "
                        f"solc {pinned.text}, which compiler.solc.version in brownie-config.yaml "
                        "pins. Change the pin, or remove it to choose a version by pragma."
                    )
            chosen[unit] = pinned
    else:
        available = installed.available(config.node_modules)
        for unit in own:
            unit_range, why = _unit_range(unit, deps[unit], ranges)
            best = unit_range.newest(available.keys())
            if best is None:
                raise ToolchainError(_no_compiler(unit, why, unit_range, available))
            chosen[unit] = available[best]

    jobs = []
    for version in sorted({comp.version for comp in chosen.values()}):
        units = [u for u in own if chosen[u].version == version]
        compiler = chosen[units[0]]
        needed = set(units).union(*(deps[u] for u in units))
        settings, notes = _settings(config, version)
        job_input = {
            "language": "Solidity",
            "sources": {u: {"content": found[u]} for u in sorted(needed)},
            "settings": settings,
        }
        jobs.append(Job(compiler, units, job_input, input_key(job_input, compiler.text), notes))
    return jobs


def _unit_range(unit: str, deps: set[str], ranges: dict[str, Range]) -> tuple[Range, list[str]]:
    """The range every file of `unit`'s compilation unit accepts, and the pragmas behind it."""
    combined, why = ANY, []
    for dep in [unit, *sorted(deps)]:
        r = ranges[dep]
        if r is ANY:
            continue
        combined = r if combined is ANY else combined & r
        why.append(f"`pragma solidity {r.text};` in {dep}" + ("" if dep == unit else " (imported)"))
    return combined, why


def _no_compiler(
    unit: str, why: list[str], wanted: Range, available: dict[Version, Compiler]
) -> str:
    from daftar.compiler.installed import cache_dir, describe, install_hint

    suggest = wanted.newest(KNOWN_RELEASES)
    lines = [
        f"{unit}: no installed solc satisfies " + " and ".join(why) + ".",
        f"Installed: {describe(available)} (project node_modules, then {cache_dir()}).",
    ]
    if suggest is not None:
        lines.append(f"To {install_hint(format_version(suggest))}.")
    elif len(why) > 1:
        lines.append("These pragmas admit no version in common: change one of them.")
    else:
        lines.append("No solc release is known to satisfy it: check the pragma.")
    return "\n".join(lines)


def standard_input(config: Config) -> dict[str, Any]:
    """The standard-JSON input of a single-version project (the first job's otherwise)."""
    return plan(config)[0].input


def compile_project(
    config: Config, force: bool = False, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Compile `contracts/` into `build/contracts/*.json`, or reuse a build made before."""
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    jobs = plan(config)
    key = jobs[0].key if len(jobs) == 1 else input_key({"jobs": [j.key for j in jobs]}, "*")
    versions = {u: j.compiler.text for j in jobs for u in j.units}
    out_dir = config.build_dir / "contracts"
    state = _read_state(config.build_dir)
    if (
        not force
        and state.get("key") == key
        and all((out_dir / f"{name}.json").is_file() for name in state.get("contracts", []))
    ):
        return BuildResult(
            key, False, state["contracts"], time.perf_counter() - start, [], versions
        )

    store = config.build_dir / BUILDS
    compiled = False
    warnings: list[str] = []
    selected: dict[str, tuple[Path, str]] = {}  # contract name -> (artifact, source unit)
    for job in jobs:
        names = None if force else _cached(store / job.key)
        if names is None:
            names = _run_job(job, config, store / job.key, say)
            compiled = True
            warnings += job.notes + job.warnings
        for name, unit in names.items():
            if name in selected:
                raise CompileError(
                    f"{unit}: contract name '{name}' is also used in {selected[name][1]}; "
                    "contract names must be unique in a project"
                )
            selected[name] = (store / job.key / f"{name}.json", unit)

    _select(selected, out_dir)
    names_sorted = sorted(selected)
    _write_json(
        config.build_dir / STATE_FILE,
        {"key": key, "contracts": names_sorted, "builds": [j.key for j in jobs],
         "versions": versions},
    )  # fmt: skip
    _prune(store, keep={j.key for j in jobs})
    seconds = time.perf_counter() - start
    if compiled:
        say(
            f"Compiled {len(names_sorted)} contract(s) in {seconds:.1f}s: {', '.join(names_sorted)}"
        )
    return BuildResult(key, compiled, names_sorted, seconds, warnings, versions)


def _run_job(job: Job, config: Config, folder: Path, say: Callable[[str], None]) -> dict[str, str]:
    evm = job.input["settings"].get("evmVersion", "default")
    say(
        f"Compiling {len(job.units)} source file(s) ({len(job.input['sources'])} with imports) "
        f"with solc {job.compiler.text}, evm {evm}"
    )
    for note in job.notes:
        say(note)
    exe = solc.launcher_for(job.compiler)
    output = solc.compile_standard(exe, job.input, config.root)
    diagnostics = output.get("errors", [])
    errors = [e for e in diagnostics if e.get("severity") == "error"]
    if errors:
        raise CompileError("\n".join(format_diagnostic(e, job.input) for e in errors))
    job.warnings = [
        format_diagnostic(e, job.input) for e in diagnostics if e.get("severity") != "error"
    ]
    return _write_artifacts(output, job.input, job.key, job.units, folder)


def _cached(folder: Path) -> dict[str, str] | None:
    """A kept build's contract names (name -> source unit), if it is complete."""
    try:
        names = json.loads((folder / DONE).read_text())
    except (OSError, ValueError):
        return None
    if not all((folder / f"{name}.json").is_file() for name in names):
        return None
    os.utime(folder / DONE)  # recently used: pruned last
    return names


def _select(selected: dict[str, tuple[Path, str]], out_dir: Path) -> None:
    """Make build/contracts/ hold exactly the selected artifacts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        if old.stem not in selected:
            old.unlink()
    for name, (artifact, _unit) in selected.items():
        data = artifact.read_bytes()
        target = out_dir / f"{name}.json"
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        atomic_write_bytes(target, data, PUBLIC)


def _prune(store: Path, keep: set[str]) -> None:
    try:
        kept = [d for d in store.iterdir() if d.is_dir()]
    except OSError:
        return

    def used(d: Path) -> float:
        try:
            return (d / DONE).stat().st_mtime
        except OSError:
            return 0.0

    kept.sort(key=used, reverse=True)
    for old in kept[MAX_BUILDS:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


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
    output: dict[str, Any], input_json: dict[str, Any], key: str, own: list[str], folder: Path
) -> dict[str, str]:
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
                    "sourceMap": evm.get("bytecode", {}).get("sourceMap", ""),
                    "deployedSourceMap": evm.get("deployedBytecode", {}).get("sourceMap", ""),
                    "methodIdentifiers": evm.get("methodIdentifiers", {}),
                    "metadata": data.get("metadata", ""),
                    "devdoc": data.get("devdoc", {}),
                    "userdoc": data.get("userdoc", {}),
                    "compiler": {"version": meta.get("compiler", {}).get("version", "")},
                    "inputHash": key,
                    "input": input_json,
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    units = {
        u: {"id": o.get("id"), "ast": o.get("ast")} for u, o in output.get("sources", {}).items()
    }
    _write_json(folder / SOURCES, units)
    for art in artifacts:
        _write_json(folder / f"{art['contractName']}.json", art)
    _write_json(folder / DONE, dict(sorted(names.items())))  # last: marks the build complete
    return names


def _read_state(build_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((build_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _write_json(path: Path, data: Any) -> None:
    """Atomic: a crash never leaves a half-written artifact behind."""
    write_json(path, data, PUBLIC, indent=1)
