"""Etherscan API v2: one API key for every Etherscan-run explorer, the chain picked by
`chainid`.

Protocol, as Etherscan documents it ("Verify with API", the `verifysourcecode` and
`checkverifystatus` endpoint references of API v2): POST to `/v2/api?chainid=<id>` with
module=contract, action=verifysourcecode, codeformat=solidity-standard-json-input,
sourceCode=<standard-JSON input>, contractaddress, contractname=`path:Name`,
compilerversion=`v0.8.30+commit.73712a01`, the ABI-encoded constructor arguments as hex
without 0x, and apikey. Etherscan's historical field name is `constructorArguements` (sic)
and its current page spells it `constructorArguments`; both are sent. The answer is
`{"status": "1", "result": <guid>}`, or status "0" with a message (e.g. "Contract source
code already verified", "Max rate limit reached", "Unable to locate ContractCode at ...").
GET module=contract&action=checkverifystatus&guid=... answers "Pending in queue",
"Pass - Verified", "Already Verified" or "Fail - Unable to verify ...". The result strings
follow the documented examples and what Etherscan's own tooling matches on.
"""

from __future__ import annotations

import os
import time
from typing import Any

from daftar.explorer.base import Explorer
from daftar.explorer.http import Http
from daftar.explorer.links import code_url
from daftar.explorer.result import ExplorerError, ExplorerNotConfigured, VerificationResult
from daftar.explorer.submission import Submission

DEFAULT_URL = "https://api.etherscan.io/v2/api"
API_KEY_ENV = "ETHERSCAN_API_KEY"


def _retryable(text: str) -> bool:
    """Rate limits, and a contract the explorer has not indexed yet, pass with time."""
    lower = text.lower()
    return "rate limit" in lower or "unable to locate contractcode" in lower


class Etherscan(Explorer):
    name = "etherscan"

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str = DEFAULT_URL,
        browser_url: str | None = None,
        http: Http | None = None,
        timeout: float = 120.0,
        poll_interval: float = 5.0,
    ) -> None:
        key = (api_key or os.environ.get(API_KEY_ENV, "")).strip()
        if not key:
            raise ExplorerNotConfigured(
                f"Etherscan verification needs an API key, but {API_KEY_ENV} is not set. "
                f"Create one on etherscan.io (one key serves every chain in API v2) and set "
                f"{API_KEY_ENV} in your shell or in .env."
            )
        self.api_key = key
        self.base_url = base_url
        self.browser_url = browser_url
        super().__init__(http or Http(self.name, [key]), timeout, poll_interval)
        if key not in self.http.secrets:
            self.http.secrets.append(key)

    def page_url(self, sub: Submission) -> str | None:
        return code_url(self.browser_url, sub.address) if self.browser_url else None

    def _call(self, method: str, sub: Submission, fields: dict[str, str]) -> dict[str, Any]:
        query = {"chainid": str(sub.chain_id)}
        if method == "GET":
            response = self.http.request("GET", self.base_url, params={**query, **fields})
        else:
            response = self.http.request("POST", self.base_url, params=query, data=fields)
        body = self.http.json(response)
        if not isinstance(body, dict) or "result" not in body:
            raise ExplorerError(
                f"etherscan: unexpected answer (HTTP {response.status_code}): "
                f"{self.http.redact(str(body)[:300])}"
            )
        return body

    def submit(self, sub: Submission) -> VerificationResult:
        args = sub.constructor_args.hex()
        fields = {
            "apikey": self.api_key,
            "module": "contract",
            "action": "verifysourcecode",
            "codeformat": "solidity-standard-json-input",
            "sourceCode": sub.input_json,
            "contractaddress": sub.address,
            "contractname": sub.identifier,
            "compilerversion": f"v{sub.compiler_version}",
            "constructorArguements": args,
            "constructorArguments": args,
        }
        for attempt in range(self.http.retries + 1):
            body = self._call("POST", sub, fields)
            text = str(body["result"])
            if str(body.get("status")) == "1":
                return self.result(sub, "pending", "submitted", ticket=text)
            if "already verified" in text.lower():
                return self.result(sub, "already_verified", text)
            if not _retryable(text):
                return self.result(sub, "rejected", text)
            if attempt == self.http.retries:
                hint = "still refused after retries; rerun later (a new contract takes a minute"
                return self.result(sub, "rejected", f"{text} ({hint} to be indexed)")
            time.sleep(self.http.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def check(self, sub: Submission, ticket: str) -> VerificationResult:
        fields = {
            "apikey": self.api_key,
            "module": "contract",
            "action": "checkverifystatus",
            "guid": ticket,
        }
        body = self._call("GET", sub, fields)
        text = str(body["result"])
        lower = text.lower()
        if lower.startswith("pending") or "rate limit" in lower:
            return self.result(sub, "pending", text, ticket)
        if lower.startswith("pass"):
            return self.result(sub, "verified", text, ticket)
        if "already verified" in lower:
            return self.result(sub, "already_verified", text, ticket)
        return self.result(sub, "rejected", text, ticket)
