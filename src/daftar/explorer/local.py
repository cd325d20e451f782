"""Local source verification: recompile the recorded standard-JSON input and compare the
result with the code at the address (`eth_getCode`), as Sourcify does, without an explorer.

- full: runtime code equal (immutables zeroed on both sides), metadata hash included;
- partial: only the CBOR metadata tail differs (e.g. a comment or NatSpec changed);
- mismatch: the executable code differs; the message says where, with opcode context.

When the creation transaction's input is given, it is checked too: the recompiled creation
code followed by the recorded constructor arguments. Only the trailing metadata block is
treated as metadata, so a contract that embeds another contract's creation code (`new C`)
reports a metadata-only change as a mismatch; the registry contracts embed none.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from daftar.chain.base import Chain
from daftar.compiler import solc
from daftar.compiler.build import format_diagnostic
from daftar.errors import CompileError
from daftar.explorer.bytecode import Difference, difference, split_metadata, zero_immutables
from daftar.explorer.result import VerificationResult
from daftar.explorer.submission import Submission

Match = Literal["full", "partial", "mismatch"]
#: What verification reads; outputSelection never changes bytecode or metadata, and asking
#: for less (no AST) keeps the compile fast. Sourcify overrides it the same way.
OUTPUTS = [
    "evm.bytecode.object",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.immutableReferences",
    "metadata",
]
_CACHE: dict[str, dict[str, Any]] = {}
_CACHE_SIZE = 4


@dataclass(frozen=True)
class LocalMatch:
    contract: str
    address: str
    match: Match
    message: str
    difference: Difference | None = None
    creation: Match | None = None  # None when no creation input was compared

    def as_result(self) -> VerificationResult:
        status = {"full": "verified", "partial": "partial", "mismatch": "failed"}[self.match]
        return VerificationResult("local", status, None, self.message)  # type: ignore[arg-type]


def recompile(
    input_json: Mapping[str, Any], version: str, node_modules: Path, base_path: Path
) -> dict[str, Any]:
    """solc's output for a recorded input; cached per (version, input) in this process."""
    short = version.lstrip("v").split("+")[0]
    job = copy.deepcopy(dict(input_json))
    job.setdefault("settings", {})["outputSelection"] = {"*": {"*": OUTPUTS}}
    blob = json.dumps({"v": short, "in": job}, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(blob.encode()).hexdigest()
    if key not in _CACHE:
        output = solc.compile_standard(solc.launcher(node_modules, short), job, base_path)
        errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
        if errors:
            text = "\n".join(format_diagnostic(e, job) for e in errors)
            raise CompileError(f"the recorded input no longer compiles:\n{text}")
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = output
    return _CACHE[key]


def compare_runtime(
    onchain: bytes, compiled: bytes, immutables: Mapping[str, Any]
) -> tuple[Match, Difference | None]:
    live = zero_immutables(onchain, immutables)
    ours = zero_immutables(compiled, immutables)
    if live == ours:
        return "full", None
    live_code, live_meta = split_metadata(live)
    our_code, our_meta = split_metadata(ours)
    if live_meta and our_meta and live_code == our_code:
        return "partial", None
    return "mismatch", difference(live, ours)


def compare_creation(
    creation_input: bytes, initcode: bytes, constructor_args: bytes
) -> tuple[Match, Difference | None]:
    """The creation transaction's input against recompiled initcode + recorded arguments."""
    if constructor_args and not creation_input.endswith(constructor_args):
        return "mismatch", difference(creation_input, initcode + constructor_args)
    sent = creation_input[: len(creation_input) - len(constructor_args)]
    if sent == initcode:
        return "full", None
    sent_code, sent_meta = split_metadata(sent)
    our_code, our_meta = split_metadata(initcode)
    if sent_meta and our_meta and sent_code == our_code:
        return "partial", None
    return "mismatch", difference(sent, initcode)


def verify_local(
    artifact: Mapping[str, Any],
    address: str,
    chain: Chain,
    *,
    node_modules: Path,
    constructor_args: bytes | str = b"",
    creation_input: bytes | None = None,
    base_path: Path | None = None,
) -> LocalMatch:
    """Recompile `artifact`'s recorded input and compare it with the code at `address`."""
    sub = Submission.from_artifact(artifact, address, constructor_args)
    output = recompile(sub.input, sub.compiler_version, node_modules, base_path or Path.cwd())
    compiled = output.get("contracts", {}).get(sub.source_name, {}).get(sub.contract_name)
    if compiled is None:
        raise CompileError(
            f"the recorded input does not produce {sub.identifier}: was the artifact edited?"
        )
    evm = compiled["evm"]
    runtime = bytes.fromhex(evm["deployedBytecode"]["object"])
    immutables = evm["deployedBytecode"].get("immutableReferences", {})
    onchain = chain.code(sub.address)
    where = f"{sub.contract_name} at {sub.address}"
    if not onchain:
        return LocalMatch(sub.contract_name, sub.address, "mismatch", f"{where}: no code there")
    match, diff = compare_runtime(onchain, runtime, immutables)
    creation: Match | None = None
    if creation_input is not None:
        initcode = bytes.fromhex(evm["bytecode"]["object"])
        creation, creation_diff = compare_creation(creation_input, initcode, sub.constructor_args)
        if match != "mismatch" and creation == "mismatch":
            match, diff = "mismatch", creation_diff
    return LocalMatch(
        sub.contract_name,
        sub.address,
        match,
        _message(where, match, diff, creation),
        diff,
        creation,
    )


def _message(where: str, match: Match, diff: Difference | None, creation: Match | None) -> str:
    if match == "full":
        text = f"{where}: full match (runtime code and metadata hash)"
    elif match == "partial":
        text = (
            f"{where}: partial match: the code is the same but the metadata hash differs, "
            "so the recorded sources or settings differ from the deployed ones in comments, "
            "NatSpec, file names or metadata settings"
        )
    elif diff is not None:
        text = f"{where}: mismatch: {diff.describe()}"
    else:
        text = f"{where}: mismatch"
    if creation is not None:
        label = "mismatch" if creation == "mismatch" else f"{creation} match"
        text += f"; creation transaction: {label}"
    return text


def creation_input(chain: Chain, tx_hash: str | None) -> bytes | None:
    """The input of a creation transaction, when the chain knows it."""
    tx = chain.transaction(tx_hash) if tx_hash else None
    return None if tx is None else tx.input
