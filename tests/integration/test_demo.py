"""The README's main job: the demo tells the whole registry story and every verdict is right."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"


@pytest.fixture(scope="module")
def demo_output() -> str:
    """Run the demo as the README's command does: its own process, on the default chain."""
    proc = subprocess.run(
        [sys.executable, str(DEMO)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=DEMO.parents[1],
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_story_in_order(demo_output):
    steps = [
        "Deploy the registry",
        "accredits a university",
        "issues five degree certificates",
        "verify → VALID",
        "verify → REVOKED",
        "verify → INVALID_PROOF",
        "verify → ISSUER_SUSPENDED",
        "refused: CredentialRegistry.issue: reverted with IssuerNotInGoodStanding",
        "pilot #1 proposed",
        "milestone 2 reported",
        "checkpoint 3:",
        "refused: PilotRegistry.anchorCheckpoint: reverted with CheckpointFork",
        "status COMPLETED",
    ]
    positions = [demo_output.find(s) for s in steps]
    assert all(p >= 0 for p in positions), [
        s for s, p in zip(steps, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions)


def test_batch_gas_is_reported(demo_output):
    gas = int(re.search(r"gas ([\d,]+) \(the same", demo_output).group(1).replace(",", ""))
    assert 40_000 < gas < 80_000
