"""Compile mutants: a long-lived solc-js per worker, bytecode-only output, no metadata trailer.

The mutant's build folder holds the project's artifacts with the mutated contracts'
bytecode swapped in and the project's build state file, so `Project.load` pointed at it
(see `worker.py`) takes it as an up-to-date build and compiles nothing.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from daftar.compiler import build as build_mod
from daftar.config import Config

SERVER = Path(__file__).with_name("solc_server.js")
_OUT = ["evm.bytecode.object", "evm.deployedBytecode.object",
        "evm.deployedBytecode.immutableReferences", "evm.bytecode.linkReferences"]  # fmt: skip


class SolcServer:
    """solc-js kept running; `compile(input) -> output` (standard JSON)."""

    def __init__(self, compiler: Any) -> None:
        env = dict(os.environ, DAFTAR_NODE_MODULES=str(compiler.node_modules),
                   DAFTAR_SOLC_PACKAGE=compiler.package)  # fmt: skip
        node = shutil.which("node") or "node"
        self.proc = subprocess.Popen(
            [node, str(SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1,
        )  # fmt: skip

    def compile(self, input_json: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(input_json) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the solc-js server stopped")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def bytecode_input(job_input: dict[str, Any]) -> dict[str, Any]:
    """The job's input asking only for bytecode, without the metadata (CBOR) trailer, so
    two builds compare equal exactly when the code does."""
    data = copy.deepcopy(job_input)
    settings = data["settings"]
    settings["outputSelection"] = {"*": {"*": _OUT}}
    settings["metadata"] = {"appendCBOR": False}
    return data


def codes(output: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """contract name → its evm section (bytecode, deployed bytecode, references)."""
    found: dict[str, dict[str, Any]] = {}
    for _unit, contracts in output.get("contracts", {}).items():
        for name, data in contracts.items():
            found[name] = data.get("evm", {})
    return found


def errors(output: dict[str, Any]) -> list[str]:
    return [
        e.get("formattedMessage") or e.get("message", "")
        for e in output.get("errors", [])
        if e.get("severity") == "error"
    ]


class Builder:
    """Compiles a project's original and mutated sources in one worker."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.jobs = build_mod.plan(config)
        self.servers: dict[str, SolcServer] = {}
        found = {u: src["content"] for j in self.jobs for u, src in j.input["sources"].items()}
        self.deps = build_mod.sources.dependencies(found, config.compiler.remappings)
        self.original: dict[str, dict[str, Any]] = {}
        for job in self.jobs:
            out = self._server(job).compile(bytecode_input(job.input))
            if errors(out):
                raise RuntimeError("the original sources do not compile: " + errors(out)[0])
            self.original.update(codes(out))

    def _server(self, job: Any) -> SolcServer:
        key = job.compiler.text
        if key not in self.servers:
            self.servers[key] = SolcServer(job.compiler)
        return self.servers[key]

    def source(self, unit: str) -> str:
        for job in self.jobs:
            if unit in job.input["sources"]:
                return job.input["sources"][unit]["content"]
        raise KeyError(unit)

    def compile_mutant(self, unit: str, text: str) -> tuple[str, dict[str, dict[str, Any]] | str]:
        """("ok", changed contracts' evm sections) / ("uncompilable", first error) /
        ("identical", "")."""
        changed: dict[str, dict[str, Any]] = {}
        for job in self.jobs:
            if unit not in job.input["sources"]:
                continue
            data = bytecode_input(job.input)
            data["sources"][unit] = {"content": text}
            # Code only for the mutated file and the project files that import it.
            affected = [u for u in job.units if u == unit or unit in self.deps.get(u, set())]
            data["settings"]["outputSelection"] = {u: {"*": _OUT} for u in affected or [unit]}
            out = self._server(job).compile(data)
            errs = errors(out)
            if errs:
                return "uncompilable", errs[0].strip().splitlines()[0]
            for name, evm in codes(out).items():
                if _code(evm) != _code(self.original.get(name, {})):
                    changed[name] = evm
        if not changed:
            return "identical", ""
        return "ok", changed

    def original_codes(self) -> dict[str, dict[str, Any]]:
        return {
            name: evm
            for name, evm in self.original.items()
            if (self.config.build_dir / "contracts" / f"{name}.json").is_file()
        }

    def write_build(self, folder: Path, codes_by_name: dict[str, dict[str, Any]]) -> Path:
        """A build folder: the project's artifacts with `codes_by_name` swapped in."""
        src = self.config.build_dir
        out = folder / "contracts"
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        for path in (src / "contracts").glob("*.json"):
            name = path.stem
            if name not in codes_by_name:
                shutil.copyfile(path, out / path.name)
                continue
            art = json.loads(path.read_text())
            evm = codes_by_name[name]
            art["bytecode"] = evm.get("bytecode", {}).get("object", "")
            art["deployedBytecode"] = evm.get("deployedBytecode", {}).get("object", "")
            art["linkReferences"] = evm.get("bytecode", {}).get("linkReferences", {})
            art["immutableReferences"] = evm.get("deployedBytecode", {}).get(
                "immutableReferences", {}
            )
            (out / path.name).write_text(json.dumps(art))
        shutil.copyfile(src / build_mod.STATE_FILE, folder / build_mod.STATE_FILE)
        return folder

    def close(self) -> None:
        for server in self.servers.values():
            server.close()


def _code(evm: dict[str, Any]) -> tuple[str, str]:
    return (
        evm.get("bytecode", {}).get("object", ""),
        evm.get("deployedBytecode", {}).get("object", ""),
    )
