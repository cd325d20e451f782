"""Collect a project's Solidity sources and everything they import.

Daftar resolves imports itself (remappings applied exactly as solc applies them) so the
standard-JSON input holds every source's content: the input is then self-contained (what
explorers' verification needs) and its hash is a complete cache key. solc's import
callback in the shim remains as a safety net for anything this misses.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from daftar.errors import CompileError

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_IMPORT = re.compile(r"\bimport\s+(?:[^;\"']*?\bfrom\s+)?[\"']([^\"']+)[\"']")


def remap(unit: str, remappings: tuple[str, ...]) -> str:
    """Apply the longest matching `prefix=target` remapping, as solc does."""
    best: tuple[str, str] | None = None
    for entry in remappings:
        left, _, target = entry.partition("=")
        prefix = left.split(":", 1)[-1]
        if unit.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, target)
    return best[1] + unit[len(best[0]) :] if best else unit


def imports_of(content: str) -> list[str]:
    return _IMPORT.findall(_COMMENTS.sub("", content))


def resolve(importer: str, path: str, remappings: tuple[str, ...]) -> str:
    """The source unit name solc gives `import "path"` written in `importer`."""
    if path.startswith(("./", "../")):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(importer), path))
    return remap(path, remappings)


def project_sources(contracts_dir: Path, root: Path) -> list[str]:
    """Source unit names (paths relative to the project root) of the project's own files."""
    return sorted(p.relative_to(root).as_posix() for p in contracts_dir.rglob("*.sol"))


def collect(roots: list[str], base: Path, remappings: tuple[str, ...]) -> dict[str, str]:
    """Every source reachable from `roots`: unit name → content."""
    found: dict[str, str] = {}
    todo = [(unit, None) for unit in roots]
    while todo:
        unit, importer = todo.pop()
        if unit in found:
            continue
        file = (base / unit).resolve()
        try:
            content = file.read_text(encoding="utf-8")
        except OSError:
            where = f"imported by {importer}" if importer else "listed as a source"
            raise CompileError(
                f"{importer or unit}: cannot find '{unit}' ({where}). "
                "Check the import path, the remappings in brownie-config.yaml, "
                "and that npm ci has installed the package."
            ) from None
        found[unit] = content
        todo.extend((resolve(unit, imp, remappings), unit) for imp in imports_of(content))
    return dict(sorted(found.items()))


def dependencies(found: dict[str, str], remappings: tuple[str, ...]) -> dict[str, set[str]]:
    """For every collected unit, the units it imports directly or through others."""
    direct = {
        unit: {resolve(unit, imp, remappings) for imp in imports_of(text)} & found.keys()
        for unit, text in found.items()
    }
    closure: dict[str, set[str]] = {}
    for unit in found:
        seen: set[str] = set()
        todo = list(direct[unit])
        while todo:
            dep = todo.pop()
            if dep not in seen and dep != unit:
                seen.add(dep)
                todo.extend(direct[dep])
        closure[unit] = seen
    return closure
