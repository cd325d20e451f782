"""The pytest plugin's helpers: `reverts`, ABI strategies, isolation."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_abi import decode, encode
from eth_utils import is_address, to_checksum_address
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daftar.contract.abi import types_of
from daftar.project import Project
from daftar.testing import isolated, reverts
from daftar.testing.strategies import abi, address

REPO = Path(__file__).resolve().parents[3]

# Basic types, every kind of array, tuples, tuples in arrays and arrays in tuples.
TYPES = ["uint8", "uint256", "uint", "int8", "int128", "address", "bool", "bytes1", "bytes32",
         "bytes", "string", "fixed128x18", "ufixed32x4", "uint64[]", "bytes32[3]", "address[]",
         "uint8[2][]", "string[][2]", "(uint8,address,string)", "(bool,bytes)[2]",
         "((int16,bytes4[]),string[])", "(uint256,(address,bool)[])[]"]  # fmt: skip


def _plain(value):
    """Values as eth-abi decodes them (tuples for arrays); addresses compare checksummed."""
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, str) and is_address(value):
        return to_checksum_address(value)
    return value


@pytest.mark.parametrize("typ", TYPES)
@given(data=st.data())
def test_abi_strategies_round_trip_through_eth_abi(typ, data):
    """Invariant: every value a strategy draws is accepted by eth-abi's encoder for its type
    and decodes back to the same value."""
    value = data.draw(abi(typ))
    assert _plain(decode([typ], encode([typ], [value]))[0]) == _plain(value)


@given(data=st.data(), n=st.integers(0, 4))
def test_max_length_bounds_every_dynamic_size(data, n):
    """Invariant: `max_length` caps list items, bytes (32 per unit) and string characters,
    however deeply they are nested, and fixed sizes stay exact."""
    items, blob, text, fixed = data.draw(abi("(uint8[],bytes,string,bytes32[][3])", max_length=n))
    assert len(items) <= n and len(blob) <= 32 * n and len(text) <= 8 * n
    assert len(fixed) == 3 and all(len(inner) <= n for inner in fixed)


@given(data=st.data())
def test_address_pool_values_are_pool_members_or_any_address(data):
    """Invariant: `address(pool)` draws checksummed addresses the encoder accepts; those it
    takes from the pool are the pool's (checksummed, whatever case the pool used)."""
    pool = ["0x" + "ab" * 20, "0x90F79bf6EB2c4f870365E785982E1f101E93b906"]
    value = data.draw(address(pool))
    assert value == to_checksum_address(value)
    assert to_checksum_address(decode(["address"], encode(["address"], [value]))[0]) == value


@pytest.mark.parametrize("typ", ["uint7", "int264", "bytes33", "foo", "(uint8,", "tuple"])
def test_types_eth_abi_cannot_encode_are_refused(typ):
    with pytest.raises(ValueError, match="no strategy for ABI type"):
        abi(typ)


@pytest.fixture(scope="module")
def probe(project, chain, accounts):
    return project.Probe.deploy(accounts[0], sender=accounts[0])


@given(
    a=abi("address"),
    i=abi("int128"),
    h=abi("bytes32"),
    b=abi("bytes"),
    s=abi("string"),
    f=abi("bool"),
)
def test_values_round_trip_through_the_chain(probe, a, i, h, b, s, f):
    """Invariant: what the strategies draw is sent to a contract and comes back unchanged
    (Probe.echo returns its arguments)."""
    assert tuple(probe.echo(a, i, h, b, s, f)) == (a, i, h, b, s, f)


ECHO = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Echo {
    struct Item { uint8 small; address who; string note; bytes32[2] pair; }
    struct Outer { Item[] items; int16 level; }
    function items(Item[] calldata xs) external pure returns (Item[] memory) { return xs; }
    function outer(Outer calldata o, bool flag) external pure returns (Outer memory, bool) { return (o, flag); }
    function arrays(uint64[][] calldata a, int8[3] calldata b, string[] calldata c)
        external pure returns (uint64[][] memory, int8[3] memory, string[] memory) { return (a, b, c); }
}
"""
ECHO_CONFIG = """compiler:
  evm_version: prague
  solc: {version: 0.8.30, optimizer: {enabled: true, runs: 200}}
daftar:
  networks:
    development: {backend: revm, chain_id: 1337}
"""


@pytest.fixture(scope="module")
def echo(tmp_path_factory, chain, accounts):
    """A contract of structs and nested arrays, compiled in a project of its own and
    deployed on the session's chain."""
    root = tmp_path_factory.mktemp("echo")
    (root / "contracts").mkdir()
    (root / "contracts" / "Echo.sol").write_text(ECHO)
    (root / "brownie-config.yaml").write_text(ECHO_CONFIG)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    project = Project.load(root)
    project.chain = chain  # deploy on the session's chain; never closed here
    return project.Echo.deploy(sender=accounts[0])


@pytest.mark.parametrize("function", ["items", "outer", "arrays"])
@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_tuples_and_arrays_round_trip_through_the_chain(echo, function, data):
    """Invariant: for each function of Echo, arguments drawn with `abi(...)` for the types
    its ABI names (structs as tuples, nested and fixed arrays) are accepted by the contract
    and returned unchanged."""
    item = next(i for i in echo.type.abi if i.get("name") == function)
    args = [data.draw(abi(t, max_length=3)) for t in types_of(item["inputs"])]
    result = getattr(echo, function)(*args)
    returned = [result] if len(item["outputs"]) == 1 else list(result)
    assert _plain(returned) == _plain(args)


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


@pytest.fixture
def examples_seen(probe, chain, accounts):
    """The chain state every example must start from; after the test, proof that several
    examples ran (one example alone would prove nothing about isolation)."""
    seen: list[int] = []
    yield seen, chain.nonce(accounts[9].address), chain.block_number()
    assert len(seen) >= 2, f"only {len(seen)} example(s) ran"


@given(value=st.integers(1, 10**18))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_each_example_starts_from_the_same_chain_state(
    probe, accounts, chain, examples_seen, value
):
    """Invariant: every Hypothesis example starts from the state the test started in: no
    example sees the storage write, the nonce or the blocks of an earlier one."""
    seen, nonce, block = examples_seen
    assert probe.value() == 0, f"an earlier example's write ({seen[-1]}) is still there"
    assert chain.nonce(accounts[9].address) == nonce
    assert chain.block_number() == block
    probe.set(value, sender=accounts[9])
    assert probe.value() == value
    seen.append(value)


@pytest.fixture(scope="class")
def after_the_test(probe, chain, accounts):
    """Class-scoped, so its teardown runs after the plugin has reverted the test."""
    before = (probe.value(), chain.nonce(accounts[9].address), chain.block_number())
    ran: list[bool] = []
    yield ran
    assert ran, "the test did not run"
    after = (probe.value(), chain.nonce(accounts[9].address), chain.block_number())
    assert after == before, "the test's writes outlived it"


class TestEachTestStartsFromTheSameState:
    """The plugin reverts what a test did once it is over (checked by `after_the_test`)."""

    def test_writes_are_gone_after_the_test(self, after_the_test, probe, chain, accounts):
        nonce = chain.nonce(accounts[9].address)
        probe.set(5, sender=accounts[9])
        assert (probe.value(), chain.nonce(accounts[9].address)) == (5, nonce + 1)
        after_the_test.append(True)
