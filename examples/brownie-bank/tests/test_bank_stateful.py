"""A Brownie state machine: random deposits, withdrawals and moves against a model."""

import brownie
from hypothesis import HealthCheck
from brownie.test import strategy


class BankMachine:
    st_amount = strategy("uint256", max_value="5 ether")
    st_account = strategy("address", length=4)

    def __init__(cls, accounts, bank):
        cls.accounts = accounts
        cls.bank = bank

    def setup(self):
        self.model = {acct: 0 for acct in self.accounts}

    def rule_deposit(self, st_account, st_amount):
        if st_amount == 0:
            with brownie.reverts("nothing to deposit"):
                self.bank.deposit(st_account, {"from": self.accounts[0], "value": 0})
        else:
            self.bank.deposit(st_account, {"from": self.accounts[0], "value": st_amount})
            self.model[st_account] += st_amount

    def rule_withdraw(self, st_account, st_amount):
        if st_amount <= self.model[st_account]:
            self.bank.withdraw(st_amount, {"from": st_account})
            self.model[st_account] -= st_amount
        else:
            with brownie.reverts("insufficient balance"):
                self.bank.withdraw(st_amount, {"from": st_account})

    def rule_move(self, sender="st_account", receiver="st_account", amount="st_amount"):
        if amount <= self.model[sender]:
            self.bank.move(receiver, amount, {"from": sender})
            self.model[sender] -= amount
            self.model[receiver] += amount
        else:
            with brownie.reverts("insufficient balance"):
                self.bank.move(receiver, amount, {"from": sender})

    def invariant_balances(self):
        for acct, amount in self.model.items():
            assert self.bank.balanceOf(acct) == amount

    def invariant_total(self):
        assert self.bank.totalDeposits() == sum(self.model.values())
        assert self.bank.balance() == self.bank.totalDeposits()


def test_bank_state_machine(state_machine, accounts, bank):
    # The health checks time data generation: on a busy machine they fail a correct run.
    settings = {"max_examples": 15, "suppress_health_check": list(HealthCheck)}
    state_machine(BankMachine, accounts, bank, settings=settings)
