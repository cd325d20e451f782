"""Packaging: pyproject.toml declares ranges for every package src/ imports, and
requirements.lock pins one version inside each range."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
FIRST_PARTY = {"daftar", "daftar_registry"}


def _requirements(*, extras: bool) -> list[Requirement]:
    reqs = [Requirement(r) for r in PROJECT["dependencies"]]
    if extras:
        for group in PROJECT.get("optional-dependencies", {}).values():
            reqs += [Requirement(r) for r in group]
    return reqs


def _third_party_imports() -> dict[str, str]:
    """Top-level module → the first file under src/ importing it (absolute imports only)."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "src").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_every_imported_package_is_declared():
    declared = {canonicalize_name(r.name) for r in _requirements(extras=False)}
    owners = packages_distributions()
    missing = []
    for module, where in sorted(_third_party_imports().items()):
        dists = {canonicalize_name(d) for d in owners.get(module, [])}
        if not dists & declared:
            missing.append(f"{module} (imported in {where}; installed as {sorted(dists) or '?'})")
    assert not missing, "imported but not in [project].dependencies: " + "; ".join(missing)


def test_dependencies_are_ranges_and_the_lock_pins_inside_them():
    lock: dict[str, str] = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            lock[canonicalize_name(name)] = version.strip()
    for req in _requirements(extras=True):
        assert not any(s.operator in ("==", "===") for s in req.specifier), f"{req}: a pin"
        assert any(s.operator == "<" for s in req.specifier), f"{req}: no upper bound"
        name = canonicalize_name(req.name)
        assert name in lock, f"{req.name} is declared but not pinned in requirements.lock"
        assert req.specifier.contains(lock[name], prereleases=True), (
            f"requirements.lock pins {req.name}=={lock[name]}, outside {req.specifier}"
        )


def test_license_is_an_spdx_expression_and_the_backend_is_pinned():
    assert PROJECT["license"] == "MIT"
    assert all((REPO / f).is_file() for f in PROJECT["license-files"])
    backend = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    assert all(any(s.operator == "<" for s in Requirement(r).specifier) for r in backend)
