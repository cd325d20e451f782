import brownie
import pytest


@pytest.mark.parametrize("idx", range(5))
def test_initial_approval_is_zero(token, accounts, idx):
    assert token.allowance(accounts[0], accounts[idx]) == 0


def test_approve(token, accounts):
    token.approve(accounts[1], 10**19, {"from": accounts[0]})
    assert token.allowance(accounts[0], accounts[1]) == 10**19


def test_modify_approve(token, accounts):
    token.approve(accounts[1], 10**19, {"from": accounts[0]})
    token.approve(accounts[1], 12345678, {"from": accounts[0]})
    assert token.allowance(accounts[0], accounts[1]) == 12345678


def test_approval_event(token, accounts):
    tx = token.approve(accounts[1], 10**19, {"from": accounts[0]})
    assert tx.events["Approval"]["owner"] == accounts[0]
    assert tx.events["Approval"]["spender"] == accounts[1]
    assert tx.events["Approval"]["value"] == 10**19


def test_transfer_from(token, accounts):
    token.approve(accounts[1], "3 ether", {"from": accounts[0]})
    tx = token.transferFrom(accounts[0], accounts[2], "2 ether", {"from": accounts[1]})
    assert token.balanceOf(accounts[2]) == "2 ether"
    assert token.allowance(accounts[0], accounts[1]) == "1 ether"
    assert tx.events["Transfer"]["to"] == accounts[2]


def test_transfer_from_beyond_allowance(token, accounts):
    token.approve(accounts[1], 10, {"from": accounts[0]})
    with brownie.reverts("SafeMath: subtraction overflow"):
        token.transferFrom(accounts[0], accounts[2], 11, {"from": accounts[1]})


def test_transfer_from_without_approval(token, accounts):
    with brownie.reverts():
        token.transferFrom(accounts[0], accounts[2], 1, {"from": accounts[1]})


def test_estimate_and_encode(token, accounts):
    data = token.approve.encode_input(accounts[1], 1)
    assert data.startswith("0x095ea7b3")
    assert token.approve.estimate_gas(accounts[1], 1, {"from": accounts[0]}) > 21000
