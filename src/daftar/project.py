"""A project: its config, its compiled contracts, and the chain it is connected to.

project = Project.load()            # finds brownie-config.yaml, compiles if needed
chain = project.connect("development")
token = project.Token.deploy("Example", "EXM", sender=admin)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from daftar import config as config_mod
from daftar.chain.base import Chain, Reverted
from daftar.compiler import BuildResult, compile_project
from daftar.config import Config
from daftar.contract.errors import ErrorRegistry
from daftar.contract.events import EventRegistry
from daftar.contract.trace import HINT_NO_TRACE, CallTrace, TraceDecoder
from daftar.contract.types import ContractType, Decoders
from daftar.errors import DaftarError


class Project:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.chain: Chain | None = None
        self.errors = ErrorRegistry()
        self.events = EventRegistry()
        self.decoders = Decoders(self.errors, self.events)
        self.contract_types: dict[str, ContractType] = {}
        self.build: BuildResult | None = None
        self.artifacts: list[dict[str, Any]] = []

    @classmethod
    def load(
        cls,
        root: Path | str | None = None,
        compile: bool = True,
        progress: Callable[[str], None] | None = None,
    ) -> Project:
        project = cls(config_mod.load(Path(root) if root else None))
        if compile:
            project.compile(progress=progress)
        else:
            project.load_artifacts()
        return project

    def compile(
        self, force: bool = False, progress: Callable[[str], None] | None = None
    ) -> BuildResult:
        self.build = compile_project(self.config, force=force, progress=progress)
        self.load_artifacts()
        return self.build

    def load_artifacts(self) -> None:
        self.contract_types.clear()
        self.errors = ErrorRegistry()
        self.events = EventRegistry()
        self.decoders.errors, self.decoders.events = self.errors, self.events
        artifacts = []
        for path in sorted((self.config.build_dir / "contracts").glob("*.json")):
            artifact = json.loads(path.read_text())
            artifacts.append(artifact)
            self.errors.add_abi(artifact["abi"])
            self.events.add_abi(artifact["abi"])
            self.contract_types[artifact["contractName"]] = ContractType(
                artifact, self.decoders, lambda: self.chain
            )
        self.artifacts = artifacts
        self.decoders.traces = TraceDecoder(
            artifacts, self.config.build_dir, self.errors, self.events
        )

    def trace(self, tx_hash: str, chain: Chain | None = None) -> CallTrace:
        """The decoded call tree of a mined transaction (`print()` it)."""
        chain = chain or self.chain
        if chain is None:
            raise DaftarError("no chain connected; call project.connect(network) first")
        return self.decoders.traces.decode(chain.trace_transaction(tx_hash), chain.code)

    def explain_trace(self, exc: Reverted) -> CallTrace:
        """The decoded call tree of a failed call or transaction, from what the backend
        recorded (`exc.call_trace`), or the decoded revert and how to get the full tree."""
        if exc.call_trace is not None and self.chain is not None:
            raw = exc.call_trace()
            tree = self.decoders.traces.decode(raw, self.chain.code)
            if tree.root is not None and tree.root.ok:  # replayed later, on another state
                tree.note = (
                    f"This replay did not revert: the state it failed on is gone (a Hypothesis "
                    f"example is reverted after it runs). It failed with: {exc}\n"
                    "Re-run with `--network tester` for the tree recorded as it failed."
                )
            return tree
        return CallTrace(None, f"{exc}\n{HINT_NO_TRACE}")

    def connect(self, network: str | None = None) -> Chain:
        """Open a network's chain and make it the default for deploys and `at`."""
        from daftar.chain import connect

        if self.chain is not None:
            self.chain.close()
        self.chain = connect(self.config, network)
        return self.chain

    def close(self) -> None:
        if self.chain is not None:
            self.chain.close()
            self.chain = None

    def __getattr__(self, name: str) -> ContractType:
        types = self.__dict__.get("contract_types", {})
        if name in types:
            return types[name]
        known = ", ".join(sorted(types)) or "none (compile first)"
        raise AttributeError(f"no contract '{name}' in this project; contracts: {known}")

    def __getitem__(self, name: str) -> ContractType:
        return self.__getattr__(name)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def load_artifact(config: Config, name: str) -> dict[str, Any]:
    path = config.build_dir / "contracts" / f"{name}.json"
    if not path.is_file():
        raise DaftarError(f"no artifact for {name} in {path.parent}; run `daftar compile`")
    return json.loads(path.read_text())
