"""brownie-config.yaml → typed settings.

Daftar reads the same file Brownie does. Compiler settings live under Brownie's own
`compiler:` keys; daftar-only settings (networks, deployments folder) live under a
top-level `daftar:` key that Brownie ignores, because Brownie's loader rejects
`networks.default: <string>` and `networks.development.cmd_settings` in a project config.
`.env` beside the config is loaded first; `${VAR}` in string values is expanded when the
value is used, so an unset variable only matters for the network that needs it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar.errors import ConfigError, NetworkError

CONFIG_NAME = "brownie-config.yaml"
BACKENDS = ("revm", "tester", "anvil", "rpc")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class CompilerSettings:
    version: str | None  # None: each source's pragma chooses (daftar.compiler.build)
    evm_version: str
    optimizer_enabled: bool = True
    optimizer_runs: int = 200
    via_ir: bool = False
    remappings: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkConfig:
    """One entry of `daftar.networks`; `backend` says which Chain class serves it."""

    name: str
    backend: str
    chain_id: int | None = None
    explorer: str | None = None
    explorer_api: str | None = None
    host: str | None = None
    block_time: int | None = None
    confirmations: int = 1
    timeout: int = 120
    max_fee_gwei: float | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def live(self) -> bool:
        """Live networks hold real history: deployments are recorded and committed."""
        return self.backend == "rpc"

    @property
    def rpc_env_var(self) -> str:
        return re.sub(r"[^A-Z0-9]", "_", self.name.upper()) + "_RPC_URL"

    def rpc_url(self) -> str:
        """The node's URL: `host` (with ${VAR} expanded) or `<NETWORK>_RPC_URL`."""
        if self.host:
            return expand(self.host, f"daftar.networks.{self.name}.host")
        url = os.environ.get(self.rpc_env_var, "").strip()
        if not url:
            raise NetworkError(
                f"network '{self.name}' needs an RPC URL, but {self.rpc_env_var} is not set.\n"
                f"Set it in your shell or in .env: {self.rpc_env_var}=https://<your node>"
            )
        return url

    def explorer_link(self, kind: str, value: str) -> str | None:
        """`kind` is 'address' or 'tx'; None when the network has no explorer."""
        if not self.explorer:
            return None
        return f"{self.explorer.rstrip('/')}/{kind}/{value}"


@dataclass(frozen=True)
class Config:
    root: Path
    compiler: CompilerSettings
    networks: dict[str, NetworkConfig]
    default_network: str
    contracts_dir: Path
    build_dir: Path
    tests_dir: Path
    scripts_dir: Path
    deployments_dir: Path
    raw: dict[str, Any]

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"

    def network(self, name: str | None = None) -> NetworkConfig:
        name = name or os.environ.get("DAFTAR_NETWORK") or self.default_network
        if name in self.networks:
            return self.networks[name]
        known = ", ".join(sorted(self.networks))
        raise NetworkError(
            f"unknown network '{name}'. Networks in {self.root / CONFIG_NAME}: {known}.\n"
            "Add it under daftar.networks, or pick one of these with --network."
        )


def expand(value: str, where: str) -> str:
    """Replace ${VAR} with the environment's value; a missing variable is an error."""

    def sub(m: re.Match[str]) -> str:
        var = m.group(1)
        if var not in os.environ:
            raise ConfigError(
                f"{where} uses ${{{var}}}, but {var} is not set. Set it in your shell or in .env."
            )
        return os.environ[var]

    return _VAR.sub(sub, value)


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding brownie-config.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} found in {here} or any folder above it. "
        "Run daftar from inside a project, or pass --project DIR."
    )


def load(root: Path | None = None) -> Config:
    """Load and validate the project's config; errors name the file and the key."""
    root = find_root(root)
    path = root / CONFIG_NAME
    _load_dotenv(root)
    raw = _read_yaml(path)
    daftar = _section(raw, "daftar", path)
    structure = _section(raw, "project_structure", path)

    def folder(key: str, default: str, section: dict[str, Any] = structure) -> Path:
        return root / str(section.get(key, default))

    networks = _networks(daftar, path)
    default = str(daftar.get("default_network", "development"))
    if default not in networks:
        raise ConfigError(
            f"{path}: daftar.default_network '{default}' is not under daftar.networks"
        )
    return Config(
        root=root,
        compiler=_compiler(raw, path),
        networks=networks,
        default_network=default,
        contracts_dir=folder("contracts", "contracts"),
        build_dir=folder("build", "build"),
        tests_dir=folder("tests", "tests"),
        scripts_dir=folder("scripts", "scripts"),
        deployments_dir=folder("deployments", "deployments", daftar),
        raw=raw,
    )


def _load_dotenv(root: Path) -> None:
    env = root / ".env"
    if env.is_file():
        from dotenv import load_dotenv

        load_dotenv(env, override=False)


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: not valid YAML ({problem}). Fix the file and retry.") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the top level must be a mapping of keys, not {type(data).__name__}"
        )
    return data


def _section(raw: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: '{key}' must be a mapping, not {type(value).__name__}")
    return value


def _compiler(raw: dict[str, Any], path: Path) -> CompilerSettings:
    compiler = _section(raw, "compiler", path)
    solc = compiler.get("solc") or {}
    if not isinstance(solc, dict):
        raise ConfigError(f"{path}: 'compiler.solc' must be a mapping")
    version = solc.get("version")
    evm = compiler.get("evm_version")
    if not evm:
        raise ConfigError(
            f"{path}: set compiler.evm_version (e.g. prague): every backend and testnet "
            "must run the same bytecode, and solc's default changes between versions"
        )
    optimizer = solc.get("optimizer") or {}
    remappings = solc.get("remappings") or []
    if isinstance(remappings, str):
        remappings = [remappings]
    try:
        runs = int(optimizer.get("runs", 200))
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: compiler.solc.optimizer.runs must be a number") from None
    return CompilerSettings(
        version=str(version).lstrip("v") if version else None,
        evm_version=str(evm),
        optimizer_enabled=bool(optimizer.get("enabled", True)),
        optimizer_runs=runs,
        via_ir=bool(solc.get("viaIR", solc.get("via_ir", False))),
        remappings=tuple(str(r) for r in remappings),
    )


_NETWORK_KEYS = {f for f in NetworkConfig.__dataclass_fields__ if f not in ("name", "settings")}


def _networks(daftar: dict[str, Any], path: Path) -> dict[str, NetworkConfig]:
    entries = daftar.get("networks") or {}
    if not isinstance(entries, dict) or not entries:
        raise ConfigError(f"{path}: daftar.networks must map network names to settings")
    networks: dict[str, NetworkConfig] = {}
    for name, entry in entries.items():
        where = f"{path}: daftar.networks.{name}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a mapping")
        backend = entry.get("backend")
        if backend not in BACKENDS:
            raise ConfigError(
                f"{where}.backend must be one of {', '.join(BACKENDS)}, not {backend!r}"
            )
        known = {k: v for k, v in entry.items() if k in _NETWORK_KEYS}
        extra = {k: v for k, v in entry.items() if k not in _NETWORK_KEYS}
        try:
            net = NetworkConfig(name=str(name), settings=extra, **known)
            if net.chain_id is not None:
                object.__setattr__(net, "chain_id", int(net.chain_id))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if backend == "rpc" and net.chain_id is None:
            raise ConfigError(f"{where}: an rpc network needs chain_id, so a wrong node is refused")
        networks[str(name)] = net
    return networks
