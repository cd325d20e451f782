"""The source's shape: the framework knows nothing of the application, and imports point down.

Every import counts, module-level or inside a function (a lazy import is still a
dependency). Layers of `daftar`, bottom first:

    errors < util < keys < config_schema, config < chain, compiler < contract < project < deploy, compat
           < explorer, testing < cli

A module may import its own package and any lower layer; `daftar_registry` may import
anything of `daftar`; nothing in `daftar` may import `daftar_registry`; no cycle anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
LAYERS = {
    "errors": 0,
    "util": 1,
    "keys": 2,
    "config_schema": 3,
    "config": 3,
    "chain": 4,
    "compiler": 4,
    "contract": 5,
    "project": 6,
    "deploy": 7,
    "compat": 7,
    "explorer": 8,
    "testing": 8,
    "cli": 9,
    "__main__": 10,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Modules of src/ that `path` imports; `from pkg import mod` counts as pkg.mod."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            out.update(s for s in subs if s in MODULES)
            if any(s not in MODULES for s in subs) and node.module in MODULES:
                out.add(node.module)
    return out


EDGES = {m: _imports(p) - {m} for m, p in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in EDGES[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(EDGES):
        if v not in index:
            visit(v)
    return found


def test_the_analysis_sees_real_imports():
    """Guard against a vacuous pass: known edges must be found."""
    assert "daftar.chain.base" in EDGES["daftar.chain.revm"]
    assert "daftar.deploy.plan" in EDGES["daftar_registry.plan"]
    assert any(m.startswith("daftar_registry.") for m in MODULES)


def test_no_import_cycles():
    assert _cycles() == []


def test_framework_imports_nothing_of_the_application():
    offenders = [
        f"{m} imports {o}"
        for m, outs in EDGES.items()
        if m.split(".")[0] == "daftar"
        for o in outs
        if o.split(".")[0] == "daftar_registry"
    ]
    assert offenders == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("daftar.")))
def test_imports_point_down(module: str):
    layer = module.split(".")[1]
    assert layer in LAYERS, f"{module}: place its layer in LAYERS (and the docstring)"
    upward = [
        o
        for o in EDGES[module]
        if o.startswith("daftar.")
        and o.split(".")[1] != layer
        and LAYERS.get(o.split(".")[1], 99) > LAYERS[layer]
    ]
    assert upward == [], f"{module} reaches up to {upward}"
