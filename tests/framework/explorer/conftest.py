"""Fixtures for explorer tests: a submission to send, and stand-in servers shut down after
each test (the stand-ins themselves live in explorer_stand_ins.py: no network here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eth_abi import encode
from explorer_stand_ins import ADDRESS, CREATION_TX, SEPOLIA, StandIn

from daftar.explorer import Submission


@pytest.fixture(scope="session")
def submission(project: Any) -> Submission:
    """CredentialRegistry as if deployed on Sepolia: the recorded input, real constructor args."""
    args = encode(["address", "uint48", "address"], [ADDRESS, 172800, ADDRESS])
    return Submission.from_artifact(
        project.CredentialRegistry.artifact, ADDRESS, args, SEPOLIA, CREATION_TX
    )


@pytest.fixture
def stand_ins() -> Iterator[list[StandIn]]:
    """Register stand-ins here; they are shut down after the test."""
    started: list[StandIn] = []
    yield started
    for s in started:
        s.close()
