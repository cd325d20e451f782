"""Mutants of Solidity source text: small, syntactically local changes, one per mutant.

Operators (names as reported):

- `relational`  `<` `<=` `>` `>=` `==` `!=` swapped (`>=` → `>` is the window-boundary case)
- `arithmetic`  binary `+` ↔ `-`, `*` ↔ `/`, `%` → `*`, `++` ↔ `--`
- `assignment`  `+=` ↔ `-=`, `+=`/`-=` → `=`, `*=` ↔ `/=`
- `logical`     `&&` ↔ `||`, `!x` → `x`
- `negate`      the condition of `if`, `while`, `require` and ternaries negated
- `delete`      a `require(...)`, `revert ...` or `emit ...` statement replaced by `{}`
- `constant`    integer literals ± 1, `true` ↔ `false`
- `enum`        `E.Member` → the previous and the next member of enum `E`

The text is scanned with comments and string literals masked (same length, so positions
hold), and `pragma`/`import` directives are never touched. A mutant is identified by a
`key` that does not change when unrelated lines move: file, the original line's text, the
column and the replacement.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

OPERATORS = (
    "relational", "arithmetic", "assignment", "logical", "negate", "delete", "constant", "enum",
)  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    file: str  # source unit, e.g. contracts/Token.sol
    operator: str
    start: int  # character offsets in the original text
    end: int
    original: str
    replacement: str
    line: int  # 1-based
    column: int  # 1-based
    line_text: str

    @property
    def key(self) -> str:
        """Stable across edits elsewhere in the file (no line number in it)."""
        blob = (
            f"{self.file}|{self.line_text.strip()}|{self.column}|{self.original}|{self.replacement}"
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    @property
    def label(self) -> str:
        return f"{self.file}:{self.line}:{self.column} {self.operator}: {self.describe()}"

    def describe(self) -> str:
        a, b = _short(self.original), _short(self.replacement)
        return f"`{a}` → `{b}`"

    def apply(self, text: str) -> str:
        assert text[self.start : self.end] == self.original, "source changed since generation"
        return text[: self.start] + self.replacement + text[self.end :]

    def diff(self, text: str, context: int = 1) -> str:
        """A unified-style diff of the mutated lines, with `context` lines around."""
        import difflib

        before = text.splitlines(keepends=True)
        after = self.apply(text).splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{self.file}", f"b/{self.file}", n=context)
        return "".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "operator": self.operator,
            "original": self.original,
            "replacement": self.replacement,
        }


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------------------------- masking


_MASK = re.compile(
    r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|"
    r"^[ \t]*(?:pragma|import)\b[^;]*;",
    re.S | re.M,
)


def mask(text: str) -> str:
    """Comments, strings and pragma/import directives blanked out, newlines kept."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return _MASK.sub(blank, text)


# ---------------------------------------------------------------------------------- scanning

_TOKEN = re.compile(
    r">>=|<<=|\*\*=|\*\*|==|!=|<=|>=|&&|\|\||\+\+|--|\+=|-=|\*=|/=|%=|=>|<<|>>|->"
    r"|[<>+\-*/%=!?:;,(){}\[\]]"
    r"|0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE]\d+)?|[A-Za-z_$][\w$]*"
)
_RELATIONAL = {
    "<": ("<=", ">="),
    "<=": ("<", ">"),
    ">": (">=", "<="),
    ">=": (">", "<"),
    "==": ("!=",),
    "!=": ("==",),
}
_ARITH = {"+": ("-",), "-": ("+",), "*": ("/",), "/": ("*",), "%": ("*",)}
_INCDEC = {"++": "--", "--": "++"}
_ASSIGN = {"+=": ("-=", "="), "-=": ("+=", "="), "*=": ("/=",), "/=": ("*=",)}
_LOGICAL = {"&&": ("||",), "||": ("&&",)}
# After these tokens a `-`/`+`/`!` is unary (or a literal's sign), not a binary operator.
_OPERAND_END = re.compile(r"[\w$)\]]")
_ENUM = re.compile(r"\benum\s+([A-Za-z_]\w*)\s*\{([^}]*)\}")


def enums_in(masked_texts: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for text in masked_texts:
        for m in _ENUM.finditer(text):
            members = [p.strip() for p in m.group(2).split(",") if p.strip()]
            found[m.group(1)] = members
    return found


def generate(
    file: str,
    text: str,
    operators: tuple[str, ...] = OPERATORS,
    enums: dict[str, list[str]] | None = None,
) -> list[Mutant]:
    """Every mutant of one source file, in source order."""
    masked = mask(text)
    enums = enums if enums is not None else enums_in([masked])
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(masked)]
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    out: list[tuple[str, int, int, str]] = []  # operator, start, end, replacement

    def add(op: str, start: int, end: int, replacement: str) -> None:
        if op in operators:
            out.append((op, start, end, replacement))

    body = _in_bodies(tokens)
    for i, (tok, start, end) in enumerate(tokens):
        if not body[i]:
            continue
        prev = tokens[i - 1][0] if i else ""
        binary = bool(prev) and bool(_OPERAND_END.fullmatch(prev[-1])) and prev not in _KEYWORDS
        if tok in _RELATIONAL:
            for r in _RELATIONAL[tok]:
                add("relational", start, end, r)
        elif tok in _ARITH and binary:
            for r in _ARITH[tok]:
                add("arithmetic", start, end, r)
        elif tok in _INCDEC:
            add("arithmetic", start, end, _INCDEC[tok])
        elif tok in _ASSIGN:
            for r in _ASSIGN[tok]:
                add("assignment", start, end, r)
        elif tok in _LOGICAL:
            for r in _LOGICAL[tok]:
                add("logical", start, end, r)
        elif tok == "!":
            add("logical", start, end, "")
        elif tok in ("if", "while", "require") and i + 1 < len(tokens) and tokens[i + 1][0] == "(":
            close = _matching(tokens, i + 1)
            if close is None:
                continue
            if tok == "require":
                stop = _top_level_comma(tokens, i + 1, close)
                cond_end = tokens[stop][1] if stop is not None else tokens[close][1]
            else:
                cond_end = tokens[close][1]
            cond_start = tokens[i + 1][2]
            cond = text[cond_start:cond_end]
            add("negate", cond_start, cond_end, f"!({cond.strip()})")
            if tok == "require":
                semi = close + 1
                if semi < len(tokens) and tokens[semi][0] == ";":
                    add("delete", start, tokens[semi][2], "{}")
        elif tok in ("revert", "emit"):
            semi = _next(tokens, i, ";")
            if semi is not None and (
                tok == "emit" or tokens[i + 1][0] != "(" or _is_statement_start(tokens, i)
            ):
                add("delete", start, tokens[semi][2], "{}")
        elif tok in ("true", "false"):
            add("constant", start, end, "false" if tok == "true" else "true")
        elif tok[0].isdigit() and not tok.lower().startswith("0x") and "." not in tok:
            if (
                prev in ("[",)
                and i + 1 < len(tokens)
                and tokens[i + 1][0] == "]"
                and _is_type_ctx(tokens, i)
            ):
                continue  # fixed array length in a type
            try:
                value = int(tok.replace("_", ""))
            except ValueError:
                continue
            for v in (value + 1, value - 1) if value > 0 else (1,):
                add("constant", start, end, str(v))
    # Enum members: `Name.Member` (the `.` is not a token above, so match on the text).
    if "enum" in operators:
        for name, members in enums.items():
            for m in re.finditer(rf"\b{re.escape(name)}\s*\.\s*([A-Za-z_]\w*)\b", masked):
                member = m.group(1)
                if member not in members or not _inside(body, tokens, m.start()):
                    continue
                k = members.index(member)
                others = {members[(k - 1) % len(members)], members[(k + 1) % len(members)]}
                for other in sorted(others - {member}):
                    add("enum", m.start(1), m.end(1), other)

    mutants = []
    seen: set[tuple[int, int, str]] = set()
    for op, start, end, replacement in sorted(out, key=lambda o: (o[1], o[2], o[3])):
        if (start, end, replacement) in seen or text[start:end] == replacement:
            continue
        seen.add((start, end, replacement))
        line = _line_of(line_starts, start)
        ls = line_starts[line - 1]
        le = text.find("\n", ls)
        mutants.append(
            Mutant(
                file=file,
                operator=op,
                start=start,
                end=end,
                original=text[start:end],
                replacement=replacement,
                line=line,
                column=start - ls + 1,
                line_text=text[ls : le if le >= 0 else len(text)],
            )
        )
    return mutants


_KEYWORDS = {"return", "returns", "if", "while", "emit", "revert", "require", "else", "case"}


def _line_of(line_starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(line_starts, offset)


def _matching(tokens: list[tuple[str, int, int]], open_index: int) -> int | None:
    pairs = {"(": ")", "[": "]", "{": "}"}
    want = pairs[tokens[open_index][0]]
    depth = 0
    for j in range(open_index, len(tokens)):
        t = tokens[j][0]
        if t == tokens[open_index][0]:
            depth += 1
        elif t == want:
            depth -= 1
            if depth == 0:
                return j
    return None


def _top_level_comma(tokens: list[tuple[str, int, int]], open_index: int, close: int) -> int | None:
    depth = 0
    for j in range(open_index + 1, close):
        t = tokens[j][0]
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        elif t == "," and depth == 0:
            return j
    return None


def _next(tokens: list[tuple[str, int, int]], i: int, what: str) -> int | None:
    for j in range(i, len(tokens)):
        if tokens[j][0] == what:
            return j
        if tokens[j][0] in ("{", "}"):
            return None
    return None


def _is_statement_start(tokens: list[tuple[str, int, int]], i: int) -> bool:
    return i == 0 or tokens[i - 1][0] in (";", "{", "}", ")", "else")


def _is_type_ctx(tokens: list[tuple[str, int, int]], i: int) -> bool:
    before = tokens[i - 2][0] if i >= 2 else ""
    return bool(re.fullmatch(r"u?int\d*|bytes\d*|address|bool|string|[A-Z]\w*", before))


def _in_bodies(tokens: list[tuple[str, int, int]]) -> list[bool]:
    """Per token: inside a function/modifier/constructor body, or a constant's initialiser."""
    flags = [False] * len(tokens)
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i][0]
        if t in ("function", "modifier", "constructor", "receive", "fallback"):
            j = i
            while j < n and tokens[j][0] not in ("{", ";"):
                j += 1
            if j < n and tokens[j][0] == "{":
                close = _matching(tokens, j)
                if close is None:
                    break
                for k in range(j + 1, close):
                    flags[k] = True
                i = close + 1
                continue
            i = j + 1
            continue
        if t == "constant":
            j = i
            while j < n and tokens[j][0] != "=" and tokens[j][0] != ";":
                j += 1
            k = j + 1
            while k < n and tokens[k][0] != ";":
                flags[k] = True
                k += 1
            i = k + 1
            continue
        i += 1
    return flags


def _inside(flags: list[bool], tokens: list[tuple[str, int, int]], offset: int) -> bool:
    import bisect

    starts = [t[1] for t in tokens]
    k = bisect.bisect_right(starts, offset) - 1
    return 0 <= k < len(flags) and flags[k]
