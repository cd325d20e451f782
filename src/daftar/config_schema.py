"""The one schema of brownie-config.yaml: every key Brownie defines and every key daftar reads.

`config.load` checks the whole file against `SCHEMA` before anything else happens, so a typo
(`stuck_afer`), a wrong type (`confirmations: two`) or an address YAML read as a number is
one clear error naming the key path and the file, from every command.

The schema is plain data: `Map` (a mapping with known keys, and optionally a spec for keys
it does not list, such as network names), and leaf specs (`Int`, `Float`, `Bool`, `Str`,
`Url`, `Address`, `OneOf`, `ListOf`, `Nullable`, `Anything`). Each spec checks a value and
returns it converted (`"2"` → 2), so code reading the result gets the right types.

`${VAR}`: text settings (`Str`, `Url`) keep `${VAR}` as written; it is expanded where the
value is used (e.g. `host` when the node is contacted). Any other setting under
`daftar.networks.<name>` holding `${VAR}` is checked once the network is picked
(`Config.network`), after expansion, so an unset variable only matters for the network
that needs it. Elsewhere (Brownie's sections) a non-text `${VAR}` is expanded at load.

Brownie's own sections are accepted as Brownie defines them (its documented schema, see
brownie/data/default-config.yaml); daftar reads only what `config.load` turns into typed
settings. Keys Brownie's loader ignores or passes through unread (`networks.<name>.*`,
`wallets`, the deprecated `network`) are accepted without interpretation.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BACKENDS = ("revm", "tester", "anvil", "rpc")
_VAR = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_URL = re.compile(r"https?://[^\s/]+\S*")


def has_var(value: Any) -> bool:
    return isinstance(value, str) and _VAR.search(value) is not None


def describe(value: Any) -> str:
    """A value as the user wrote it in YAML, for error messages."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value)
    return str(value)


class Checker:
    """One validation pass: collects every problem (with its key path) instead of stopping."""

    def __init__(
        self, expand: Callable[[str, str], str] | None = None, defer: bool = False
    ) -> None:
        self.problems: list[str] = []
        self.expand = expand
        self.defer = defer  # keep non-text ${VAR} values as written (checked when used)
        self.deferred: list[str] = []  # key paths of values kept for later
        self.lazy: list[str] = []  # paths of `Deferred` subtrees holding such values

    def fail(self, path: str, problem: str) -> None:
        self.problems.append(f"{path} {problem}")

    def failed_at(self, path: str) -> bool:
        return any(p.startswith(path + " ") for p in self.problems)

    def run(self, spec: Spec, value: Any, path: str) -> Any:
        if not spec.text and has_var(value):
            if self.defer:
                self.deferred.append(path)
                return value
            if self.expand is not None:
                from daftar.errors import ConfigError

                written, before = value, len(self.problems)
                try:
                    value = self.expand(value, path)
                except ConfigError as exc:
                    self.problems.append(str(exc))
                    return None
                checked = spec.check(value, path, self)
                for i in range(before, len(self.problems)):
                    self.problems[i] += f" (from {written})"
                return checked
        return spec.check(value, path, self)


class Spec:
    #: A text setting: `${VAR}` stays as written (expanded where the value is used).
    text = False
    what = "a value"

    def check(self, value: Any, path: str, ck: Checker) -> Any:  # pragma: no cover
        raise NotImplementedError

    def bad(self, value: Any, path: str, ck: Checker) -> None:
        ck.fail(path, f"must be {self.what}, not {describe(value)}")


class Anything(Spec):
    """Accepted as written: a section daftar passes over (Brownie's own network settings)."""

    text = True

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        return value


@dataclass
class Nullable(Spec):
    """`key:` left empty (null) means "not set"; otherwise `inner` applies."""

    inner: Spec

    def __post_init__(self) -> None:
        self.text = self.inner.text
        self.what = self.inner.what

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        return None if value is None else self.inner.check(value, path, ck)


@dataclass
class Int(Spec):
    min: int | None = None

    def __post_init__(self) -> None:
        self.what = "a whole number" + (f", at least {self.min}" if self.min is not None else "")

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            try:
                number = int(value.strip())
            except ValueError:
                number = None
        if number is None or (self.min is not None and number < self.min):
            self.bad(value, path, ck)
            return value
        return number


@dataclass
class Float(Spec):
    """A number; `above` excludes its bound (`max_fee_gwei: 0` makes no sense), `min` not."""

    min: float | None = None
    above: float | None = None

    def __post_init__(self) -> None:
        self.what = "a number"
        if self.min is not None:
            self.what += f", at least {self.min:g}"
        if self.above is not None:
            self.what += f", more than {self.above:g}"

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if (
            number is None
            or not math.isfinite(number)
            or (self.min is not None and number < self.min)
            or (self.above is not None and number <= self.above)
        ):
            self.bad(value, path, ck)
            return value
        return number


_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


class Bool(Spec):
    what = "true or false"

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _WORDS:
            return _WORDS[value.strip().lower()]
        self.bad(value, path, ck)
        return value


@dataclass
class Str(Spec):
    """Text. `numbers=True` also takes what YAML read as a number (`version: 0.8` → "0.8")."""

    numbers: bool = False
    what: str = "text"
    text = True

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if isinstance(value, str):
            return value
        if self.numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.bad(value, path, ck)
        return value


class Url(Spec):
    text = True
    what = "an http:// or https:// URL"

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if isinstance(value, str) and (has_var(value) or _URL.fullmatch(value.strip())):
            return value.strip()
        self.bad(value, path, ck)
        return value


class Remapping(Spec):
    text = True
    what = "a solc remapping 'prefix=path'"

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if isinstance(value, str) and "=" in value and not value.startswith("="):
            return value
        self.bad(value, path, ck)
        return value


class Address(Spec):
    """A 20-byte address as text; mixed case must carry a valid EIP-55 checksum."""

    what = "an address: '0x' and 40 hex digits, quoted"

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            ck.fail(
                path,
                f"was read as the number {hex(value)}: YAML reads an unquoted 0x… address as "
                "a hex number. Quote it: '0x…'",
            )
            return value
        if not isinstance(value, str) or not _ADDRESS.fullmatch(value.strip()):
            self.bad(value, path, ck)
            return value
        text = value.strip()
        digits = text[2:]
        if digits not in (digits.lower(), digits.upper()):
            from eth_utils import to_checksum_address

            if to_checksum_address(text) != text:
                ck.fail(
                    path,
                    f"'{text}' has a wrong EIP-55 checksum (its mixed case does not match "
                    "the address): copy the address again from its source",
                )
        return text


@dataclass
class OneOf(Spec):
    choices: tuple[str, ...]

    def __post_init__(self) -> None:
        self.what = "one of " + ", ".join(self.choices)

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if value in self.choices:
            return value
        self.bad(value, path, ck)
        return value


@dataclass
class ListOf(Spec):
    """A list of `item`; a single value stands for a list of one (as Brownie reads it)."""

    item: Spec

    def __post_init__(self) -> None:
        self.what = f"a list of {self.item.what}"
        self.text = self.item.text

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        items = value if isinstance(value, list) else [value]
        return [ck.run(self.item, v, f"{path}[{i}]") for i, v in enumerate(items)]


@dataclass
class Map(Spec):
    """A mapping. `fields`: its known keys; `values`: the spec of any other key (names the
    user picks, like networks); neither → an unknown key is an error. `required`: key → a
    hint saying what to write."""

    fields: dict[str, Spec] = field(default_factory=dict)
    values: Spec | None = None
    required: dict[str, str] = field(default_factory=dict)
    what: str = "a mapping of keys"

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.bad(value, path or "the top level", ck)
            return {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key)
            sub = f"{path}.{name}" if path else name
            spec = self.fields.get(name, self.values)
            if spec is None:
                ck.fail(sub, self._unknown(name))
                continue
            out[name] = ck.run(spec, item, sub)
        for name, hint in self.required.items():
            sub = f"{path}.{name}" if path else name
            if out.get(name) is None and not ck.failed_at(sub):
                ck.fail(sub, f"is required: {hint}")
        return out

    def _unknown(self, name: str) -> str:
        known = sorted(self.fields)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            return f"is not a known key; did you mean '{close[0]}'?"
        return f"is not a known key. Known keys here: {', '.join(known)}"


@dataclass
class Deferred(Spec):
    """A subtree (one network) whose non-text `${VAR}` values are checked when it is used."""

    inner: Spec

    def check(self, value: Any, path: str, ck: Checker) -> Any:
        before, was = len(ck.deferred), ck.defer
        ck.defer = True
        try:
            out = ck.run(self.inner, value, path)
        finally:
            ck.defer = was
        if len(ck.deferred) > before:
            ck.lazy.append(path)
        return out


# -- the schema ---------------------------------------------------------------------------

#: One network under `daftar.networks`. Keys that are `NetworkConfig` fields become its
#: attributes; the others land, checked and converted, in `NetworkConfig.settings`.
NETWORK = Map(
    {
        "backend": OneOf(BACKENDS),
        "chain_id": Nullable(Int(min=1)),
        "host": Nullable(Url()),  # the node's URL; default: $<NETWORK>_RPC_URL
        "explorer": Nullable(Url()),  # browser URL, for links
        "explorer_api": Nullable(Url()),  # an Etherscan-v2-compatible API
        "block_time": Nullable(Int(min=0)),  # seconds (anvil --block-time); 0: on each tx
        "confirmations": Int(min=1),
        "timeout": Float(above=0),
        "max_fee_gwei": Nullable(Float(above=0)),  # refuse to pay more per gas
        # live deploys (LiveSettings.of in daftar.deploy)
        "stuck_after": Float(above=0),  # seconds pending before a fee bump
        "wait_limit": Float(above=0),  # seconds before giving up waiting (journal keeps tx)
        "poll_seconds": Float(above=0),
        # RPC calls (RetryPolicy.of in daftar.chain.retry)
        "rpc_retries": Int(min=0),  # attempts after the first
        "rpc_backoff": Float(min=0),  # seconds before the second attempt
        "rpc_timeout": Float(above=0),  # seconds per request
        # source verification (daftar.explorer.verify)
        "sourcify": Nullable(Url()),
        "blockscout": Nullable(Url()),
        # role name → holder, for the project's deploy plan (the plan says which names)
        "roles": Nullable(
            Map(values=Nullable(Address()), what="a mapping of role names to addresses")
        ),
        # the project's deploy plan may refuse giving every role to the deployer on a public
        # network unless this is true (a plan reads it from network.settings)
        "allow_deployer_roles": Bool(),
    },
    required={"backend": "one of " + ", ".join(BACKENDS)},
)

DAFTAR = Map(
    {
        "default_network": Str(),
        "deployments": Str(),  # the records folder, beside brownie-config.yaml
        "networks": Map(values=Deferred(NETWORK), what="a mapping of network names to settings"),
    },
)

_SOLC = Map(
    {
        "version": Nullable(Str(numbers=True)),
        "evm_version": Nullable(Str()),  # overrides compiler.evm_version (as in Brownie)
        "optimizer": Nullable(Map({"enabled": Bool(), "runs": Int(min=0)})),
        "remappings": Nullable(ListOf(Remapping())),
        "viaIR": Bool(),
        "via_ir": Bool(),
        # Brownie's old spellings; Brownie's default `optimizer` overrides them, so does daftar
        "optimize": Nullable(Bool()),
        "runs": Nullable(Int(min=0)),
    }
)

_HYPOTHESIS_PHASES = ("explicit", "reuse", "generate", "target", "shrink", "explain")
_HYPOTHESIS = Map(
    {
        **dict.fromkeys(
            (
                "deadline",
                "max_examples",
                "derandomize",
                "database",
                "verbosity",
                "stateful_step_count",
                "report_multiple_bugs",
                "suppress_health_check",
                "print_blob",
                "backend",
            ),
            Anything(),
        ),
        "phases": Map(dict.fromkeys(_HYPOTHESIS_PHASES, Bool())),
    }
)

_PATHS = Nullable(ListOf(Str()))

#: The whole file. Brownie's keys as its documented schema (default-config.yaml) has them.
SCHEMA = Map(
    {
        "project_structure": Map(
            dict.fromkeys(
                ("build", "contracts", "interfaces", "reports", "scripts", "tests"), Str()
            )
        ),
        "compiler": Map(
            {
                "evm_version": Nullable(Str()),
                "solc": _SOLC,
                "vyper": Map(
                    {"version": Nullable(Str(numbers=True)), "evm_version": Nullable(Str())}
                ),
            }
        ),
        # Brownie's networks: `default`, then per-network settings Brownie interprets
        "networks": Map({"default": Nullable(Str())}, values=Anything()),
        "console": Map(
            {
                "show_colors": Bool(),
                "color_style": Str(),
                "auto_suggest": Bool(),
                "completions": Bool(),
                "editing_mode": Str(),
            }
        ),
        "reports": Map(
            {"exclude_paths": _PATHS, "exclude_contracts": _PATHS, "only_include_project": Bool()}
        ),
        "hypothesis": _HYPOTHESIS,
        "dotenv": Str(),  # an env file to load, relative to the project
        "dependencies": _PATHS,
        "autofetch_sources": Bool(),
        "dev_deployment_artifacts": Bool(),
        "eager_caching": Bool(),
        "network": Anything(),  # deprecated by Brownie, which drops it with a warning
        "wallets": Anything(),  # Brownie convention: scripts read config["wallets"]
        "daftar": DAFTAR,
    }
)
