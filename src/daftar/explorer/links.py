"""Links pilots click: a contract's Code, Read and Write tabs on an Etherscan-style explorer.

`NetworkConfig.explorer_link(kind, value)` gives `/address/<addr>` and `/tx/<hash>`; the
contract tabs are fragments of the address page (`#code`, `#readContract`,
`#writeContract`, and the `...ProxyContract` tabs for proxies), which Etherscan and the
Etherscan-run explorers (Basescan, Arbiscan) share.
"""

from __future__ import annotations

from typing import Any

from eth_utils import is_address, to_checksum_address

from daftar.explorer.result import ExplorerError

TABS = ("code", "readContract", "writeContract", "readProxyContract", "writeProxyContract")


def _base(explorer: Any) -> str | None:
    """An explorer base URL from a string or a NetworkConfig (None when it has none)."""
    base = explorer if isinstance(explorer, str) or explorer is None else explorer.explorer
    return base.rstrip("/") if base else None


def contract_tab_url(explorer: Any, address: str, tab: str) -> str | None:
    """`<explorer>/address/<checksummed address>#<tab>`; None when there is no explorer."""
    if tab not in TABS:
        raise ExplorerError(f"unknown contract tab {tab!r}: use one of {', '.join(TABS)}")
    if not is_address(address):
        raise ExplorerError(f"{address!r} is not an address")
    base = _base(explorer)
    return f"{base}/address/{to_checksum_address(address)}#{tab}" if base else None


def code_url(explorer: Any, address: str) -> str | None:
    """The verified source (the Contract tab's Code view)."""
    return contract_tab_url(explorer, address, "code")


def read_contract_url(explorer: Any, address: str) -> str | None:
    """Read Contract: views callable from the browser, no wallet needed."""
    return contract_tab_url(explorer, address, "readContract")


def write_contract_url(explorer: Any, address: str) -> str | None:
    """Write Contract: transactions sent from the visitor's wallet."""
    return contract_tab_url(explorer, address, "writeContract")


def contract_links(explorer: Any, address: str) -> dict[str, str]:
    """{'code': url, 'read': url, 'write': url}, empty when the network has no explorer."""
    if _base(explorer) is None:
        return {}
    return {
        "code": code_url(explorer, address) or "",
        "read": read_contract_url(explorer, address) or "",
        "write": write_contract_url(explorer, address) or "",
    }
