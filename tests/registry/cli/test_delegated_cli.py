"""Delegated issuance and revocation on the command line, against a real registry on anvil.

The journey: the programme office (dev0) accredits dev4; dev4's key signs requests and
never sends a transaction (its account nonce does not move); dev5, a relayer, submits
them and pays. Issued credentials verify VALID only after the relay, a relayed revocation
is the issuer's (reason and revoked-by on chain). Refused with a clear message and no
traceback: a request relayed twice, one whose deadline passed, one whose nonce was
cancelled, one altered after signing, one signed before a suspension, a signature that
the registry itself refuses (its refusal in plain words), and a deadline beyond 30 days.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from daftar.keys import dev_accounts

pytestmark = pytest.mark.slow

DEV = [a.address for a in dev_accounts()]
OFFICE, ISSUER, RELAYER = "dev0", "dev4", "dev5"
LOCAL = ("--network", "localhost")


@pytest.fixture(scope="module")
def accredited(cli: Any, registry: dict[str, Any]) -> str:
    """dev4 accredited by the office; returns its address."""
    out = cli.json(
        "issuer", "accredit", DEV[4], "--name", "Politeknik Contoh", *LOCAL, "--account", OFFICE
    )
    assert out["in_good_standing"] is True
    return DEV[4]


def _inputs(folder: Path, *names: str) -> list[str]:
    paths = []
    for name in names:
        path = folder / f"{name}.json"
        path.write_text(json.dumps({"name": name, "course": "Smart contracts", "year": 2026}))
        paths.append(str(path))
    return paths


def _sign_batch(cli: Any, folder: Path, *names: str, extra: tuple[str, ...] = ()) -> dict:
    return cli.json(
        "credential", "sign-issuance", *_inputs(folder, *names), "--out", str(folder),
        "--deadline", "7d", *extra, *LOCAL, "--account", ISSUER,
    )  # fmt: skip


def _verify(cli: Any, holder: str) -> Any:
    return cli("--json", "credential", "verify", holder)


def test_signed_batch_is_anchored_only_when_relayed_by_another_account(
    cli, registry, accredited, tmp_path
):
    chain = registry["admin"].chain
    issuer_nonce = chain.nonce(accredited)
    signed = _sign_batch(cli, tmp_path, "ali", "bala")
    assert signed["action"] == "issueBatch" and signed["function"] == "issueBatchWithSig"
    assert signed["signer"] == accredited and signed["organisation"] == accredited
    request = Path(signed["request"])
    raw = json.loads(request.read_text())
    assert raw["format"] == "daftar-signed-request/1"
    assert "key" not in json.dumps(raw).lower()  # no private key, no personal data
    assert "ali" not in json.dumps(raw["message"])
    holders = [c["holder"] for c in signed["credentials"]]
    before = _verify(cli, holders[0])
    assert before.returncode == 3 and json.loads(before.stdout)["status"] == "NOT_ISSUED"

    relayed = cli.json("credential", "relay", str(request), *LOCAL, "--account", RELAYER)
    assert relayed["relayer"] == DEV[5] and relayed["signer"] == accredited
    assert "anchored (2 credential(s))" in relayed["status"]
    tx = chain.transaction(relayed["tx"])
    assert tx is not None and tx.sender.lower() == DEV[5].lower()
    assert chain.nonce(accredited) == issuer_nonce  # the issuer's key sent nothing
    for holder in holders:
        after = _verify(cli, holder)
        assert after.returncode == 0, after.stderr
        verdict = json.loads(after.stdout)
        assert verdict["status"] == "VALID" and verdict["signer"] == accredited


def test_single_issuance_and_plain_words(cli, accredited, tmp_path):
    signed = _sign_batch(cli, tmp_path, "chong", extra=("--single",))
    assert signed["action"] == "issue" and signed["merkle_root"] is None
    proc = cli("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    assert proc.returncode == 0, proc.stderr
    assert "relayed" in proc.stdout and "VALID: valid" in proc.stdout
    assert _verify(cli, signed["credentials"][0]["holder"]).returncode == 0


def test_relayed_leaf_revocation_is_the_issuers_and_a_second_relay_is_refused(
    cli, accredited, tmp_path
):
    signed = _sign_batch(cli, tmp_path, "devi", "ehsan")
    cli.json("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    holder = signed["credentials"][0]["holder"]
    revocation = cli.json(
        "credential", "sign-revocation", holder, "--reason", "7", "--deadline", "1d",
        *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    assert revocation["action"] == "revokeLeaf" and revocation["reason_code"] == 7
    assert _verify(cli, holder).returncode == 0  # signing revokes nothing
    done = cli.json("credential", "relay", revocation["request"], *LOCAL, "--account", RELAYER)
    assert done["status"].startswith("REVOKED")
    verdict = json.loads(_verify(cli, holder).stdout)
    assert verdict["status"] == "REVOKED" and verdict["reason_code"] == 7
    assert verdict["revoked_by"] == "issuer"
    assert _verify(cli, signed["credentials"][1]["holder"]).returncode == 0  # the other stays

    again = cli("credential", "relay", revocation["request"], *LOCAL, "--account", RELAYER)
    cli.failed(again, "cancelled", "already used", "sign again")


def test_whole_batch_revocation(cli, accredited, tmp_path):
    signed = _sign_batch(cli, tmp_path, "farah", "gopal")
    cli.json("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    holder = signed["credentials"][1]["holder"]
    revocation = cli.json(
        "credential", "sign-revocation", holder, "--reason", "3", "--deadline", "2h",
        "--whole-batch", "--out", str(tmp_path / "batch.revocation.json"),
        *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    assert revocation["action"] == "revokeBatch"
    done = cli.json("credential", "relay", revocation["request"], *LOCAL, "--account", RELAYER)
    assert "revoked at" in done["status"]
    for cred in signed["credentials"]:
        assert json.loads(_verify(cli, cred["holder"]).stdout)["status"] == "REVOKED"


def test_cancelled_signature_is_refused(cli, accredited, tmp_path):
    signed = _sign_batch(cli, tmp_path, "hana")
    cli.json("credential", "cancel-signatures", "--count", "1", *LOCAL, "--account", ISSUER)
    proc = cli("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    cli.failed(proc, "cancelled", "cancel-signatures")
    assert _verify(cli, signed["credentials"][0]["holder"]).returncode == 3


def test_altered_request_is_refused(cli, accredited, tmp_path):
    signed = _sign_batch(cli, tmp_path, "ivan")
    cli.json("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    holder = signed["credentials"][0]["holder"]
    revocation = cli.json(
        "credential", "sign-revocation", holder, "--reason", "1", "--deadline", "1d",
        *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    path = Path(revocation["request"])
    data = json.loads(path.read_text())
    data["message"]["reasonCode"] = 2
    path.write_text(json.dumps(data))
    proc = cli("credential", "relay", str(path), *LOCAL, "--account", RELAYER)
    cli.failed(proc, "altered after signing", str(path))
    path.write_text("{not json")
    cli.failed(cli("credential", "relay", str(path), *LOCAL), "not valid JSON")
    data["format"] = "something-else/9"
    path.write_text(json.dumps(data))
    cli.failed(cli("credential", "relay", str(path), *LOCAL), "is not a signed request")
    assert _verify(cli, holder).returncode == 0  # nothing was revoked


def test_registry_refusal_in_plain_words(cli, accredited, tmp_path):
    """The relay's own checks pass; the registry refuses (already revoked), in words."""
    signed = _sign_batch(cli, tmp_path, "jaya", extra=("--single",))
    cli.json("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    holder = signed["credentials"][0]["holder"]
    revocation = cli.json(
        "credential", "sign-revocation", holder, "--reason", "4", "--deadline", "1d",
        *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    assert revocation["action"] == "revoke"
    cli.json("credential", "revoke", holder, "--reason", "5", *LOCAL, "--account", OFFICE,
             "--as-authority")  # fmt: skip
    proc = cli("credential", "relay", revocation["request"], *LOCAL, "--account", RELAYER)
    cli.failed(proc, "is already revoked")


def test_deadline_bounds(cli, accredited, tmp_path):
    too_far = cli(
        "credential", "sign-issuance", *_inputs(tmp_path, "kamal"), "--out", str(tmp_path),
        "--deadline", "31d", *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    cli.failed(too_far, "too far away", "30 days")
    past = cli(
        "credential", "sign-issuance", *_inputs(tmp_path, "kamal"), "--out", str(tmp_path),
        "--deadline", "2020-01-01", *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    cli.failed(past, "is not after the chain's time")
    assert not (tmp_path / "kamal.holder.json").exists()  # refused before writing anything


def test_expired_request_is_refused(cli, registry, accredited, tmp_path):
    short = cli.json(
        "credential", "sign-issuance", *_inputs(tmp_path, "mona"), "--out", str(tmp_path),
        "--deadline", "1m", *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    chain = registry["admin"].chain
    chain.sleep(180)
    chain.mine()
    proc = cli("credential", "relay", short["request"], *LOCAL, "--account", RELAYER)
    cli.failed(proc, "expired at", "new signature")


def test_signature_made_before_a_suspension_never_works(cli, accredited, tmp_path):
    """Last in the module: dev4 ends suspended."""
    signed = _sign_batch(cli, tmp_path, "nur")
    cli.json("issuer", "suspend", accredited, "--reason", "9", *LOCAL, "--account", OFFICE)
    proc = cli("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    cli.failed(proc, "suspended or revoked", "never be used")
    refused = cli(
        "credential", "sign-issuance", *_inputs(tmp_path, "omar"), "--out", str(tmp_path / "o"),
        "--deadline", "1d", *LOCAL, "--account", ISSUER,
    )  # fmt: skip
    cli.failed(refused, "may not issue now", "suspended")
    cli.json("issuer", "reinstate", accredited, *LOCAL, "--account", OFFICE)
    proc = cli("credential", "relay", signed["request"], *LOCAL, "--account", RELAYER)
    cli.failed(proc, "suspended or revoked")  # reinstating does not revive it
