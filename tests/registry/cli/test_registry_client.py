"""The pure parts under the registry commands: signer choice, times, refusal words."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_abi import encode
from eth_utils import keccak

from daftar import config
from daftar.chain.base import Reverted
from daftar.contract.errors import ErrorRegistry
from daftar.errors import AccountError, NetworkError
from daftar.keys import dev_accounts
from daftar_registry.cli.common import InputError, parse_when, utc
from daftar_registry.client import live_network, records_folder, resolve_signer
from daftar_registry.refusals import Refused, explain_refusal, role_name

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def cfg() -> config.Config:
    return config.load(REPO)


@pytest.fixture(autouse=True)
def _no_signer_env(monkeypatch):
    for var in (
        "DAFTAR_ACCOUNT",
        "DEPLOYER_PRIVATE_KEY",
        "DEPLOYER_KEYSTORE",
        "DAFTAR_DEPLOYMENTS",
    ):
        monkeypatch.delenv(var, raising=False)


def test_dev_accounts_sign_only_on_local_chains(cfg):
    assert resolve_signer("dev2", cfg.network("localhost")) == dev_accounts()[2]
    with pytest.raises(AccountError, match="public test key"):
        resolve_signer("dev2", cfg.network("sepolia"))


def test_default_signer(cfg, monkeypatch):
    assert resolve_signer(None, cfg.network("localhost")) == dev_accounts()[0]
    with pytest.raises(AccountError, match="--account NAME"):
        resolve_signer(None, cfg.network("sepolia"))
    monkeypatch.setenv("DAFTAR_ACCOUNT", "dev4")
    assert resolve_signer(None, cfg.network("localhost")) == dev_accounts()[4]


def test_throwaway_networks_and_records_folder(cfg, monkeypatch, tmp_path):
    with pytest.raises(NetworkError, match="throwaway revm chain"):
        live_network(cfg, "development")
    assert records_folder(cfg, "sepolia") == cfg.deployments_dir / "sepolia"
    monkeypatch.setenv("DAFTAR_DEPLOYMENTS", str(tmp_path))
    assert records_folder(cfg, "sepolia") == tmp_path / "sepolia"
    assert records_folder(cfg, "sepolia", REPO) == REPO / "sepolia"


def test_times():
    assert parse_when(None, "--x") == 0 and parse_when("never", "--x") == 0
    assert parse_when("1798761600", "--x") == 1798761600
    assert parse_when("2027-01-01", "--x") == 1798761600
    assert parse_when("2027-01-01T08:00:00+08:00", "--x") == 1798761600
    assert parse_when("2027-01-01T00:00:00", "--x") == 1798761600  # naive means UTC
    assert utc(1798761600) == "2027-01-01T00:00:00Z" and utc(0) is None
    with pytest.raises(InputError, match="--x 'soon' is not a time"):
        parse_when("soon", "--x")


def _reverted(signature: str, types: list[str], values: list, where: str) -> Reverted:
    name, _ = signature.split("(", 1)
    inputs = [
        {"name": n, "type": t} for n, t in zip(("account", "neededRole"), types, strict=False)
    ]
    errors = ErrorRegistry()
    errors.add_abi([{"type": "error", "name": name, "inputs": inputs}])
    data = keccak(text=signature)[:4] + encode(types, values)
    return errors.explain(Reverted(data), where)


def test_role_ids_map_back_to_names():
    assert role_name(keccak(text="PAUSER_ROLE")) == "PAUSER_ROLE"
    assert role_name(bytes(32)) == "DEFAULT_ADMIN_ROLE"
    assert role_name("0x" + "11" * 32) == "0x" + "11" * 32
    exc = _reverted(
        "AccessControlUnauthorizedAccount(address,bytes32)",
        ["address", "bytes32"],
        [dev_accounts()[5].address, keccak(text="PROGRAMME_OFFICE_ROLE")],
        "PilotRegistry.approve",
    )
    refused = explain_refusal(exc)
    assert isinstance(refused, Refused) and refused.error == "AccessControlUnauthorizedAccount"
    assert str(refused) == (
        f"account {dev_accounts()[5].address} lacks PROGRAMME_OFFICE_ROLE on PilotRegistry; "
        "ask the admin to grant it (grantRole)"
    )


def test_unlisted_errors_keep_their_decoded_form():
    exc = _reverted("SomethingElse()", [], [], "PilotRegistry.approve")
    assert explain_refusal(exc) is exc
