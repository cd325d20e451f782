"""Sourcify API v2: no key; verification jobs on the recorded standard-JSON input.

Protocol, as Sourcify's APIv2 OpenAPI reference documents it ("Verify Contract (Standard
JSON)" and "Check verification job status"): POST `/v2/verify/{chainId}/{address}` with
JSON `{stdJsonInput, compilerVersion: "0.8.30+commit.73712a01", contractIdentifier:
"path:Name", creationTransactionHash?}` answers 202 `{verificationId}`; a contract already
verified is refused with 409 and an error body `{customCode, message, errorId}`.
GET `/v2/verify/{verificationId}` answers 200 with `isJobCompleted`; once completed,
`contract.match` (with `runtimeMatch`/`creationMatch`) is "exact_match" (metadata hash
included) or "match" (partial), and a failed job carries `error: {customCode, message}`.
Sourcify reads constructor arguments from the creation transaction, so the recorded
creation transaction hash is passed when known. Verified sources are browsable at
repo.sourcify.dev/<chainId>/<address>.
"""

from __future__ import annotations

from typing import Any

from daftar.explorer.base import Explorer
from daftar.explorer.http import Http
from daftar.explorer.result import VerificationResult
from daftar.explorer.submission import Submission

DEFAULT_URL = "https://sourcify.dev/server"
REPO_URL = "https://repo.sourcify.dev"


def _error_text(body: Any, status: int) -> str:
    error = body.get("error", body) if isinstance(body, dict) else {}
    if isinstance(error, dict) and (error.get("message") or error.get("customCode")):
        code = error.get("customCode")
        return f"{code}: {error.get('message', '')}" if code else str(error["message"])
    return f"HTTP {status}: {str(body)[:300]}"


class Sourcify(Explorer):
    name = "sourcify"

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        repo_url: str = REPO_URL,
        http: Http | None = None,
        timeout: float = 120.0,
        poll_interval: float = 3.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.repo_url = repo_url.rstrip("/")
        super().__init__(http or Http(self.name), timeout, poll_interval)

    def page_url(self, sub: Submission) -> str | None:
        return f"{self.repo_url}/{sub.chain_id}/{sub.address}"

    def submit(self, sub: Submission) -> VerificationResult:
        payload: dict[str, Any] = {
            "stdJsonInput": sub.input,
            "compilerVersion": sub.compiler_version,
            "contractIdentifier": sub.identifier,
        }
        if sub.creation_tx:
            payload["creationTransactionHash"] = sub.creation_tx
        url = f"{self.base_url}/v2/verify/{sub.chain_id}/{sub.address}"
        response = self.http.request("POST", url, json=payload)
        body = self._body(response)
        if response.status_code == 409:
            return self.result(sub, "already_verified", _error_text(body, 409))
        if response.status_code in (200, 202) and isinstance(body, dict):
            job = body.get("verificationId")
            if job:
                return self.result(sub, "pending", "submitted", ticket=str(job))
        return self.result(sub, "rejected", _error_text(body, response.status_code))

    def check(self, sub: Submission, ticket: str) -> VerificationResult:
        response = self.http.request("GET", f"{self.base_url}/v2/verify/{ticket}")
        body = self._body(response)
        if response.status_code != 200 or not isinstance(body, dict):
            return self.result(sub, "rejected", _error_text(body, response.status_code), ticket)
        if not body.get("isJobCompleted"):
            return self.result(sub, "pending", "job running", ticket)
        if body.get("error"):
            return self.result(sub, "rejected", _error_text(body, 200), ticket)
        contract = body.get("contract") or {}
        match = contract.get("match")
        detail = (
            f"match {match} (runtime {contract.get('runtimeMatch')}, "
            f"creation {contract.get('creationMatch')})"
        )
        if match == "exact_match":
            return self.result(sub, "verified", detail, ticket)
        if match == "match":
            return self.result(sub, "partial", detail, ticket)
        return self.result(sub, "rejected", f"job completed without a match: {detail}", ticket)
