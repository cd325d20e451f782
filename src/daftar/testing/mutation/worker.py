"""A mutation worker process: compiles each mutant it is sent and runs the tests on it.

The worker keeps its imports (web3, Hypothesis, daftar) and its solc-js between mutants,
and runs pytest in process once per mutant with the mutant's build folder in place of the
project's (`daftar.config.load` is wrapped in this process only). Test modules are dropped
from `sys.modules` after each run so the next run collects them afresh. Tests that killed
earlier mutants run first, and the run stops at the first failure (`-x`).

Messages (over a multiprocessing pipe): the parent sends `("mutant", payload)` or
`("stop", None)`; the worker answers `("ready", info)` once, then one `("result", dict)`
per mutant.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

MUTATION_PROFILE = "daftar-mutate"


class _Recorder:
    """A pytest plugin: which test failed first, and tests that killed before run first."""

    def __init__(self, priority: Counter[str]) -> None:
        self.priority = priority
        self.failed: list[str] = []
        self.ran = 0

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        items.sort(key=lambda item: -self.priority.get(item.nodeid, 0))

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call":
            self.ran += 1
        if report.failed and report.nodeid not in self.failed:
            self.failed.append(report.nodeid)


def _drop_test_modules(roots: list[Path]) -> None:
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and any(Path(path).resolve().is_relative_to(r) for r in roots):
            del sys.modules[name]


def main(conn: Any, root: str, pytest_args: list[str]) -> None:
    """Entry point of a worker process."""
    os.chdir(root)
    os.environ["DAFTAR_REGRESSIONS"] = "0"  # a killed mutant is no regression to keep
    sys.path.insert(0, root)
    from hypothesis import settings

    import daftar.config as config_mod
    from daftar.testing.mutation.build import Builder

    real_load = config_mod.load
    current: list[Path] = []

    def load(root_arg: Path | None = None) -> Any:
        cfg = real_load(root_arg)
        if current and cfg.root.resolve() == Path(root).resolve():
            return dataclasses.replace(cfg, build_dir=current[0])
        return cfg

    config_mod.load = load  # type: ignore[assignment]
    settings.register_profile(
        MUTATION_PROFILE,
        parent=settings.get_profile("ci") if "ci" in settings._profiles else None,
        database=None,
        derandomize=True,
        deadline=None,
        print_blob=False,
    )
    config = real_load(Path(root))
    builder = Builder(config)
    tmp = Path(tempfile.mkdtemp(prefix="daftar-mutant-"))
    test_roots = [config.tests_dir.resolve(), *(Path(a).resolve() for a in pytest_args
                                                if Path(a).exists())]  # fmt: skip
    priority: Counter[str] = Counter()

    def run_tests(build_dir: Path) -> dict[str, Any]:
        import pytest

        current[:] = [build_dir]
        recorder = _Recorder(priority)
        args = [*pytest_args, "-x", "-q", "-p", "no:cacheprovider", "--no-header",
                "--hypothesis-profile", MUTATION_PROFILE, "-W", "ignore"]  # fmt: skip
        start = time.perf_counter()
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = pytest.main(args, plugins=[recorder])
        _drop_test_modules(test_roots)
        current.clear()
        return {
            "exit": int(code),
            "failed": recorder.failed,
            "ran": recorder.ran,
            "seconds": time.perf_counter() - start,
            "output": sink.getvalue()[-4000:],
        }

    # The original, rebuilt the same way (no metadata trailer): every test must pass on it.
    baseline = run_tests(builder.write_build(tmp / "original", builder.original_codes()))
    conn.send(("ready", baseline))
    while True:
        kind, payload = conn.recv()
        if kind == "stop":
            break
        unit, text = payload["file"], payload["text"]
        start = time.perf_counter()
        status, detail = builder.compile_mutant(unit, text)
        compile_s = time.perf_counter() - start
        if status != "ok":
            conn.send(("result", {"status": status, "detail": detail, "compile_s": compile_s}))
            continue
        result = run_tests(builder.write_build(tmp / "mutant", detail))
        if result["exit"] == 0:
            status = "survived"
        elif result["exit"] == 1 and result["failed"]:
            status = "killed"
            priority[result["failed"][0]] += 1
        else:
            status = "error"
        answer = {
            "status": status,
            "compile_s": compile_s,
            "killed_by": result["failed"][:1],
            "test_s": result["seconds"],
            "ran": result["ran"],
            "detail": result["output"] if status == "error" else "",
        }
        conn.send(("result", answer))
    builder.close()
