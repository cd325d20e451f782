"""Any JSON-RPC node over HTTP: public testnets, or a node someone else started.

The node's chain id is checked against the config before anything is signed, so a
mistyped URL can never send a testnet's transactions to another chain.
"""

from __future__ import annotations

from typing import Any

from daftar.chain.base import Account, NodeUnreachable
from daftar.chain.retry import RetryPolicy
from daftar.chain.web3chain import Web3Chain
from daftar.errors import DaftarError, NetworkError
from daftar.keys import dev_accounts


def connect_http(url: str, timeout: float = RetryPolicy.timeout) -> Any:
    """A `Web3` over HTTP with web3's own retries off: daftar retries in one place
    (chain.retry), and `timeout` bounds each request."""
    from web3 import HTTPProvider, Web3

    provider = HTTPProvider(
        url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None
    )
    return Web3(provider)


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
        self,
        name: str,
        url: str,
        expected_chain_id: int | None,
        keys: list[Account] | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        retry = retry or RetryPolicy()
        w3 = connect_http(url, retry.timeout)
        try:
            super().__init__(name, w3, [], set(), retry=retry, endpoint=_redact(url))
        except NodeUnreachable:
            raise
        except DaftarError as exc:
            raise NetworkError(
                f"network '{name}': no usable answer from {_redact(url)} to eth_chainId "
                f"({str(exc).splitlines()[0]}). Check the RPC URL and that the node is up."
            ) from None
        if expected_chain_id is not None and self.chain_id != expected_chain_id:
            raise NetworkError(
                f"network '{name}' expects chain id {expected_chain_id}, but the node at "
                f"{_redact(url)} reports {self.chain_id}. Refusing to sign anything: fix the "
                "RPC URL or the chain_id in brownie-config.yaml."
            )
        node_accounts = {a.lower() for a in self._node_accounts()}
        known = {a.address.lower(): a for a in dev_accounts()}
        self.accounts = list(keys or [])
        self.accounts += [
            known.get(a, Account(w3.to_checksum_address(a))) for a in sorted(node_accounts)
        ]
        self._unlocked = node_accounts

    def _node_accounts(self) -> list[str]:
        """Accounts the node signs for (a dev node's); public nodes have none or refuse."""
        try:
            return list(self._rpc("eth_accounts", lambda: self.w3.eth.accounts) or [])
        except DaftarError:
            return []
