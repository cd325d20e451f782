"""The contracts' enums in Python, with what each value means in plain words.

Values mirror the Solidity enums exactly (CredentialRegistry.Status, PilotRegistry.Status,
IssuerRegistry.Standing); tests check them against the contracts' behaviour.
"""

from __future__ import annotations

from enum import IntEnum


class CredentialStatus(IntEnum):
    NOT_ISSUED = 0
    VALID = 1
    REVOKED = 2
    EXPIRED = 3
    ISSUER_SUSPENDED = 4
    INVALID_PROOF = 5
    ISSUER_REVOKED = 6
    ISSUER_COMPROMISED = 7

    def explain(self) -> str:
        return _CREDENTIAL_WORDS[self]


_CREDENTIAL_WORDS = {
    CredentialStatus.NOT_ISSUED: "not issued: no issuer has anchored this credential",
    CredentialStatus.VALID: "valid: issued by an accredited issuer, not revoked, not expired",
    CredentialStatus.REVOKED: "revoked (by its issuer or by the programme office)",
    CredentialStatus.EXPIRED: "expired: past its expiry date",
    CredentialStatus.ISSUER_SUSPENDED: (
        "issued while the issuer was accredited, but the issuer is suspended now"
    ),
    CredentialStatus.INVALID_PROOF: "the batch exists, but the proof does not place it in it",
    CredentialStatus.ISSUER_REVOKED: (
        "issued while the issuer was accredited, but the issuer's accreditation is revoked now"
    ),
    CredentialStatus.ISSUER_COMPROMISED: (
        "invalid: anchored after the programme office declared the issuer's key compromised"
    ),
}


class Revoker(IntEnum):
    """Who revoked a credential (CredentialRegistry.Revoker)."""

    NONE = 0
    ISSUER = 1
    AUTHORITY = 2


class KeyStatus(IntEnum):
    """A signing key's state (IssuerRegistry.KeyStatus)."""

    NONE = 0
    ACTIVE = 1
    RETIRED = 2


class PilotStatus(IntEnum):
    NONE = 0
    PROPOSED = 1
    APPROVED = 2
    ACTIVE = 3
    COMPLETED = 4
    REJECTED = 5
    TERMINATED = 6


class Standing(IntEnum):
    NONE = 0
    ACTIVE = 1
    SUSPENDED = 2
    REVOKED = 3
    EXPIRED = 4
    NOT_YET_VALID = 5
