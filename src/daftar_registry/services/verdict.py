"""The verdict on a credential: what the registry says of a holder or disclosure file.

`verify(client, file_or_credential)` asks the CredentialRegistry the file was anchored in
(`verify` for a credential issued on its own, `verifyLeaf` with the Merkle proof for a
batch member) and returns one `Verdict`. Records are scoped by
issuer (registry v2): the registry is asked about the issuer the document names, so a
document naming a university is judged only by what that university's keys anchored;
someone else anchoring the same hash changes nothing (NOT_ISSUED for a forgery).

The file must come from the registry `client` talks to (same network, same
CredentialRegistry address): a credential anchored in another contract is not vouched
for by this registry, so that is an error (InputError), not a verdict.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from daftar_registry.errors import InputError
from daftar_registry.formats.credentials import AnchoredCredential
from daftar_registry.services.files import read_credential
from daftar_registry.status import CredentialStatus, Revoker
from daftar_registry.times import utc

__all__ = ["Verdict", "check_network", "check_registry", "verify"]

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
    h = credential.credential_hash
    named = credential.issuer  # records are scoped by issuer: ask about the one it names
    if credential.merkle_root is not None:
        root, proof = credential.merkle_root, list(credential.proof)
        raw = client.credentials.verifyLeaf(named, root, h, proof)
    else:
        raw = client.credentials.verify(named, h)
    status = CredentialStatus(int(raw.status))
    signer = _address(raw.signer)
    issuer = named if signer else None
    by = Revoker(int(raw.revokedBy))
    address = client.credentials.address
    return Verdict(
        status=status,
        credential_hash=h,
        merkle_root=credential.merkle_root,
        issuer=issuer,
        issuer_name=client.issuers.issuerInfo(issuer).name if issuer else None,
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
    )


def _address(value: Any) -> str | None:
    return None if not value or str(value).lower() == _ZERO else str(value)
