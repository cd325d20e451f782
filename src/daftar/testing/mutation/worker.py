"""A mutation worker process: compiles each mutant it is sent and runs the tests on it.

The worker keeps its imports (web3, Hypothesis, daftar) and its solc-js between mutants,
and runs pytest in process once per mutant with the mutant's build folder in place of the
project's (`daftar.config.load` is wrapped in this process only). Test modules are dropped
from `sys.modules` after each run so the next run collects them afresh.

What makes a mutant cheap to judge:

- The run stops at the first failing test (`-x`), and Hypothesis does not shrink (phases
  explicit, reuse, generate, target): the first failing example kills the mutant, a
  minimal one is for people reading a real failure, not for a score.
- Tests run in the order the parent suggests (`first`: tests that killed mutants near this
  one), then the rest module by module, cheapest module first (from the original's run).
- A CPU-time budget for the tests (`budget_s`, process time: other work on the machine does
  not eat it): when the tests' calls have used it up, the running test is interrupted with
  `MutantTimeout` and the mutant is reported `timed_out`. The parent keeps a wall-clock
  limit on top for a worker that hangs without using CPU.

Hypothesis runs under the `daftar-mutate` profile: daftar's `ci` profile (derandomized) with
no database, no deadline, no shrinking.

Messages (over a multiprocessing pipe): the parent sends `("mutant", payload)` with `file`,
`text`, optional `first` (node ids) and `budget_s`, or `("stop", None)`; the worker answers
`("ready", info)` once (the original's run: `exit`, `seconds`, `cpu_seconds`, `output`),
then one `("result", dict)` per mutant.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import signal
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

MUTATION_PROFILE = "daftar-mutate"


class MutantTimeout(BaseException):
    """The tests of one mutant used up their CPU budget (a BaseException: Hypothesis lets it
    through without shrinking, pytest records it as the test's failure)."""


class _Recorder:
    """A pytest plugin: orders the tests, enforces the CPU budget, records what failed."""

    def __init__(self, first: list[str], module_cost: dict[str, float],
                 budget_s: float | None, started_cpu: float) -> None:  # fmt: skip
        self.rank = {nodeid: i for i, nodeid in enumerate(first)}
        self.module_cost = module_cost
        self.budget_s = budget_s
        self.started_cpu = started_cpu
        self.failed: list[str] = []
        self.timed_out = False
        self.ran = 0
        self.cost: dict[str, float] = defaultdict(float)  # module → CPU seconds of its tests

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        # Stable: within a module the collection order stays, so module fixtures are set up
        # once; only the suggested tests jump the queue.
        def key(item: Any) -> tuple[int, float]:
            if item.nodeid in self.rank:
                return (self.rank[item.nodeid], 0.0)
            return (len(self.rank), self.module_cost.get(_module(item.nodeid), 0.0))

        items.sort(key=key)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: Any) -> Generator[None, object, object]:
        start = time.process_time()
        try:
            return (yield)
        finally:
            self.cost[_module(item.nodeid)] += time.process_time() - start

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: Any) -> Generator[None, object, object]:
        if self.budget_s is None:
            return (yield)
        left = self.budget_s - (time.process_time() - self.started_cpu)
        if left <= 0:
            self.timed_out = True
            raise MutantTimeout(f"CPU budget of {self.budget_s:.1f}s used up before this test")
        previous = signal.signal(signal.SIGPROF, self._expired)
        signal.setitimer(signal.ITIMER_PROF, left)
        try:
            return (yield)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)

    def _expired(self, _signum: int, _frame: Any) -> None:
        self.timed_out = True
        raise MutantTimeout(f"CPU budget of {self.budget_s:.1f}s used up")

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call":
            self.ran += 1
        if report.failed and report.nodeid not in self.failed:
            self.failed.append(report.nodeid)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _drop_test_modules(roots: list[Path]) -> None:
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and any(Path(path).resolve().is_relative_to(r) for r in roots):
            del sys.modules[name]


def register_profile() -> None:
    """`daftar-mutate`: daftar's `ci` profile without database, deadline or shrinking."""
    from hypothesis import Phase, settings

    import daftar.testing.plugin  # noqa: F401  (registers daftar's profiles, "ci" among them)

    settings.register_profile(
        MUTATION_PROFILE,
        parent=settings.get_profile("ci"),
        database=None,
        derandomize=True,
        deadline=None,
        print_blob=False,
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
    )


def main(conn: Any, root: str, pytest_args: list[str]) -> None:
    """Entry point of a worker process."""
    os.chdir(root)
    os.environ["DAFTAR_REGRESSIONS"] = "0"  # a killed mutant is no regression to keep
    sys.path.insert(0, root)
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
    register_profile()
    config = real_load(Path(root))
    builder = Builder(config)
    tmp = Path(tempfile.mkdtemp(prefix="daftar-mutant-"))
    test_roots = [config.tests_dir.resolve(), *(Path(a).resolve() for a in pytest_args
                                                if Path(a).exists())]  # fmt: skip
    module_cost: dict[str, float] = {}

    def run_tests(build_dir: Path, first: list[str], budget_s: float | None) -> dict[str, Any]:
        current[:] = [build_dir]
        recorder = _Recorder(first, module_cost, budget_s, time.process_time())
        args = [*pytest_args, "-x", "-q", "-p", "no:cacheprovider", "--no-header",
                "--hypothesis-profile", MUTATION_PROFILE, "-W", "ignore"]  # fmt: skip
        start, start_cpu = time.perf_counter(), time.process_time()
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = pytest.main(args, plugins=[recorder])
        _drop_test_modules(test_roots)
        current.clear()
        return {
            "exit": int(code),
            "failed": recorder.failed,
            "timed_out": recorder.timed_out,
            "ran": recorder.ran,
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - start_cpu,
            "module_cost": dict(recorder.cost),
            "output": sink.getvalue()[-4000:],
        }

    # The original, rebuilt the same way (no metadata trailer): every test must pass on it.
    baseline = run_tests(builder.write_build(tmp / "original", builder.original_codes()), [],
                         None)  # fmt: skip
    module_cost.update(baseline["module_cost"])
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
        result = run_tests(builder.write_build(tmp / "mutant", detail),
                           payload.get("first", []), payload.get("budget_s"))  # fmt: skip
        if result["timed_out"]:
            status = "timed_out"
        elif result["exit"] == 0:
            status = "survived"
        elif result["exit"] == 1 and result["failed"]:
            status = "killed"
        else:
            status = "error"
        answer = {
            "status": status,
            "compile_s": compile_s,
            "killed_by": result["failed"][:1] if status == "killed" else [],
            "test_s": result["seconds"],
            "test_cpu_s": result["cpu_seconds"],
            "ran": result["ran"],
            "detail": result["output"]
            if status == "error"
            else f"CPU budget used up in {result['failed'][0]}"
            if status == "timed_out" and result["failed"]
            else "",
        }
        conn.send(("result", answer))
    builder.close()
