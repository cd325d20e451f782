"""Compare runtime bytecode the way verifiers do.

solc appends a CBOR-encoded metadata block (IPFS hash of the metadata JSON, solc version)
to the runtime code; its length sits in the last two bytes, big-endian. The metadata hash
changes with anything in metadata (comments, NatSpec, file names, settings) even when the
executable code is identical: equal code with a different tail is a *partial* match.
`immutable` values are written into the runtime code by the constructor; solc reports their
offsets (`immutableReferences`), and both sides are zeroed there before comparing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any


def metadata_length(code: bytes) -> int:
    """Bytes taken by the CBOR metadata tail (including its 2-byte length); 0 if none."""
    if len(code) < 2:
        return 0
    size = int.from_bytes(code[-2:], "big") + 2
    if size > len(code) or size < 3:
        return 0
    first = code[-size]
    return size if 0xA0 <= first <= 0xBF else 0  # a CBOR map, as solc writes it


def split_metadata(code: bytes) -> tuple[bytes, bytes]:
    """(executable part, metadata tail)."""
    size = metadata_length(code)
    return (code[:-size], code[-size:]) if size else (code, b"")


def zero_immutables(code: bytes, refs: Mapping[str, Any]) -> bytes:
    """`code` with every immutable slot solc reported set to zero bytes."""
    out = bytearray(code)
    for slots in refs.values():
        for slot in slots:
            start, length = int(slot["start"]), int(slot["length"])
            if start + length <= len(out):
                out[start : start + length] = bytes(length)
    return bytes(out)


def first_difference(a: bytes, b: bytes) -> int | None:
    """Offset of the first differing byte (the shorter length if one is a prefix)."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


@cache
def _opcodes() -> dict[int, str]:
    from eth.vm import opcode_values  # py-evm's table: every opcode up to the latest fork

    return {v: k for k, v in vars(opcode_values).items() if k.isupper() and isinstance(v, int)}


def disassemble(code: bytes) -> list[tuple[int, str]]:
    """[(offset, 'PUSH2 0x0104'), ...]: PUSH data is skipped, unknown bytes show as hex."""
    names = _opcodes()
    out: list[tuple[int, str]] = []
    pc = 0
    while pc < len(code):
        op = code[pc]
        name = names.get(op, f"0x{op:02x}")
        if 0x60 <= op <= 0x7F:
            width = op - 0x5F
            data = code[pc + 1 : pc + 1 + width]
            out.append((pc, f"{name} 0x{data.hex()}"))
            pc += 1 + width
        else:
            out.append((pc, name))
            pc += 1
    return out


def context(code: bytes, offset: int, around: int = 3) -> str:
    """The instructions around `offset`, the one holding it marked with `>`."""
    ops = disassemble(code)
    index = next((i for i, (pc, _) in enumerate(ops) if pc > offset), len(ops)) - 1
    if index < 0:
        return "(empty)"
    window = ops[max(index - around, 0) : index + around + 1]
    return " ".join(f"{'>' if pc == ops[index][0] else ''}{text}" for pc, text in window)


@dataclass(frozen=True)
class Difference:
    """Where the on-chain and recompiled code part ways (both with immutables zeroed)."""

    offset: int
    onchain_length: int
    compiled_length: int
    onchain_context: str
    compiled_context: str

    def describe(self) -> str:
        return (
            f"first difference at byte {self.offset} (on chain {self.onchain_length} bytes, "
            f"recompiled {self.compiled_length} bytes); on chain: {self.onchain_context}; "
            f"recompiled: {self.compiled_context}"
        )


def difference(onchain: bytes, compiled: bytes) -> Difference | None:
    offset = first_difference(onchain, compiled)
    if offset is None:
        return None
    return Difference(
        offset,
        len(onchain),
        len(compiled),
        context(onchain, offset) if offset < len(onchain) else "(ends here)",
        context(compiled, offset) if offset < len(compiled) else "(ends here)",
    )
