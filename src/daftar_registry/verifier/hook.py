"""The records hook: `verifier.html` next to a deployment's records.

Registered as a `daftar.records_files` hook (pyproject.toml): after `daftar deploy` (or
`daftar verify`) rewrites `deployments/<network>/README.md`, this writes the verifier page
for that network into the same folder, configured with the recorded CredentialRegistry
versions, the chain id and the explorer. Records without a CredentialRegistry get no page.
The written page carries no RPC URL (one from the environment may hold an API key): whoever
opens it enters one, once per browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from daftar_registry.verifier.page import PAGE_FILE, page_config, write_page

__all__ = ["write_verifier"]


def write_verifier(
    folder: Path, records: dict[str, dict[str, Any]], network: Any, chain_id: int
) -> list[str]:
    """Write the page when `records` hold a CredentialRegistry; the names of files written."""
    if "CredentialRegistry" not in records:
        return []
    write_page(folder, page_config(network, folder, chain_id=chain_id))
    return [PAGE_FILE]
