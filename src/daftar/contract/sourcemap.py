"""solc source maps, and which artifact a piece of running code is.

A source map (`sourceMap` for creation code, `deployedSourceMap` for runtime code) has one
entry per instruction, `s:l:f:j:m` separated by `;`, where an empty field repeats the
previous entry's: byte offset and length in source file `f` (solc's source id; -1, or an
id past the project's sources, for code solc generated itself), jump kind (`i` into a
function, `o` out of one, `-` plain) and modifier depth. Instructions are counted, not
bytes: PUSH1..PUSH32 carry 1..32 immediate bytes, so a program counter maps to an
instruction index through the bytecode.

Each build keeps `sources.json` (every source unit's solc id and AST) beside its
artifacts in `build/.daftar-builds/<inputHash>/`.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

Entry = tuple[int, int, int, str]  # start, length, source id, jump


def parse_source_map(text: str) -> list[Entry]:
    out: list[Entry] = []
    start, length, file, jump = 0, 0, -1, "-"
    for item in text.split(";") if text else []:
        fields = item.split(":")
        if len(fields) > 0 and fields[0] != "":
            start = int(fields[0])
        if len(fields) > 1 and fields[1] != "":
            length = int(fields[1])
        if len(fields) > 2 and fields[2] != "":
            file = int(fields[2])
        if len(fields) > 3 and fields[3] != "":
            jump = fields[3]
        out.append((start, length, file, jump))
    return out


def instruction_offsets(code: bytes, count: int | None = None) -> list[int]:
    """The program counter of each instruction (stopping after `count` of them)."""
    pcs: list[int] = []
    pc, end = 0, len(code)
    while pc < end and (count is None or len(pcs) < count):
        pcs.append(pc)
        op = code[pc]
        pc += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)
    return pcs


def walk(node: Any) -> Any:
    """Every AST node (a dict with `nodeType`) under `node`, depth first, parents first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "nodeType" in item:
                yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def opcode_at(code: bytes, pc: int) -> int:
    return code[pc] if pc < len(code) else 0


class Source:
    """One source file as the compiler saw it: text, line starts, solc id, AST."""

    def __init__(self, path: str, text: str, source_id: int, ast: dict[str, Any] | None) -> None:
        self.path, self.text, self.id, self.ast = path, text, source_id, ast
        self.data = text.encode()
        self._starts = [0] + [i + 1 for i, b in enumerate(self.data) if b == 0x0A]

    def line_of(self, offset: int) -> int:
        """1-based line of a byte offset."""
        return bisect.bisect_right(self._starts, offset)

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    @cached_property
    def functions(self) -> list[tuple[int, int, str]]:
        """(start, end, name) of every function and modifier, in source order."""
        found: list[tuple[int, int, str]] = []
        for node in walk(self.ast or {}):
            if node.get("nodeType") in ("FunctionDefinition", "ModifierDefinition"):
                start, length, _ = (int(x) for x in node["src"].split(":"))
                found.append((start, start + length, node.get("name") or node.get("kind", "")))
        return sorted(found)

    def function_at(self, offset: int) -> tuple[int, int, str] | None:
        inside = [f for f in self.functions if f[0] <= offset < f[1]]
        return min(inside, key=lambda f: f[1] - f[0]) if inside else None

    @property
    def line_count(self) -> int:
        return len(self.text.splitlines())


@dataclass
class Code:
    """One artifact's creation or runtime code with its source map."""

    artifact: dict[str, Any]
    kind: str  # "create" or "call"
    code: bytes
    entries: list[Entry]
    sources: dict[int, Source]

    @cached_property
    def pc_index(self) -> dict[int, int]:
        return {pc: i for i, pc in enumerate(instruction_offsets(self.code, len(self.entries)))}

    def location(self, pc: int) -> tuple[Source, int, int, str] | None:
        """(source, start, length, jump) of the instruction at `pc`, if it maps to a file."""
        i = self.pc_index.get(pc)
        if i is None:
            return None
        start, length, file, jump = self.entries[i]
        src = self.sources.get(file)
        return (src, start, length, jump) if src is not None else None

    @property
    def name(self) -> str:
        return str(self.artifact["contractName"])


class BuildSources:
    """Sources of the builds behind a set of artifacts, by build and solc id."""

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self._by_build: dict[str, dict[int, Source]] = {}

    def of(self, artifact: dict[str, Any]) -> dict[int, Source]:
        key = str(artifact.get("inputHash", ""))
        if key in self._by_build:
            return self._by_build[key]
        found: dict[int, Source] = {}
        texts = artifact.get("input", {}).get("sources", {})
        try:
            units = json.loads(
                (self.build_dir / ".daftar-builds" / key / "sources.json").read_text()
            )
        except (OSError, ValueError):
            units = {}
        for path, unit in units.items():
            if unit.get("id") is None:
                continue
            text = texts.get(path, {}).get("content", "")
            found[int(unit["id"])] = Source(path, text, int(unit["id"]), unit.get("ast"))
        self._by_build[key] = found
        return found


class CodeIndex:
    """Which artifact a running code blob is: runtime code equal to an artifact's (immutable
    slots ignored), or creation code beginning with an artifact's bytecode."""

    def __init__(self, artifacts: list[dict[str, Any]], build_dir: Path) -> None:
        self.sources = BuildSources(build_dir)
        self.artifacts = [a for a in artifacts if a.get("deployedBytecode")]
        self._cache: dict[tuple[str, bytes], Code | None] = {}

    def match(self, kind: str, code: bytes) -> Code | None:
        key = (kind, code)
        if key not in self._cache:
            self._cache[key] = self._find(kind, code)
        return self._cache[key]

    def _find(self, kind: str, code: bytes) -> Code | None:
        for art in self.artifacts:
            if kind == "create":
                init = bytes.fromhex(art.get("bytecode", ""))
                if init and code.startswith(init):
                    return Code(art, kind, code, parse_source_map(art.get("sourceMap", "")),
                                self.sources.of(art))  # fmt: skip
            else:
                runtime = bytes.fromhex(art["deployedBytecode"])
                if len(runtime) == len(code) and _masked(code, art) == _masked(runtime, art):
                    return Code(art, kind, code, parse_source_map(art.get("deployedSourceMap", "")),
                                self.sources.of(art))  # fmt: skip
        return None


def _masked(code: bytes, art: dict[str, Any]) -> bytes:
    refs = art.get("immutableReferences") or {}
    if not refs:
        return code
    out = bytearray(code)
    for places in refs.values():
        for ref in places:
            start, length = int(ref["start"]), int(ref["length"])
            out[start : start + length] = bytes(length)
    return bytes(out)
