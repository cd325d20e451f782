"""The Brownie layer in one process on revm: chain snapshots, undo, history, containers,
receipts and the clear errors, on examples/brownie-token's ERC-20."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import daftar.compat.brownie as brownie
from daftar.compat.brownie import _state
from daftar.compat.brownie.exceptions import VirtualMachineError
from daftar.errors import DaftarError

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "brownie-token"


@pytest.fixture(scope="module")
def session() -> Iterator[None]:
    _state.load_project(EXAMPLE)
    _state.connect("development")
    brownie.chain._push("session")
    yield
    _state.disconnect()
    _state._project.clear()


@pytest.fixture
def token(session: None) -> Iterator[object]:
    brownie.chain.snapshot()
    token = brownie.Token.deploy("T", "T", 18, "1000 ether", {"from": brownie.accounts[0]})
    yield token
    brownie.chain.revert()


def test_snapshot_revert_forgets_transactions_and_deployments(session: None) -> None:
    accounts, Token = brownie.accounts, brownie.Token
    brownie.chain.snapshot()
    height, txs = brownie.chain.height, len(brownie.history)
    Token.deploy("T", "T", 18, 1e21, {"from": accounts[0]})
    assert len(Token) == 1 and brownie.chain.height == height + 1
    assert brownie.history[-1].contract_address == Token[-1].address
    brownie.chain.revert()
    assert len(Token) == 0 and brownie.chain.height == height and len(brownie.history) == txs


def test_undo_replays_all_but_the_last(token: object) -> None:
    a = brownie.accounts
    token.transfer(a[1], 10, {"from": a[0]})
    token.transfer(a[1], 5, {"from": a[0]})
    brownie.chain.undo()
    assert token.balanceOf(a[1]) == 10
    brownie.chain.undo()
    assert token.balanceOf(a[1]) == 0
    assert brownie.Token[-1] == token  # the deployment, made before the snapshot... replayed


def test_reverted_transaction_is_in_history_with_its_reason(token: object) -> None:
    a = brownie.accounts
    with pytest.raises(VirtualMachineError) as info:
        token.transfer(a[2], 1, {"from": a[1]})
    assert info.value.revert_msg == "SafeMath: subtraction overflow"
    assert brownie.history[-1].status == 0
    assert brownie.history[-1].revert_msg == "SafeMath: subtraction overflow"


def test_time_travel(session: None) -> None:
    before = brownie.chain.time()
    brownie.chain.sleep(3600)
    brownie.chain.mine()
    assert brownie.chain.time() >= before + 3600
    assert brownie.chain[-1].timestamp >= before + 3600


def test_sender_is_required(token: object) -> None:
    with pytest.raises(DaftarError, match=r"needs a sender: pass \{'from': accounts\[0\]\}"):
        token.transfer(brownie.accounts[1], 1)


def test_unknown_contract_and_function_are_clear_errors(token: object) -> None:
    with pytest.raises(DaftarError, match="no contract called Nope .* contracts: SafeMath, Token"):
        brownie.Nope  # noqa: B018
    with pytest.raises(DaftarError, match="Token has no function 'mint'"):
        token.mint  # noqa: B018


def test_network_and_web3(session: None) -> None:
    assert brownie.network.show_active() == "development"
    assert brownie.web3.eth.chain_id == 1337
    assert brownie.web3.eth.get_balance(brownie.accounts[0]) > 0
    assert brownie.config["compiler"]["solc"]["version"] == "0.6.12"


def test_blocks_read_by_key_and_attribute_as_in_web3(session: None) -> None:
    block = brownie.web3.eth.get_block("latest")
    assert block["timestamp"] == block.timestamp == brownie.chain[-1].timestamp
    assert block["number"] == brownie.web3.eth.block_number
    with pytest.raises(DaftarError, match="block field 'gasLimit'"):
        block["gasLimit"]
    with pytest.raises(AttributeError, match="block field 'hash'"):
        block.hash  # noqa: B018
