"""A state machine run as one example of an ordinary `@given` test.

`run_state_machine_as_test(Machine)` inside a test function hides the machine from tools
that look for Hypothesis tests (HypoFuzz collects only `@given` tests and `TestCase`s). Written
as below, the same machine keeps its fixtures and is fuzzable:

    @given(data=st.data())
    def test_issuers_fuzz(registry, actors, chain, data):
        class Machine(IssuersModel):
            reg = registry
            who = actors
        machine_example(Machine, data)

Each example is one run of the machine (steps up to `stateful_step_count`); pytest runs
it like any `@given` test, `hypothesis fuzz` runs it as a campaign.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import settings as Settings
from hypothesis.stateful import RuleBasedStateMachine, get_state_machine_test


def machine_example(
    factory: Callable[[], RuleBasedStateMachine], data: Any, settings: Settings | None = None
) -> None:
    """Run one state-machine example, drawing its steps from `data` (`st.data()`)."""
    from hypothesis.control import _current_build_context

    # Hypothesis builds a `@given` test for the machine; built inside a running test that
    # would count as a nested @given, though only its body (the steps) runs here.
    with _current_build_context.with_value(None):
        test = get_state_machine_test(factory, settings=settings or Settings())
    test.hypothesis.inner_test(data)  # type: ignore[attr-defined]


def _hypofuzz_compat() -> None:
    """HypoFuzz 25.11.1 reads `ConjectureResult.slice_comments`, which Hypothesis 6.170
    calls `span_comments`: without this alias its worker crashes on the first failure."""
    from hypothesis.internal.conjecture.data import ConjectureResult

    if not hasattr(ConjectureResult, "slice_comments") and hasattr(
        ConjectureResult, "span_comments"
    ):
        ConjectureResult.slice_comments = property(lambda self: self.span_comments)  # type: ignore[attr-defined]


_hypofuzz_compat()
