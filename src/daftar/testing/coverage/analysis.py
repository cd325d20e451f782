"""What can be covered, from solc's source maps and AST.

- A *statement* (expression, variable declaration, return, emit, revert, if, loop, ...) in
  a function or modifier body is executable when at least one instruction of some
  artifact's creation or runtime code maps into it (the innermost statement containing the
  instruction's source range); it is *hit* when one of those instructions ran. Its line is
  the line it starts on.
- A *branch* is a condition in the source: `if`, `while`, `for`, `do`, the ternary `?:`,
  `require(...)`, `assert(...)`, and each `&&` / `||` (short-circuit). solc maps the JUMPI
  that decides it to exactly that node's source range; a branch is counted when such a
  JUMPI exists, with two outcomes (jumped, fell through), each covered when seen.
- Everything else is solc's own: the dispatcher, ABI decoding, call-value and overflow
  checks map to the contract or function as a whole, or to generated sources (an id past
  the project's files), and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from daftar.contract.sourcemap import Code, Source, opcode_at, walk

STATEMENTS = {
    "ExpressionStatement",
    "VariableDeclarationStatement",
    "Return",
    "EmitStatement",
    "RevertStatement",
    "IfStatement",
    "ForStatement",
    "WhileStatement",
    "DoWhileStatement",
    "Break",
    "Continue",
    "PlaceholderStatement",
    "InlineAssembly",
    "TryStatement",
    "Throw",
}
_JUMPI = 0x57


@dataclass
class Statement:
    id: int
    start: int
    end: int
    line: int
    contract: str
    function: str


@dataclass
class Branch:
    id: int
    start: int
    length: int
    line: int
    kind: str  # if, while, for, do, ternary, require, assert, &&, ||
    contract: str
    function: str


@dataclass
class FileModel:
    """One source file's statements and branches (by AST id)."""

    source: Source
    statements: dict[int, Statement] = field(default_factory=dict)
    branches: dict[tuple[int, int], Branch] = field(default_factory=dict)  # (start, length)
    _sorted: list[Statement] = field(default_factory=list)

    @classmethod
    def of(cls, source: Source) -> FileModel:
        model = cls(source)
        for contract in walk(source.ast or {}):
            if contract.get("nodeType") != "ContractDefinition":
                continue
            for fn in walk(contract):
                if fn.get("nodeType") not in ("FunctionDefinition", "ModifierDefinition"):
                    continue
                name = fn.get("name") or fn.get("kind") or "?"
                if fn.get("nodeType") == "ModifierDefinition":
                    name = f"modifier {name}"
                model._add(fn, str(contract.get("name")), name)
        model._sorted = sorted(model.statements.values(), key=lambda s: (s.start, -s.end))
        return model

    def _add(self, fn: dict[str, Any], contract: str, function: str) -> None:
        src = self.source
        for node in walk(fn.get("body") or {}):
            typ = node.get("nodeType")
            start, length, _f = (int(x) for x in node["src"].split(":"))
            if typ in STATEMENTS:
                self.statements[node["id"]] = Statement(
                    node["id"], start, start + length, src.line_of(start), contract, function
                )
            kind = _branch_kind(node)
            if kind:
                self.branches[(start, length)] = Branch(
                    node["id"], start, length, src.line_of(start), kind, contract, function
                )

    def innermost(self, start: int, length: int) -> Statement | None:
        best = None
        end = start + length
        for st in self._sorted:
            if st.start > start:
                break
            if st.end >= end and (best is None or st.end - st.start <= best.end - best.start):
                best = st
        return best


def _branch_kind(node: dict[str, Any]) -> str | None:
    typ = node.get("nodeType")
    if typ == "IfStatement":
        return "if"
    if typ == "WhileStatement":
        return "while"
    if typ == "DoWhileStatement":
        return "do"
    if typ == "ForStatement":
        return "for" if node.get("condition") else None
    if typ == "Conditional":
        return "ternary"
    if typ == "BinaryOperation" and node.get("operator") in ("&&", "||"):
        return str(node["operator"])
    if typ == "FunctionCall":
        callee = node.get("expression") or {}
        if callee.get("nodeType") == "Identifier" and callee.get("name") in ("require", "assert"):
            return str(callee["name"])
    return None


@dataclass
class CodeMap:
    """One code blob's program counters → statements and branches of files."""

    statements: dict[int, tuple[str, int]]  # pc -> (path, statement id)
    branches: dict[int, tuple[str, tuple[int, int]]]  # JUMPI pc -> (path, branch key)


class Model:
    """Every file model, built once per source; code maps built once per code blob."""

    def __init__(self) -> None:
        self.files: dict[str, FileModel] = {}
        self.executable: dict[str, set[int]] = {}  # path -> statement ids with code
        self.decided: dict[str, set[tuple[int, int]]] = {}  # path -> branches with a JUMPI
        self._maps: dict[tuple[str, bytes], CodeMap] = {}

    def file(self, source: Source) -> FileModel:
        if source.path not in self.files:
            self.files[source.path] = FileModel.of(source)
            self.executable[source.path] = set()
            self.decided[source.path] = set()
        return self.files[source.path]

    def code_map(self, code: Code) -> CodeMap:
        key = (code.kind, code.code)
        if key in self._maps:
            return self._maps[key]
        stmts: dict[int, tuple[str, int]] = {}
        branches: dict[int, tuple[str, tuple[int, int]]] = {}
        cache: dict[tuple[int, int, int], Statement | None] = {}
        for pc, i in code.pc_index.items():
            start, length, file, _jump = code.entries[i]
            source = code.sources.get(file)
            if source is None or source.ast is None:
                continue
            model = self.file(source)
            if opcode_at(code.code, pc) == _JUMPI and (start, length) in model.branches:
                branches[pc] = (source.path, (start, length))
                self.decided[source.path].add((start, length))
            ck = (start, length, file)
            if ck not in cache:
                cache[ck] = model.innermost(start, length)
            st = cache[ck]
            if st is not None:
                stmts[pc] = (source.path, st.id)
                self.executable[source.path].add(st.id)
        self._maps[key] = CodeMap(stmts, branches)
        return self._maps[key]
