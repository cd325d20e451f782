"""Verify a deployed contract on several explorers, idempotently.

An explorer that a deployment record already marks as verified (or partial) is skipped
unless `force`, so rerunning `verify` after a deploy, or after one explorer was down,
only asks the explorers still missing. Results come back per explorer; the caller stores
`updated_verification(...)` in the record (records belong to `daftar.deploy`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from daftar.config import NetworkConfig
from daftar.explorer import blockscout, etherscan, sourcify
from daftar.explorer.base import Explorer
from daftar.explorer.result import (
    NO_ANSWER,
    ExplorerError,
    ExplorerNotConfigured,
    ExplorerUnreachable,
    VerificationResult,
)
from daftar.explorer.submission import Submission

EXPLORERS = ("etherscan", "sourcify", "blockscout")
#: The order they are asked in: those that need no key first.
KEYLESS_FIRST = ("sourcify", "blockscout", "etherscan")
#: Recorded statuses that mean the explorer already shows the source.
VERIFIED = frozenset({"verified", "partial", "already_verified"})


def make_explorer(
    name: str,
    network: NetworkConfig,
    api_key: str | None = None,
    timeout: float = 120.0,
) -> Explorer:
    """A client for `name` on `network`; URLs from the network's config, else defaults.

    brownie-config.yaml may set, per network: `explorer` (browser URL, for links),
    `explorer_api` (an Etherscan-v2-compatible API URL), `sourcify` and `blockscout`
    (instance URLs).
    """
    settings = network.settings
    if name == "etherscan":
        return etherscan.Etherscan(
            api_key,
            base_url=network.explorer_api or etherscan.DEFAULT_URL,
            browser_url=network.explorer,
            timeout=timeout,
        )
    if name == "sourcify":
        return sourcify.Sourcify(settings.get("sourcify") or sourcify.DEFAULT_URL, timeout=timeout)
    if name == "blockscout":
        url = settings.get("blockscout") or blockscout.DEFAULT_URLS.get(network.chain_id or 0)
        if not url:
            raise ExplorerNotConfigured(
                f"no Blockscout instance is known for network '{network.name}' (chain id "
                f"{network.chain_id}): set daftar.networks.{network.name}.blockscout to its URL "
                "in brownie-config.yaml, or leave blockscout out"
            )
        return blockscout.Blockscout(url, timeout=timeout)
    raise ExplorerError(f"unknown explorer {name!r}: use {', '.join(EXPLORERS)}")


def explorers_for(
    network: NetworkConfig, names: Iterable[str] = EXPLORERS, **options: Any
) -> dict[str, Explorer]:
    """All clients at once, so a missing API key stops the run before anything is sent."""
    return {name: make_explorer(name, network, **options) for name in names}


def configured_explorers(
    network: NetworkConfig,
    names: Iterable[str] = EXPLORERS,
    notify: Any = None,
    **options: Any,
) -> tuple[dict[str, Explorer], dict[str, str]]:
    """Clients for the explorers that can be asked (keyless ones first), and for the rest
    why not (a missing key stops only that explorer)."""
    order = [n for n in KEYLESS_FIRST if n in set(names)]
    order += [n for n in names if n not in order]
    clients: dict[str, Explorer] = {}
    missing: dict[str, str] = {}
    for name in order:
        try:
            clients[name] = make_explorer(name, network, **options)
        except ExplorerNotConfigured as exc:
            missing[name] = str(exc)
            continue
        clients[name].http.notify = notify
    return clients, missing


def verify_contract(
    artifact: Mapping[str, Any],
    address: str,
    constructor_args: bytes | str = b"",
    *,
    network: NetworkConfig | None = None,
    chain_id: int | None = None,
    explorers: Mapping[str, Explorer] | Iterable[str] | None = None,
    previous: Mapping[str, str] | None = None,
    force: bool = False,
    creation_tx: str | None = None,
) -> dict[str, VerificationResult]:
    """Submit the recorded source of `artifact` at `address` to each explorer.

    `explorers` is either ready clients by name, or names built for `network`; `previous`
    is a record's `verification` map. One explorer failing never stops the others: its
    result says `rejected` (the explorer refused) or `unreachable` (no usable answer).
    """
    if chain_id is None:
        chain_id = network.chain_id if network is not None else None
    if chain_id is None:
        raise ExplorerError("verification needs the chain id: pass chain_id or a network")
    if isinstance(explorers, Mapping):
        clients = dict(explorers)
    else:
        if network is None:
            raise ExplorerError("pass a network (or ready explorer clients) to verify on")
        clients = explorers_for(network, explorers or EXPLORERS)
    sub = Submission.from_artifact(artifact, address, constructor_args, chain_id, creation_tx)
    previous = previous or {}
    results: dict[str, VerificationResult] = {}
    for name, client in clients.items():
        recorded = previous.get(name, "")
        if recorded in VERIFIED and not force:
            results[name] = VerificationResult(
                name,
                "partial" if recorded == "partial" else "verified",
                client.page_url(sub),
                f"recorded as {recorded}; not resubmitted (force resubmits)",
                skipped=True,
            )
            continue
        try:
            results[name] = client.verify(sub)
        except ExplorerUnreachable as exc:
            results[name] = VerificationResult(name, "unreachable", client.page_url(sub), str(exc))
        except ExplorerError as exc:
            results[name] = VerificationResult(name, "rejected", client.page_url(sub), str(exc))
    return results


def verify_record(
    record: Mapping[str, Any],
    artifact: Mapping[str, Any],
    *,
    network: NetworkConfig | None = None,
    explorers: Mapping[str, Explorer] | Iterable[str] | None = None,
    force: bool = False,
) -> dict[str, VerificationResult]:
    """`verify_contract` for a `deployments/<network>/<Contract>.json` record."""
    sub = Submission.from_record(record, artifact, record.get("chain_id") or None)
    return verify_contract(
        artifact,
        sub.address,
        sub.constructor_args,
        network=network,
        chain_id=sub.chain_id or None,
        explorers=explorers,
        previous=record.get("verification") or {},
        force=force,
        creation_tx=sub.creation_tx,
    )


def updated_verification(
    verification: Mapping[str, str], results: Mapping[str, VerificationResult]
) -> dict[str, str]:
    """The record's `verification` map with what the explorers just answered."""
    out = dict(verification)
    for name, result in results.items():
        if not result.skipped and name != "local" and result.status not in NO_ANSWER:
            out[name] = result.record_status
    return out
