from brownie import Bank, accounts


def main():
    bank = Bank.deploy({"from": accounts[0]})
    bank.deposit(accounts[0], {"from": accounts[0], "value": "1 ether"})
    print(f"Bank at {bank.address} holds {bank.totalDeposits().to('ether')} ether")
    return bank
