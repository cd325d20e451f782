from brownie import Token, accounts


def main():
    return Token.deploy("Test Token", "TST", 18, 1e21, {"from": accounts[0]})


def distribute():
    token = Token[-1] if len(Token) else main()
    for receiver in accounts[1:4]:
        token.transfer(receiver, "10 ether", {"from": accounts[0]})
    print(f"{token.symbol()}: {[token.balanceOf(a) for a in accounts[:4]]}")
