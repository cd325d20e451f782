"""Why the registry refused a transaction, in words an issuer or a pilot's staff can act on.

The contract layer already names the custom error and its arguments (`Reverted.error`,
`Reverted.args_by_name`); this module turns the registry's errors into sentences: which
role is missing and who grants it, that a contract is paused, which lifecycle move is not
allowed. Errors not listed here keep the decoded form, which is still exact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from daftar.chain.base import Reverted
from daftar.errors import DaftarError
from daftar_registry.status import PilotStatus, Standing

__all__ = ["ROLE_NAMES", "Refused", "explain_refusal", "role_name"]

_ROLES = ("REGISTRAR_ROLE", "PROGRAMME_OFFICE_ROLE", "PAUSER_ROLE")


def _role_ids() -> dict[bytes, str]:
    from eth_utils import keccak

    ids = {keccak(text=name): name for name in _ROLES}
    ids[bytes(32)] = "DEFAULT_ADMIN_ROLE"
    return ids


ROLE_NAMES = _role_ids()


class Refused(DaftarError):
    """A registry contract refused a transaction; the message says why and what to do."""

    def __init__(self, message: str, error: str | None, tx_hash: str | None = None) -> None:
        super().__init__(message)
        self.error = error
        self.tx_hash = tx_hash


def role_name(role_id: bytes | str) -> str:
    raw = bytes.fromhex(role_id[2:]) if isinstance(role_id, str) else bytes(role_id)
    return ROLE_NAMES.get(raw, "0x" + raw.hex())


def _hex(value: Any) -> str:
    return "0x" + value.hex() if isinstance(value, bytes) else str(value)


def _pilot(value: Any) -> str:
    try:
        return PilotStatus(int(value)).name.capitalize()
    except ValueError:
        return str(value)


def _standing(value: Any) -> str:
    try:
        return Standing(int(value)).name.replace("_", " ").lower()
    except ValueError:
        return str(value)


def _key_status(value: Any) -> str:
    from daftar_registry.status import KeyStatus

    try:
        return KeyStatus(int(value)).name.lower()
    except ValueError:
        return str(value)


def _utc(seconds: Any) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(int(seconds), UTC).isoformat().replace("+00:00", "Z")


#: How the admin role changes hands (it is never granted); `daftar admin` repeats it.
ADMIN_TRANSFER_HINT = (
    "the admin changes only by the two-step transfer: `daftar admin transfer-admin NEW_ADMIN` "
    "by the current admin, then `daftar admin accept-admin` by the new admin after the delay"
)


def _unauthorized(a: dict[str, Any], c: str) -> str:
    """The admin role is never granted, so its absence needs other advice than grantRole."""
    needed = role_name(a["neededRole"])
    if needed == "DEFAULT_ADMIN_ROLE":
        return (
            f"account {a['account']} is not the admin of {c}; only the admin grants and revokes "
            "roles and starts an admin transfer (`daftar admin roles` shows who it is)"
        )
    return f"account {a['account']} lacks {needed} on {c}; ask the admin to grant it (grantRole)"


def _admin_delay(a: dict[str, Any], c: str) -> str:
    if not int(a["schedule"]):
        return f"no admin transfer is scheduled on {c}; {ADMIN_TRANSFER_HINT}"
    return (
        f"the admin transfer on {c} can be accepted only after {_utc(a['schedule'])} (the "
        "contract's defaultAdminDelay); run the same command again after that time"
    )


Words = Callable[[dict[str, Any], str], str]

_WORDS: dict[str, Words] = {
    "AccessControlUnauthorizedAccount": _unauthorized,
    "AccessControlEnforcedDefaultAdminDelay": _admin_delay,
    "AccessControlInvalidDefaultAdmin": lambda a, c: (
        f"{a['defaultAdmin']} is not the pending admin of {c}: only the account named by "
        "`daftar admin transfer-admin` can accept (`daftar admin roles` shows it)"
    ),
    "AccessControlEnforcedDefaultAdminRules": lambda a, c: (
        f"DEFAULT_ADMIN_ROLE on {c} cannot be granted or revoked directly; {ADMIN_TRANSFER_HINT}"
    ),
    "ExpectedPause": lambda a, c: f"{c} is not paused; there is nothing to unpause",
    "EnforcedPause": lambda a, c: (
        f"{c} is paused by the programme office; writes are refused until it is unpaused"
    ),
    "IssuerNotInGoodStanding": lambda a, c: (
        f"{a['issuer']} is not an issuer in good standing: not an active key of an accredited "
        "issuer (not accredited, suspended, revoked, outside its validity window, key "
        f"retired) or the issuer registry is paused: see `daftar issuer show {a['issuer']}`"
    ),
    "NotIssuer": lambda a, c: (
        f"only the issuer {a['issuer']} may revoke {_hex(a['hash'])}, with one of its active "
        f"keys (never after a compromise was declared); you are signing as {a['caller']}. "
        "The programme office can revoke it with --as-authority"
    ),
    "NotAuthority": lambda a, c: (
        f"{a['caller']} is not the programme office: revoking another issuer's credential "
        "needs REGISTRAR_ROLE on IssuerRegistry"
    ),
    "AlreadyIssued": lambda a, c: (
        f"credential {_hex(a['hash'])} is already anchored by this issuer ({a['issuer']})"
    ),
    "KeyInUse": lambda a, c: (
        f"{a['key']} is already a signing key or an issuer ({a['issuer']}); a key belongs to "
        "one organisation forever: use a fresh address"
    ),
    "InvalidKeyChange": lambda a, c: (
        f"{a['key']} is not an active key of {a['issuer']} (its state: "
        f"{_key_status(a['status'])}); `daftar issuer show {a['issuer']}` lists its keys"
    ),
    "InvalidCompromiseTime": lambda a, c: (
        f"compromised-since {a['compromisedSince']} is in the future: give the time the key "
        "was (or may have been) stolen, not later than now"
    ),
    "HistoryFull": lambda a, c: f"{a['issuer']} has 65,535 changes; no more can be recorded",
    "TimeOverflow": lambda a, c: (
        f"the block time {a['timestamp']} does not fit the registry's 40-bit time fields"
    ),
    "SignatureExpired": lambda a, c: f"the signature's deadline {_utc(a['deadline'])} has passed",
    "DeadlineTooFar": lambda a, c: (
        f"the signature's deadline {_utc(a['deadline'])} is too far away: at most "
        f"{_utc(a['latest'])} (30 days) is accepted"
    ),
    "InvalidSignature": lambda a, c: (
        f"the signature is not {a['issuer']}'s for this message and nonce (cancelled, used, "
        "made before a suspension, or for other values)"
    ),
    "InvalidCancellation": lambda a, c: "cancel between 1 and 4,294,967,295 signatures",
    "AlreadyRevoked": lambda a, c: f"credential {_hex(a['hash'])} is already revoked",
    "NotIssued": lambda a, c: f"{_hex(a['hash'])} was never issued on this {c}",
    "InvalidExpiry": lambda a, c: (
        f"expiry {a['expiresAt']} is not usable: give 0 (never) or a future time"
    ),
    "InvalidMerkleProof": lambda a, c: (
        f"the proof does not place credential {_hex(a['credentialHash'])} in batch "
        f"{_hex(a['merkleRoot'])}"
    ),
    "EmptyBatch": lambda a, c: "a batch needs at least one credential",
    "ZeroHash": lambda a, c: "a hash of zero is refused",
    "ZeroIssuer": lambda a, c: "the zero address cannot be an issuer",
    "ZeroSponsor": lambda a, c: "the zero address cannot be a sponsor",
    "EmptyName": lambda a, c: "the name must not be empty",
    "EmptyString": lambda a, c: "title, URI and name must not be empty",
    "InvalidValidityWindow": lambda a, c: (
        f"validity window [{a['validFrom']}, {a['validUntil']}) is empty: the end must come "
        "after the start (or be 0 for open-ended)"
    ),
    "IssuerAlreadyAccredited": lambda a, c: (
        f"{a['issuer']} already has an accreditation record ({_standing(a['status'])}); "
        "use reinstate or renew instead (a revoked issuer can never be accredited again)"
    ),
    "InvalidStandingChange": lambda a, c: (
        f"{a['issuer']} is {_standing(a['from'])}; it cannot become {_standing(a['to'])}"
    ),
    "UnknownPilot": lambda a, c: f"there is no pilot #{a['pilotId']}",
    "NotPilotSponsor": lambda a, c: (
        f"only pilot #{a['pilotId']}'s sponsor {a['sponsor']} can do this; you are signing as "
        f"{a['caller']}"
    ),
    "SponsorNotRegistered": lambda a, c: (
        f"{a['sponsor']} is not a registered sponsor; the programme office registers sponsors "
        f"with `daftar pilot sponsor register {a['sponsor']} --name NAME`"
    ),
    "SponsorAlreadyRegistered": lambda a, c: f"{a['sponsor']} is already a registered sponsor",
    "InvalidTransition": lambda a, c: (
        f"pilot #{a['pilotId']} is {_pilot(a['from'])}; it cannot move to {_pilot(a['to'])} "
        "(Proposed → Approved → Active → Completed; the office may reject a proposal or "
        "terminate an approved or active pilot)"
    ),
    "PilotNotActive": lambda a, c: (
        f"pilot #{a['pilotId']} is {_pilot(a['status'])}; milestones and checkpoints need it "
        "Active (`daftar pilot activate`)"
    ),
    "CheckpointRootReused": lambda a, c: (
        f"this exact state was already anchored as checkpoint #{a['seq']} of pilot "
        f"#{a['pilotId']}; nothing changed since"
    ),
    "CheckpointGap": lambda a, c: (
        f"pilot #{a['pilotId']} expects checkpoint #{a['expectedSeq']}, not #{a['seq']}: "
        "someone anchored in between; run the command again"
    ),
    "CheckpointFork": lambda a, c: (
        f"checkpoint #{a['seq']} of pilot #{a['pilotId']} does not continue the last root: "
        "someone anchored in between; run the command again"
    ),
}


def explain_refusal(exc: Reverted) -> DaftarError:
    """`Refused` in plain words for the registry's errors; `exc` itself for any other."""
    if exc.error not in _WORDS:
        return exc
    contract = exc.where.split(".", 1)[0] if exc.where else "the contract"
    try:
        text = _WORDS[exc.error](exc.args_by_name, contract)
    except (KeyError, ValueError, TypeError):
        return exc
    return Refused(text, exc.error, exc.tx_hash)
