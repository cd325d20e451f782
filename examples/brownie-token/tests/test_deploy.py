from brownie import Token, history


def test_metadata(token):
    assert token.name() == "Test Token"
    assert token.symbol() == "TST"
    assert token.decimals() == 18
    assert token.totalSupply() == 1e21


def test_deployer_holds_supply(token, accounts):
    assert token.balanceOf(accounts[0]) == "1000 ether"
    assert token.tx.events["Transfer"]["value"] == 1e21
    assert token.tx.events["Transfer"]["from"] == "0x" + "0" * 40


def test_container(token):
    assert Token[-1] == token
    assert token in Token and len(Token) >= 1
    assert Token.at(token.address) == token


def test_history_records_transactions(token, accounts):
    before = len(history)
    tx = token.transfer(accounts[1], 1, {"from": accounts[0]})
    assert len(history) == before + 1
    assert history[-1] == tx
    assert tx.txid.startswith("0x") and tx.status == 1
