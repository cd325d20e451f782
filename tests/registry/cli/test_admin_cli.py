"""`daftar admin` against a real registry on anvil: pause, roles, the two-step admin transfer.

The deployer dev0 holds every role at first. dev5 holds none, so its attempts name the
missing role. The admin transfer to dev1 runs last: it changes who may grant roles.
"""

from __future__ import annotations

import pytest

from daftar.keys import dev_accounts
from daftar_registry.plan import ADMIN_DELAY

pytestmark = pytest.mark.slow

DEV = [a.address for a in dev_accounts()]
LOCAL = ("--network", "localhost")


def test_roles_shows_admin_delay_pause_and_holders(cli, tmp_path):
    data = cli.json("admin", "roles", "--check", DEV[0], "--check", DEV[5], *LOCAL)
    assert data["network"] == "localhost"
    issuers, credentials, pilots = data["contracts"]
    assert [c["contract"] for c in data["contracts"]] == [
        "IssuerRegistry", "CredentialRegistry", "PilotRegistry",
    ]  # fmt: skip
    assert issuers["roles"] == ["DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "REGISTRAR_ROLE"]
    assert credentials["roles"] == ["DEFAULT_ADMIN_ROLE", "PAUSER_ROLE"]
    assert pilots["roles"] == ["DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "PROGRAMME_OFFICE_ROLE"]
    for c in data["contracts"]:
        assert c["default_admin"] == DEV[0] and c["pending_admin"] is None
        assert c["admin_delay_seconds"] == ADMIN_DELAY and c["paused"] is False
        assert all(c["holders"][DEV[0]].values()) and not any(c["holders"][DEV[5]].values())
    # one contract, human output, and explorer links where the network has an explorer
    import yaml

    from daftar.config import CONFIG_NAME

    config = yaml.safe_load((cli.cwd / CONFIG_NAME).read_text())
    config["daftar"]["networks"]["localhost"]["explorer"] = "https://scan.example"
    (tmp_path / CONFIG_NAME).write_text(yaml.safe_dump(config))
    proc = cli("--project", str(tmp_path), "admin", "roles", "--contract", "PilotRegistry",
               "--check", DEV[5], *LOCAL)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"PilotRegistry  {pilots['address']}  https://scan.example/address/" in out
    assert f"admin:        {DEV[0]}  https://scan.example/address/{DEV[0]}" in out
    assert "admin delay:  172800 s (2 d)" in out and "paused:       no" in out
    assert f"{DEV[5]}: holds no role" in out and "IssuerRegistry" not in out


def test_pause_and_unpause(cli, registry):
    admin = registry["admin"]
    proc = cli("admin", "pause", "issuers", *LOCAL, "--account", "dev5")
    cli.failed(proc, f"account {DEV[5]} lacks PAUSER_ROLE on IssuerRegistry")
    paused = cli.json("admin", "pause", "issuers", *LOCAL, "--account", "dev0")
    assert paused["paused"] is True and paused["changed"] is True
    assert paused["contract"] == "IssuerRegistry" and paused["tx"].startswith("0x")
    assert admin.issuers.paused() is True and admin.pilots.paused() is False
    proc = cli("issuer", "accredit", DEV[7], "--name", "Later", *LOCAL, "--account", "dev0")
    cli.failed(proc, "IssuerRegistry is paused")
    again = cli("admin", "pause", "IssuerRegistry", *LOCAL, "--account", "dev0")
    assert again.returncode == 0 and "already; nothing sent" in again.stdout, again.stderr
    resumed = cli.json("admin", "unpause", "ISSUERS", *LOCAL, "--account", "dev0")
    assert resumed["paused"] is False and resumed["changed"] is True
    assert cli.json("admin", "unpause", "issuers", *LOCAL)["changed"] is False
    proc = cli("admin", "pause", "bogus", *LOCAL)
    assert proc.returncode == 2 and "not a registry contract" in proc.stderr


def test_grant_and_revoke_role(cli, registry):
    granted = cli.json("admin", "grant", "PAUSER_ROLE", DEV[5], "--contract", "pilots", *LOCAL)
    assert granted["holds"] is True and granted["changed"] is True
    assert granted["role"] == "PAUSER_ROLE" and granted["contract"] == "PilotRegistry"
    assert cli.json("admin", "pause", "pilots", *LOCAL, "--account", "dev5")["paused"] is True
    admin = registry["admin"]
    admin.pilots.unpause(sender=admin.signer)
    again = cli.json("admin", "grant", "pauser", DEV[5], "--contract", "PilotRegistry", *LOCAL)
    assert again["changed"] is False and again["tx"] is None
    revoked = cli.json("admin", "revoke-role", "PAUSER_ROLE", DEV[5], "--contract", "pilots",
                       *LOCAL)  # fmt: skip
    assert revoked["holds"] is False and revoked["changed"] is True
    proc = cli("admin", "pause", "pilots", *LOCAL, "--account", "dev5")
    cli.failed(proc, "lacks PAUSER_ROLE on PilotRegistry")


def test_role_refusals(cli):
    proc = cli("admin", "grant", "REGISTRAR_ROLE", DEV[5], "--contract", "credentials", *LOCAL)
    cli.failed(proc, "CredentialRegistry has no REGISTRAR_ROLE (REGISTRAR_ROLE is on "
               "IssuerRegistry); its roles are PAUSER_ROLE")  # fmt: skip
    proc = cli("admin", "grant", "DEFAULT_ADMIN_ROLE", DEV[5], "--contract", "issuers", *LOCAL)
    cli.failed(proc, "cannot be granted or revoked", "two-step transfer",
               "daftar admin transfer-admin")  # fmt: skip
    proc = cli("admin", "grant", "PAUSER_ROLE", DEV[6], "--contract", "issuers", *LOCAL,
               "--account", "dev5")  # fmt: skip
    cli.failed(proc, f"account {DEV[5]} is not the admin of IssuerRegistry")


def test_admin_transfer_takes_two_steps_and_the_delay(cli, registry):
    admin = registry["admin"]
    proc = cli("admin", "transfer-admin", DEV[1], *LOCAL, "--account", "dev5")
    cli.failed(proc, f"{DEV[5]} is not the admin of IssuerRegistry", "Nothing was sent")
    started = cli.json("admin", "transfer-admin", DEV[1], *LOCAL, "--account", "dev0")
    assert [c["contract"] for c in started["contracts"]] == [
        "IssuerRegistry", "CredentialRegistry", "PilotRegistry",
    ]  # fmt: skip
    after = started["contracts"][0]["accept_after"]
    assert after.endswith("Z") and started["new_admin"] == DEV[1]
    proc = cli("admin", "accept-admin", *LOCAL, "--account", "dev2")
    cli.failed(proc, f"no admin transfer to {DEV[2]} is pending on any registry contract")
    proc = cli("admin", "accept-admin", *LOCAL, "--account", "dev1")
    cli.failed(proc, f"can be accepted only after {after}", "defaultAdminDelay")
    assert admin.issuers.defaultAdmin() == DEV[0]  # the dry run stopped before sending
    admin.chain.sleep(ADMIN_DELAY + 1)
    admin.chain.mine()
    one = cli.json("admin", "accept-admin", "--contract", "issuers", *LOCAL, "--account", "dev1")
    assert [c["contract"] for c in one["contracts"]] == ["IssuerRegistry"]
    rest = cli.json("admin", "accept-admin", *LOCAL, "--account", "dev1")
    assert [c["contract"] for c in rest["contracts"]] == ["CredentialRegistry", "PilotRegistry"]
    assert rest["skipped"] == ["IssuerRegistry"]
    state = cli.json("admin", "roles", "--check", DEV[0], *LOCAL)["contracts"]
    assert all(c["default_admin"] == DEV[1] and c["pending_admin"] is None for c in state)
    assert not any(c["holders"][DEV[0]]["DEFAULT_ADMIN_ROLE"] for c in state)
    proc = cli("admin", "grant", "PAUSER_ROLE", DEV[6], "--contract", "issuers", *LOCAL,
               "--account", "dev0")  # fmt: skip
    cli.failed(proc, f"account {DEV[0]} is not the admin of IssuerRegistry")
