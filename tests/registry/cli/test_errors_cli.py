"""Refusals on the command line: missing roles, a paused contract, networks without a
registry, stale records, and signers (dev keys, keystores that sign locally).

Each must end in one clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import shutil

import pytest
from eth_account import Account as EthAccount

from daftar.keys import dev_accounts, save_keystore
from daftar_registry.plan import role

pytestmark = pytest.mark.slow

DEV = [a.address for a in dev_accounts()]
LOCAL = ("--network", "localhost")


def test_missing_role_names_the_role(cli):
    proc = cli("issuer", "accredit", DEV[6], "--name", "Nope", *LOCAL, "--account", "dev5")
    cli.failed(proc, f"account {DEV[5]} lacks REGISTRAR_ROLE on IssuerRegistry",
               "ask the admin to grant it")  # fmt: skip
    proc = cli("pilot", "sponsor", "register", DEV[6], "--name", "X", *LOCAL, "--account", "dev5")
    cli.failed(proc, "lacks PROGRAMME_OFFICE_ROLE on PilotRegistry")


def test_paused_contract_refuses_writes_but_not_reads(cli, registry):
    admin = registry["admin"]
    admin.issuers.pause(sender=admin.signer)
    try:
        proc = cli("issuer", "accredit", DEV[7], "--name", "Later", *LOCAL, "--account", "dev0")
        cli.failed(proc, "IssuerRegistry is paused by the programme office; writes are "
                   "refused until it is unpaused")  # fmt: skip
        shown = cli.json("issuer", "show", DEV[7], *LOCAL)
        assert shown["standing"] == "NONE" and shown["in_good_standing"] is False
    finally:
        admin.issuers.unpause(sender=admin.signer)
    assert cli.json("issuer", "accredit", DEV[7], "--name", "Later", *LOCAL,
                    "--account", "dev0")["standing"] == "ACTIVE"  # fmt: skip


def test_issuer_lifecycle_and_show(cli):
    issuer = DEV[8]
    cli.json("issuer", "accredit", issuer, "--name", "Politeknik", "--uri", "ipfs://meta",
             "--valid-until", "2099-12-31", *LOCAL, "--account", "dev0")  # fmt: skip
    suspended = cli.json("issuer", "suspend", issuer, "--reason", "12", *LOCAL, "--account", "dev0")
    assert suspended["standing"] == "SUSPENDED" and suspended["reason_code"] == 12
    proc = cli("issuer", "suspend", issuer, "--reason", "12", *LOCAL, "--account", "dev0")
    cli.failed(proc, f"{issuer} is suspended; it cannot become suspended")
    cli.json("issuer", "reinstate", issuer, *LOCAL, "--account", "dev0")
    revoked = cli.json("issuer", "revoke", issuer, "--reason", "99", *LOCAL, "--account", "dev0")
    assert revoked["standing"] == "REVOKED"
    shown = cli.json("issuer", "show", issuer, *LOCAL)
    assert [h["status"] for h in shown["history"]] == ["ACTIVE", "SUSPENDED", "ACTIVE", "REVOKED"]
    assert shown["valid_until"] == "2099-12-31T00:00:00Z" and shown["name"] == "Politeknik"
    for key in ("issuer", "issuer_link", "standing", "in_good_standing", "metadata_uri",
                "valid_from", "accredited_at", "reason_code", "registry", "network"):  # fmt: skip
        assert key in shown, key


def test_network_without_records_says_how_to_deploy(cli, tmp_path):
    proc = cli("issuer", "show", DEV[1], "--network", "sepolia")
    cli.failed(proc, "no registry deployment is recorded for network 'sepolia'",
               "daftar deploy --network sepolia")  # fmt: skip
    proc = cli("pilot", "show", "1", *LOCAL, "--deployments", str(tmp_path))
    cli.failed(proc, "daftar deploy --network localhost")


def test_throwaway_networks_are_refused(cli):
    for args in (("--network", "development"), ("--network", "anvil"), ()):
        proc = cli("issuer", "show", DEV[1], *args)
        cli.failed(proc, "throwaway", "daftar node")


def test_stale_records_are_detected(cli, registry, tmp_path):
    shutil.copytree(registry["records"] / "localhost", tmp_path / "localhost")
    record = tmp_path / "localhost" / "PilotRegistry.json"
    data = json.loads(record.read_text())
    data["address"] = "0x000000000000000000000000000000000000dEaD"
    record.write_text(json.dumps(data))
    proc = cli("pilot", "show", "1", *LOCAL, "--deployments", str(tmp_path))
    cli.failed(proc, "no contract at 0x000000000000000000000000000000000000dEaD", "stale")


def test_wrong_chain_id_guard(cli, registry, tmp_path):
    shutil.copytree(registry["records"] / "localhost", tmp_path / "localhost")
    (tmp_path / "localhost" / ".chainId").write_text("11155111\n")
    proc = cli("issuer", "show", DEV[1], *LOCAL, "--deployments", str(tmp_path))
    cli.failed(proc, "chain id 11155111", "Refusing")


def test_keystore_signer_signs_locally(cli, registry, tmp_path, monkeypatch):
    """A keystore account (not unlocked on the node) signs its own transactions."""
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path))
    key = EthAccount.create()
    address, _path = save_keystore("office", "s3cret pass", bytes(key.key))
    admin = registry["admin"]
    admin.chain.w3.provider.make_request("anvil_setBalance", [address, hex(10**18)])
    admin.issuers.grantRole(role("REGISTRAR_ROLE"), address, sender=admin.signer)
    env = {"DAFTAR_HOME": str(tmp_path), "DEPLOYER_PASSWORD": "s3cret pass"}
    proc = cli("issuer", "accredit", DEV[9], "--name", "Kolej", *LOCAL,
               "--account", "office", env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "ACTIVE" in proc.stdout
    assert key.key.hex() not in proc.stdout + proc.stderr
    assert f"from {address}" in proc.stderr
    wrong = cli("issuer", "reinstate", DEV[9], *LOCAL, "--account", "office",
                env={**env, "DEPLOYER_PASSWORD": "nope"})  # fmt: skip
    cli.failed(wrong, "wrong password for keystore")
    missing = cli("issuer", "reinstate", DEV[9], *LOCAL, "--account", "ghost", env=env)
    cli.failed(missing, "no keystore at")
    viaenv = cli("issuer", "suspend", DEV[9], "--reason", "1", *LOCAL,
                 env={**env, "DAFTAR_ACCOUNT": "office"})  # fmt: skip
    assert viaenv.returncode == 0 and f"from {address}" in viaenv.stderr, viaenv.stderr


def test_usage_errors(cli):
    proc = cli("issuer", "show", "0x1234", *LOCAL)
    assert proc.returncode == 2 and "is not an address" in proc.stderr
    proc = cli("issuer", "accredit", DEV[1], "--name", "x", "--valid-from", "next week", *LOCAL)
    cli.failed(proc, "--valid-from 'next week' is not a time")
