"""Plans on the embedded chain: the registry plan wires what deploy_registry wires."""

from __future__ import annotations

import pytest

from daftar.chain.revm import RevmChain
from daftar.deploy.fees import bumped
from daftar.deploy.local import dry_run, run_local
from daftar.deploy.plan import Plan
from daftar.errors import ConfigError, DeployError
from daftar_registry.plan import GRANTS, registry_plan, role, role_holders


@pytest.fixture
def fresh(project):
    chain = RevmChain("plan-test")
    yield chain
    chain.close()


def test_registry_plan_deploys_and_grants(project, fresh):
    admin, office, pauser = fresh.accounts[:3]
    holders = {
        "registrar": office.address,
        "programme_office": office.address,
        "pauser": pauser.address,
    }
    results = run_local(
        project, registry_plan(admin.address, holders), fresh, admin, lambda _m: None
    )
    addr = {r.name: r.address for r in results if r.address}
    issuers = project.IssuerRegistry.at(addr["issuers"], fresh)
    credentials = project.CredentialRegistry.at(addr["credentials"], fresh)
    pilots = project.PilotRegistry.at(addr["pilots"], fresh)
    assert issuers.hasRole(role("REGISTRAR_ROLE"), office)
    assert issuers.hasRole(role("PAUSER_ROLE"), pauser)
    assert credentials.hasRole(role("PAUSER_ROLE"), pauser)
    assert pilots.hasRole(role("PROGRAMME_OFFICE_ROLE"), office)
    assert pilots.hasRole(role("PAUSER_ROLE"), pauser)
    assert len(results) == 3 + len(GRANTS)


def test_grants_already_in_effect_are_skipped(project, fresh):
    admin = fresh.accounts[0]
    plan = registry_plan(admin.address)
    first = run_local(project, plan, fresh, admin, lambda _m: None)
    issuers = next(r.address for r in first if r.name == "issuers")
    again = Plan()
    again.call(
        "grant",
        issuers,
        "grantRole",
        role("PAUSER_ROLE"),
        admin.address,
        contract="IssuerRegistry",
        skip_if=lambda c: c.hasRole(role("PAUSER_ROLE"), admin.address),
    )
    [result] = run_local(project, again, fresh, admin, lambda _m: None)
    assert result.gas is None  # skipped, nothing sent


def test_plan_rejects_duplicate_and_forward_references():
    plan = Plan()
    ref = plan.deploy("a", "IssuerRegistry", 0, "0x" + "00" * 20)
    with pytest.raises(DeployError, match="two steps named 'a'"):
        plan.deploy("a", "IssuerRegistry", 0, "0x" + "00" * 20)
    from daftar.deploy.plan import Ref

    with pytest.raises(DeployError, match="comes later"):
        plan.call("c", Ref("later"), "grantRole")
    plan.call("b", ref, "grantRole", b"\0" * 32, "0x" + "00" * 20)


def test_role_holders_from_config():
    admin = "0x" + "11" * 20
    holders = role_holders(admin, {"roles": {"pauser": "0x" + "22" * 20}}, "sepolia")
    assert holders["registrar"].lower() == admin and holders["pauser"].lower() == "0x" + "22" * 20
    with pytest.raises(ConfigError, match="unknown key"):
        role_holders(admin, {"roles": {"owner": admin}}, "sepolia")
    with pytest.raises(ConfigError, match="no address"):
        role_holders(admin, {"roles": {"pauser": "0x12"}}, "sepolia")


def test_dry_run_prices_steps_when_fees_are_known(project, fresh):
    lines: list[str] = []
    net = project.config.network("sepolia")
    fees = {"baseFeePerGas": 10**9, "maxPriorityFeePerGas": 10**9, "maxFeePerGas": 3 * 10**9}
    dry_run(
        project,
        registry_plan(fresh.accounts[0].address),
        net,
        fresh.accounts[0].address,
        lines.append,
        lambda: fees,
    )
    assert lines[0].startswith("Dry run of 8 step(s) for sepolia")
    assert any("deploy IssuerRegistry  gas" in line and "ETH" in line for line in lines)
    assert any(line.startswith("Total gas") and "gwei" in line for line in lines)


def test_fee_bump_is_at_least_ten_percent_and_respects_the_cap():
    old = {"maxFeePerGas": 100, "maxPriorityFeePerGas": 10}
    now = {"baseFeePerGas": 40, "maxFeePerGas": 90, "maxPriorityFeePerGas": 10}
    new = bumped(old, now, None)
    assert new and new["maxFeePerGas"] >= 110 and new["maxPriorityFeePerGas"] >= 11
    assert bumped(old, now, cap_wei=105) is None  # no room under the cap
    assert bumped(old, {**now, "maxFeePerGas": 200}, None)["maxFeePerGas"] == 200


def _deploy_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "deploy.py"
    spec = importlib.util.spec_from_file_location("registry_deploy_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_public_network_refuses_every_role_to_the_deployer(project, monkeypatch):
    """Audit finding (roles at deploy): v1 gave every role to the deployer by default, so a
    stolen deployer key granted itself nothing it did not have and accredited a rogue issuer
    at once. On a public network the deploy now refuses that plan unless opted in."""
    from dataclasses import replace

    from daftar_registry.plan import ALLOW_DEPLOYER_ENV

    monkeypatch.delenv(ALLOW_DEPLOYER_ENV, raising=False)
    deploy = _deploy_script()
    admin = "0x" + "11" * 20
    net = project.config.network("sepolia")
    bare = replace(net, settings={k: v for k, v in net.settings.items() if k != "roles"})
    with pytest.raises(ConfigError, match="would hold every role"):
        deploy.plan(admin, bare)
    separated = replace(bare, settings={**bare.settings, "roles": {"registrar": "0x" + "22" * 20}})
    assert deploy.plan(admin, separated)  # one role elsewhere is enough
    opted = replace(bare, settings={**bare.settings, "allow_deployer_roles": True})
    assert deploy.plan(admin, opted)
    monkeypatch.setenv(ALLOW_DEPLOYER_ENV, "1")
    assert deploy.plan(admin, bare)
    local = project.config.network("localhost")  # chain id 31337: a dev node
    monkeypatch.delenv(ALLOW_DEPLOYER_ENV)
    assert deploy.plan(admin, local)
    dev0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # a dry run's stand-in deployer
    assert deploy.plan(dev0, bare)
