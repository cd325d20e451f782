"""`// dev: ...` revert comments, found without a trace.

Brownie maps the program counter of a revert to a source line through the source map and
reads the `// dev:` comment on that line. daftar's embedded chain (pyrevm) reports no
program counter, so this module matches by source instead: it gathers the body of the
function that was called (plus the modifiers on it and every function or library function
it calls, transitively), keeps the lines carrying a `// dev:` comment, and narrows them by
what the revert says — a require string must appear on the line, a bare `require(...)` /
`revert()` has no string, a custom error's name must appear on the line. One line left:
that is `dev_revert_msg`. Several left: `reverts("dev: ...")` accepts any of them (a
documented limit; see docs/brownie.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_DEV = re.compile(r"//\s*dev:\s*(.+?)\s*$")
_CUSTOM = re.compile(r"\brevert\s+[A-Za-z_][A-Za-z0-9_]*\s*\(")
_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_KEYWORDS = {
    "require", "revert", "assert", "if", "for", "while", "return", "emit", "function",
    "modifier", "mapping", "keccak256", "abi", "address", "uint256", "payable", "new",
}  # fmt: skip


def _strip_comments(line: str) -> str:
    return line.split("//", 1)[0]


@lru_cache(maxsize=64)
def _definitions(sources: tuple[tuple[str, str], ...]) -> dict[str, list[tuple[int, list[str]]]]:
    """name → [(kind, body lines)] for every function, modifier and constructor."""
    found: dict[str, list[tuple[int, list[str]]]] = {}
    head = re.compile(r"\b(function|modifier)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(|\bconstructor\s*\(")
    for _path, text in sources:
        for m in head.finditer(text):
            name = m.group(2) or "constructor"
            brace = text.find("{", m.end())
            semi = text.find(";", m.end())
            if brace < 0 or (0 <= semi < brace):
                continue  # a declaration without a body (interface, abstract)
            depth, i = 0, brace
            while i < len(text):
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            header = text[m.start() : brace]
            found.setdefault(name, []).append((0, [header, *text[brace : i + 1].splitlines()]))
    return found


def _sources(ctype: Any) -> tuple[tuple[str, str], ...]:
    sources = (ctype.artifact.get("input") or {}).get("sources") or {}
    return tuple(sorted((p, s.get("content", "")) for p, s in sources.items()))


def _gather(defs: dict[str, Any], start: str) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        for _kind, body in defs[name]:
            lines.extend(body)
            for line in body:
                for called in _CALL.findall(_strip_comments(line)):
                    if called not in _KEYWORDS and called not in seen:
                        todo.append(called)
            # modifiers named in the header
            for word in re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)\b", body[0]):
                if word not in seen:
                    todo.append(word)
    return lines


def candidates(ctype: Any, fn: str | None, exc: Any) -> list[str]:
    """The `dev: ...` messages that can explain this revert of `ctype.fn`."""
    try:
        defs = _definitions(_sources(ctype))
    except Exception:
        return []
    lines = _gather(defs, fn or "constructor")
    message = exc.args_by_name.get("message") if exc.error == "Error" else None
    out: list[str] = []
    for line in lines:
        m = _DEV.search(line)
        if not m:
            continue
        code = _strip_comments(line)
        if message is not None:
            if f'"{message}"' not in code and f"'{message}'" not in code:
                continue
        elif exc.error == "Panic":
            if re.search(r"\b(require|revert)\b", code):
                continue
        elif exc.error and exc.error not in ("Revert", "Unknown"):
            if exc.error not in code:
                continue
        elif '"' in code or "'" in code or _CUSTOM.search(code):
            continue  # a bare revert carries no string and no custom error
        msg = "dev: " + m.group(1)
        if msg not in out:
            out.append(msg)
    return out
