"""Helpers for framework tests that need a throwaway project of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

MINIMAL_CONFIG = """
compiler:
  evm_version: prague
  solc:
    version: 0.8.30
    optimizer: {enabled: true, runs: 200}
daftar:
  networks:
    development: {backend: revm, chain_id: 1337}
    sepolia: {backend: rpc, chain_id: 11155111, explorer: "https://sepolia.etherscan.io"}
    wrongnode: {backend: rpc, chain_id: 11155111, host: "${WRONGNODE_URL}"}
"""

COUNTER = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Counter {
    uint256 public count;
    event Bumped(uint256 count);
    function bump() external { count += 1; emit Bumped(count); }
}
"""


@pytest.fixture
def tmp_project(tmp_path: Path) -> Path:
    """A minimal project (one contract) sharing the repo's node_modules."""
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "Counter.sol").write_text(COUNTER)
    (tmp_path / "brownie-config.yaml").write_text(MINIMAL_CONFIG)
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    return tmp_path
