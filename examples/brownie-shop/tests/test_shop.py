import brownie
from brownie import Gold, MockFeed, Shop, Wei, accounts, interface


def test_deploy_script_wires_everything(shop, gold, feed):
    assert len(Shop) == 1 and Shop[-1] == shop
    assert gold.owner() == shop
    assert shop.feed() == feed
    assert shop.feeBps() == 250
    assert gold.symbol() == "GLD"


def test_buy_mints_at_feed_price_minus_fee(shop, gold):
    buyer = accounts[1]
    tx = shop.buy({"from": buyer, "value": "1 ether"})
    fee = Wei("1 ether") * 250 // 10_000
    expected = (Wei("1 ether") - fee) * 10**18 // 10**15
    assert tx.return_value == expected
    assert gold.balanceOf(buyer) == expected
    assert tx.events["Bought"]["buyer"] == buyer
    assert tx.events["Bought"]["fee"] == fee
    assert tx.events["Transfer"]["to"] == buyer
    assert shop.balance() == "1 ether"
    assert shop.feesCollected() == fee


def test_events_in_order(shop):
    tx = shop.buy({"from": accounts[2], "value": 10**16})
    assert [ev.name for ev in tx.events] == ["Transfer", "Bought"]
    assert tx.events[1]["buyer"] == accounts[2]


def test_interface_reads_the_feed(feed):
    as_interface = interface.IPriceFeed(feed.address)
    assert as_interface.latestPrice() == 10**15
    feed.setPrice(2 * 10**15, {"from": accounts[0]})
    assert as_interface.latestPrice() == 2 * 10**15


def test_buy_without_ether_reverts_with_dev_comment(shop):
    with brownie.reverts("dev: no ether sent"):
        shop.buy({"from": accounts[1]})


def test_buy_without_price_reverts(shop, feed):
    feed.setPrice(0, {"from": accounts[0]})
    with brownie.reverts("dev: feed has no price"):
        shop.buy({"from": accounts[1], "value": 1000})


def test_only_owner_sets_price(feed):
    with brownie.reverts("not owner"):
        feed.setPrice(1, {"from": accounts[3]})


def test_only_the_shop_mints(gold):
    with brownie.reverts():
        gold.mint(accounts[1], 1, {"from": accounts[0]})


def test_withdraw_sends_the_ether(shop):
    shop.buy({"from": accounts[1], "value": "2 ether"})
    receiver = accounts.add()
    tx = shop.withdraw(receiver, {"from": accounts[0]})
    assert receiver.balance() == "2 ether"
    assert tx.events["Withdrawn"]["amount"] == "2 ether"
    assert shop.balance() == 0


def test_constructor_refuses_high_fees(gold, feed):
    with brownie.reverts("fee too high"):
        Shop.deploy(gold, feed, 1_001, {"from": accounts[0]})


def test_containers_track_deployments(shop):
    assert len(Gold) == 1 and len(MockFeed) == 1
    MockFeed.deploy(1, {"from": accounts[0]})
    assert len(MockFeed) == 2
