"""The registry of record on a network, and the account that signs for it.

The command line talks to the registry that `daftar deploy` recorded in
`deployments/<network>/<Contract>.json`, never to an address a user (or a holder file)
merely claims. Contract objects are built from the ABI stored in those records, so reading
works without compiling anything and matches exactly what was deployed.

Signers, in order: an explicit name (`--account`), else `$DAFTAR_ACCOUNT`, else the
deployer's environment (`DEPLOYER_PRIVATE_KEY` / `DEPLOYER_KEYSTORE`), else dev account 0
on a local chain id. A name is `dev0`..`dev9` (the public test mnemonic: local chain ids
only) or a keystore name or path (`daftar accounts new NAME`), unlocked with
`DEPLOYER_PASSWORD` or a hidden prompt. Keys are never printed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daftar.chain.base import Account, Chain
from daftar.config import Config, NetworkConfig
from daftar.deploy.records import DEPLOYMENTS_ENV, records_folder
from daftar.errors import AccountError, NetworkError
from daftar.keys import (
    KEY_ENV,
    KEYSTORE_ENV,
    PASSWORD_ENV,
    dev_accounts,
    keystore_address,
    keystore_path,
    load_deployer,
    unlock_keystore,
)

__all__ = [
    "ACCOUNT_ENV",
    "CONTRACTS",
    "DEPLOYMENTS_ENV",
    "LOCAL_CHAIN_IDS",
    "RegistryClient",
    "connect_registry",
    "live_network",
    "local_client",
    "read_registry_records",
    "records_folder",
    "resolve_signer",
]

ACCOUNT_ENV = "DAFTAR_ACCOUNT"
LOCAL_CHAIN_IDS = (1337, 31337)  # the only chains where the public dev keys may sign
CONTRACTS = ("IssuerRegistry", "CredentialRegistry", "PilotRegistry")
_DEV = re.compile(r"^dev(\d)$")

Prompt = Callable[[str], str]


def live_network(config: Config, name: str | None) -> NetworkConfig:
    """The network, refused if it is a throwaway chain that cannot hold a deployed registry."""
    net = config.network(name)
    if net.backend != "rpc":
        raise NetworkError(
            f"network '{net.name}' is a throwaway {net.backend} chain: it vanishes with the "
            "process that runs it, so no registry stays deployed there. Start a node with "
            "`daftar node`, deploy with `daftar deploy --network localhost` and use "
            "--network localhost, or use a public testnet (e.g. --network sepolia)."
        )
    return net


def read_registry_records(folder: Path, network: str) -> dict[str, dict[str, Any]]:
    """The three contracts' records; a clear error (how to deploy) if any is missing."""
    from daftar.deploy.records import read_record

    records = {name: read_record(folder, name) for name in CONTRACTS}
    missing = [f"{n}.json" for n, rec in records.items() if not rec or "address" not in rec]
    if missing:
        raise NetworkError(
            f"no registry deployment is recorded for network '{network}' in {folder} "
            f"(missing {', '.join(missing)}). Deploy it first: `daftar deploy --network "
            f"{network}`, or point --deployments (or ${DEPLOYMENTS_ENV}) at the folder that "
            "holds the records."
        )
    return {n: rec for n, rec in records.items() if rec}


def resolve_signer(name: str | None, net: NetworkConfig, prompt: Prompt | None = None) -> Account:
    """The account that signs on `net` (see the module docstring for the order)."""
    name = name or os.environ.get(ACCOUNT_ENV) or None
    if name:
        dev = _DEV.match(name)
        if dev:
            if net.chain_id not in LOCAL_CHAIN_IDS:
                raise AccountError(
                    f"{name} is a public test key; it signs only on local chains (chain id "
                    f"1337 or 31337), not on {net.name} (chain id {net.chain_id}). Use a "
                    "keystore: `daftar accounts new NAME`, then --account NAME."
                )
            return dev_accounts()[int(dev.group(1))]
        return _unlock(keystore_path(name), prompt)
    deployer = load_deployer(prompt)
    if deployer is not None:
        return deployer
    if net.chain_id in LOCAL_CHAIN_IDS:
        return dev_accounts()[0]
    raise AccountError(
        f"no account to sign with on {net.name}: pass --account NAME (a keystore from "
        f"`daftar accounts new NAME`), set ${ACCOUNT_ENV}, or set {KEY_ENV} / {KEYSTORE_ENV}."
    )


def _unlock(path: Path, prompt: Prompt | None) -> Account:
    address = keystore_address(path)  # a clear error if there is no such keystore
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if prompt is None:
            raise AccountError(f"keystore {path} needs a password: set {PASSWORD_ENV}")
        password = prompt(f"Password for keystore {path.name} ({address})")
    return unlock_keystore(path, password)


@dataclass
class RegistryClient:
    """The three registry contracts on one network, and the signer (if any).

    `connect_registry` opens the registry of record on a live network; `local_client`
    wraps one deployed in this process. Either serves daftar_registry.services.
    """

    network: NetworkConfig
    chain: Chain
    folder: Path | None  # the deployment records it was read from (None: not from records)
    issuers: Any
    credentials: Any
    pilots: Any
    signer: Account | None
    owns_chain: bool = True  # close() closes the chain (a local client leaves it open)

    def link(self, kind: str, value: str) -> str | None:
        """The explorer page of an address or tx; None where the network has no explorer."""
        return self.network.explorer_link(kind, value)

    def require_signer(self) -> Account:
        if self.signer is None:
            raise AccountError("this command sends a transaction but no signer was chosen")
        return self.signer

    def close(self) -> None:
        if self.owns_chain:
            self.chain.close()


def local_client(
    registry: Any, chain: Chain, network: NetworkConfig | None = None
) -> RegistryClient:
    """A client over a registry deployed in this process (tests, the demo; no records).

    `registry` is what `deploy_registry` returns (anything with `issuers`, `credentials`
    and `pilots` contracts); `network` gives the name and explorer (default: the chain's
    name, no explorer). Reads only; closing it leaves the chain open.
    """
    net = network or NetworkConfig(name=chain.name, backend=chain.backend, chain_id=chain.chain_id)
    return RegistryClient(
        network=net,
        chain=chain,
        folder=None,
        issuers=registry.issuers,
        credentials=registry.credentials,
        pilots=registry.pilots,
        signer=None,
        owns_chain=False,
    )


def connect_registry(
    config: Config,
    network: str | None,
    *,
    deployments_dir: Path | None = None,
    account: str | None = None,
    sign: bool = False,
    prompt: Prompt | None = None,
) -> RegistryClient:
    """Open the recorded registry on a live network; choose a signer if `sign`."""
    from daftar.chain.rpc import RpcChain
    from daftar.deploy.records import check_chain_id

    net = live_network(config, network)
    folder = records_folder(config, net.name, deployments_dir)
    records = read_registry_records(folder, net.name)
    signer = resolve_signer(account, net, prompt) if sign else None
    chain = RpcChain(net.name, net.rpc_url(), net.chain_id, keys=[signer] if signer else [])
    try:
        check_chain_id(folder, chain.chain_id)
        decoders = _decoders(records.values())
        contracts = {n: _contract(records[n], decoders, chain, folder) for n in CONTRACTS}
    except BaseException:
        chain.close()
        raise
    return RegistryClient(
        network=net,
        chain=chain,
        folder=folder,
        issuers=contracts["IssuerRegistry"],
        credentials=contracts["CredentialRegistry"],
        pilots=contracts["PilotRegistry"],
        signer=signer,
    )


def _decoders(records: Iterable[dict[str, Any]]) -> Any:
    """Errors and events of all three contracts: a revert may bubble up from any of them."""
    from daftar.contract.errors import ErrorRegistry
    from daftar.contract.events import EventRegistry
    from daftar.contract.types import Decoders

    errors, events = ErrorRegistry(), EventRegistry()
    for record in records:
        errors.add_abi(record["abi"])
        events.add_abi(record["abi"])
    return Decoders(errors, events)


def _contract(record: dict[str, Any], decoders: Any, chain: Chain, folder: Path) -> Any:
    """A contract object from the record's ABI, after checking code is really there."""
    from daftar.contract.types import ContractType

    name, address = record.get("contract", "?"), record["address"]
    recorded_id = record.get("chain_id")
    if recorded_id is not None and int(recorded_id) != chain.chain_id:
        raise NetworkError(
            f"{folder / (name + '.json')} was recorded on chain id {recorded_id}, but the node "
            f"reports {chain.chain_id}. Refusing to use it: check the RPC URL."
        )
    if not chain.code(address):
        raise NetworkError(
            f"no contract at {address} ({name}) on {chain.name}: the records in {folder} are "
            "stale (a local node restarted?). Move that folder aside and deploy again with "
            f"`daftar deploy --network {chain.name}`."
        )
    artifact = {"contractName": name, "abi": record["abi"], "bytecode": ""}
    return ContractType(artifact, decoders).at(address, chain)
