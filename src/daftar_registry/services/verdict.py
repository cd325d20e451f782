"""The verdict on a credential: what the registry says of a holder or disclosure file.

`verify(client, file_or_credential)` asks the CredentialRegistry the file was anchored in
(`verify` for a credential issued on its own, `verifyLeaf` with the Merkle proof for a
batch member) and returns one `Verdict`. Records are scoped by
issuer (registry v2): the registry is asked about the issuer the document names, so a
document naming a university is judged only by what that university's keys anchored;
someone else anchoring the same hash changes nothing (NOT_ISSUED for a forgery).

The file must come from the registry `client` talks to (same network, same
CredentialRegistry address): a credential anchored in another contract is not vouched
for by this registry, so that is an error (InputError), not a verdict. `client` is a
RegistryClient (the registry of record) or a daftar_registry.services.registries.Registry
(the registry a file names, found in the records' versions or taken from the file): the
verdict says which version answered, on which chain id, and whether a record vouches for
the address.

`verify_many` judges many files against one registry, asking the node in JSON-RPC
batches of `batch` calls (1: one `eth_call` per file); an issuer's name is asked once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from daftar_registry.errors import InputError
from daftar_registry.formats.credentials import AnchoredCredential
from daftar_registry.services.files import read_credential
from daftar_registry.status import CredentialStatus, Revoker
from daftar_registry.times import utc

__all__ = ["Verdict", "check_network", "check_registry", "verify", "verify_many"]

_ZERO = "0x" + "0" * 40


@dataclass(frozen=True)
class Verdict:
    """The registry's answer about one credential, with what a verifier must know.

    Times are unix seconds (0: not set / never). `revealed` holds the fields the file
    shows (all of a holder file's, the chosen ones of a disclosure), `hidden` the names of
    those it does not.
    """

    status: CredentialStatus
    credential_hash: bytes
    merkle_root: bytes | None  # the batch, None for a credential issued on its own
    issuer: str | None  # the account that anchored it (None: nobody did)
    issuer_name: str | None  # that account's name in IssuerRegistry
    issuer_link: str | None  # its explorer page (None where the network has no explorer)
    document_issuer: str  # the issuer the document names
    issuer_matches: bool  # the document names the issuer that anchored it
    issued_at: int
    expires_at: int  # 0: never
    revoked_at: int  # 0: not revoked
    reason_code: int  # the revocation's reason code (0 if not revoked)
    revoked_by: str | None  # "issuer" or "authority" (the programme office); None if not revoked
    contract: str  # the CredentialRegistry asked
    contract_link: str | None
    network: str
    kind: Literal["holder", "disclosure"]
    source: str | None = None  # the file it was read from, if any
    revealed: Mapping[str, Any] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()
    signer: str | None = None  # the key of the issuer that anchored it (None: nobody did)
    chain_id: int | None = None  # the chain id of the node that answered
    registry_version: int | None = None  # which recorded deployment answered (see below)
    registry_confirmed: bool = True  # a deployment record (or --registry) vouches for it
    file_format: str | None = None  # the file's format (daftar-holder/2, ...)
    notes: tuple[str, ...] = ()  # what the verifier must also be told

    @property
    def valid(self) -> bool:
        """Accept it: VALID on chain, and anchored by the issuer the document names."""
        return self.status is CredentialStatus.VALID and self.issuer_matches

    @property
    def explanation(self) -> str:
        return self.status.explain()

    def to_json(self) -> dict[str, Any]:
        """The flat JSON object `daftar credential verify --json` prints.

        A disclosure adds `revealed` and `hidden`; `source` appears under `holder` or
        `disclosure` (the file's kind).
        """
        data: dict[str, Any] = {
            "status": self.status.name,
            "status_code": int(self.status),
            "explanation": self.explanation,
            "valid": self.valid,
            "credential_hash": "0x" + self.credential_hash.hex(),
            "merkle_root": "0x" + self.merkle_root.hex() if self.merkle_root else None,
            "issuer": self.issuer,
            "issuer_name": self.issuer_name,
            "issuer_link": self.issuer_link,
            "document_issuer": self.document_issuer,
            "issuer_matches": self.issuer_matches,
            "issued_at": utc(self.issued_at),
            "expires_at": utc(self.expires_at),
            "revoked_at": utc(self.revoked_at),
            "issued_at_unix": self.issued_at,
            "expires_at_unix": self.expires_at,
            "revoked_at_unix": self.revoked_at,
            "reason_code": self.reason_code,
            "revoked_by": self.revoked_by,
            "signer": self.signer,
            "contract": self.contract,
            "contract_link": self.contract_link,
            "network": self.network,
            "chain_id": self.chain_id,
            "registry_version": self.registry_version,
            "registry_confirmed": self.registry_confirmed,
            "format": self.file_format,
            "notes": list(self.notes),
        }
        if self.source is not None:
            data[self.kind] = self.source
        if self.kind == "disclosure":
            data["revealed"] = dict(self.revealed)
            data["hidden"] = list(self.hidden)
        return data


def check_network(credential: AnchoredCredential, network: str | None) -> None:
    """InputError unless the credential was issued on `network` (None: any)."""
    if network and network != credential.network:
        raise InputError(
            f"the {credential.kind} file was issued on network '{credential.network}', "
            f"not '{network}'"
        )


def check_registry(client: Any, credential: AnchoredCredential) -> None:
    """InputError unless the credential names the network and registry `client` talks to."""
    check_network(credential, client.network.name)
    address = client.credentials.address
    if address.lower() != credential.contract.lower():
        source = f" (from {client.folder})" if client.folder else ""
        raise InputError(
            f"the {credential.kind} file names CredentialRegistry {credential.contract}, but "
            f"the registry of record on {client.network.name} is {address}{source}. A "
            "credential anchored in another contract is not vouched for by this registry."
        )


def verify(
    client: Any,
    credential: AnchoredCredential | str | os.PathLike[str],
    *,
    source: str | os.PathLike[str] | None = None,
) -> Verdict:
    """The registry's verdict on a holder or disclosure file (a path, or one already read).

    A path is read and checked first (InputError if altered or unusable). For a
    credential given as an object, revealed fields that do not match their commitments
    raise TamperedCredential; a proof that does not lead to its root is the registry's
    INVALID_PROOF verdict. `source` names the file in the verdict (default: the path).
    """
    if isinstance(credential, str | os.PathLike):
        source = credential if source is None else source
        credential = read_credential(credential)
    check_registry(client, credential)
    revealed = credential.revealed()
    method, args = _question(client, credential)
    return _judge(client, credential, method(*args), revealed, source)


def verify_many(
    client: Any,
    credentials: Sequence[AnchoredCredential],
    *,
    batch: int = 1,
    sources: Sequence[str | None] | None = None,
) -> list[Verdict]:
    """The verdicts on `credentials` (already read), asking `batch` of them per request.

    With `batch` 1 each is one `eth_call`; above, up to `batch` calls travel in one
    JSON-RPC batch request (chain.call_many). Every credential must name `client`'s
    registry (InputError otherwise, before anything is asked).
    """
    from daftar.contract.abi import decode_output

    if batch < 1:
        raise ValueError("batch must be at least 1")
    named = list(sources) if sources is not None else [None] * len(credentials)
    prepared = []
    for credential in credentials:
        check_registry(client, credential)
        prepared.append((credential, credential.revealed(), *_question(client, credential)))
    verdicts: list[Verdict] = []
    for start in range(0, len(prepared), batch):
        chunk = prepared[start : start + batch]
        if batch == 1:
            answers = [method(*args) for _, _, method, args in chunk]
        else:
            bound = [(method.bind(tuple(args)), args) for _, _, method, args in chunk]
            calls = [(client.credentials.address, b.encode_input(*a)) for b, a in bound]
            raws = client.credentials.chain.call_many(calls)
            answers = [decode_output(b.item, raw) for (b, _), raw in zip(bound, raws, strict=True)]
        for (credential, revealed, _, _), raw, where in zip(
            chunk, answers, named[start : start + batch], strict=True
        ):
            verdicts.append(_judge(client, credential, raw, revealed, where))
    return verdicts


def _question(client: Any, credential: AnchoredCredential) -> tuple[Any, list[Any]]:
    """The view to ask and its arguments: records are scoped by the issuer the document
    names, so the registry is asked about that issuer."""
    named, h = credential.issuer, credential.credential_hash
    if credential.merkle_root is not None:
        args = [named, credential.merkle_root, h, list(credential.proof)]
        return client.credentials.verifyLeaf, args
    return client.credentials.verify, [named, h]


def _issuer_name(client: Any, issuer: str) -> str:
    cache = getattr(client, "names", None)
    if cache is not None and issuer in cache:
        return cache[issuer]
    name = str(client.issuers.issuerInfo(issuer).name)
    if cache is not None:
        cache[issuer] = name
    return name


def _judge(
    client: Any,
    credential: AnchoredCredential,
    raw: Any,
    revealed: Mapping[str, Any],
    source: str | os.PathLike[str] | None,
) -> Verdict:
    status = CredentialStatus(int(raw.status))
    signer = _address(raw.signer)
    named = credential.issuer
    issuer = named if signer else None
    by = Revoker(int(raw.revokedBy))
    address = client.credentials.address
    if hasattr(client, "confirmed"):  # a Registry: the version that holds the file's address
        version, confirmed = client.version, bool(client.confirmed)
    else:  # a RegistryClient: the registry of record, the current version of its records
        from daftar_registry.services.registries import current_version_of

        version, confirmed = current_version_of(client.folder), True
    return Verdict(
        status=status,
        credential_hash=credential.credential_hash,
        merkle_root=credential.merkle_root,
        issuer=issuer,
        issuer_name=_issuer_name(client, issuer) if issuer else None,
        issuer_link=client.link("address", issuer) if issuer else None,
        document_issuer=credential.issuer,
        issuer_matches=True,  # the registry was asked about the issuer the document names
        issued_at=int(raw.issuedAt),
        expires_at=int(raw.expiresAt),
        revoked_at=int(raw.revokedAt),
        reason_code=int(raw.reasonCode),
        revoked_by=None if by is Revoker.NONE else by.name.lower(),
        contract=address,
        contract_link=client.link("address", address),
        network=client.network.name,
        kind=credential.kind,
        source=None if source is None else str(source),
        revealed=revealed,
        hidden=tuple(credential.hidden()),
        signer=signer,
        chain_id=client.credentials.chain.chain_id,
        registry_version=version,
        registry_confirmed=confirmed,
        file_format=getattr(credential, "format", None),
        notes=tuple(getattr(client, "notes", ())),
    )


def _address(value: Any) -> str | None:
    return None if not value or str(value).lower() == _ZERO else str(value)
