"""Decoded call traces: a backend's call tree (geth `callTracer` format) → a Foundry-style tree.

    [31245] Outer::run(x=5)
    ├─ [2890] Inner::check(value=5) [staticcall]
    │   └─ ← [Revert] TooBig(value=5, limit=3)   at contracts/Inner.sol:12: revert TooBig(...)
    └─ ← [Revert] TooBig(value=5, limit=3)

Each frame: gas used, contract and function name (from the project's artifacts: runtime
code matched against `deployedBytecode`, creation code against `bytecode`), decoded
arguments, emitted events, and the decoded return value or revert: a custom error with
its arguments, `Error(string)`, or `Panic` with its meaning. Where the backend reports the
program counter of a failure (the tester's in-process hook), the revert's source line too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from daftar.chain.base import Log, Reverted
from daftar.contract.abi import decode_output, decode_values, selector
from daftar.contract.errors import ErrorRegistry
from daftar.contract.events import EventRegistry
from daftar.contract.sourcemap import Code, CodeIndex

HINT_NO_TRACE = (
    "The full call trace needs a backend that records every call: re-run with "
    "`--network tester` (in-process py-evm) or `--network anvil`, or trace a mined "
    "transaction with `daftar trace TXHASH --network NAME`."
)


@dataclass
class Frame:
    kind: str
    address: str | None
    contract: str | None
    function: str
    args: str
    value: int
    gas_used: int
    ok: bool
    result: str
    events: list[str] = field(default_factory=list)
    where: str = ""  # source line of a revert, when known
    calls: list[Frame] = field(default_factory=list)

    def walk(self) -> list[Frame]:
        out = [self]
        for c in self.calls:
            out += c.walk()
        return out


@dataclass
class CallTrace:
    """A decoded call tree; `str()` draws it."""

    root: Frame | None
    note: str = ""

    def __str__(self) -> str:
        lines = render(self.root) if self.root else []
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def frames(self) -> list[Frame]:
        return self.root.walk() if self.root else []


class TraceDecoder:
    def __init__(
        self,
        artifacts: list[dict[str, Any]],
        build_dir: Path,
        errors: ErrorRegistry,
        events: EventRegistry,
    ) -> None:
        self.index = CodeIndex(artifacts, build_dir)
        self.errors, self.events = errors, events
        self._functions: dict[bytes, dict[str, Any]] = {}
        for art in artifacts:
            for item in art.get("abi", []):
                if item.get("type") == "function":
                    self._functions.setdefault(selector(item), item)

    # -- decoding ------------------------------------------------------------------------------
    def decode(
        self, raw: dict[str, Any], code_of: Callable[[str], bytes] | None = None
    ) -> CallTrace:
        return CallTrace(self._frame(raw, code_of or (lambda _a: b"")))

    def _frame(self, raw: dict[str, Any], code_of: Callable[[str], bytes]) -> Frame:
        kind = str(raw.get("type", "CALL")).upper()
        data = _hex(raw.get("input"))
        output = _hex(raw.get("output"))
        address = to_checksum_address(raw["to"]) if raw.get("to") else None
        code = self._code(raw, kind, data, code_of)
        contract = code.name if code else None
        abi = code.artifact.get("abi", []) if code else []
        ok = not raw.get("error")
        function, args, result = self._describe_call(kind, data, output, abi, ok, raw)
        frame = Frame(
            kind=kind,
            address=address,
            contract=contract,
            function=function,
            args=args,
            value=int(str(raw.get("value") or "0x0"), 16) if raw.get("value") else 0,
            gas_used=int(str(raw.get("gasUsed") or "0x0"), 16),
            ok=ok,
            result=result,
        )
        for lg in raw.get("logs") or []:
            frame.events.append(self._event(lg))
        if not ok and code is not None and raw.get("pc") is not None:
            frame.where = revert_location(code, int(raw["pc"]), raw.get("recentPcs") or [])
        frame.calls = [self._frame(c, code_of) for c in raw.get("calls") or []]
        return frame

    def _code(
        self, raw: dict[str, Any], kind: str, data: bytes, code_of: Callable[[str], bytes]
    ) -> Code | None:
        if "code" in raw and "codeKind" in raw:  # the tester's hook says what ran
            return self.index.match(raw["codeKind"], bytes(raw["code"]))
        if kind.startswith("CREATE"):
            return self.index.match("create", data)
        target = raw.get("codeAddress") or raw.get("to")
        if not target:
            return None
        try:
            runtime = code_of(to_checksum_address(target))
        except Exception:
            return None
        return self.index.match("call", runtime) if runtime else None

    def _describe_call(
        self,
        kind: str,
        data: bytes,
        output: bytes,
        abi: list[dict[str, Any]],
        ok: bool,
        raw: dict[str, Any],
    ) -> tuple[str, str, str]:
        if kind.startswith("CREATE"):
            function, args, item = "constructor", "", None
        elif len(data) < 4:
            function, args, item = ("receive" if not data else "fallback"), "", None
        else:
            item = next((i for i in abi if i.get("type") == "function" and selector(i) == data[:4]),
                        None) or self._functions.get(data[:4])  # fmt: skip
            if item is None:
                function, args = f"0x{data[:4].hex()}", f"0x{data[4:].hex()}" if data[4:] else ""
            else:
                function = item["name"]
                args = _decoded_args(item.get("inputs", []), data[4:])
        if not ok:
            return function, args, "[Revert] " + self.revert_text(output, raw)
        if item is not None and item.get("outputs"):
            try:
                return function, args, "[Return] " + _show(decode_output(item, output))
            except Exception:
                pass
        if kind.startswith("CREATE"):
            return function, args, f"[Return] {len(output)} bytes of code"
        return function, args, ("[Return] 0x" + output.hex()) if output else "[Stop]"

    def revert_text(self, output: bytes, raw: dict[str, Any] | None = None) -> str:
        exc = self.errors.explain(Reverted(output))
        if exc.error == "Revert" and raw and raw.get("error") not in (None, "execution reverted"):
            return str(raw["error"])  # out of gas, invalid opcode, ...
        if exc.error in ("Error", "Panic") or exc.error == "Revert":
            return exc.detail.removeprefix("reverted with ")
        return exc.detail.removeprefix("reverted with ")

    def _event(self, lg: dict[str, Any]) -> str:
        log = Log(str(lg.get("address")), tuple(_hex(t) for t in lg.get("topics") or []),
                  _hex(lg.get("data")))  # fmt: skip
        try:
            ev = self.events.decode(log)
        except Exception:
            ev = None
        if ev is None:
            first = log.topics[0].hex()[:8] if log.topics else "anonymous"
            return f"emit <unknown 0x{first}…> from {log.address}"
        shown = ", ".join(f"{k}: {_show(v)}" for k, v in ev.args.items())
        return f"emit {ev.event}({shown})"


def revert_location(code: Code, pc: int, recent: list[int]) -> str:
    """`path:line: text` for a failure at `pc`; a failure inside code solc generated (a Panic
    helper, ABI decoding) is placed at the last jump made from the project's own source, and
    so is a REVERT the optimizer shares between functions."""
    found = []
    for candidate in [pc, *reversed(recent)]:
        loc = code.location(candidate)
        if loc is None:
            continue
        src, start, length, _jump = loc
        line = src.line_of(start)
        if src.line_of(start + max(length - 1, 0)) - line > 3:
            continue  # a whole function or contract: solc's own code, not a statement
        found.append((candidate == pc, src, start, line))
        if len(found) == 2:
            break
    if not found:
        return ""
    at_pc, src, start, line = found[0]
    if at_pc and len(found) > 1:
        _, src2, start2, line2 = found[1]
        if src2 is not src or src.function_at(start) != src2.function_at(start2):
            src, line = src2, line2
    return f"{src.path}:{line}: {src.line_text(line).strip()}"


def render(frame: Frame, prefix: str = "", last: bool = True, top: bool = True) -> list[str]:
    label = f"{frame.contract or frame.address or '?'}::{frame.function}({frame.args})"
    extra = "" if frame.kind in ("CALL", "CREATE") else f" [{frame.kind.lower()}]"
    value = f" {{value: {frame.value}}}" if frame.value else ""
    head = f"[{frame.gas_used}] {label}{value}{extra}"
    lines = [head if top else prefix + ("└─ " if last else "├─ ") + head]
    inner = "" if top else prefix + ("    " if last else "│   ")
    for ev in frame.events:
        lines.append(inner + "├─ " + ev)
    for call in frame.calls:
        lines += render(call, inner, last=False, top=False)
    end = "← " + frame.result
    if frame.where:
        end += f"   at {frame.where}"
    lines.append(inner + "└─ " + end)
    return lines


def _decoded_args(inputs: list[dict[str, Any]], data: bytes) -> str:
    if not inputs:
        return ""
    try:
        values = decode_values(inputs, data)
    except Exception:
        return f"<undecodable 0x{data.hex()}>"
    return ", ".join(
        f"{p.get('name') or f'arg{i}'}: {_show(v)}"
        for i, (p, v) in enumerate(zip(inputs, values, strict=True))
    )


def _show(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, str):
        return value if value.startswith("0x") else repr(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _hex(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    text = str(value)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)
