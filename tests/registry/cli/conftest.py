"""A real registry on anvil (as `localhost`) and a way to run `daftar` against it.

One anvil and one journaled deploy per module (records in a temp folder), so every test
drives the same deployment through separate `daftar` processes, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
#: Variables of the user's shell that would change who signs or where records are read.
_SCRUB = (
    "DAFTAR_ACCOUNT",
    "DAFTAR_DEPLOYMENTS",
    "DAFTAR_NETWORK",
    "DEPLOYER_PRIVATE_KEY",
    "DEPLOYER_KEYSTORE",
    "DEPLOYER_PASSWORD",
)


@dataclass
class Cli:
    """`daftar` as a subprocess with the node's URL and the records folder in its env."""

    url: str
    deployments: Path
    cwd: Path = REPO

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
        env.update(LOCALHOST_RPC_URL=self.url, DAFTAR_DEPLOYMENTS=str(self.deployments))
        env.update(extra or {})
        return env

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Any:
        return subprocess.run(
            [sys.executable, "-m", "daftar.cli", *args],
            cwd=self.cwd,
            env=self.env(env),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def json(self, *args: str, ok: tuple[int, ...] = (0,)) -> dict[str, Any]:
        """Run with --json; assert the exit code and that stdout is one JSON object."""
        proc = self("--json", *args)
        assert proc.returncode in ok, proc.stderr
        assert "Traceback" not in proc.stderr, proc.stderr
        data = json.loads(proc.stdout)
        assert isinstance(data, dict)
        return data

    @staticmethod
    def failed(proc: Any, *needles: str) -> None:
        """Assert a clean failure: non-zero exit, no traceback, every needle in stderr."""
        assert proc.returncode != 0, proc.stdout
        assert "Traceback" not in proc.stderr, proc.stderr
        for needle in needles:
            assert needle in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """anvil (chain id 31337) with the registry deployed by dev0 into temp records."""
    from daftar import config
    from daftar.chain.anvil import AnvilProcess
    from daftar.deploy.runner import deploy
    from daftar_registry.client import connect_registry

    node = AnvilProcess(REPO / "node_modules", chain_id=31337)
    saved = {k: os.environ.pop(k) for k in (*_SCRUB, "LOCALHOST_RPC_URL") if k in os.environ}
    os.environ["LOCALHOST_RPC_URL"] = node.url
    records = tmp_path_factory.mktemp("deployments")
    try:
        deploy("localhost", project_dir=REPO, deployments_dir=records, say=lambda _m: None)
        admin = connect_registry(
            config.load(REPO), "localhost", deployments_dir=records, account="dev0", sign=True
        )
        yield {"cli": Cli(node.url, records), "admin": admin, "records": records}
        admin.close()
    finally:
        os.environ.pop("LOCALHOST_RPC_URL", None)
        os.environ.update(saved)
        node.stop()


@pytest.fixture(scope="module")
def cli(registry: dict[str, Any]) -> Cli:
    return registry["cli"]
