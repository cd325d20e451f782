"""Chains: one interface (`Chain`), four backends: revm, tester, anvil, rpc."""

from __future__ import annotations

from daftar.chain.base import (
    Account,
    Chain,
    Fees,
    Log,
    NodeRefused,
    NodeUnreachable,
    Receipt,
    Reverted,
    Transaction,
)
from daftar.chain.retry import RetryPolicy
from daftar.config import Config, NetworkConfig

__all__ = [
    "Account",
    "Chain",
    "Fees",
    "Log",
    "NodeRefused",
    "NodeUnreachable",
    "Receipt",
    "RetryPolicy",
    "Reverted",
    "Transaction",
    "connect",
]


def connect(config: Config, network: str | NetworkConfig | None = None) -> Chain:
    """Open the chain a network names; backends are imported only when used."""
    net = network if isinstance(network, NetworkConfig) else config.network(network)
    if net.backend == "revm":
        from daftar.chain.revm import RevmChain

        return RevmChain(net.name, net.chain_id or 1337)
    if net.backend == "tester":
        from daftar.chain.tester import TesterChain

        return TesterChain(net.name)
    if net.backend == "anvil":
        from daftar.chain.anvil import AnvilChain, hardfork_for

        return AnvilChain(
            config.node_modules,
            net.name,
            net.chain_id or 31337,
            net.block_time,
            hardfork=hardfork_for(config.compiler.evm_version),
        )
    from daftar.chain.rpc import RpcChain

    return RpcChain(net.name, net.rpc_url(), net.chain_id, retry=RetryPolicy.of(net))
