"""Revert data → a named Python exception: custom errors, Error(string), Panic(code)."""

from __future__ import annotations

from typing import Any

from eth_abi import decode

from daftar.chain.base import Reverted
from daftar.contract.abi import decode_values, selector, signature

ERROR_STRING = bytes.fromhex("08c379a0")
PANIC = bytes.fromhex("4e487b71")

PANIC_MEANING = {
    0x00: "generic compiler panic",
    0x01: "assert() failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division or modulo by zero",
    0x21: "conversion to an invalid enum value",
    0x22: "corrupt storage byte array",
    0x31: "pop() on an empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory (allocation too large)",
    0x51: "call to an uninitialised internal function",
}


class ErrorRegistry:
    """Custom errors of every contract in a project, by 4-byte selector.

    Project-wide, because a revert bubbles up from whichever contract raised it.
    """

    def __init__(self) -> None:
        self._by_selector: dict[bytes, dict[str, Any]] = {}

    def add_abi(self, abi: list[dict[str, Any]]) -> None:
        for item in abi:
            if item.get("type") == "error":
                self._by_selector.setdefault(selector(item), item)

    def explain(self, exc: Reverted, where: str = "") -> Reverted:
        """Fill in `exc.error`, `exc.args_by_name` and a readable message; return it."""
        data = exc.data
        if len(data) >= 4 and data[:4] == ERROR_STRING:
            try:
                (text,) = decode(["string"], data[4:])
                exc.describe("Error", {"message": text}, f'reverted with "{text}"', where)
            except Exception:
                exc.describe("Error", {}, "reverted with a malformed Error(string)", where)
        elif len(data) >= 4 and data[:4] == PANIC:
            (code,) = decode(["uint256"], data[4:])
            meaning = PANIC_MEANING.get(code, "unknown panic code")
            exc.describe("Panic", {"code": code}, f"Panic(0x{code:02x}): {meaning}", where)
        elif len(data) >= 4 and data[:4] in self._by_selector:
            item = self._by_selector[data[:4]]
            inputs = item.get("inputs", [])
            try:
                values = decode_values(inputs, data[4:])
            except Exception:
                exc.describe(item["name"], {}, f"{signature(item)} (undecodable arguments)", where)
                return exc
            args = {
                (p.get("name") or f"arg{i}"): v
                for i, (p, v) in enumerate(zip(inputs, values, strict=True))
            }
            shown = ", ".join(f"{k}={_show(v)}" for k, v in args.items())
            exc.describe(item["name"], args, f"reverted with {item['name']}({shown})", where)
        elif data:
            exc.describe("Unknown", {}, f"reverted with unknown error data 0x{data.hex()}", where)
        else:
            exc.describe("Revert", {}, exc.detail, where)
        return exc


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return repr(value) if isinstance(value, str) and not value.startswith("0x") else str(value)
