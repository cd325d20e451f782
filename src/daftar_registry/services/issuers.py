"""An issuer as IssuerRegistry knows it: standing, validity window, metadata, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from daftar_registry.status import KeyStatus, Standing
from daftar_registry.times import utc

__all__ = ["IssuerSummary", "SigningKey", "StandingChange", "issuer_summary"]


@dataclass(frozen=True)
class SigningKey:
    """One signing key of an organisation (its own address is the first)."""

    address: str
    status: KeyStatus
    compromised_since: int  # 0: not compromised
    retired_at: int  # 0: not retired

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.address,
            "status": self.status.name,
            "compromised_since": utc(self.compromised_since),
            "retired_at": utc(self.retired_at),
        }


@dataclass(frozen=True)
class StandingChange:
    """One entry of an issuer's history, in the exact order the registry recorded them."""

    at: int
    status: Standing
    valid_from: int
    valid_until: int
    reason_code: int

    def to_json(self) -> dict[str, Any]:
        return {
            "at": utc(self.at),
            "status": self.status.name,
            "valid_from": utc(self.valid_from),
            "valid_until": utc(self.valid_until),
            "reason_code": self.reason_code,
        }


@dataclass(frozen=True)
class IssuerSummary:
    """What IssuerRegistry says of one address (standing NONE: never accredited).

    Times are unix seconds (0: not set; `valid_from` 0 means from accreditation,
    `valid_until` 0 open-ended).
    """

    issuer: str
    issuer_link: str | None
    standing: Standing
    in_good_standing: bool  # may issue now (active and inside its window)
    name: str
    metadata_uri: str
    valid_from: int
    valid_until: int
    accredited_at: int
    reason_code: int
    history: tuple[StandingChange, ...]
    keys: tuple[SigningKey, ...]
    compromised_since: int  # 0: no compromise declared on the organisation
    registry: str
    registry_link: str | None
    network: str

    def to_json(self) -> dict[str, Any]:
        """The JSON object `daftar issuer show --json` prints."""
        return {
            "issuer": self.issuer,
            "issuer_link": self.issuer_link,
            "standing": self.standing.name,
            "in_good_standing": self.in_good_standing,
            "name": self.name,
            "metadata_uri": self.metadata_uri,
            "valid_from": utc(self.valid_from),
            "valid_until": utc(self.valid_until),
            "accredited_at": utc(self.accredited_at),
            "reason_code": self.reason_code,
            "history": [h.to_json() for h in self.history],
            "keys": [k.to_json() for k in self.keys],
            "compromised_since": utc(self.compromised_since),
            "registry": self.registry,
            "registry_link": self.registry_link,
            "network": self.network,
        }


def issuer_summary(client: Any, address: str) -> IssuerSummary:
    """The issuer's current record and its whole history, read from IssuerRegistry."""
    issuers = client.issuers
    info = issuers.issuerInfo(address)
    history = []
    for i in range(int(info.historyCount)):
        entry = issuers.historyEntry(address, i)
        history.append(
            StandingChange(
                at=int(entry.at),
                status=Standing(int(entry.status)),
                valid_from=int(entry.validFrom),
                valid_until=int(entry.validUntil),
                reason_code=int(entry.reasonCode),
            )
        )
    keys = []
    for i in range(int(issuers.keyCount(address))):
        key = issuers.keyAt(address, i)
        k = issuers.keyInfo(key)
        keys.append(
            SigningKey(
                address=str(key),
                status=KeyStatus(int(k.status)),
                compromised_since=int(k.compromisedSince),
                retired_at=int(k.retiredAt),
            )
        )
    return IssuerSummary(
        issuer=address,
        issuer_link=client.link("address", address),
        standing=Standing(int(info.standing)),
        in_good_standing=bool(issuers.isInGoodStanding(address)),
        name=info.name,
        metadata_uri=info.metadataURI,
        valid_from=int(info.validFrom),
        valid_until=int(info.validUntil),
        accredited_at=int(info.accreditedAt),
        reason_code=int(info.reasonCode),
        history=tuple(history),
        keys=tuple(keys),
        compromised_since=int(issuers.compromiseInfo(address).compromisedSince),
        registry=issuers.address,
        registry_link=client.link("address", issuers.address),
        network=client.network.name,
    )
