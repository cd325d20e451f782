"""Any JSON-RPC node over HTTP: public testnets, or a node someone else started.

The node's chain id is checked against the config before anything is signed, so a
mistyped URL can never send a testnet's transactions to another chain.
"""

from __future__ import annotations

from typing import Any

from daftar.chain.base import Account
from daftar.chain.web3chain import Web3Chain
from daftar.errors import NetworkError
from daftar.keys import dev_accounts


def connect_http(url: str, timeout: float = 30.0) -> Any:
    from web3 import HTTPProvider, Web3

    return Web3(HTTPProvider(url, request_kwargs={"timeout": timeout}))


def _redact(url: str) -> str:
    """Node URLs often embed an API key: show scheme and host only."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (
        f"{parts.scheme}://{parts.hostname or '?'}{':' + str(parts.port) if parts.port else ''}/…"
    )


class RpcChain(Web3Chain):
    backend = "rpc"

    def __init__(
        self, name: str, url: str, expected_chain_id: int | None, keys: list[Account] | None = None
    ) -> None:
        w3 = connect_http(url)
        try:
            chain_id = int(w3.eth.chain_id)
        except Exception as exc:
            raise NetworkError(
                f"network '{name}': no answer from {_redact(url)} ({type(exc).__name__}). "
                "Check the RPC URL and that the node is up."
            ) from None
        if expected_chain_id is not None and chain_id != expected_chain_id:
            raise NetworkError(
                f"network '{name}' expects chain id {expected_chain_id}, but the node at "
                f"{_redact(url)} reports {chain_id}. Refusing to sign anything: fix the RPC URL "
                "or the chain_id in brownie-config.yaml."
            )
        node_accounts = {a.lower() for a in w3.eth.accounts} if _has_accounts(w3) else set()
        known = {a.address.lower(): a for a in dev_accounts()}
        accounts = list(keys or [])
        accounts += [
            known.get(a, Account(w3.to_checksum_address(a))) for a in sorted(node_accounts)
        ]
        super().__init__(name, w3, accounts, node_accounts)


def _has_accounts(w3: Any) -> bool:
    try:
        return bool(w3.eth.accounts)
    except Exception:
        return False
