"""A failing stateful run becomes a plain pytest test: the shrunk steps, straight-line.

When a test fails with Hypothesis's stateful reproduction in its notes (`state =
Machine()`, `state.rule(...)`, ..., `state.teardown()`), the plugin writes a regression
test next to it, in `<test module>_regressions.py`, and names the file in the failure:

    def test_issuers_stateful_regression_3f2a9c(registry, actors, chain):
        class Machine(IssuersModel):      # the original test's own set-up lines,
            reg = registry                # with its run_state_machine_as_test(...)
            who = actors                  # call replaced by the steps
        state = Machine()
        state.accredit(caller='office', who=1)
        state.teardown()

The file imports the test module's names (`from test_x import *`), so the machine and its
helpers resolve; it takes the same fixtures as the original test. Commit it once it passes
on the fixed contract. `DAFTAR_REGRESSIONS=0` turns writing off (mutation runs do).
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import os
import re
import textwrap
from pathlib import Path
from typing import Any

ENV = "DAFTAR_REGRESSIONS"
_RUNNERS = ("run_state_machine_as_test", "run_state_machine", "machine_example")
_HEADER = '''"""Regression tests written by daftar from failing stateful runs: each replays
the steps Hypothesis shrank to, as straight-line code against the same fixtures. Commit them."""

from {module} import *  # noqa: F403  the machine and its helpers

for _name in [n for n in globals() if n.startswith("test")]:
    del globals()[_name]  # collect the regressions below, not the original tests again
'''


def steps_from(exc: BaseException) -> list[str]:
    """The reproduction Hypothesis attached to a stateful failure, or []."""
    notes = "\n".join(str(n) for n in getattr(exc, "__notes__", []))
    lines = notes.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"state = \w+\(\)$", line)), None)
    if start is None:
        return []
    out = []
    for line in lines[start:]:
        out.append(line)
        if line.strip() == "state.teardown()":
            return out
    return [*out, "state.teardown()"]


def enabled() -> bool:
    return os.environ.get(ENV, "1") not in ("0", "false", "no", "")


def regression_source(function: Any, steps: list[str]) -> tuple[str, str]:
    """(test name, test function source) for `steps` in the set-up of `function`."""
    name = function.__name__
    digest = hashlib.sha256("\n".join(steps).encode()).hexdigest()[:6]
    new_name = f"{name}_regression_{digest}"
    params = ", ".join(inspect.signature(function).parameters)
    body = ["    " + s for s in steps]
    try:
        src = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(src)
        fn = tree.body[0]
        assert isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        call = next(
            s for s in fn.body
            if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
            and _call_name(s.value.func) in _RUNNERS
        )  # fmt: skip
        lines = src.splitlines()
        indent = " " * call.col_offset
        first_body = fn.body[0]
        if isinstance(first_body, ast.Expr) and isinstance(first_body.value, ast.Constant):
            head = lines[first_body.end_lineno : call.lineno - 1]  # without the docstring
        else:
            head = lines[fn.body[0].lineno - 1 : call.lineno - 1]
        body = head + [indent + s for s in steps] + lines[call.end_lineno :]  # type: ignore[operator]
    except (OSError, TypeError, SyntaxError, StopIteration, AssertionError):
        pass
    origin = f"{function.__module__}.{name}"
    text = f"\n\ndef {new_name}({params}):\n    # shrunk failing steps of {origin}\n"
    return new_name, text + "\n".join(body).rstrip() + "\n"


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def write_regression(test_file: Path, function: Any, steps: list[str]) -> tuple[Path, str]:
    """Append the regression test to `<test_file stem>_regressions.py`; (path, test name)."""
    name, source = regression_source(function, steps)
    stem = test_file.stem.removesuffix("_regressions")
    target = test_file.with_name(f"{stem}_regressions.py")
    module = getattr(function, "__module__", None) or test_file.stem
    existing = target.read_text() if target.is_file() else _HEADER.format(module=module)
    if f"def {name}(" not in existing:
        target.write_text(existing + source)
    return target, name
