"""The README's local pilot journey, followed literally (issue 13: "Done when").

The bash block between `<!-- local-pilot-journey -->` markers runs as written in a fresh
copy of the project, with one change: `PORT=` gets a port that is free right now (another
node may hold 8545 on a shared machine, which is what the journey's own check is for).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from test_live import REPO, make_project

from daftar.chain.anvil import free_port
from daftar.keys import dev_accounts

pytestmark = pytest.mark.slow


def journey(readme: str) -> str:
    block = readme.split("<!-- local-pilot-journey -->", 1)[1].split("<!-- /local-pilot", 1)[0]
    return block.split("```bash", 1)[1].split("```", 1)[0]


def test_readme_addresses_are_the_dev_accounts_it_names():
    text = journey((REPO / "README.md").read_text())
    dev = [a.address for a in dev_accounts()]
    assert f"{dev[3]} " in text and "accredits dev3" in text
    assert f"{dev[4]} " in text and "registers dev4" in text


def test_local_pilot_journey_works_as_written(tmp_path):
    script = journey((REPO / "README.md").read_text())
    script = re.sub(r"^PORT=\d+", f"PORT={free_port()}", script, count=1, flags=re.M)
    project = make_project(tmp_path / "project")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "HEAD", "scripts"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(project)], input=archive, check=True)
    (project / ".venv").symlink_to(REPO / ".venv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYER_", "DAFTAR_"))}
    env.pop("LOCALHOST_RPC_URL", None)
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script], cwd=project, env=env,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert "Traceback" not in proc.stderr
    assert (project / "holders" / "aisyah.holder.json").exists()
    assert "VALID" in proc.stdout
    assert Path(project / "deployments" / "localhost" / "PilotRegistry.json").exists()
