import brownie


def test_sender_balance_decreases(accounts, token):
    before = token.balanceOf(accounts[0])
    token.transfer(accounts[1], 10**18, {"from": accounts[0]})
    assert token.balanceOf(accounts[0]) == before - 10**18


def test_receiver_balance_increases(accounts, token):
    token.transfer(accounts[1], "5 ether", {"from": accounts[0]})
    assert token.balanceOf(accounts[1]) == "5 ether"


def test_total_supply_unaffected(accounts, token):
    token.transfer(accounts[1], 10**18, {"from": accounts[0]})
    assert token.totalSupply() == 1e21


def test_returns_true(accounts, token):
    tx = token.transfer(accounts[1], 10**18, {"from": accounts[0]})
    assert tx.return_value is True


def test_transfer_full_balance(accounts, token):
    amount = token.balanceOf(accounts[0])
    token.transfer(accounts[1], amount, {"from": accounts[0]})
    assert token.balanceOf(accounts[0]) == 0


def test_transfer_zero(accounts, token):
    tx = token.transfer(accounts[1], 0, {"from": accounts[0]})
    assert tx.events["Transfer"]["value"] == 0


def test_insufficient_balance(accounts, token):
    with brownie.reverts("SafeMath: subtraction overflow"):
        token.transfer(accounts[2], 1, {"from": accounts[1]})


def test_transfer_to_zero_address(accounts, token):
    with brownie.reverts("dev: transfer to the zero address"):
        token.transfer("0x0000000000000000000000000000000000000000", 1, {"from": accounts[0]})


def test_transfer_event(accounts, token):
    tx = token.transfer(accounts[1], 1000, {"from": accounts[0]})
    assert len(tx.events) == 1
    sender, receiver, value = tx.events["Transfer"].values()
    assert sender == accounts[0] and receiver == accounts[1] and value == 1000


def test_call_does_not_transact(accounts, token):
    assert token.transfer.call(accounts[1], 1, {"from": accounts[0]}) is True
    assert token.balanceOf(accounts[1]) == 0
