import pytest


@pytest.fixture(scope="module")
def bank(Bank, accounts):
    return Bank.deploy({"from": accounts[0]})


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass
