"""`state_machine(StateMachine, *args, settings=None)`: Brownie's stateful testing on Hypothesis.

Methods named `rule`/`rule_*` are rules, `initialize`/`initialize_*` initializers,
`invariant`/`invariant_*` invariants; rule arguments draw from the class's strategies by
argument name (or by a default naming one: `def rule(self, value="st_amount")`).
`__init__(cls, *args)` runs once; every run starts from the chain state after it
(`setup` is called then); `teardown` ends a run, `teardown_final` the whole test.
"""

from __future__ import annotations

import inspect
from typing import Any

from hypothesis import settings as hsettings
from hypothesis import stateful as sf
from hypothesis.strategies import SearchStrategy

from daftar.errors import DaftarError


def _matches(attr: str, prefix: str) -> bool:
    return attr == prefix or attr.startswith(prefix + "_")


def _strategies_for(fn: Any, strategies: dict[str, SearchStrategy], where: str) -> dict:
    wanted: dict[str, SearchStrategy] = {}
    params = list(inspect.signature(fn).parameters.values())[1:]
    for p in params:
        key = p.default if isinstance(p.default, str) else p.name
        if key not in strategies:
            raise DaftarError(
                f"{where}: argument '{p.name}' draws from no strategy: define a class "
                f"attribute {key} = strategy(...) (or give the argument a default naming one)"
            )
        wanted[p.name] = strategies[key]
    return wanted


def _machine(rules_object: type) -> type:
    from daftar.compat.brownie.network.state import chain

    strategies = {
        k: v for k, v in inspect.getmembers(rules_object) if isinstance(v, SearchStrategy)
    }
    ns: dict[str, Any] = {}

    def __init__(self: Any) -> None:
        mark = type(self)._daftar_mark
        chain._restore(mark, keep=True)
        sf.RuleBasedStateMachine.__init__(self)
        if hasattr(rules_object, "setup"):
            rules_object.setup(self)

    def teardown(self: Any) -> None:
        if hasattr(rules_object, "teardown"):
            rules_object.teardown(self)

    ns["__init__"] = __init__
    ns["teardown"] = teardown
    for attr in dir(rules_object):
        fn = getattr(rules_object, attr)
        if not callable(fn) or isinstance(fn, SearchStrategy):
            continue
        where = f"{rules_object.__name__}.{attr}"
        if _matches(attr, "initialize"):
            ns[attr] = sf.initialize(**_strategies_for(fn, strategies, where))(fn)
        elif _matches(attr, "invariant"):
            ns[attr] = sf.invariant()(fn)
        elif _matches(attr, "rule"):
            ns[attr] = sf.rule(**_strategies_for(fn, strategies, where))(fn)
    bases = (rules_object, sf.RuleBasedStateMachine)
    try:
        return type(rules_object.__name__, bases, ns)
    except TypeError:
        return type(rules_object.__name__, (sf.RuleBasedStateMachine,), {**ns, **{
            k: v for k, v in vars(rules_object).items() if not k.startswith("__")
        }})  # fmt: skip


def state_machine(
    rules_object: type, *args: Any, settings: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    """Run a Brownie-style state machine (see the module docstring)."""
    from daftar.compat.brownie.network.state import chain

    machine = _machine(rules_object)
    if "__init__" in vars(rules_object):
        rules_object.__init__(machine, *args, **kwargs)  # type: ignore[misc]
    machine._daftar_mark = chain._push("state_machine")
    try:
        run_settings = hsettings(hsettings.default, **(settings or {}))
        sf.run_state_machine_as_test(machine, settings=run_settings)
    finally:
        mark = machine._daftar_mark
        if mark in chain._marks:
            chain._restore(mark, keep=False)
        if hasattr(rules_object, "teardown_final"):
            rules_object.teardown_final(machine)
