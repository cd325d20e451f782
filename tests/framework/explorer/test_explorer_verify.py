"""The orchestrator: idempotent per explorer, one failure never stops the others; clients
built from the network config. Explorers are local stand-ins (see conftest; no network)."""

from __future__ import annotations

import pytest
from explorer_stand_ins import (
    ADDRESS,
    API_KEY,
    CREATION_TX,
    BlockscoutStandIn,
    EtherscanStandIn,
    SourcifyStandIn,
    fast_http,
)

from daftar.explorer import (
    Blockscout,
    Etherscan,
    ExplorerError,
    Sourcify,
    explorers_for,
    updated_verification,
    verify_contract,
    verify_record,
)
from daftar.explorer.etherscan import API_KEY_ENV

GUID = "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi"


def _clients(eth, src, blk):
    return {
        "etherscan": Etherscan(
            API_KEY,
            f"{eth.url}/v2/api",
            http=fast_http("etherscan", (API_KEY,)),
            poll_interval=0.01,
            timeout=5,
        ),
        "sourcify": Sourcify(src.url, http=fast_http("sourcify"), poll_interval=0.01, timeout=5),
        "blockscout": Blockscout(
            blk.url, http=fast_http("blockscout"), poll_interval=0.01, timeout=5
        ),
    }


def _servers(submission, stand_ins):
    servers = (
        EtherscanStandIn(submission, [("1", GUID)], ["Pass - Verified"]),
        SourcifyStandIn(
            submission,
            (202, None),
            [{"isJobCompleted": True, "contract": {"match": "exact_match"}}],
        ),
        BlockscoutStandIn(
            submission,
            (200, {"message": "Smart-contract verification started"}),
            [(200, {"is_verified": True})],
        ),
    )
    stand_ins.extend(servers)
    return servers


def _record(submission, verification):
    """A deployment record as daftar.deploy writes it (only the fields verification reads)."""
    return {
        "contract": submission.contract_name,
        "chain_id": submission.chain_id,
        "address": submission.address,
        "tx_hash": CREATION_TX,
        "constructor_args": {"raw": "0x" + submission.constructor_args.hex(), "decoded": []},
        "verification": verification,
    }


def test_record_skips_explorers_already_verified(project, submission, stand_ins):
    eth, src, blk = _servers(submission, stand_ins)
    record = _record(
        submission, {"etherscan": "verified", "sourcify": "unverified", "blockscout": "failed"}
    )
    results = verify_record(
        record, project.CredentialRegistry.artifact, explorers=_clients(eth, src, blk)
    )
    assert eth.requests == []  # recorded as verified: not asked again
    assert results["etherscan"].skipped and results["etherscan"].status == "verified"
    assert results["sourcify"].status == "verified" and results["blockscout"].status == "verified"
    assert src.problems == [] and blk.problems == []
    assert updated_verification(record["verification"], results) == {
        "etherscan": "verified",
        "sourcify": "verified",
        "blockscout": "verified",
    }


def test_force_resubmits(project, submission, stand_ins):
    eth, src, blk = _servers(submission, stand_ins)
    record = _record(
        submission, {"etherscan": "verified", "sourcify": "partial", "blockscout": "verified"}
    )
    results = verify_record(
        record, project.CredentialRegistry.artifact, explorers=_clients(eth, src, blk), force=True
    )
    assert eth.count("POST") == 1 and src.count("POST") == 1 and blk.count("POST") == 1
    assert eth.problems == src.problems == blk.problems == []
    assert all(r.status == "verified" and not r.skipped for r in results.values())


def test_constructor_args_accepts_the_camel_case_record_key(project, submission, stand_ins):
    eth, src, blk = _servers(submission, stand_ins)
    record = _record(submission, {})
    record["constructorArgs"] = record.pop("constructor_args")
    verify_record(
        record,
        project.CredentialRegistry.artifact,
        explorers={"etherscan": _clients(eth, src, blk)["etherscan"]},
    )
    assert eth.problems == []


def test_one_explorer_down_does_not_stop_the_others(project, submission, stand_ins):
    eth, src, blk = _servers(submission, stand_ins)
    clients = _clients(eth, src, blk)
    clients["sourcify"] = Sourcify("http://127.0.0.1:9", http=fast_http("sourcify"))
    results = verify_contract(
        project.CredentialRegistry.artifact,
        ADDRESS,
        submission.constructor_args,
        chain_id=submission.chain_id,
        explorers=clients,
        creation_tx=CREATION_TX,
    )
    assert results["sourcify"].status == "unreachable"
    assert "no answer" in results["sourcify"].message
    assert results["etherscan"].status == "verified" and results["blockscout"].status == "verified"
    # an unreachable explorer says nothing about the contract: the record keeps its state
    assert "sourcify" not in updated_verification({}, results)
    assert updated_verification({"sourcify": "partial"}, results)["sourcify"] == "partial"


def test_clients_from_network_config(project, monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, API_KEY)
    clients = explorers_for(project.config.network("sepolia"))
    assert clients["etherscan"].base_url == "https://api.etherscan.io/v2/api"
    assert clients["sourcify"].base_url == "https://sourcify.dev/server"
    assert clients["blockscout"].base_url == "https://eth-sepolia.blockscout.com"


def test_missing_key_fails_before_anything_is_sent(project, monkeypatch):
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with pytest.raises(ExplorerError, match=API_KEY_ENV):
        verify_contract(project.Probe.artifact, ADDRESS, network=project.config.network("sepolia"))


def test_unknown_blockscout_instance_is_a_clear_error(project):
    with pytest.raises(ExplorerError, match="localhost.blockscout"):
        explorers_for(project.config.network("localhost"), ["blockscout"])


def test_artifact_without_input_is_refused(project):
    artifact = {k: v for k, v in project.Probe.artifact.items() if k != "input"}
    with pytest.raises(ExplorerError, match="daftar compile"):
        verify_contract(artifact, ADDRESS, chain_id=1, explorers={})
