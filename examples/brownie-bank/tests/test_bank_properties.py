"""Property tests: `given` + `strategy`, each example on a fresh copy of the chain."""

import brownie
from brownie import ZERO_ADDRESS, accounts
from brownie.test import given, strategy


@given(amount=strategy("uint256", min_value=1, max_value="100 ether"), to=strategy("address"))
def test_deposit_credits_the_receiver(bank, amount, to):
    before = bank.balanceOf(to)
    tx = bank.deposit(to, {"from": accounts[0], "value": amount})
    assert bank.balanceOf(to) == before + amount
    sender, receiver, value = tx.events["Deposited"].values()
    assert sender == accounts[0] and receiver == to and value == amount


@given(
    deposit=strategy("uint256", min_value=1, max_value="10 ether"),
    extra=strategy("uint256", min_value=1, max_value=10**18),
)
def test_cannot_withdraw_more_than_deposited(bank, deposit, extra):
    bank.deposit(accounts[1], {"from": accounts[1], "value": deposit})
    with brownie.reverts("insufficient balance"):
        bank.withdraw(deposit + extra, {"from": accounts[1]})


@given(amount=strategy("uint256", max_value="5 ether"))
def test_withdraw_returns_the_ether(bank, amount):
    bank.deposit(accounts[2], {"from": accounts[2], "value": amount + 1})
    before = accounts[2].balance()
    tx = bank.withdraw(amount, {"from": accounts[2]})
    assert accounts[2].balance() == before + amount - tx.gas_used * tx.gas_price
    assert bank.balanceOf(accounts[2]) == 1


def test_move_to_zero_address_has_a_dev_comment(bank):
    with brownie.reverts("dev: move to the zero address"):
        bank.move(ZERO_ADDRESS, 0, {"from": accounts[0]})


def test_move_returns_true(bank):
    bank.deposit(accounts[0], {"from": accounts[0], "value": 100})
    tx = bank.move(accounts[1], 40, {"from": accounts[0]})
    assert tx.return_value is True
    assert bank.balanceOf(accounts[1]) == 40


def test_empty_deposit_reverts(bank):
    with brownie.reverts("nothing to deposit"):
        bank.deposit(accounts[0], {"from": accounts[0]})
