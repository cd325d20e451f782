"""Local verification for real: contracts deployed on anvil, recompiled from the input
`build/` recorded, compared with eth_getCode (and the creation transaction's input)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from daftar.chain import connect
from daftar.explorer import verify_local
from daftar.explorer.local import creation_input

pytestmark = pytest.mark.slow
PROBE = "contracts/test/Probe.sol"
DELAY = 2 * 24 * 3600


@pytest.fixture(scope="module")
def anvil(project):
    """Its own anvil, so the session's `chain` (whatever --network says) is left alone."""
    chain = connect(project.config, "anvil")
    yield chain
    chain.close()


@pytest.fixture(scope="module")
def deployed(project, anvil):
    """(artifact, contract, raw constructor args) for Probe and the three registry contracts."""
    admin, owner = anvil.accounts[0], anvil.accounts[1]

    def deploy(name, *args):
        ctype = project[name]
        contract = ctype.deploy(*args, sender=admin, chain=anvil)
        raw = ctype.deploy_data(*args)[len(ctype.bytecode) :]
        return ctype.artifact, contract, raw

    issuers = deploy("IssuerRegistry", DELAY, admin)
    return {
        "Probe": deploy("Probe", owner),
        "IssuerRegistry": issuers,
        "CredentialRegistry": deploy("CredentialRegistry", issuers[1].address, DELAY, admin),
        "PilotRegistry": deploy("PilotRegistry", DELAY, admin),
    }


def _check(project, anvil, artifact, contract, args, **kw):
    return verify_local(
        artifact,
        contract.address,
        anvil,
        node_modules=project.config.node_modules,
        base_path=project.config.root,
        constructor_args=args,
        **kw,
    )


def _probe_only(artifact, edit=lambda text: text, settings=None):
    """Probe's artifact with a recorded input holding Probe.sol only (it imports nothing),
    optionally edited: a fast compile for the partial and mismatch cases."""
    changed = copy.deepcopy(artifact)
    source = changed["input"]["sources"][PROBE]["content"]
    changed["input"]["sources"] = {PROBE: {"content": edit(source)}}
    changed["input"]["settings"].update(settings or {})
    return changed


@pytest.mark.parametrize("name", ["Probe", "IssuerRegistry", "CredentialRegistry", "PilotRegistry"])
def test_full_match(project, anvil, deployed, name):
    """Runtime code equal once immutables (Probe.owner, CredentialRegistry's registry and
    EIP-712 values) are zeroed, metadata hash included; the creation transaction's input is
    the recompiled creation code followed by the recorded constructor arguments."""
    artifact, contract, args = deployed[name]
    tx_input = creation_input(anvil, contract.deployment.tx_hash)
    assert tx_input is not None
    found = _check(project, anvil, artifact, contract, args, creation_input=tx_input)
    assert found.match == "full", found.message
    assert found.creation == "full"
    assert found.as_result().status == "verified"
    if artifact["immutableReferences"]:
        assert contract.type.artifact["deployedBytecode"] != anvil.code(contract.address).hex()


def test_partial_match_when_only_a_comment_differs(project, anvil, deployed):
    """A comment changes the source's hash, so the metadata hash, not the code."""
    artifact, contract, args = deployed["Probe"]
    edited = _probe_only(artifact, lambda text: text + "\n// a comment added after deploying\n")
    found = _check(project, anvil, edited, contract, args)
    assert found.match == "partial", found.message
    assert "metadata hash differs" in found.message
    assert found.as_result().status == "partial"


def test_mismatch_with_other_optimizer_settings(project, anvil, deployed):
    artifact, contract, args = deployed["Probe"]
    edited = _probe_only(artifact, settings={"optimizer": {"enabled": False, "runs": 200}})
    found = _check(project, anvil, edited, contract, args)
    assert found.match == "mismatch"
    assert found.difference is not None
    onchain = anvil.code(contract.address)
    assert found.difference.onchain_length == len(onchain)
    assert found.difference.compiled_length != len(onchain)
    assert f"first difference at byte {found.difference.offset}" in found.message
    assert ">" in found.difference.onchain_context  # the differing instruction is marked
    assert found.as_result().status == "failed"


def test_mismatch_with_other_source(project, anvil, deployed):
    artifact, contract, args = deployed["Probe"]
    edited = _probe_only(artifact, lambda text: text.replace("1e18", "2e18"))
    found = _check(project, anvil, edited, contract, args)
    assert found.match == "mismatch"
    assert 0 < found.difference.offset < found.difference.onchain_length


def test_wrong_constructor_arguments_fail_the_creation_check(project, anvil, deployed):
    artifact, contract, _args = deployed["Probe"]
    tx_input = creation_input(anvil, contract.deployment.tx_hash)
    wrong = bytes(12) + bytes.fromhex(anvil.accounts[2].address[2:])
    found = _check(project, anvil, artifact, contract, wrong, creation_input=tx_input)
    assert found.match == "mismatch"
    assert found.creation == "mismatch"


def test_no_code_at_the_address(project, anvil, deployed):
    artifact, _contract, args = deployed["Probe"]

    account = SimpleNamespace(address=anvil.accounts[3].address)  # an account, no code
    found = _check(project, anvil, artifact, account, args)
    assert found.match == "mismatch"
    assert "no code there" in found.message
