"""The records hook: `verifier.html` next to a deployment's records.

`write_verifier` is a `daftar.records_files` hook (pyproject.toml): after `daftar deploy`
(or `daftar verify`) rewrites `deployments/<network>/README.md`, this writes the verifier page
for that network into the same folder, configured with the recorded CredentialRegistry
versions, the chain id and the explorer. Records without a CredentialRegistry get no page.
The written page carries no RPC URL (one from the environment may hold an API key): whoever
opens it enters one, once per browser. `readme_section` (a `daftar.records_readme` hook)
tells the records README's readers that the page is there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from daftar_registry.verifier.page import PAGE_FILE, page_config, write_page

__all__ = ["readme_section", "write_verifier"]


def write_verifier(
    folder: Path, records: dict[str, dict[str, Any]], network: Any, chain_id: int
) -> list[str]:
    """Write the page when `records` hold a CredentialRegistry; the names of files written."""
    if "CredentialRegistry" not in records:
        return []
    write_page(folder, page_config(network, folder, chain_id=chain_id))
    return [PAGE_FILE]


def readme_section(records: dict[str, dict[str, Any]], network: Any) -> list[str]:
    """Markdown lines pointing at `verifier.html` (none without a CredentialRegistry)."""
    if "CredentialRegistry" not in records:
        return []
    return [
        "## Verify a credential in a browser",
        "",
        f"Open [`{PAGE_FILE}`]({PAGE_FILE}) (it works from disk, no install), enter the RPC URL",
        f"of a {network.name} node once, and drop a holder or disclosure file on it: the page",
        "recomputes every hash in the browser and asks the registry; the file never leaves",
        f"the computer. `daftar verifier serve --network {network.name}` serves the same page",
        "locally with the RPC URL filled in. How it works: docs/formats.md.",
    ]
