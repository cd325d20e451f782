"""daftar's pytest plugin (registered through the `pytest11` entry point).

Installing daftar changes nothing in a project that does not use it. A pytest run *uses
daftar* when a `brownie-config.yaml` is found in the invocation directory or the rootdir,
or in a folder above either (`project_root`). Only then does the plugin:

- give the fixtures `project` (that folder's contracts, compiled once), `chain` (the
  `--network`, default from the config) and `accounts`;
- run every test that uses the chain in a snapshot reverted after it, and every Hypothesis
  example too (stateful machines derive from `ChainStateMachine`);
- load a Hypothesis profile: `$DAFTAR_HYPOTHESIS_PROFILE`, else `dev`, unless
  `--hypothesis-profile` names one or the project's conftest already loaded its own.

Everywhere, and inert until asked for: the options `--network` and `--gas`, and the
profiles `dev`, `ci` (derandomized, the README's test command) and `nightly`, registered
(never loaded) as soon as Hypothesis is imported so that `--hypothesis-profile ci` finds
them. The plugin itself does not import Hypothesis: a run whose tests never use it does not
pay for it (`daftar.util.imports.after_import`), and a run that does sees the same
profiles, loaded at the same point relative to its conftests and test modules.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from daftar.util.imports import after_import

CONFIG_NAME = "brownie-config.yaml"  # the file that marks a daftar (or Brownie) project
PROFILE_ENV = "DAFTAR_HYPOTHESIS_PROFILE"
DEFAULT_PROFILE = "dev"


def _has_profile(name: str) -> bool:
    from hypothesis import settings

    try:
        settings.get_profile(name)
    except Exception:  # hypothesis.errors.InvalidArgument: no such profile
        return False
    return True


_SLOW_OK = ("too_slow", "function_scoped_fixture")  # HealthCheck members, by name
_PROFILE_VALUES: dict[str, dict[str, Any]] = {
    "dev": {"max_examples": 30, "deadline": None, "suppress_health_check": _SLOW_OK},
    "ci": {
        "max_examples": 25,
        "stateful_step_count": 20,
        "deadline": None,
        "derandomize": True,
        "print_blob": True,
        "suppress_health_check": _SLOW_OK,
    },
    "nightly": {
        "max_examples": 1000,
        "stateful_step_count": 60,
        "deadline": None,
        "suppress_health_check": _SLOW_OK,
    },
}


def _profiles() -> dict[str, dict[str, Any]]:
    """daftar's profiles as `settings.register_profile` keyword arguments."""
    from hypothesis import HealthCheck

    return {
        name: {
            k: tuple(HealthCheck[h] for h in v) if k == "suppress_health_check" else v
            for k, v in values.items()
        }
        for name, values in _PROFILE_VALUES.items()
    }


# Registered, not loaded: a run that never names them keeps Hypothesis's own defaults.
# A conftest that registers a profile of the same name afterwards replaces ours.
# Hypothesis has a built-in "ci" profile of its own (loaded by itself when $CI is set):
# kept here so that projects that do not use daftar get it back (see pytest_configure).
_STATE: dict[str, Any] = {"own": None, "cancelled": False, "pending": None}


def _register_profiles() -> None:
    """Right after Hypothesis is imported (or now, if it is): register daftar's profiles,
    then load the one a daftar project's run wants if pytest_configure deferred that."""
    if _STATE["cancelled"] or _STATE["own"] is not None:
        return
    from hypothesis import settings

    _STATE["own"] = {n: settings.get_profile(n) for n in _PROFILE_VALUES if _has_profile(n)}
    for name, values in _profiles().items():
        settings.register_profile(name, **values)
    pending, _STATE["pending"] = _STATE["pending"], None
    if pending is not None:
        _load_profile(pending)


def __getattr__(name: str) -> Any:
    """`PROFILES` (daftar's profiles' settings) and `_HYPOTHESIS_OWN` (Hypothesis's own
    profiles daftar's names replace) import Hypothesis when asked for."""
    if name == "PROFILES":
        return _profiles()
    if name == "_HYPOTHESIS_OWN":
        import hypothesis  # noqa: F401  (registers, through after_import)

        _register_profiles()
        return dict(_STATE["own"] or {})
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


after_import("hypothesis", _register_profiles)

_GAS_KEY = pytest.StashKey["GasReport"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("daftar")
    group.addoption("--gas", action="store_true", help="print gas used per contract function")
    group.addoption(
        "--coverage",
        action="store_true",
        help="Solidity line and branch coverage (tester or anvil backend): a table, and "
        "lcov / HTML / JSON under reports/coverage/",
    )
    group.addoption(
        "--network",
        default=None,
        help="network to test on: revm (development), tester, anvil, or any configured name",
    )


def project_root(config: pytest.Config) -> Path | None:
    """The daftar project this run belongs to, or None.

    The nearest folder holding brownie-config.yaml at or above the invocation directory,
    and the same above the rootdir; when both exist, the deeper one (`pytest
    examples/x/tests` run from a project around `examples/x`, whose own pytest.ini makes it
    the rootdir, tests `examples/x`).
    """
    found = [_config_folder(Path(p)) for p in (config.invocation_params.dir, config.rootpath)]
    roots = [f for f in found if f is not None]
    return max(roots, key=lambda f: len(f.parts)) if roots else None


def _config_folder(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Brownie-style projects only: the `brownie` import hook and Brownie's fixtures
    (daftar.compat.brownie._plugin; keep this hook: conftests may import brownie)."""
    from daftar.compat.brownie._plugin import early

    early(early_config)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--gas", default=False):
        from daftar.testing.gas import GasReport

        report = GasReport()
        report.start()
        config.stash[_GAS_KEY] = report
    root = project_root(config)
    if root is None:
        if not config.getoption("--hypothesis-profile", default=None):
            if "hypothesis" in sys.modules:
                _restore_hypothesis_profiles()
            else:
                _STATE["cancelled"] = True  # never registered: Hypothesis's own stay
        return
    from daftar.testing import fixtures

    config.stash[fixtures.ROOT_KEY] = root
    gc.freeze()  # the modules imported so far (see pytest_collection_finish)
    if "hypothesis" in sys.modules:
        _load_profile(config)
    else:
        _check_profile_env()
        _STATE["pending"] = config  # loaded right after Hypothesis is imported, if ever
    config.pluginmanager.register(fixtures, "daftar.testing.fixtures")
    from daftar.testing import tracing

    config.pluginmanager.register(tracing, "daftar.testing.tracing")
    if config.getoption("--coverage", default=False):
        from daftar.testing.coverage import plugin as coverage

        coverage.start(config, root)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What a daftar run has built by now (modules, compiled artifacts, collected tests)
    lives until the end: `gc.freeze` puts it out of the cyclic collector's reach, so the
    run's collections, and pytest's own at exit, stop walking it every time (~0.4 s of a
    small Brownie-style suite's 1.7 s). Also done once the plugins are loaded."""
    if project_root(session.config) is not None:
        gc.freeze()


def _restore_hypothesis_profiles() -> None:
    """Outside daftar projects (unless the run named a profile), Hypothesis's own profiles of
    our names come back, and stay active where Hypothesis had loaded them (its "ci" under $CI)."""
    from hypothesis import settings

    current = settings.get_current_profile_name()
    for name, own in (_STATE["own"] or {}).items():
        settings.register_profile(name, own)
        if name == current:
            settings.load_profile(name)


def _load_profile(config: pytest.Config) -> None:
    """daftar's profile for a daftar project, unless the run or its conftest chose one."""
    from hypothesis import settings

    if config.getoption("--hypothesis-profile", default=None):
        return  # Hypothesis's own plugin loads it
    chosen = os.environ.get(PROFILE_ENV)
    if not chosen and settings.get_current_profile_name() != "default":
        return  # a conftest loaded its own (or Hypothesis its "ci" under $CI)
    name = chosen or DEFAULT_PROFILE
    try:
        settings.load_profile(name)
    except Exception as exc:  # hypothesis.errors.InvalidArgument
        raise pytest.UsageError(
            f"{PROFILE_ENV}={name!r} is not a registered Hypothesis profile; "
            f"daftar's are {', '.join(_PROFILE_VALUES)}"
        ) from exc


def _check_profile_env() -> None:
    """Before Hypothesis is imported only daftar's profiles (and Hypothesis's "default")
    can exist: a $DAFTAR_HYPOTHESIS_PROFILE naming another is refused now, as it would be
    by loading it."""
    chosen = os.environ.get(PROFILE_ENV)
    if chosen and chosen not in (*_PROFILE_VALUES, "default"):
        raise pytest.UsageError(
            f"{PROFILE_ENV}={chosen!r} is not a registered Hypothesis profile; "
            f"daftar's are {', '.join(_PROFILE_VALUES)}"
        )


#: The name Hypothesis's pytest plugin is registered under (its `pytest11` entry point).
HYPOTHESIS_PLUGIN = "hypothesispytest"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run that never imported Hypothesis skips its plugin's terminal summary, which would
    import all of Hypothesis (~0.2 s) to report observations, statistics or failing
    examples that such a run cannot have. `--hypothesis-show-statistics` keeps it."""
    config = session.config
    if "hypothesis" in sys.modules:
        return
    if config.getoption("--hypothesis-show-statistics", default=False):
        return
    if config.pluginmanager.get_plugin(HYPOTHESIS_PLUGIN) is not None:
        config.pluginmanager.unregister(name=HYPOTHESIS_PLUGIN)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if config.getoption("--coverage", default=False):
        from daftar.testing.coverage import plugin as coverage

        coverage.summary(terminalreporter, config)
    report = config.stash.get(_GAS_KEY, None)
    if report is None:
        return
    report.stop()
    from daftar.testing.fixtures import BACKEND_KEY

    backend = config.stash.get(BACKEND_KEY, "?")
    terminalreporter.write_sep("=", f"gas report ({backend})")
    for line in report.render(backend):
        terminalreporter.write_line(line)
