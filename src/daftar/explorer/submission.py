"""Everything an explorer needs to verify one deployed contract, taken from what `build/`
and `deployments/` recorded: the exact standard-JSON input (never flattened), the compiler's
long version, `path:Name`, and the raw ABI-encoded constructor arguments.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eth_utils import is_address, to_checksum_address

from daftar.explorer.result import ExplorerError


@dataclass(frozen=True)
class Submission:
    contract_name: str
    source_name: str
    compiler_version: str  # long form, as solc prints it: 0.8.30+commit.73712a01
    input: dict[str, Any] = field(repr=False)
    address: str
    chain_id: int
    constructor_args: bytes = b""
    creation_tx: str | None = None

    @property
    def identifier(self) -> str:
        """`contracts/Token.sol:Token`: unambiguous in any input."""
        return f"{self.source_name}:{self.contract_name}"

    @property
    def input_json(self) -> str:
        """The recorded standard-JSON input as the string explorers compile."""
        return json.dumps(self.input, separators=(",", ":"))

    @property
    def short_version(self) -> str:
        return self.compiler_version.split("+")[0]

    @classmethod
    def from_artifact(
        cls,
        artifact: Mapping[str, Any],
        address: str,
        constructor_args: bytes | str = b"",
        chain_id: int = 0,
        creation_tx: str | None = None,
    ) -> Submission:
        name = artifact.get("contractName", "?")
        version = str(artifact.get("compiler", {}).get("version", ""))
        if not artifact.get("input") or not artifact.get("sourceName"):
            raise ExplorerError(
                f"the artifact of {name} records no standard-JSON input: run `daftar compile` "
                "so build/ holds what the contract was compiled from"
            )
        if "+commit." not in version:
            raise ExplorerError(
                f"the artifact of {name} records compiler version {version!r}; explorers need "
                "the long form (0.8.30+commit.73712a01): run `daftar compile --force`"
            )
        if not is_address(address):
            raise ExplorerError(f"{name}: {address!r} is not an address")
        return cls(
            contract_name=str(name),
            source_name=str(artifact["sourceName"]),
            compiler_version=version.lstrip("v"),
            input=dict(artifact["input"]),
            address=to_checksum_address(address),
            chain_id=int(chain_id),
            constructor_args=hex_bytes(constructor_args),
            creation_tx=creation_tx,
        )

    @classmethod
    def from_record(
        cls, record: Mapping[str, Any], artifact: Mapping[str, Any], chain_id: int | None = None
    ) -> Submission:
        """A submission from a `deployments/<network>/<Contract>.json` record."""
        return cls.from_artifact(
            artifact,
            record["address"],
            record_constructor_args(record),
            chain_id if chain_id is not None else int(record.get("chain_id") or 0),
            record.get("tx_hash"),
        )


def record_constructor_args(record: Mapping[str, Any]) -> bytes:
    """Raw constructor arguments of a record (`constructor_args` or `constructorArgs`)."""
    args = record.get("constructor_args") or record.get("constructorArgs") or {}
    raw = args.get("raw", "") if isinstance(args, Mapping) else args
    return hex_bytes(raw or b"")


def hex_bytes(value: bytes | str) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    text = value[2:] if value.startswith(("0x", "0X")) else value
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ExplorerError(f"constructor arguments {value[:20]!r}… are not hex") from None
