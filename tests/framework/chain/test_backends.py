"""The Chain interface, backend-agnostic: this file passes on revm, tester, anvil and rpc.

Run with `--network revm|tester|anvil|localhost`.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daftar.testing import reverts

pytestmark = pytest.mark.backends


@pytest.fixture
def probe(project, accounts):
    return project.Probe.deploy(accounts[0], sender=accounts[0])


def test_deploy_records_receipt(chain, project, accounts):
    probe = project.Probe.deploy(accounts[1], sender=accounts[0])
    assert probe.deployment.status == 1
    assert probe.deployment.contract_address == probe.address
    assert chain.code(probe.address) != b""
    assert probe.owner() == accounts[1].address


def test_transact_changes_state_and_emits_event(probe, accounts):
    receipt = probe.set(42, sender=accounts[2])
    assert receipt.status == 1
    assert receipt.gas_used > 21_000
    event = receipt.event("ValueSet")
    assert event.who == accounts[2].address
    assert event["value"] == 42
    assert event.address == probe.address
    assert probe.value() == 42


def test_event_with_dynamic_fields(probe, accounts):
    key = b"\x07" * 32
    receipt = probe.put(key, 9, "note text", sender=accounts[0])
    (event,) = receipt.events_named("Put")
    assert event.args == {"key": key, "value": 9, "note": "note text"}
    assert probe.store(key) == 9


def test_custom_error_decoded(probe, accounts):
    with reverts("TooLarge", value=10**19, limit=10**18) as info:
        probe.set(10**19, sender=accounts[0])
    assert "Probe.set" in str(info.exc)
    assert probe.value() == 0


def test_custom_error_with_address_argument(probe, accounts):
    with reverts("NotOwner", caller=accounts[3].address):
        probe.ownerOnly(sender=accounts[3])
    assert probe.ownerOnly(sender=accounts[0]) is True


def test_error_string_and_panic_decoded(probe):
    with reverts("Error", message="not ok"):
        probe.requireOk(False)
    with reverts("Panic", code=0x12) as info:
        probe.divide(1, 0)
    assert "division or modulo by zero" in str(info.exc)


def test_mined_failed_transaction_is_explained(probe, accounts):
    """With gas given, a node mines the failing transaction; the revert is still decoded."""
    with reverts("TooLarge") as info:
        probe.set(10**19, sender=accounts[0], gas=200_000)
    assert probe.value() == 0
    assert info.exc is not None


def test_snapshot_and_revert(chain, probe, accounts):
    probe.set(1, sender=accounts[0])
    before_block = chain.block_number()
    snap = chain.snapshot()
    probe.set(2, sender=accounts[0])
    assert probe.value() == 2
    chain.revert(snap)
    assert probe.value() == 1
    assert chain.block_number() == before_block


def test_time_travel(chain, probe, accounts):
    start = probe.clock().timestamp
    chain.sleep(3600)
    chain.mine()
    assert probe.clock().timestamp >= start + 3600
    target = chain.time() + 86_400
    chain.mine(timestamp=target)
    assert probe.clock().timestamp >= target
    assert probe.clock().chainId == chain.chain_id


def test_accounts_funded_and_nonce_advances(chain, probe, accounts):
    assert len(accounts) >= 4
    assert all(chain.balance(a.address) > 10**18 for a in accounts[:4])
    n = chain.nonce(accounts[5].address)
    probe.set(3, sender=accounts[5])
    assert chain.nonce(accounts[5].address) == n + 1


def test_abi_types_round_trip(probe, accounts):
    result = probe.echo(accounts[1], -5, "0x" + "ab" * 32, b"\x00\x01", "hé", True)
    assert result == (accounts[1].address, -5, bytes.fromhex("ab" * 32), b"\x00\x01", "hé", True)


@given(value=st.integers(0, 10**18))
def test_each_example_starts_clean(probe, accounts, value):
    """Invariant: every Hypothesis example starts from the state before the first one,
    so the stored value is always the initial 0 whatever earlier examples wrote."""
    assert probe.value() == 0
    probe.set(value, sender=accounts[0])
    assert probe.value() == value


def test_bad_argument_is_a_clear_error(probe, accounts):
    from daftar.errors import DaftarError

    with pytest.raises(DaftarError, match=r"Probe.set\(uint256\): bad argument"):
        probe.set(-1, sender=accounts[0])
    with pytest.raises(
        DaftarError, match=r"Probe.put\(bytes32,uint256,string\): .*exactly 32 bytes"
    ):
        probe.put("0x1234", 1, "short key", sender=accounts[0])


def test_call_of_state_changing_function_changes_nothing(probe, accounts):
    """Like eth_call: a call runs the function fully and returns, but nothing persists."""
    assert probe.set.call(7, sender=accounts[0]) is None
    assert probe.value() == 0
    assert probe.requireOk(True) is True


def test_sending_leaves_an_account_without_code(chain, probe, accounts):
    """An externally owned account stays code-less after it transacts (EIP-1271 checks rely on it)."""
    probe.set(1, sender=accounts[6])
    assert chain.code(accounts[6].address) == b""
    assert chain.code(probe.address) != b""


def test_revert_restores_nonces_and_addresses(chain, project, accounts):
    """After a revert, nonces are back, so the next deployment gets the same address."""
    sender = accounts[7]
    start = chain.nonce(sender.address)
    snap = chain.snapshot()
    first = project.Probe.deploy(sender, sender=sender)
    first.set(1, sender=sender)
    assert chain.nonce(sender.address) == start + 2
    chain.revert(snap)
    assert chain.nonce(sender.address) == start
    again = project.Probe.deploy(sender, sender=sender)
    assert again.address == first.address


def test_reverted_transaction_leaves_no_block(chain, probe, accounts):
    """A transaction that reverts (gas estimated, so never mined) leaves the chain as it was."""
    chain.sleep(50)
    block, stamp = chain.block_number(), probe.clock().timestamp
    with reverts("TooLarge"):
        probe.set(10**19, sender=accounts[0])
    assert chain.block_number() == block
    assert probe.clock().timestamp == stamp


def test_unfunded_signer_is_a_clear_error(chain, probe):
    """A node's refusal (here: no funds for gas) surfaces as a DaftarError, not web3's."""
    if chain.backend == "revm":
        pytest.skip("the embedded chain charges no gas")
    from eth_account import Account as EthAccount

    from daftar.chain.base import Account
    from daftar.errors import DaftarError

    fresh = EthAccount.create()
    broke = Account(fresh.address, bytes(fresh.key))
    with pytest.raises(DaftarError, match="(?i)funds|balance"):
        probe.set(1, sender=broke, gas=100_000)
