"""brownie-config.yaml → typed settings.

Daftar reads the same file Brownie does. Compiler settings live under Brownie's own
`compiler:` keys; daftar-only settings (networks, deployments folder) live under a
top-level `daftar:` key that Brownie ignores, because Brownie's loader rejects
`networks.default: <string>` and `networks.development.cmd_settings` in a project config.
`.env` beside the config (and the file Brownie's `dotenv:` names) is loaded first; `${VAR}`
(or `${VAR:-default}`) in a network's settings is expanded when the value is used, so an
unset variable only matters for the network that needs it.

The whole file is checked once, at load, against the one schema in `daftar.config_schema`
(Brownie's keys and daftar's): unknown keys, wrong types and unquoted addresses are one
ConfigError naming the file and each key path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar import config_schema as schema
from daftar.config_schema import BACKENDS
from daftar.errors import ConfigError, NetworkError

__all__ = ["BACKENDS", "CONFIG_NAME", "CompilerSettings", "Config", "NetworkConfig", "load"]

CONFIG_NAME = "brownie-config.yaml"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


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
    timeout: float = 120
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
    #: Networks whose non-text settings use ${VAR}: their entries as written, checked when
    #: the network is picked (`network()`), so an unset variable only matters there.
    lazy: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"

    def network(self, name: str | None = None) -> NetworkConfig:
        name = name or os.environ.get("DAFTAR_NETWORK") or self.default_network
        if name in self.lazy:
            return _resolve(name, self.lazy[name], self.root / CONFIG_NAME)
        if name in self.networks:
            return self.networks[name]
        known = ", ".join(sorted(self.networks))
        raise NetworkError(
            f"unknown network '{name}'. Networks in {self.root / CONFIG_NAME}: {known}.\n"
            "Add it under daftar.networks, or pick one of these with --network."
        )


def expand(value: str, where: str) -> str:
    """Replace ${VAR} (or ${VAR:-default}) with the environment's value; a missing variable
    without a default is an error."""

    def sub(m: re.Match[str]) -> str:
        var, default = m.group(1), m.group(2)
        if var not in os.environ and default is not None:
            return default
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
    """Load the project's config, checked against the one schema (daftar.config_schema).

    Every problem in the file (unknown key, wrong type, unquoted address, missing setting)
    is reported at once, each with its key path, as one ConfigError naming the file: before
    any prompt, compile or network call.
    """
    root = find_root(root)
    path = root / CONFIG_NAME
    raw = _with_default_networks(_read_yaml(path))
    _load_dotenv(root, raw.get("dotenv"), path)  # first: ${VAR} may come from it
    ck = schema.Checker(expand=expand)
    data = ck.run(schema.SCHEMA, raw, "")
    daftar = data.get("daftar") or {}
    entries = daftar.get("networks") or {}
    if not entries:
        ck.fail(
            "daftar.networks",
            "must map network names to settings (e.g. development: {backend: revm})",
        )
    networks = {name: _network(name, entry, ck) for name, entry in entries.items()}
    default = daftar.get("default_network") or "development"
    if networks and default not in networks:
        known = ", ".join(networks)
        ck.fail("daftar.default_network", f"'{default}' is not under daftar.networks ({known})")
    compiler = _compiler(data.get("compiler") or {}, ck)
    _raise(ck, path)
    assert compiler is not None
    written = {str(k): v for k, v in raw["daftar"]["networks"].items()}
    lazy = {n: written[n] for n in (p.removeprefix("daftar.networks.") for p in ck.lazy)}
    structure = data.get("project_structure") or {}

    def folder(key: str, default: str, section: dict[str, Any] = structure) -> Path:
        return root / str(section.get(key) or default)

    return Config(
        root=root,
        compiler=compiler,
        networks={n: net for n, net in networks.items() if net is not None},
        default_network=default,
        contracts_dir=folder("contracts", "contracts"),
        build_dir=folder("build", "build"),
        tests_dir=folder("tests", "tests"),
        scripts_dir=folder("scripts", "scripts"),
        deployments_dir=folder("deployments", "deployments", daftar),
        raw=raw,
        lazy=lazy,
    )


DEFAULT_EVM_VERSION = "prague"

#: Networks of a project whose config has no `daftar.networks` (a Brownie project moved to
#: daftar unchanged): the local backends, a node of your own, and the public testnets.
DEFAULT_NETWORKS: dict[str, dict[str, Any]] = {
    "development": {"backend": "revm", "chain_id": 1337},
    "tester": {"backend": "tester"},
    "anvil": {"backend": "anvil", "chain_id": 31337},
    "localhost": {"backend": "rpc", "chain_id": 31337},
    "sepolia": {"backend": "rpc", "chain_id": 11155111, "explorer": "https://sepolia.etherscan.io"},
    "hoodi": {"backend": "rpc", "chain_id": 560048, "explorer": "https://hoodi.etherscan.io"},
}


def _with_default_networks(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` with DEFAULT_NETWORKS when it defines none; Brownie's `networks.default` picks
    the default network when it names one of them."""
    section = raw.get("daftar")
    if isinstance(section, dict) and section.get("networks") is not None:
        return raw
    if section is not None and not isinstance(section, dict):
        return raw  # the schema reports the wrong type
    daftar = dict(section or {})
    daftar["networks"] = {name: dict(entry) for name, entry in DEFAULT_NETWORKS.items()}
    brownie_default = (
        (raw.get("networks") or {}).get("default")
        if isinstance(raw.get("networks"), dict)
        else None
    )
    if "default_network" not in daftar and brownie_default in DEFAULT_NETWORKS:
        daftar["default_network"] = brownie_default
    return {**raw, "daftar": daftar}


def _raise(ck: schema.Checker, path: Path) -> None:
    if not ck.problems:
        return
    if len(ck.problems) == 1:
        raise ConfigError(f"{path}: {ck.problems[0]}")
    listed = "\n".join(f"  - {p}" for p in ck.problems)
    raise ConfigError(f"{path} has {len(ck.problems)} problems:\n{listed}")


def _load_dotenv(root: Path, named: Any, path: Path) -> None:
    """`.env` beside the config, and the file Brownie's `dotenv:` key names."""
    from dotenv import load_dotenv

    if isinstance(named, str) and named:
        env = root / named
        if not env.is_file():
            raise ConfigError(f"{path}: dotenv names {named}, but there is no file {env}")
        load_dotenv(env, override=False)
    env = root / ".env"
    if env.is_file():
        load_dotenv(env, override=False)


def _read_yaml(path: Path) -> Any:
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


def _compiler(compiler: dict[str, Any], ck: schema.Checker) -> CompilerSettings | None:
    solc = compiler.get("solc") or {}
    version = solc.get("version")
    # Unset (as in most Brownie projects): prague, the hardfork every backend here runs, not
    # the compiler's own default (osaka from solc 0.8.30), so all backends run one bytecode.
    evm = solc.get("evm_version") or compiler.get("evm_version") or DEFAULT_EVM_VERSION
    optimizer = solc.get("optimizer") or {}
    return CompilerSettings(
        version=str(version).lstrip("v") if version else None,
        evm_version=str(evm),
        optimizer_enabled=optimizer.get("enabled", True),
        optimizer_runs=optimizer.get("runs", 200),
        via_ir=bool(solc.get("viaIR", solc.get("via_ir", False))),
        remappings=tuple(str(r) for r in solc.get("remappings") or ()),
    )


_NETWORK_KEYS = {f for f in NetworkConfig.__dataclass_fields__ if f not in ("name", "settings")}


def _network(name: str, entry: dict[str, Any], ck: schema.Checker) -> NetworkConfig | None:
    """A NetworkConfig from a checked `daftar.networks.<name>` entry (None if it is broken)."""
    where = f"daftar.networks.{name}"
    if not isinstance(entry, dict) or ck.failed_at(f"{where}.backend"):
        return None
    if schema.has_var(entry.get("backend")):
        ck.fail(
            f"{where}.backend",
            f"must be written out ({', '.join(BACKENDS)}): it says how the network is "
            "reached, so ${VAR} is not expanded there",
        )
        return None
    if entry.get("backend") == "rpc" and entry.get("chain_id") is None:
        if not ck.failed_at(f"{where}.chain_id"):
            ck.fail(where, "is an rpc network, and needs chain_id, so a wrong node is refused")
        return None
    if entry.get("backend") not in BACKENDS:
        return None
    known = {k: v for k, v in entry.items() if k in _NETWORK_KEYS and v is not None}
    extra = {k: v for k, v in entry.items() if k not in _NETWORK_KEYS}
    return NetworkConfig(name=name, settings=extra, **known)


def _resolve(name: str, entry: dict[str, Any], path: Path) -> NetworkConfig:
    """A network whose settings use ${VAR}: expanded and checked now that it is used."""
    ck = schema.Checker(expand=expand)
    checked = ck.run(schema.NETWORK, entry, f"daftar.networks.{name}")
    net = _network(name, checked, ck)
    _raise(ck, path)
    assert net is not None
    return net
