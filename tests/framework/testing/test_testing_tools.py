"""The pytest plugin's helpers: `reverts`, ABI strategies, isolation."""

from __future__ import annotations

import pytest
from eth_abi import encode
from hypothesis import given
from hypothesis import strategies as st

from daftar.testing import isolated, reverts
from daftar.testing.strategies import abi

TYPES = ["uint8", "uint256", "int8", "int128", "address", "bool", "bytes32", "bytes4", "bytes", "string",
         "uint64[]", "bytes32[3]", "address[]"]  # fmt: skip


@pytest.mark.parametrize("typ", TYPES)
@given(data=st.data())
def test_abi_strategies_produce_encodable_values(typ, data):
    """Invariant: every value a strategy draws is accepted by eth-abi for its type."""
    value = data.draw(abi(typ))
    assert isinstance(encode([typ], [value]), bytes)


def test_abi_strategy_bounds():
    assert abi("uint8").validate() is None
    with pytest.raises(ValueError, match="no strategy"):
        abi("fixed128x18")


@given(value=abi("uint64"))
def test_uint_strategy_in_range(value):
    """Invariant: uint64 values lie in [0, 2**64)."""
    assert 0 <= value < 2**64


def test_reverts_fails_when_nothing_reverts(project, accounts):
    probe = project.Probe.deploy(accounts[0], sender=accounts[0])
    with pytest.raises(AssertionError, match="nothing reverted"), reverts("TooLarge"):
        probe.set(1, sender=accounts[0])


def test_reverts_checks_name_and_args(project, accounts):
    probe = project.Probe.deploy(accounts[0], sender=accounts[0])
    with pytest.raises(AssertionError, match="expected revert NotOwner"), reverts("NotOwner"):
        probe.set(10**19, sender=accounts[0])
    with pytest.raises(AssertionError, match="limit="), reverts("TooLarge", limit=5):
        probe.set(10**19, sender=accounts[0])


def test_isolated_undoes_everything(chain, project, accounts):
    probe = project.Probe.deploy(accounts[0], sender=accounts[0])
    with isolated(chain):
        probe.set(7, sender=accounts[0])
        assert probe.value() == 7
    assert probe.value() == 0


class TestIsolationBetweenTests:
    """Each test starts from the state before it: the second never sees the first's write."""

    def test_first_writes(self, chain, project, accounts):
        probe = project.Probe.deploy(accounts[0], sender=accounts[0])
        probe.set(5, sender=accounts[0])
        assert chain.nonce(accounts[9].address) == 0
        project.Probe.deploy(accounts[0], sender=accounts[9])
        assert chain.nonce(accounts[9].address) == 1

    def test_second_sees_nothing(self, chain):
        assert chain.nonce(accounts_9 := chain.accounts[9].address) == 0, accounts_9
