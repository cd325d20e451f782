"""Deploy the feed, the token and the shop, and hand the token to the shop."""

from brownie import Gold, MockFeed, Shop, accounts, network

PRICE = 10**15  # wei per whole GLD: 0.001 ether
FEE_BPS = 250  # 2.5 %


def main():
    owner = accounts[0]
    feed = MockFeed.deploy(PRICE, {"from": owner})
    gold = Gold.deploy(owner, {"from": owner})
    shop = Shop.deploy(gold, feed, FEE_BPS, {"from": owner})
    gold.transferOwnership(shop, {"from": owner})
    print(f"Shop at {shop.address} selling {gold.symbol()} on {network.show_active()}")
    return shop
