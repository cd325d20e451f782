"""The services called directly, on the embedded chain, through a local registry client."""

from __future__ import annotations

import pytest

from daftar.config import NetworkConfig
from daftar_registry.client import local_client

EXPLORER = "https://scan.example"


@pytest.fixture
def client(registry, chain):
    """The fixture registry as the services see it (no explorer)."""
    return local_client(registry, chain)


@pytest.fixture
def linked_client(registry, chain):
    """The same registry on a network with an explorer: addresses get links."""
    net = NetworkConfig(name=chain.name, backend=chain.backend, explorer=EXPLORER)
    return local_client(registry, chain, net)
