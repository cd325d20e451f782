"""A project's deploy script: the file that says what `daftar deploy` deploys.

The script is plain Python beside the project's other scripts (default
`scripts/deploy.py`) and defines

    def plan(deployer: str, network: NetworkConfig) -> daftar.deploy.Plan

`deployer` is the address that will sign; `network` is the network's settings from
brownie-config.yaml (`network.settings` holds its extra keys, such as `roles:`). The same
plan runs on the embedded chain (`--dry-run`, local backends) and through the journaled
executor on live networks. Running the script itself (`python scripts/deploy.py
--network sepolia`) is the same as `daftar deploy scripts/deploy.py --network sepolia`.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from daftar.deploy.plan import Plan
from daftar.errors import DeployError

DEFAULT_SCRIPT = Path("scripts") / "deploy.py"
PLAN_FUNCTION = "plan"
PlanFactory = Callable[[str, Any], Plan]  # (deployer address, network config) → plan


def script_path(project_root: Path, script: Path | str | None) -> Path:
    """The script to load: as given (relative to the cwd or the project), or the default."""
    if script is None:
        path = project_root / DEFAULT_SCRIPT
        if not path.is_file():
            raise DeployError(
                f"no deploy script: {path} does not exist. Pass one (`daftar deploy "
                f"path/to/script.py`) or create {DEFAULT_SCRIPT} defining "
                "`plan(deployer, network)` that returns a daftar.deploy.Plan."
            )
        return path
    path = Path(script)
    for candidate in (path, project_root / path):
        if candidate.is_file():
            return candidate.resolve()
    raise DeployError(f"no deploy script at {path} (looked here and in {project_root})")


def load_plan_factory(path: Path) -> PlanFactory:
    """Import the script as a module (its `__main__` block does not run) and take `plan`."""
    name = f"_daftar_deploy_script_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DeployError(f"{path} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise DeployError(f"{path}:{exc.lineno}: {exc.msg}") from None
    factory = getattr(module, PLAN_FUNCTION, None)
    if not callable(factory):
        raise DeployError(
            f"{path} defines no `{PLAN_FUNCTION}(deployer, network)` function; a deploy "
            "script returns the daftar.deploy.Plan to run"
        )

    def checked(deployer: str, network: Any) -> Plan:
        result = factory(deployer, network)
        if not isinstance(result, Plan):
            raise DeployError(
                f"{path}: {PLAN_FUNCTION}() returned {type(result).__name__}, not a "
                "daftar.deploy.Plan"
            )
        return result

    return checked
