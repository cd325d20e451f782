"""daftar.util.imports.after_import: the callback runs once, right after the module's code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from daftar.util.imports import _AfterImport, after_import


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh package `probe_pkg_e11` whose __init__ imports a submodule of its own."""
    root = tmp_path / "probe_pkg_e11"
    root.mkdir()
    (root / "__init__.py").write_text("from probe_pkg_e11 import sub\nVALUE = sub.X + 1\n")
    (root / "sub.py").write_text("X = 41\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "probe_pkg_e11"
    for name in [n for n in sys.modules if n.startswith("probe_pkg_e11")]:
        del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _AfterImport)]


def test_callback_runs_after_the_module_code_and_once(package):
    seen = []
    after_import(package, lambda: seen.append(sys.modules[package].VALUE))
    after_import(package, lambda: seen.append("second"))
    assert seen == []  # not imported yet, nor by after_import
    assert package not in sys.modules
    import probe_pkg_e11

    assert seen == [42, "second"]  # after the whole __init__ ran (its submodule too)
    assert probe_pkg_e11.__spec__.origin.endswith("__init__.py")
    assert not any(getattr(f, "name", None) == package for f in sys.meta_path)
    del sys.modules[package]
    import probe_pkg_e11  # a re-import: the hook is gone

    assert seen == [42, "second"]


def test_an_imported_module_calls_back_at_once(package):
    __import__(package)
    seen = []
    after_import(package, lambda: seen.append(1))
    assert seen == [1]
