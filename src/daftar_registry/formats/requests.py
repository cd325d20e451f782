"""Signed requests: a delegated issuance or revocation, signed offline, relayed by anyone.

An issuer's key signs EIP-712 typed data (daftar_registry.formats.signing) for one of the
CredentialRegistry's delegated functions; the signature and everything needed to submit it
go into a small JSON file that a relayer (any funded account) sends with
`daftar credential relay`. The file holds no private key and no personal data: hashes,
addresses, numbers, the signature.

Format `daftar-signed-request/1`:

    {
      "format": "daftar-signed-request/1",
      "action": "issue" | "issueBatch" | "revoke" | "revokeLeaf" | "revokeBatch",
      "network": "<network name the registry of record is on>",
      "organisation": "<the issuer (organisation) the credential belongs to>",
      "domain": {"name", "version", "chainId", "verifyingContract"},
      "message": {<the typed data's message: addresses checksummed, bytes32 as 0x-hex>},
      "proof": ["0x…", …],          (revokeLeaf only: sibling hashes, leaf to root)
      "signature": "0x…"            (65 bytes r‖s‖v)
    }

`message` has exactly the fields of the action's EIP-712 type (`Issue`, `IssueBatch`,
`Revoke`, `RevokeLeaf`, `RevokeBatch`). Reading a file rebuilds the typed data from them
and recovers the signer from the signature: a file altered after signing (any field of
the message or the domain) no longer recovers to its signer and is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar_registry.errors import InputError
from daftar_registry.formats.signing import (
    issue_batch_typed_data,
    issue_typed_data,
    registry_domain,
    revoke_typed_data,
)

__all__ = [
    "ACTIONS",
    "REQUEST_FORMAT",
    "SignedRequest",
    "read_request",
    "recover_signer",
    "write_request",
]

REQUEST_FORMAT = "daftar-signed-request/1"

#: action → (the contract function that takes it, the message fields in type order).
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "issue": ("issueWithSig", ("issuer", "credentialHash", "expiresAt", "nonce", "deadline")),
    "issueBatch": (
        "issueBatchWithSig",
        ("issuer", "merkleRoot", "count", "expiresAt", "uri", "nonce", "deadline"),
    ),
    "revoke": (
        "revokeWithSig",
        ("signer", "issuer", "credentialHash", "reasonCode", "nonce", "deadline"),
    ),
    "revokeLeaf": (
        "revokeLeafWithSig",
        ("signer", "issuer", "merkleRoot", "credentialHash", "reasonCode", "nonce", "deadline"),
    ),
    "revokeBatch": (
        "revokeBatchWithSig",
        ("signer", "issuer", "merkleRoot", "reasonCode", "nonce", "deadline"),
    ),
}

_ADDRESSES = ("issuer", "signer")
_HASHES = ("credentialHash", "merkleRoot")
_UINTS = {
    "expiresAt": 2**64,
    "count": 2**32,
    "reasonCode": 2**16,
    "nonce": 2**256,
    "deadline": 2**256,
}


@dataclass(frozen=True)
class SignedRequest:
    """One signed delegated action (see the module docstring for the file format)."""

    action: str
    network: str
    organisation: str
    domain: dict[str, Any]
    message: dict[str, Any]  # JSON form: checksummed addresses, 0x-hex hashes, ints, str
    signature: bytes
    proof: tuple[bytes, ...] = field(default=())

    @property
    def function(self) -> str:
        """The CredentialRegistry function that takes this request."""
        return ACTIONS[self.action][0]

    @property
    def signer(self) -> str:
        """The signing key (`issuer` in an Issue / IssueBatch, `signer` in a revocation)."""
        return str(self.message["issuer" if self.action.startswith("issue") else "signer"])

    @property
    def nonce(self) -> int:
        return int(self.message["nonce"])

    @property
    def deadline(self) -> int:
        return int(self.message["deadline"])

    def typed_data(self) -> dict[str, Any]:
        """The EIP-712 typed data that was signed, rebuilt from the message."""
        m = self.message
        if self.action == "issue":
            args = (m["issuer"], m["credentialHash"], m["expiresAt"], m["nonce"], m["deadline"])
            return issue_typed_data(self.domain, *args)
        if self.action == "issueBatch":
            return issue_batch_typed_data(
                self.domain, m["issuer"], m["merkleRoot"], m["count"], m["expiresAt"],
                m["uri"], m["nonce"], m["deadline"],
            )  # fmt: skip
        return revoke_typed_data(
            self.domain, m["signer"], m["issuer"], m["reasonCode"], m["nonce"], m["deadline"],
            credential_hash=m.get("credentialHash"), merkle_root=m.get("merkleRoot"),
        )  # fmt: skip

    def arguments(self) -> tuple[Any, ...]:
        """The arguments of `function`, in the contract's order."""
        m, sig = self.message, self.signature

        def h(name: str) -> bytes:
            return bytes.fromhex(str(m[name])[2:])

        if self.action == "issue":
            return (m["issuer"], h("credentialHash"), m["expiresAt"], m["deadline"], sig)
        if self.action == "issueBatch":
            return (
                m["issuer"], h("merkleRoot"), m["count"], m["expiresAt"], m["uri"],
                m["deadline"], sig,
            )  # fmt: skip
        head = (m["signer"], m["issuer"])
        tail = (m["reasonCode"], m["deadline"], sig)
        if self.action == "revoke":
            return (*head, h("credentialHash"), *tail)
        if self.action == "revokeLeaf":
            return (*head, h("merkleRoot"), h("credentialHash"), list(self.proof), *tail)
        return (*head, h("merkleRoot"), *tail)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": REQUEST_FORMAT,
            "action": self.action,
            "network": self.network,
            "organisation": self.organisation,
            "domain": dict(self.domain),
            "message": dict(self.message),
            "signature": "0x" + self.signature.hex(),
        }
        if self.action == "revokeLeaf":
            data["proof"] = ["0x" + p.hex() for p in self.proof]
        return data


def new_request(
    action: str,
    *,
    network: str,
    organisation: str,
    domain: Mapping[str, Any],
    message: Mapping[str, Any],
    signature: bytes,
    proof: tuple[bytes, ...] = (),
) -> SignedRequest:
    """A request from typed-data values (bytes32 as bytes or hex), normalised to JSON form."""
    raw = {
        "format": REQUEST_FORMAT,
        "action": action,
        "network": network,
        "organisation": organisation,
        "domain": dict(domain),
        "message": {k: ("0x" + v.hex() if isinstance(v, bytes) else v) for k, v in message.items()},
        "signature": "0x" + bytes(signature).hex(),
    }
    if action == "revokeLeaf":
        raw["proof"] = ["0x" + bytes(p).hex() for p in proof]
    return parse_request(raw, "the new request")


def recover_signer(request: SignedRequest) -> str:
    """The address whose key made the signature over the request's typed data."""
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    message = encode_typed_data(full_message=request.typed_data())
    return str(Account.recover_message(message, signature=request.signature))


def write_request(path: Path, request: SignedRequest) -> None:
    """Write the request file atomically (no secret in it: readable by others)."""
    from daftar.util.files import write_json

    write_json(Path(path), request.to_json())


def read_request(path: Path) -> SignedRequest:
    """Read and check a request file: its format, its fields, and that its signature
    recovers to its signer (InputError naming the file and the problem otherwise)."""
    from daftar_registry.services.files import read_bytes

    path = Path(path)
    text = read_bytes(path, "signed request file")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"signed request file {path} is not valid JSON: {exc}") from None
    request = parse_request(data, f"signed request file {path}")
    try:
        recovered = recover_signer(request)
    except Exception:
        recovered = None
    if recovered != request.signer:
        raise InputError(
            f"signed request file {path} was altered after signing (or its signature is "
            f"damaged): the signature is not {request.signer}'s for the values in the file. "
            "Ask the signer for the original file."
        )
    return request


def parse_request(data: Any, where: str) -> SignedRequest:
    """A SignedRequest from its JSON form; InputError naming `where` and the bad field."""
    if not isinstance(data, dict):
        raise InputError(f"{where} must hold a JSON object")
    if data.get("format") != REQUEST_FORMAT:
        raise InputError(
            f"{where} is not a signed request (format {data.get('format')!r}, expected "
            f"{REQUEST_FORMAT!r}); `daftar credential sign-issuance` or `sign-revocation` "
            "writes one"
        )
    action = data.get("action")
    if action not in ACTIONS:
        raise InputError(f"{where}: action {action!r} is not one of {', '.join(ACTIONS)}")
    for name in ("network", "organisation", "signature"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise InputError(f"{where}: {name!r} is missing or not a string")
    organisation = _address(data["organisation"], f"{where}: organisation")
    domain = _domain(data.get("domain"), where)
    message = _message(action, data.get("message"), where)
    signature = _hex_bytes(data["signature"], f"{where}: signature", length=65)
    proof: tuple[bytes, ...] = ()
    if action == "revokeLeaf":
        raw = data.get("proof")
        if not isinstance(raw, list):
            raise InputError(f"{where}: a revokeLeaf request needs 'proof', a list of hashes")
        proof = tuple(_hex_bytes(p, f"{where}: proof[{i}]", 32) for i, p in enumerate(raw))
    return SignedRequest(action, data["network"], organisation, domain, message, signature, proof)


def _domain(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != {"name", "version", "chainId", "verifyingContract"}:
        raise InputError(
            f"{where}: 'domain' must have exactly name, version, chainId and verifyingContract"
        )
    if not isinstance(raw["chainId"], int) or isinstance(raw["chainId"], bool):
        raise InputError(f"{where}: domain chainId must be an integer")
    contract = _address(raw["verifyingContract"], f"{where}: domain verifyingContract")
    return registry_domain(raw["chainId"], contract, str(raw["name"]), str(raw["version"]))


def _message(action: str, raw: Any, where: str) -> dict[str, Any]:
    names = ACTIONS[action][1]
    if not isinstance(raw, dict) or set(raw) != set(names):
        raise InputError(f"{where}: 'message' of a {action} must have exactly {', '.join(names)}")
    out: dict[str, Any] = {}
    for name in names:
        value, here = raw[name], f"{where}: message {name}"
        if name in _ADDRESSES:
            out[name] = _address(value, here)
        elif name in _HASHES:
            out[name] = "0x" + _hex_bytes(value, here, 32).hex()
        elif name == "uri":
            if not isinstance(value, str):
                raise InputError(f"{here} must be a string")
            out[name] = value
        else:
            bound = _UINTS[name]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < bound:
                raise InputError(f"{here} must be an integer from 0 to {bound - 1}")
            out[name] = value
    return out


def _address(value: Any, where: str) -> str:
    from daftar.util.addresses import AddressError, checked_address

    try:
        return checked_address(value, where)
    except AddressError as exc:
        raise InputError(str(exc)) from None


def _hex_bytes(value: Any, where: str, length: int) -> bytes:
    text = value if isinstance(value, str) else ""
    try:
        raw = bytes.fromhex(text[2:]) if text.startswith("0x") else None
    except ValueError:
        raw = None
    if raw is None or len(raw) != length:
        raise InputError(f"{where} must be 0x and {length} bytes of hex")
    return raw
