"""Which registry answers for a credential file: records (with versions), or the file alone.

A holder or disclosure file names the network, the chain id (format /2), the
CredentialRegistry address and the registry version it was anchored in. Verification asks
exactly that contract, never another, and says how far its address is vouched for:

- **records available** (inside a project, or `--deployments DIR`): the address must be
  one of the network's recorded deployments of CredentialRegistry, current or earlier
  (daftar.deploy.versions); the answer names the version that holds it. An address that is
  none of them is `UnknownRegistry`, never checked elsewhere.
- **no records** (any directory, just an RPC URL): the address comes from the file and is
  confirmed by no record; the verdict says so, and the user should confirm the address with
  the programme office, or pin it (`pinned`, `--registry ADDRESS`): a file naming another
  address is then `UnknownRegistry`.

Either way the node's chain id must equal the file's (`WrongNetwork` otherwise; a /1 file
names none, so the node's is taken and the verdict says so), code must be deployed at the
address, and the IssuerRegistry is the one the CredentialRegistry names on chain
(`issuerRegistry()`). Contract objects use the ABIs shipped in the package
(daftar_registry.abi), so nothing is compiled and no project is needed.

`open_registry` returns a `Registry`, which serves daftar_registry.services.verdict like a
RegistryClient does. Failures are `RegistryError`s carrying the verify command's exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar.chain.base import Chain
from daftar.chain.retry import RetryPolicy
from daftar.config import NetworkConfig
from daftar_registry.errors import InputError

__all__ = [
    "EXIT_TAMPERED",
    "EXIT_UNREACHABLE",
    "EXIT_WRONG_NETWORK",
    "QUICK_RETRY",
    "Registry",
    "RegistryError",
    "UnknownRegistry",
    "Unreachable",
    "WrongNetwork",
    "connect",
    "current_version_of",
    "open_registry",
]

#: `daftar credential verify` exit codes beyond 0 (valid), 1 (error), 2 (usage), 3 (not valid).
EXIT_TAMPERED = 4
EXIT_WRONG_NETWORK = 5
EXIT_UNREACHABLE = 6

#: A verifier waits seconds, not minutes, for a node that does not answer: two attempts.
QUICK_RETRY = RetryPolicy(attempts=2, backoff=0.2, max_delay=0.2, timeout=5.0, total=12.0)


class RegistryError(InputError):
    """The file's registry cannot be asked; `status` names the outcome in `--json`."""

    status = "ERROR"


class WrongNetwork(RegistryError):
    """The node (or the records) are on another chain than the file names."""

    status = "WRONG_NETWORK"
    exit_code = EXIT_WRONG_NETWORK


class UnknownRegistry(RegistryError):
    """The file names a registry that is not a recorded (or pinned) deployment."""

    status = "UNKNOWN_REGISTRY"
    exit_code = EXIT_WRONG_NETWORK


class Unreachable(RegistryError):
    """The RPC node cannot be reached, or answers with errors."""

    status = "UNREACHABLE"
    exit_code = EXIT_UNREACHABLE


@dataclass
class Registry:
    """The CredentialRegistry a file names, and its IssuerRegistry, on one node.

    `version` is the recorded version that holds the address (with records), else the
    version the file claims (None for a /1 file). `confirmed` says whether a record (or
    the user's `--registry`) vouches for the address; `notes` are what a verifier must be
    told (unconfirmed address, chain id taken from the node, a version mismatch).
    """

    network: NetworkConfig
    chain: Chain
    folder: Path | None
    credentials: Any
    issuers: Any
    version: int | None
    confirmed: bool
    notes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # issuer → name, asked once each

    def link(self, kind: str, value: str) -> str | None:
        return self.network.explorer_link(kind, value)

    def close(self) -> None:
        """Closing a Registry leaves its chain open (several may share one connection)."""


def connect(name: str, url: str, retry: RetryPolicy = QUICK_RETRY) -> Chain:
    """A read-only chain on the node at `url`; `Unreachable` if it does not answer."""
    from daftar.chain.rpc import RpcChain
    from daftar.errors import NetworkError

    try:
        return RpcChain(name, url, None, retry=retry)
    except NetworkError as exc:  # NodeUnreachable included
        raise Unreachable(str(exc)) from None


def current_version_of(folder: Path | None) -> int:
    """The version number of the registry whose records sit in `folder` (1 without)."""
    from daftar.deploy.versions import current_version

    return 1 if folder is None else current_version(folder)


def open_registry(
    credential: Any,
    chain: Chain,
    network: NetworkConfig,
    *,
    folder: Path | None = None,
    pinned: str | None = None,
) -> Registry:
    """The registry `credential` names, on `chain`, vouched for as the module docstring says.

    `network` carries the name and explorer (and, from a project's config, the expected
    chain id); `folder` the network's deployment records, if any; `pinned` an address the
    user expects. Raises WrongNetwork, UnknownRegistry or Unreachable.
    """
    from eth_utils import to_checksum_address

    from daftar.chain.base import Reverted
    from daftar.errors import NetworkError

    notes: list[str] = []
    _check_chain(credential, chain, network, notes)
    address = to_checksum_address(credential.contract)
    records: dict[str, Any] = {}
    version = credential.registry_version
    confirmed = False
    if pinned is not None:
        if pinned.lower() != address.lower():
            raise UnknownRegistry(
                f"the {credential.kind} file names CredentialRegistry {address}, not "
                f"{pinned} (given with --registry): not checked against any other registry"
            )
        confirmed = True
        notes.append(f"registry {address} is the one given with --registry")
    known = _recorded(folder, chain) if folder is not None else []
    if known:
        match = [v for v in known if (v.address_of("CredentialRegistry") or "").lower()
                 == address.lower()]  # fmt: skip
        if not match:
            listed = ", ".join(
                f"v{v.version} {v.address_of('CredentialRegistry')}"
                for v in known
                if v.address_of("CredentialRegistry")
            )
            raise UnknownRegistry(
                f"the {credential.kind} file names CredentialRegistry {address}, which is not "
                f"a recorded deployment on {network.name} (records in {folder}: {listed}). "
                "It is not checked elsewhere: ask the issuer where the credential was anchored."
            )
        found = match[-1]
        records = found.records
        if version is not None and version != found.version:
            notes.append(
                f"the file says registry version {version}, but the records hold "
                f"{address} as version {found.version}"
            )
        version, confirmed = found.version, True
    elif pinned is None:
        notes.append(
            f"the registry address {address} comes from the file and is not confirmed by "
            "any deployment record: confirm it with the programme office (then pin it with "
            "--registry ADDRESS)"
        )
    try:
        if not chain.code(address):
            raise UnknownRegistry(
                f"there is no contract at {address} (the CredentialRegistry the file names) "
                f"on chain id {chain.chain_id}: wrong network, or a registry that was never "
                "deployed there"
            )
        credentials = _contract("CredentialRegistry", address, chain, records)
        try:
            issuer_registry = to_checksum_address(str(credentials.issuerRegistry()))
        except Reverted:
            raise UnknownRegistry(
                f"the contract at {address} does not answer issuerRegistry(): it is not a "
                "daftar CredentialRegistry"
            ) from None
        issuers = _contract("IssuerRegistry", issuer_registry, chain, records)
    except NetworkError as exc:
        raise Unreachable(str(exc)) from None
    return Registry(
        network=network,
        chain=chain,
        folder=folder,
        credentials=credentials,
        issuers=issuers,
        version=version,
        confirmed=confirmed,
        notes=notes,
    )


def _check_chain(credential: Any, chain: Chain, network: NetworkConfig, notes: list[str]) -> None:
    named = credential.chain_id
    if named is not None and named != chain.chain_id:
        raise WrongNetwork(
            f"the {credential.kind} file was anchored on chain id {named} "
            f"({credential.network}), but the node reports chain id {chain.chain_id}: "
            f"give the RPC URL of a {credential.network} node"
        )
    expected = network.chain_id
    if expected is not None and expected != chain.chain_id:
        raise WrongNetwork(
            f"network '{network.name}' is chain id {expected} in the project's config, but "
            f"the node reports {chain.chain_id}: check the RPC URL"
        )
    if named is None:
        notes.append(
            f"the file (format /{credential.format.rsplit('/', 1)[-1]}) names no chain id; "
            f"the node's "
            f"({chain.chain_id}) was taken as {credential.network}'s"
        )


def _recorded(folder: Path, chain: Chain) -> list[Any]:
    from daftar.deploy.records import CHAIN_ID_FILE
    from daftar.deploy.versions import recorded_versions
    from daftar.errors import DeployError

    guard = folder / CHAIN_ID_FILE
    if guard.is_file() and guard.read_text().strip() != str(chain.chain_id):
        raise WrongNetwork(
            f"{guard} says the records are on chain id {guard.read_text().strip()}, but the "
            f"node reports {chain.chain_id}: check the RPC URL"
        )
    try:
        return recorded_versions(folder)
    except DeployError as exc:
        raise RegistryError(str(exc)) from None


def _contract(name: str, address: str, chain: Chain, records: dict[str, Any]) -> Any:
    """A contract object: the record's ABI where there is one, else the packaged ABI."""
    from daftar.contract.errors import ErrorRegistry
    from daftar.contract.events import EventRegistry
    from daftar.contract.types import ContractType, Decoders
    from daftar_registry.abi import abi

    record = records.get(name) or {}
    item_abi = record.get("abi") if record.get("address", "").lower() == address.lower() else None
    item_abi = item_abi or abi(name)
    errors, events = ErrorRegistry(), EventRegistry()
    errors.add_abi(item_abi)
    events.add_abi(item_abi)
    artifact = {"contractName": name, "abi": item_abi, "bytecode": ""}
    return ContractType(artifact, Decoders(errors, events)).at(address, chain)
