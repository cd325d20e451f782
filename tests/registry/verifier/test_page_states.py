"""The verifier page in chromium against a registry on anvil: every state, in plain words.

Each test pastes (or chooses) a file in the page served by the real server, presses Verify
and reads what the page shows; a screenshot of each state goes to reports/verifier/.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from daftar_registry.status import CredentialStatus

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def text_of(onchain: Any, name: str) -> str:
    return onchain.files[name].read_text()


def edited(onchain: Any, name: str, change: Any) -> str:
    data = json.loads(text_of(onchain, name))
    change(data)
    return json.dumps(data, indent=2, ensure_ascii=False)


def test_valid_holder_file(page, onchain):
    shown = page.verify_file(onchain.files["valid"])
    assert shown["status"] == "VALID", shown["text"]
    text = shown["text"]
    assert "Valid" in text and CredentialStatus.VALID.explain().capitalize() in text
    assert "Universiti Contoh" in text and onchain.addresses["issuer"] in text
    assert "accredited, in good standing" in text
    assert "Aisyah binti Ahmad" in text and "BSc Computer Science" in text
    assert "registry version 1" in text and onchain.addresses["registry"] in text
    assert "Chain id\n31337 (localhost)" in text
    assert "Credential hash recomputed" in text and "field commitments recomputed" in text
    assert "Expires\nnever" in text
    assert shown["links"] == {}  # localhost has no explorer: no links
    page.shot("valid")


def test_batch_member_with_its_proof(page, onchain):
    shown = page.verify_text(text_of(onchain, "batch"))
    assert shown["status"] == "VALID", shown["text"]
    assert "Merkle proof recomputed" in shown["text"] and "Boon Keat" in shown["text"]


def test_tampered_field(page, onchain):
    def change(data):
        data["document"]["fields"]["degree"] = "PhD Computer Science"

    shown = page.verify_text(edited(onchain, "valid", change))
    assert shown["status"] == "TAMPERED", shown["text"]
    assert "Tampered document" in shown["text"]
    assert "does not hash to its credentialHash" in shown["text"]
    page.shot("tampered")


def test_tampered_proof(page, onchain):
    def change(data):
        data["merkleProof"][0] = "0x" + "ab" * 32

    shown = page.verify_text(edited(onchain, "batch", change))
    assert shown["status"] == "TAMPERED" and "Merkle proof does not lead" in shown["text"]


def test_revoked_credential_says_reason_time_and_who(page, onchain):
    shown = page.verify_text(text_of(onchain, "revoked"))
    assert shown["status"] == "REVOKED", shown["text"]
    text = shown["text"]
    assert "Revoked by the issuer on 20" in text and "reason code 7" in text
    assert "Reason code\n7" in text
    page.shot("revoked")


def test_expired_credential(page, onchain):
    shown = page.verify_text(text_of(onchain, "expired"))
    assert shown["status"] == "EXPIRED", shown["text"]
    assert "Expired on 20" in shown["text"]
    page.shot("expired")


def test_suspended_issuer(page, onchain):
    shown = page.verify_text(text_of(onchain, "suspended"))
    assert shown["status"] == "ISSUER_SUSPENDED", shown["text"]
    text = shown["text"]
    assert "Issuer suspended" in text
    assert CredentialStatus.ISSUER_SUSPENDED.explain() in text.lower()
    assert "Kolej Contoh" in text and "suspended (reason code 5)" in text
    page.shot("issuer-suspended")


def test_disclosure_file_shows_only_the_disclosed_fields(page, onchain):
    shown = page.verify_text(text_of(onchain, "disclosure"))
    assert shown["status"] == "VALID", shown["text"]
    text = shown["text"]
    assert "Disclosed fields" in text and "Dina" in text and "BEng Software" in text
    assert "010203-04-0506" not in text  # the hidden IC number never reaches the page
    assert "Hidden by the holder" in text and "ic" in text.split("Hidden by the holder")[1]
    assert "disclosure file (daftar-disclosure/2)" in text
    page.shot("disclosure")


def test_disclosure_with_an_altered_revealed_value(page, onchain):
    def change(data):
        data["revealed"]["degree"]["value"] = "MBA"

    shown = page.verify_text(edited(onchain, "disclosure", change))
    assert shown["status"] == "TAMPERED" and "does not match its commitment" in shown["text"]


def test_file_for_another_chain(page, onchain):
    def change(data):
        data["chainId"] = 11155111
        data["network"] = "sepolia"

    shown = page.verify_text(edited(onchain, "valid", change))
    assert shown["status"] == "WRONG_NETWORK", shown["text"]
    assert "chain id 11155111" in shown["text"] and "chain id 31337" in shown["text"]
    page.shot("wrong-network")


def test_node_of_another_chain_than_the_page_is_for(page, onchain):
    """A /1 file names no chain id: the page's network (31337) must then match the node's."""
    from daftar.chain.anvil import AnvilProcess

    repo = Path(__file__).resolve().parents[3]

    def change(data):
        data["format"] = "daftar-holder/1"
        del data["chainId"], data["registryVersion"]

    other = AnvilProcess(repo / "node_modules", chain_id=1337)
    try:
        page.set_value("rpc", other.url)
        shown = page.verify_text(edited(onchain, "valid", change))
    finally:
        other.stop()
    assert shown["status"] == "WRONG_NETWORK", shown["text"]
    assert "this page is for localhost (chain id 31337)" in shown["text"]
    assert "chain id 1337" in shown["text"]


def test_file_naming_an_unrecorded_registry(page, onchain):
    def change(data):
        data["contract"] = onchain.addresses["issuers"]  # a real contract, not a recorded registry

    shown = page.verify_text(edited(onchain, "valid", change))
    assert shown["status"] == "UNKNOWN_REGISTRY", shown["text"]
    assert (
        "not a recorded deployment" in shown["text"]
        and "not checked anywhere else" in (shown["text"])
    )
    page.shot("unknown-registry")


def test_first_format_file_still_verifies_and_says_it_names_no_chain(page, onchain):
    def change(data):
        data["format"] = "daftar-holder/1"
        del data["chainId"], data["registryVersion"]

    shown = page.verify_text(edited(onchain, "valid", change))
    assert shown["status"] == "VALID", shown["text"]
    assert "names no chain id" in shown["text"]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_rpc_that_is_down(page, onchain):
    page.set_value("rpc", f"http://127.0.0.1:{_dead_port()}/")
    shown = page.verify_text(text_of(onchain, "valid"))
    assert shown["status"] == "UNREACHABLE", shown["text"]
    assert "RPC node unreachable" in shown["text"] and "cannot be reached" in shown["text"]
    page.shot("rpc-down")


def test_not_a_credential_file(page):
    shown = page.verify_text('{"format": "something-else/1"}')
    assert shown["status"] == "ERROR" and "not a Daftar holder or disclosure file" in shown["text"]
    shown = page.verify_text("{not json")
    assert shown["status"] == "ERROR" and "not valid JSON" in shown["text"]
