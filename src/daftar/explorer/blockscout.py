"""Blockscout API v2: no key; standard-JSON input uploaded as a file.

Protocol, following Blockscout's "Smart contract verification API" page (license types,
`/api/v2/smart-contracts/{address}/verification/via/standard-input`) and its UI's field
descriptions: a multipart POST with `compiler_version` ("v0.8.30+commit.73712a01"),
`contract_name` (the UI accepts `path/to/File.sol:Name`), `license_type` (an API license
name such as "mit"), `autodetect_constructor_args` / `constructor_args` (ABI hex) and the
input as `files[0]`. The answer only says the job started ("Smart-contract verification
started"; "Already verified" for a verified contract); the outcome is read by polling
GET `/api/v2/smart-contracts/{address}` until `is_verified` (`is_partially_verified` marks
a metadata-only match). The documentation shows no field-by-field response schema here:
the answer texts and the partial flag are taken from Blockscout's observed behaviour and
treated leniently (any "already verified" wording, a missing flag means full).
Blockscout reports a failed job only in its UI, so a job that never verifies ends as
`pending` at the timeout, never as a guessed failure.
"""

from __future__ import annotations

import re
from typing import Any

from daftar.explorer.base import Explorer
from daftar.explorer.http import Http
from daftar.explorer.result import ExplorerError, VerificationResult
from daftar.explorer.submission import Submission

#: Public Blockscout instances of the testnets brownie-config.yaml names, by chain id.
#: Override or add one with `blockscout: <url>` under the network in brownie-config.yaml.
DEFAULT_URLS = {
    11155111: "https://eth-sepolia.blockscout.com",
    560048: "https://eth-hoodi.blockscout.com",
    84532: "https://base-sepolia.blockscout.com",
    421614: "https://arbitrum-sepolia.blockscout.com",
}
#: SPDX identifier → Blockscout's API license type.
LICENSES = {
    "unlicensed": "none",
    "unlicense": "unlicense",
    "mit": "mit",
    "gpl-2.0": "gnu_gpl_v2",
    "gpl-3.0": "gnu_gpl_v3",
    "lgpl-2.1": "gnu_lgpl_v2_1",
    "lgpl-3.0": "gnu_lgpl_v3",
    "bsd-2-clause": "bsd_2_clause",
    "bsd-3-clause": "bsd_3_clause",
    "mpl-2.0": "mpl_2_0",
    "osl-3.0": "osl_3_0",
    "apache-2.0": "apache_2_0",
    "agpl-3.0": "gnu_agpl_v3",
    "busl-1.1": "bsl_1_1",
}
_SPDX = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+-]+)")


def license_type(sub: Submission) -> str:
    """The Blockscout license of the contract's own source, from its SPDX line."""
    text = sub.input.get("sources", {}).get(sub.source_name, {}).get("content", "")
    found = _SPDX.search(text)
    if not found:
        return "none"
    spdx = re.sub(r"-(only|or-later)$|\+$", "", found.group(1).lower())
    return LICENSES.get(spdx, "none")


def _message(body: Any, status: int) -> str:
    if isinstance(body, dict):
        parts = [str(body.get("message", ""))]
        if body.get("errors"):
            parts.append(str(body["errors"]))
        text = " ".join(p for p in parts if p)
        if text:
            return text
    return f"HTTP {status}: {str(body)[:300]}"


class Blockscout(Explorer):
    name = "blockscout"

    def __init__(
        self,
        base_url: str,
        http: Http | None = None,
        timeout: float = 120.0,
        poll_interval: float = 5.0,
        autodetect_constructor_args: bool = False,
    ) -> None:
        if not base_url:
            raise ExplorerError("Blockscout needs the instance's URL")
        self.base_url = base_url.rstrip("/")
        self.autodetect = autodetect_constructor_args
        super().__init__(http or Http(self.name), timeout, poll_interval)

    def page_url(self, sub: Submission) -> str | None:
        return f"{self.base_url}/address/{sub.address}?tab=contract"

    def submit(self, sub: Submission) -> VerificationResult:
        url = (
            f"{self.base_url}/api/v2/smart-contracts/{sub.address}/verification/via/standard-input"
        )
        fields = {
            "compiler_version": f"v{sub.compiler_version}",
            "contract_name": sub.identifier,
            "license_type": license_type(sub),
            "autodetect_constructor_args": "true" if self.autodetect else "false",
            "constructor_args": "" if self.autodetect else sub.constructor_args.hex(),
        }
        files = {"files[0]": ("input.json", sub.input_json.encode(), "application/json")}
        response = self.http.request("POST", url, data=fields, files=files)
        body = self._body(response)
        text = _message(body, response.status_code)
        if "already verified" in text.lower():
            return self.result(sub, "already_verified", text)
        if response.status_code == 200:
            return self.result(sub, "pending", text, ticket=sub.address)
        return self.result(sub, "rejected", text)

    def check(self, sub: Submission, ticket: str) -> VerificationResult:
        response = self.http.request("GET", f"{self.base_url}/api/v2/smart-contracts/{ticket}")
        if response.status_code == 404:
            return self.result(sub, "pending", "not verified yet", ticket)
        body = self._body(response)
        if response.status_code != 200 or not isinstance(body, dict):
            return self.result(sub, "rejected", _message(body, response.status_code), ticket)
        if not body.get("is_verified"):
            return self.result(sub, "pending", "not verified yet", ticket)
        if body.get("is_partially_verified"):
            return self.result(sub, "partial", "partially verified (metadata differs)", ticket)
        return self.result(sub, "verified", "verified", ticket)
