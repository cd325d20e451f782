"""Explorer clients against local stand-in servers (see conftest: no network here; each
stand-in follows the explorer's documented protocol and checks every submitted field)."""

from __future__ import annotations

import socket

import pytest
from explorer_stand_ins import (
    API_KEY,
    BlockscoutStandIn,
    EtherscanStandIn,
    SourcifyStandIn,
    fast_http,
)

from daftar.explorer import Blockscout, Etherscan, ExplorerError, Sourcify
from daftar.explorer.etherscan import API_KEY_ENV

PASS = "Pass - Verified"
PENDING = "Pending in queue"


def etherscan(server, timeout=5.0):
    return Etherscan(
        API_KEY,
        base_url=f"{server.url}/v2/api",
        browser_url="https://sepolia.etherscan.io",
        http=fast_http("etherscan", (API_KEY,)),
        timeout=timeout,
        poll_interval=0.01,
    )


def sourcify(server):
    return Sourcify(server.url, http=fast_http("sourcify"), timeout=5, poll_interval=0.01)


def blockscout(server, timeout=5.0):
    return Blockscout(server.url, http=fast_http("blockscout"), timeout=timeout, poll_interval=0.01)


# -- Etherscan ---------------------------------------------------------------------------


def test_etherscan_pending_then_verified(submission, stand_ins):
    """Submission queues a job (guid); polling sees 'Pending in queue' twice, then a pass."""
    server = EtherscanStandIn(
        submission,
        [("1", "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi")],
        [PENDING, PENDING, PASS],
    )
    stand_ins.append(server)
    result = etherscan(server).verify(submission)
    assert server.problems == []
    assert result.status == "verified" and result.ok
    assert result.url == f"https://sepolia.etherscan.io/address/{submission.address}#code"
    assert server.count("POST") == 1 and server.count("GET") == 3


def test_etherscan_already_verified_at_submission(submission, stand_ins):
    server = EtherscanStandIn(submission, [("0", "Contract source code already verified")], [PASS])
    stand_ins.append(server)
    result = etherscan(server).verify(submission)
    assert server.problems == []
    assert result.status == "already_verified"
    assert result.record_status == "verified"
    assert server.count("GET") == 0


def test_etherscan_already_verified_when_polled(submission, stand_ins):
    server = EtherscanStandIn(
        submission,
        [("1", "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi")],
        ["Already Verified"],
    )
    stand_ins.append(server)
    assert etherscan(server).verify(submission).status == "already_verified"
    assert server.problems == []


def test_etherscan_failure_surfaces_the_explorers_message(submission, stand_ins):
    reason = "Fail - Unable to verify. Compiled contract deployment bytecode does NOT match the transaction deployment bytecode."
    server = EtherscanStandIn(
        submission, [("1", "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi")], [PENDING, reason]
    )
    stand_ins.append(server)
    result = etherscan(server).verify(submission)
    assert server.problems == []
    assert result.status == "rejected" and not result.ok
    assert result.message == reason
    assert reason in str(result)


def test_etherscan_rate_limit_and_5xx_are_retried(submission, stand_ins):
    """A rate-limit answer and a 502 at submission, a 503 while polling: all retried."""
    server = EtherscanStandIn(
        submission,
        [
            ("0", "Max rate limit reached"),
            502,
            ("1", "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi"),
        ],
        [503, PASS],
    )
    stand_ins.append(server)
    result = etherscan(server).verify(submission)
    assert server.problems == []
    assert result.status == "verified"
    assert server.count("POST") == 3 and server.count("GET") == 2


def test_etherscan_bounded_polling_ends_pending_with_the_ticket(submission, stand_ins):
    server = EtherscanStandIn(
        submission, [("1", "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi")], [PENDING]
    )
    stand_ins.append(server)
    result = etherscan(server, timeout=0.2).verify(submission)
    assert result.status == "pending"
    assert result.ticket == server.guid
    assert "still pending" in result.message and server.guid in result.message


def test_etherscan_needs_an_api_key(monkeypatch):
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with pytest.raises(ExplorerError, match=API_KEY_ENV):
        Etherscan()


def test_etherscan_key_from_env(monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, API_KEY)
    assert Etherscan().api_key == API_KEY


def test_api_key_never_appears_in_errors(submission):
    """requests puts the URL (with ?apikey=...) in its errors; daftar's messages must not."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    client = Etherscan(
        API_KEY, base_url=f"http://127.0.0.1:{port}/v2/api", http=fast_http("etherscan")
    )
    with pytest.raises(ExplorerError) as info:
        client.check(submission, "some-guid")
    text = str(info.value)
    assert "no answer" in text
    assert API_KEY not in text
    # the host only, without the query, and no urllib3 exception chain (issue 13)
    assert f"http://127.0.0.1:{port} after" in text and "HTTPConnectionPool" not in text


# -- Sourcify ----------------------------------------------------------------------------


def _job(match=None, error=None, done=True):
    job = {"isJobCompleted": done, "jobStartTime": "2025-01-01T00:00:00Z"}
    if match:
        job["contract"] = {
            "match": match,
            "runtimeMatch": match,
            "creationMatch": match,
            "chainId": "11155111",
        }
    if error:
        job["error"] = error
    return job


def test_sourcify_pending_then_exact_match(submission, stand_ins):
    server = SourcifyStandIn(submission, (202, None), [_job(done=False), _job("exact_match")])
    stand_ins.append(server)
    result = sourcify(server).verify(submission)
    assert server.problems == []
    assert result.status == "verified"
    assert result.url == f"https://repo.sourcify.dev/{submission.chain_id}/{submission.address}"
    assert server.count("GET") == 2


def test_sourcify_match_is_partial(submission, stand_ins):
    server = SourcifyStandIn(submission, (202, None), [_job("match")])
    stand_ins.append(server)
    result = sourcify(server).verify(submission)
    assert server.problems == []
    assert result.status == "partial" and result.ok


def test_sourcify_already_verified(submission, stand_ins):
    body = {
        "customCode": "already_verified",
        "message": "Contract already verified",
        "errorId": "e1",
    }
    server = SourcifyStandIn(submission, (409, body), [_job("exact_match")])
    stand_ins.append(server)
    result = sourcify(server).verify(submission)
    assert server.problems == []
    assert result.status == "already_verified"
    assert "already_verified" in result.message
    assert server.count("GET") == 0


def test_sourcify_failed_job_surfaces_the_error(submission, stand_ins):
    error = {
        "customCode": "no_match",
        "message": "The onchain and recompiled bytecodes don't match.",
        "errorId": "e2",
    }
    server = SourcifyStandIn(submission, (202, None), [_job(done=False), _job(error=error)])
    stand_ins.append(server)
    result = sourcify(server).verify(submission)
    assert server.problems == []
    assert result.status == "rejected"
    assert result.message == "no_match: The onchain and recompiled bytecodes don't match."


def test_sourcify_rejected_submission(submission, stand_ins):
    body = {
        "customCode": "unsupported_chain",
        "message": "Chain 11155111 is not supported",
        "errorId": "e3",
    }
    server = SourcifyStandIn(submission, (400, body), [_job("exact_match")])
    stand_ins.append(server)
    result = sourcify(server).verify(submission)
    assert result.status == "rejected"
    assert "unsupported_chain" in result.message


# -- Blockscout --------------------------------------------------------------------------

STARTED = (200, {"message": "Smart-contract verification started"})


def test_blockscout_started_then_verified(submission, stand_ins):
    server = BlockscoutStandIn(
        submission,
        STARTED,
        [
            (404, {"message": "Not found"}),
            (200, {"is_verified": False}),
            (200, {"is_verified": True, "is_partially_verified": False}),
        ],
    )
    stand_ins.append(server)
    result = blockscout(server).verify(submission)
    assert server.problems == []
    assert result.status == "verified"
    assert result.url == f"{server.url}/address/{submission.address}?tab=contract"
    assert server.count("GET") == 3


def test_blockscout_partial(submission, stand_ins):
    server = BlockscoutStandIn(
        submission, STARTED, [(200, {"is_verified": True, "is_partially_verified": True})]
    )
    stand_ins.append(server)
    assert blockscout(server).verify(submission).status == "partial"
    assert server.problems == []


def test_blockscout_already_verified(submission, stand_ins):
    server = BlockscoutStandIn(
        submission, (200, {"message": "Already verified"}), [(200, {"is_verified": True})]
    )
    stand_ins.append(server)
    result = blockscout(server).verify(submission)
    assert server.problems == []
    assert result.status == "already_verified"
    assert server.count("GET") == 0


def test_blockscout_rejection_surfaces_the_message(submission, stand_ins):
    body = {"message": "Compiler version not found", "errors": {"compiler_version": ["is invalid"]}}
    server = BlockscoutStandIn(submission, (422, body), [(200, {"is_verified": True})])
    stand_ins.append(server)
    result = blockscout(server).verify(submission)
    assert server.problems == []
    assert result.status == "rejected"
    assert "Compiler version not found" in result.message and "is invalid" in result.message


def test_blockscout_never_verified_stays_pending(submission, stand_ins):
    """Blockscout reports failed jobs only in its UI: the timeout says pending, not failed."""
    server = BlockscoutStandIn(submission, STARTED, [(200, {"is_verified": False})])
    stand_ins.append(server)
    result = blockscout(server, timeout=0.2).verify(submission)
    assert result.status == "pending"
    assert "still pending" in result.message


def test_stand_ins_notice_a_wrong_field(submission, stand_ins):
    """The stand-ins' checks bite: other constructor arguments or input are reported."""
    from dataclasses import replace

    wrong = replace(
        submission, constructor_args=b"\x01" * 32, input={**submission.input, "language": "Yul"}
    )
    servers = [
        EtherscanStandIn(
            submission, [("1", "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi")], [PASS]
        ),
        SourcifyStandIn(submission, (202, None), [_job("exact_match")]),
        BlockscoutStandIn(submission, STARTED, [(200, {"is_verified": True})]),
    ]
    stand_ins.extend(servers)
    etherscan(servers[0]).verify(wrong)
    sourcify(servers[1]).verify(wrong)
    blockscout(servers[2]).verify(wrong)
    assert any(p.startswith("constructorArguements") for p in servers[0].problems)
    assert any(p.startswith("sourceCode") for p in servers[0].problems)
    assert any(p.startswith("stdJsonInput") for p in servers[1].problems)
    assert any(p.startswith("constructor_args") for p in servers[2].problems)
    assert any(p.startswith("files[0] content") for p in servers[2].problems)


def test_etherscan_contract_not_indexed_yet(submission, stand_ins):
    """'Unable to locate ContractCode' passes with time: retried, then failed with a hint."""
    text = f"Unable to locate ContractCode at {submission.address}"
    server = EtherscanStandIn(submission, [("0", text)], [PASS])
    stand_ins.append(server)
    result = etherscan(server).verify(submission)
    assert server.problems == []
    assert result.status == "rejected"
    assert text in result.message and "indexed" in result.message
    assert server.count("POST") == 3  # fast_http: 2 retries
