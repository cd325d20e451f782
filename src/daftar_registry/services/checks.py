"""Verify holder and disclosure files from anywhere: one `Outcome` per file, never a crash.

`check_files(paths, settings)` is what `daftar credential verify FILE...` does:

1. each file is read and checked offline (a file whose content does not match its hashes
   or proof is TAMPERED; an unreadable one is ERROR);
2. per network the files name: the RPC URL is `--rpc`, else the project's config for that
   network (inside a project), else `$<NETWORK>_RPC_URL` (e.g. SEPOLIA_RPC_URL); the
   deployment records are the project's (`deployments/<network>/`), or `--deployments DIR`
   / `$DAFTAR_DEPLOYMENTS` anywhere; none is fine (the verdict says the address is then
   unconfirmed);
3. per registry address: daftar_registry.services.registries finds and vouches for it
   (WRONG_NETWORK, UNKNOWN_REGISTRY, UNREACHABLE otherwise);
4. the registry is asked, one call per file or in JSON-RPC batches (`settings.batch`).

Exit codes (`Outcome.exit_code`): 0 VALID, 3 not valid (any other registry answer),
4 TAMPERED, 5 WRONG_NETWORK / UNKNOWN_REGISTRY, 6 UNREACHABLE, 2 NO_RPC_URL (nothing says
which node to ask: a usage problem), 1 ERROR. `exit_code_of(outcomes)` is 0 when every
file is VALID, else the highest code among them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daftar_registry.services.registries import (
    EXIT_TAMPERED,
    EXIT_UNREACHABLE,
    EXIT_WRONG_NETWORK,
    QUICK_RETRY,
    RegistryError,
)
from daftar_registry.services.verdict import Verdict

__all__ = ["EXIT_NOT_VALID", "EXIT_NO_RPC", "Outcome", "Settings", "check_files", "exit_code_of"]

EXIT_NOT_VALID = 3
EXIT_NO_RPC = 2


@dataclass(frozen=True)
class Settings:
    """How to reach the registry: the command line's options."""

    rpc: str | None = None  # the node's URL (all files); else config / $<NETWORK>_RPC_URL
    registry: str | None = None  # the CredentialRegistry address the user expects (pinned)
    network: str | None = None  # the network the files must name (None: any)
    deployments_dir: Path | None = None  # records folder (else the project's, or none)
    project_dir: Path | None = None  # where to look for brownie-config.yaml (else cwd)
    batch: int = 1  # calls per JSON-RPC request (1: one eth_call per file)


@dataclass(frozen=True)
class Outcome:
    """What became of one file: a registry verdict, or why there is none."""

    file: str
    status: str  # a CredentialStatus name, or TAMPERED / WRONG_NETWORK / UNKNOWN_REGISTRY / ...
    exit_code: int
    verdict: Verdict | None = None
    error: str | None = None

    @property
    def valid(self) -> bool:
        return self.verdict is not None and self.verdict.valid

    def to_json(self) -> dict[str, Any]:
        """The verdict's JSON (see Verdict.to_json), or status/error; always `file`,
        `exit_code` and `valid`."""
        if self.verdict is not None:
            data = self.verdict.to_json()
        else:
            data = {"status": self.status, "valid": False, "error": self.error}
        return {**data, "file": self.file, "exit_code": self.exit_code}


def exit_code_of(outcomes: Sequence[Outcome]) -> int:
    """0 when every file is VALID, else the highest exit code among the files."""
    return max((o.exit_code for o in outcomes), default=0)


@dataclass
class _Network:
    config: Any  # NetworkConfig
    url: str | None
    folder: Path | None
    problem: Outcome | None = None  # set when the network cannot be asked at all
    chain: Any = None


@dataclass
class _Job:
    index: int
    file: str
    credential: Any


def check_files(paths: Sequence[str | os.PathLike[str]], settings: Settings) -> list[Outcome]:
    """One Outcome per path, in order (see the module docstring)."""
    outcomes: list[Outcome | None] = [None] * len(paths)
    jobs: list[_Job] = []
    for i, path in enumerate(paths):
        read = _read(str(path))
        if isinstance(read, Outcome):
            outcomes[i] = read
        else:
            jobs.append(_Job(i, str(path), read))
    project = _project(settings.project_dir) if jobs else None
    networks: dict[str, _Network] = {}
    chains: dict[str, Any] = {}
    try:
        for job in list(jobs):
            wanted = settings.network
            if wanted and wanted != job.credential.network:
                outcomes[job.index] = _failed(
                    job.file,
                    "WRONG_NETWORK",
                    EXIT_WRONG_NETWORK,
                    f"the {job.credential.kind} file was issued on network "
                    f"'{job.credential.network}', not '{wanted}'",
                )
                jobs.remove(job)
        groups: dict[tuple[str, str, int | None], list[_Job]] = {}
        for job in jobs:
            c = job.credential
            groups.setdefault((c.network, c.contract, c.chain_id), []).append(job)
        for (name, _address, _chain_id), members in groups.items():
            net = networks.get(name) or networks.setdefault(name, _network(name, project, settings))
            if net.problem is None and net.chain is None:
                net.problem, net.chain = _connect(net, chains)
            if net.problem is not None:
                for job in members:
                    outcomes[job.index] = _copy(net.problem, job.file)
                continue
            for job, outcome in zip(members, _ask(net, members, settings), strict=True):
                outcomes[job.index] = outcome
    finally:
        for chain in chains.values():
            chain.close()
    return [o for o in outcomes if o is not None]


def _read(path: str) -> Any:
    from daftar_registry.errors import InputError
    from daftar_registry.services.files import AlteredFile, read_credential

    try:
        return read_credential(path)
    except AlteredFile as exc:
        return _failed(path, "TAMPERED", EXIT_TAMPERED, str(exc))
    except InputError as exc:
        return _failed(path, "ERROR", 1, str(exc))


def _failed(file: str, status: str, code: int, error: str) -> Outcome:
    return Outcome(file=file, status=status, exit_code=code, error=error)


def _copy(outcome: Outcome, file: str) -> Outcome:
    return Outcome(file=file, status=outcome.status, exit_code=outcome.exit_code,
                   error=outcome.error)  # fmt: skip


def _project(project_dir: Path | None) -> Any:
    """The project's config, or None outside any project (a broken config is an error)."""
    from daftar import config
    from daftar.errors import ConfigError

    try:
        root = config.find_root(project_dir)
    except ConfigError:
        return None
    return config.load(root)


def _network(name: str, project: Any, settings: Settings) -> _Network:
    """The network's config, node URL and records, from the project or the environment."""
    from daftar.config import NetworkConfig
    from daftar.deploy.records import DEPLOYMENTS_ENV
    from daftar.errors import NetworkError

    net: Any = None
    if project is not None and (name in project.networks or name in project.lazy):
        from daftar_registry.client import live_network

        try:
            net = live_network(project, name)
        except NetworkError as exc:
            problem = _failed("", "ERROR", 1, str(exc))
            return _Network(NetworkConfig(name=name, backend="rpc"), None, None, problem)
    if net is None:
        net = NetworkConfig(name=name, backend="rpc")
    url = settings.rpc
    if url is None:
        try:
            url = net.rpc_url()  # the config's host, else $<NETWORK>_RPC_URL
        except NetworkError:
            url = None
    base = settings.deployments_dir or os.environ.get(DEPLOYMENTS_ENV) or None
    if base is None and project is not None:
        base = project.deployments_dir
    folder = Path(base) / name if base is not None else None
    if folder is not None and not folder.is_dir():
        folder = None
    if url is None:
        problem = _failed(
            "",
            "NO_RPC_URL",
            EXIT_NO_RPC,
            f"no RPC URL for network '{name}': pass --rpc URL or set {net.rpc_env_var}",
        )
        return _Network(net, None, folder, problem)
    return _Network(net, url, folder)


def _connect(net: _Network, chains: dict[str, Any]) -> tuple[Outcome | None, Any]:
    from daftar_registry.services.registries import Unreachable, connect

    if net.url in chains:
        return None, chains[net.url]
    try:
        chain = connect(net.config.name, str(net.url), QUICK_RETRY)
    except Unreachable as exc:
        return _failed("", exc.status, exc.exit_code, str(exc)), None
    chains[str(net.url)] = chain
    return None, chain


def _ask(net: _Network, members: list[_Job], settings: Settings) -> list[Outcome]:
    """The outcomes of files naming one registry on one network."""
    from daftar.errors import DaftarError, NetworkError
    from daftar_registry.formats.credentials import TamperedCredential
    from daftar_registry.services.registries import open_registry
    from daftar_registry.services.verdict import verify_many

    first = members[0].credential
    try:
        registry = open_registry(
            first, net.chain, net.config, folder=net.folder, pinned=settings.registry
        )
    except RegistryError as exc:
        code = getattr(exc, "exit_code", 1)
        return [_failed(j.file, exc.status, code, str(exc)) for j in members]
    todo = members
    try:
        verdicts = verify_many(
            registry,
            [j.credential for j in todo],
            batch=settings.batch,
            sources=[j.file for j in todo],
        )
        answers: list[Outcome] = [
            Outcome(j.file, v.status.name, 0 if v.valid else EXIT_NOT_VALID, verdict=v)
            for j, v in zip(todo, verdicts, strict=True)
        ]
    except TamperedCredential as exc:  # already checked on reading; kept for safety
        answers = [_failed(j.file, "TAMPERED", EXIT_TAMPERED, str(exc)) for j in todo]
    except NetworkError as exc:
        answers = [_failed(j.file, "UNREACHABLE", EXIT_UNREACHABLE, str(exc)) for j in todo]
    except DaftarError as exc:
        answers = [_failed(j.file, "ERROR", 1, str(exc)) for j in todo]
    return answers
