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


# -- the live path: signed raw transactions, lookups by hash, nonces, fees -------------------
def _signed(chain, sender, data, to=None, gas=None, nonce=None, chain_id=None):
    """A type-2 transaction signed locally, priced from chain.fees(), as a deploy signs it."""
    from eth_account import Account as EthAccount

    fees = chain.fees()
    tx = {
        "type": 2,
        "chainId": chain.chain_id if chain_id is None else chain_id,
        "nonce": chain.pending_nonce(sender.address) if nonce is None else nonce,
        "gas": gas or chain.estimate_gas(to, data, sender) * 2,
        "maxFeePerGas": 2 * fees.base_fee + fees.priority_fee,
        "maxPriorityFeePerGas": fees.priority_fee,
        "value": 0,
        "data": data,
    }
    if to is not None:
        tx["to"] = to
    return EthAccount.sign_transaction(tx, sender.key)


def _mined(chain, tx_hash):
    """The receipt, once the node has mined it (every backend here mines at once)."""
    import time

    deadline = time.monotonic() + 10
    while (receipt := chain.receipt(tx_hash)) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return receipt


def test_fees_and_nonces_are_plain_values(chain, accounts):
    from daftar.chain import Fees

    fees = chain.fees()
    assert isinstance(fees, Fees)
    assert type(fees.base_fee) is int and type(fees.priority_fee) is int
    assert fees.base_fee >= 0 and fees.priority_fee >= 0
    who = accounts[8].address
    assert chain.pending_nonce(who) == chain.nonce(who)
    assert type(chain.block_number()) is int


def test_raw_deploy_and_call_are_mined_and_looked_up(chain, project, accounts):
    """A transaction signed here and sent raw: its receipt and the transaction itself can
    be looked up by hash, as plain values, and the nonce advances."""
    from daftar.chain import Receipt, Transaction

    sender = accounts[8]
    start = chain.nonce(sender.address)
    initcode = project.Probe.deploy_data(sender.address)
    signed = _signed(chain, sender, initcode)
    tx_hash = chain.send_raw_transaction(bytes(signed.raw_transaction))
    assert tx_hash == "0x" + bytes(signed.hash).hex()
    receipt = _mined(chain, tx_hash)
    assert isinstance(receipt, Receipt) and receipt.status == 1
    assert receipt.tx_hash == tx_hash and receipt.sender == sender.address
    assert receipt.contract_address and chain.code(receipt.contract_address) != b""
    assert receipt.block_hash.startswith("0x") and len(receipt.block_hash) == 66
    tx = chain.transaction(tx_hash)
    assert isinstance(tx, Transaction)
    assert (tx.hash, tx.sender, tx.to, tx.nonce) == (tx_hash, sender.address, None, start)
    assert tx.input == initcode and tx.block_number == receipt.block_number
    assert chain.nonce(sender.address) == chain.pending_nonce(sender.address) == start + 1

    probe = project.Probe.at(receipt.contract_address, chain)
    data = probe.set.encode_input(7)
    call = _signed(chain, sender, data, to=probe.address)
    receipt = _mined(chain, chain.send_raw_transaction(bytes(call.raw_transaction)))
    assert receipt.status == 1 and receipt.to == probe.address and receipt.logs
    assert probe.value() == 7
    assert chain.transaction(receipt.tx_hash).input == data
    assert chain.block_number() >= receipt.block_number


def test_unknown_hash_looks_up_as_none(chain):
    assert chain.transaction("0x" + "11" * 32) is None
    assert chain.receipt("0x" + "11" * 32) is None


def test_raw_send_refusals_carry_the_nodes_message(chain, project, accounts):
    """The same transaction twice, or one for another chain: the node's refusal comes back
    as NodeRefused with the node's own words, never a web3 exception."""
    from daftar.chain import NodeRefused

    sender = accounts[8]
    signed = _signed(chain, sender, project.Probe.deploy_data(sender.address))
    _mined(chain, chain.send_raw_transaction(bytes(signed.raw_transaction)))
    with pytest.raises(NodeRefused) as info:
        chain.send_raw_transaction(bytes(signed.raw_transaction))
    assert info.value.message and info.value.message in str(info.value)
    if chain.backend == "tester":
        return  # eth-tester does not check a raw transaction's chain id
    other = _signed(chain, sender, b"", to=sender.address, gas=21_000, chain_id=chain.chain_id + 1)
    with pytest.raises(NodeRefused):
        chain.send_raw_transaction(bytes(other.raw_transaction))


def test_reverting_raw_transaction_is_mined_as_failed(chain, probe, accounts):
    """A signed transaction's gas is fixed, so one that reverts is mined with status 0 and
    uses its nonce (the state it tried to change stays as it was)."""
    sender = accounts[8]
    start = chain.nonce(sender.address)
    data = probe.set.encode_input(10**19)
    signed = _signed(chain, sender, data, to=probe.address, gas=200_000)
    receipt = _mined(chain, chain.send_raw_transaction(bytes(signed.raw_transaction)))
    assert receipt.status == 0
    assert chain.nonce(sender.address) == start + 1
    assert probe.value() == 0


def test_fresh_address_has_no_balance_nor_code(chain):
    nobody = "0x" + "12" * 20  # digits only: its own checksum form
    assert chain.balance(nobody) == 0 and chain.code(nobody) == b""
    assert chain.nonce(nobody) == chain.pending_nonce(nobody) == 0


def _not_before(timestamp: int) -> bytes:
    """Init code of a contract whose every call reverts while block.timestamp < `timestamp`."""
    # PUSH32 t, TIMESTAMP, LT, PUSH1 39, JUMPI, STOP, JUMPDEST, PUSH1 0, DUP1, REVERT
    runtime = (
        b"\x7f" + timestamp.to_bytes(32, "big") + b"\x42\x10\x60\x27\x57\x00\x5b\x60\x00\x80\xfd"
    )
    n = len(runtime).to_bytes(1, "big")
    # PUSH1 n, DUP1, PUSH1 11, PUSH1 0, CODECOPY, PUSH1 0, RETURN, then the runtime
    return b"\x60" + n + b"\x80\x60\x0b\x60\x00\x39\x60\x00\xf3" + runtime


def test_a_transaction_after_sleep_runs_at_the_new_time(chain, accounts):
    """sleep() without mine(): the next transaction's block carries the new time, and so does
    its gas estimate (a time-gated call is neither refused nor mis-estimated)."""
    sender = accounts[0]
    gate = chain.deploy(_not_before(chain.time() + 1_000), sender).contract_address
    with reverts():
        chain.transact(gate, b"", sender)
    chain.sleep(2_000)
    assert chain.transact(gate, b"", sender).status == 1
