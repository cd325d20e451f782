"""Run code right after a module is first imported, without importing it now.

`after_import("hypothesis", fn)` calls `fn()` at once if `hypothesis` is already imported;
otherwise a one-shot finder at the front of `sys.meta_path` lets the normal finders locate
the module, and calls `fn()` as soon as the module's code has run (before the importer
sees it). The module is the same object, from the same loader and file, as without the
hook. Used by the pytest plugin so that a run whose tests never use Hypothesis does not
pay for importing it, while every run that does gets daftar's profiles exactly as before.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Callable
from typing import Any


class _AfterImport(importlib.abc.MetaPathFinder):
    def __init__(self, name: str) -> None:
        self.name = name
        self.callbacks: list[Callable[[], None]] = []

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader, callbacks = spec.loader, self.callbacks
        original = loader.exec_module

        def exec_module(module: Any) -> None:
            # One loader may serve many modules (pytest's assertion rewriter does): only
            # this module's own execution ends with the callbacks.
            if getattr(module, "__name__", None) != fullname:
                original(module)
                return
            try:
                original(module)
            finally:
                del loader.exec_module  # back to the loader's own method
            for callback in callbacks:
                callback()

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def after_import(name: str, callback: Callable[[], None]) -> None:
    """Call `callback()` now if module `name` is imported, else right after its import."""
    if name in sys.modules:
        callback()
        return
    for finder in sys.meta_path:
        if isinstance(finder, _AfterImport) and finder.name == name:
            finder.callbacks.append(callback)
            return
    hook = _AfterImport(name)
    hook.callbacks.append(callback)
    sys.meta_path.insert(0, hook)
