"""Run mutants against a test set in parallel worker processes; score and report them.

    from daftar.testing.mutation import run_mutation
    report = run_mutation(root, files=["contracts/Token.sol"], tests=["tests/"], workers=2)

Outcomes per mutant: `killed` (a test failed), `survived` (every test passed),
`timed_out` (the tests used up their CPU budget, or the worker stopped answering: counted
as detected, as mutmut, Stryker and PIT do), `error` (pytest itself broke: counted as not
detected), `uncompilable` and `identical` (same bytecode as the original; both dropped
before testing), and `equivalent` (survived, but listed in the equivalents file with a
reason).

score = (killed + timed_out) / (killed + timed_out + survived + error), equivalents left out.

Time limits. Each mutant's tests get a CPU-time budget (process time in the worker, so a
busy machine does not turn slow mutants into timeouts): `timeout` if given, else
`BUDGET_FACTOR` x the original run's CPU time + `BUDGET_EXTRA_S` (Stryker's rule of thumb,
on CPU instead of wall time). A worker that does not answer within a wall-clock limit well
above that (`wall_limit`) is killed and replaced, and its mutant counted timed out too.

Order. Mutants go out in file and line order; each carries the tests that killed the
nearest already-judged mutants of the same file (then the tests that killed most), which
the worker runs first, so a mutant is usually killed by its first test.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from daftar.errors import DaftarError
from daftar.testing.mutation.operators import OPERATORS, Mutant, enums_in, generate, mask

DETECTED = ("killed", "timed_out")
UNDETECTED = ("survived", "error")
BUDGET_FACTOR = 2.0
BUDGET_EXTRA_S = 5.0
FIRST_TESTS = 8  # how many suggested tests a mutant carries


@dataclass
class Outcome:
    mutant: Mutant
    status: str
    seconds: float = 0.0
    killed_by: str = ""
    detail: str = ""
    why_equivalent: str = ""
    compile_s: float = 0.0
    test_s: float = 0.0


@dataclass
class MutationReport:
    root: Path
    files: list[str]
    tests: list[str]
    workers: int
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    baseline_s: float = 0.0
    budget_s: float = 0.0
    wall_limit_s: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        c = Counter(o.status for o in self.outcomes)
        return {k: c.get(k, 0) for k in ("killed", "timed_out", "survived", "error",
                                         "equivalent", "uncompilable", "identical")}  # fmt: skip

    @property
    def score(self) -> float | None:
        c = self.counts()
        detected = sum(c[k] for k in DETECTED)
        total = detected + sum(c[k] for k in UNDETECTED)
        return detected / total if total else None

    def survivors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in UNDETECTED]

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "tests": self.tests,
            "workers": self.workers,
            "seconds": round(self.seconds, 1),
            "baseline_seconds": round(self.baseline_s, 2),
            "cpu_budget_seconds": round(self.budget_s, 1),
            "wall_limit_seconds": round(self.wall_limit_s, 1),
            "counts": self.counts(),
            "score": None if self.score is None else round(self.score, 4),
            "mutants": [
                {
                    **o.mutant.as_dict(),
                    "status": o.status,
                    "seconds": round(o.seconds, 2),
                    "compile_seconds": round(o.compile_s, 2),
                    "test_seconds": round(o.test_s, 2),
                    **({"killed_by": o.killed_by} if o.killed_by else {}),
                    **({"why_equivalent": o.why_equivalent} if o.why_equivalent else {}),
                    **({"detail": o.detail} if o.detail and o.status != "killed" else {}),
                    **({"diff": o.mutant.diff(self.sources[o.mutant.file])}
                       if o.status in (*UNDETECTED, "equivalent") else {}),
                }
                for o in self.outcomes
            ],
        }  # fmt: skip

    def render(self) -> list[str]:
        lines = []
        for o in self.survivors():
            lines.append(
                f"SURVIVED {o.mutant.label}  [{o.mutant.key}]"
                if o.status == "survived"
                else f"ERROR    {o.mutant.label}  [{o.mutant.key}]: "
                f"{o.detail.strip().splitlines()[-1] if o.detail.strip() else ''}"
            )
            lines.append(o.mutant.diff(self.sources[o.mutant.file]).rstrip())
            lines.append("")
        c = self.counts()
        per_file: dict[str, Counter[str]] = {}
        for o in self.outcomes:
            per_file.setdefault(o.mutant.file, Counter())[o.status] += 1
        lines.append(
            f"{'file':<40} {'killed':>7} {'t/o':>5} {'surv':>5} {'err':>4} {'equiv':>6}"
            f" {'n/c':>5} {'same':>5} {'score':>7}"
        )
        for f, fc in per_file.items():
            det = fc["killed"] + fc["timed_out"]
            tot = det + fc["survived"] + fc["error"]
            sc = f"{det / tot:.1%}" if tot else "-"
            lines.append(f"{f:<40} {fc['killed']:>7} {fc['timed_out']:>5} {fc['survived']:>5} "
                         f"{fc['error']:>4} {fc['equivalent']:>6} {fc['uncompilable']:>5} "
                         f"{fc['identical']:>5} {sc:>7}")  # fmt: skip
        score = "-" if self.score is None else f"{self.score:.1%}"
        lines.append(
            f"mutation score {score}: {c['killed']} killed, {c['timed_out']} timed out, "
            f"{c['survived']} survived, {c['error']} errors, {c['equivalent']} equivalent; "
            f"{c['uncompilable']} did not compile, {c['identical']} had the original's bytecode; "
            f"{self.seconds:.0f}s with {self.workers} workers"
        )
        return lines


def load_equivalents(path: Path | None) -> dict[str, str]:
    """key → reason, from a JSON file `{"equivalents": [{"key", "why", ...}]}`."""
    if path is None or not path.is_file():
        return {}
    data = json.loads(path.read_text())
    return {e["key"]: e["why"] for e in data.get("equivalents", [])}


def keys_to_rerun(value: str) -> set[str]:
    """`--only`: comma-separated mutant keys, or an earlier JSON report (its survivors and
    errors, the mutants a new test may now kill)."""
    if value.endswith(".json"):
        try:
            data = json.loads(Path(value).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DaftarError(f"{value}: not a readable mutation report ({exc})") from None
        return {m["key"] for m in data.get("mutants", []) if m.get("status") in UNDETECTED}
    keys = {k.strip() for k in value.split(",") if k.strip()}
    if not keys:
        raise DaftarError("--only names no mutant key")
    return keys


def collect_mutants(
    root: Path,
    files: list[str],
    operators: tuple[str, ...] = OPERATORS,
    sample: int | None = None,
    seed: int = 0,
    only: set[str] | None = None,
) -> tuple[list[Mutant], dict[str, str]]:
    """The mutants of `files` (or those of them whose keys are in `only`), and the sources."""
    sources = {f: (root / f).read_text(encoding="utf-8") for f in files}
    all_text = [mask(t) for t in sources.values()]
    for extra in (root / "contracts").rglob("*.sol") if (root / "contracts").is_dir() else []:
        all_text.append(mask(extra.read_text(encoding="utf-8")))
    enums = enums_in(all_text)
    mutants = [m for f, text in sources.items() for m in generate(f, text, operators, enums)]
    if only is not None:
        unknown = only - {m.key for m in mutants}
        if unknown:
            raise DaftarError(
                f"no mutant of {', '.join(files)} has the key(s) {', '.join(sorted(unknown))} "
                "(the source changed there, or another file or operator set made them)"
            )
        mutants = [m for m in mutants if m.key in only]
    if sample is not None and sample < len(mutants):
        mutants = sorted(
            random.Random(seed).sample(mutants, sample), key=lambda m: (m.file, m.start)
        )
    return mutants, sources


class _Worker:
    def __init__(self, ctx: Any, root: Path, pytest_args: list[str]) -> None:
        from daftar.testing.mutation import worker

        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker.main, args=(child, str(root), pytest_args),
                                daemon=True)  # fmt: skip
        self.proc.start()
        child.close()
        self.task: tuple[int, float] | None = None  # (index, started)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()


def run_mutation(
    root: Path,
    files: list[str],
    tests: list[str],
    workers: int = 2,
    timeout: float | None = None,
    operators: tuple[str, ...] = OPERATORS,
    sample: int | None = None,
    seed: int = 0,
    equivalents: Path | None = None,
    progress: Callable[[str], None] = lambda _m: None,
    only: set[str] | None = None,
) -> MutationReport:
    """Generate, compile and test every mutant of `files` (paths relative to `root`).

    `timeout`: CPU seconds the tests of one mutant may use (default: see the module doc).
    `only`: test just the mutants with these keys (e.g. an earlier run's survivors, once
    tests meant to kill them are written).
    """
    from daftar import config as config_mod
    from daftar.compiler import compile_project

    root = root.resolve()
    start = time.perf_counter()
    compile_project(config_mod.load(root))  # build/ up to date: the workers copy it
    mutants, sources = collect_mutants(root, files, operators, sample, seed, only)
    known = load_equivalents(equivalents)
    report = MutationReport(root, files, tests, workers, sources=sources)
    progress(f"{len(mutants)} mutants of {len(files)} file(s); starting {workers} worker(s)")
    ctx = mp.get_context("spawn")
    pool = [_Worker(ctx, root, tests) for _ in range(max(1, min(workers, len(mutants) or 1)))]
    baseline = baseline_cpu = 0.0
    for w in pool:
        _kind, info = w.conn.recv()
        if info["exit"] != 0:
            for x in pool:
                x.kill()
            raise RuntimeError(
                "the tests do not pass on the original contracts (exit code "
                f"{info['exit']}); fix them before mutating:\n{info['output']}"
            )
        baseline = max(baseline, info["seconds"])
        baseline_cpu = max(baseline_cpu, info["cpu_seconds"])
    report.baseline_s = baseline
    budget = timeout if timeout is not None else BUDGET_FACTOR * baseline_cpu + BUDGET_EXTRA_S
    report.budget_s = budget
    report.wall_limit_s = limit = wall_limit(budget, baseline)
    progress(f"tests pass on the original in {baseline:.1f}s ({baseline_cpu:.1f}s CPU); "
             f"per mutant: {budget:.0f}s CPU for the tests, {limit:.0f}s wall in all")  # fmt: skip
    results: list[Outcome | None] = [None] * len(mutants)
    pending = list(range(len(mutants)))
    done = 0

    def give(w: _Worker) -> None:
        if pending:
            i = pending.pop(0)
            m = mutants[i]
            first = suggest(m, [o for o in results if o is not None])
            w.conn.send(("mutant", {"file": m.file, "text": m.apply(sources[m.file]),
                                    "first": first, "budget_s": budget}))  # fmt: skip
            w.task = (i, time.perf_counter())

    for w in pool:
        give(w)
    while any(w.task for w in pool):
        busy = [w for w in pool if w.task]
        ready = wait([w.conn for w in busy], timeout=1.0)
        now = time.perf_counter()
        for w in list(busy):
            assert w.task is not None
            i, started = w.task
            m = mutants[i]
            if w.conn in ready:
                died = False
                try:
                    _kind, r = w.conn.recv()
                except EOFError:
                    died = True
                    r = {"status": "error", "detail": "the worker process died"}
                status = r["status"]
                if status == "survived" and m.key in known:
                    status = "equivalent"
                results[i] = Outcome(m, status, now - started, (r.get("killed_by") or [""])[0],
                                     r.get("detail", ""), known.get(m.key, ""),
                                     r.get("compile_s", 0.0), r.get("test_s", 0.0))  # fmt: skip
                if died:
                    w.kill()
                    pool[pool.index(w)] = w = _restart(ctx, root, tests)
            elif now - started > limit:
                results[i] = Outcome(m, "timed_out", now - started,
                                     detail=f"no answer within {limit:.0f}s (wall)")  # fmt: skip
                w.kill()
                pool[pool.index(w)] = w = _restart(ctx, root, tests)
            else:
                continue
            done += 1
            o = results[i]
            assert o is not None
            progress(f"[{done}/{len(mutants)}] {o.status:<12} {m.label}")
            w.task = None
            give(w)
    for w in pool:
        with contextlib.suppress(OSError):
            w.conn.send(("stop", None))
        w.proc.join(timeout=10)
        if w.proc.is_alive():
            w.kill()
    report.outcomes = [o for o in results if o is not None]
    report.seconds = time.perf_counter() - start
    return report


def wall_limit(budget_s: float, baseline_s: float) -> float:
    """Seconds a worker may take to answer for one mutant before it is killed: the CPU
    budget with room for a busy machine (x3), the original's wall time and 30 s for
    compiling and collecting."""
    return 3 * budget_s + baseline_s + 30.0


def suggest(mutant: Mutant, judged: list[Outcome], n: int = FIRST_TESTS) -> list[str]:
    """Tests to run first on `mutant`: those that killed the judged mutants of the same
    file nearest to its line, then the ones that killed most mutants anywhere."""
    near = sorted(
        (o for o in judged if o.killed_by and o.mutant.file == mutant.file),
        key=lambda o: abs(o.mutant.line - mutant.line),
    )
    most = Counter(o.killed_by for o in judged if o.killed_by)
    first: list[str] = []
    for test in [*(o.killed_by for o in near), *(t for t, _ in most.most_common())]:
        if test not in first:
            first.append(test)
        if len(first) == n:
            break
    return first


def _restart(ctx: Any, root: Path, tests: list[str]) -> _Worker:
    w = _Worker(ctx, root, tests)
    w.conn.recv()  # its baseline (passed before)
    return w
