import pytest
from scripts.deploy import main as deploy


@pytest.fixture(scope="module")
def shop():
    return deploy()


@pytest.fixture(scope="module")
def gold(shop, Gold):
    return Gold.at(shop.gold())


@pytest.fixture(scope="module")
def feed(shop, MockFeed):
    return MockFeed[-1]


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass
