"""EIP-712 typed data for delegated issuance and revocation (`issueWithSig`,
`issueBatchWithSig`, `revokeWithSig`, `revokeLeafWithSig`, `revokeBatchWithSig`).

An issuer's key can sign offline; a relayer submits the signature and pays gas. The typed
structures are exactly the contract's type hashes:

    Issue(address issuer,bytes32 credentialHash,uint64 expiresAt,uint256 nonce,uint256 deadline)
    IssueBatch(address issuer,bytes32 merkleRoot,uint32 count,uint64 expiresAt,string uri,
               uint256 nonce,uint256 deadline)

The domain is read from the contract's EIP-5267 `eip712Domain()` view (name
"Daftar CredentialRegistry", version "2", chain id, contract address), so a signature can
never be made for another chain or deployment by mistake. For a fully offline signer,
`registry_domain(chain_id, address)` builds the same domain without a node.

`nonce` must equal `nonces(issuer)` when the transaction runs (it is consumed on success);
the signature is accepted while `block.timestamp <= deadline`. The resulting dicts go to
`daftar.keys.sign_typed_data(account, typed_data)`.
"""

from __future__ import annotations

from typing import Any

from eth_utils import to_checksum_address

from daftar_registry.formats.merkle import as_bytes32, keccak256

__all__ = [
    "DOMAIN_NAME",
    "DOMAIN_VERSION",
    "domain_of",
    "issue_batch_typed_data",
    "issue_typed_data",
    "registry_domain",
    "revoke_typed_data",
    "typed_data_digest",
]

DOMAIN_NAME = "Daftar CredentialRegistry"
DOMAIN_VERSION = "2"

# EIP-5267 field bits, in the order the domain type lists them.
_DOMAIN_FIELDS = (
    (0x01, "name", "string"),
    (0x02, "version", "string"),
    (0x04, "chainId", "uint256"),
    (0x08, "verifyingContract", "address"),
    (0x10, "salt", "bytes32"),
)

_ISSUE_TYPE = [
    {"name": "issuer", "type": "address"},
    {"name": "credentialHash", "type": "bytes32"},
    {"name": "expiresAt", "type": "uint64"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]

_ISSUE_BATCH_TYPE = [
    {"name": "issuer", "type": "address"},
    {"name": "merkleRoot", "type": "bytes32"},
    {"name": "count", "type": "uint32"},
    {"name": "expiresAt", "type": "uint64"},
    {"name": "uri", "type": "string"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


def _address(value: Any) -> str:
    return to_checksum_address(getattr(value, "address", value))


def registry_domain(
    chain_id: int, verifying_contract: Any, name: str = DOMAIN_NAME, version: str = DOMAIN_VERSION
) -> dict[str, Any]:
    """The CredentialRegistry domain built offline (must match the deployment's)."""
    return {
        "name": name,
        "version": version,
        "chainId": int(chain_id),
        "verifyingContract": _address(verifying_contract),
    }


def domain_of(contract: Any) -> dict[str, Any]:
    """The domain a deployed contract uses, from its EIP-5267 `eip712Domain()` view.

    Only the fields the contract declares (its `fields` bitmap) are included; EIP-5267
    extensions are refused because their meaning is not standardised.
    """
    d = contract.eip712Domain()
    bits = d.fields[0] if isinstance(d.fields, bytes | bytearray) else int(d.fields)
    if d.extensions:
        raise ValueError(f"EIP-712 domain extensions {list(d.extensions)} are not supported")
    values = {
        "name": d.name,
        "version": d.version,
        "chainId": int(d.chainId),
        "verifyingContract": _address(d.verifyingContract),
        "salt": bytes(d.salt),
    }
    return {key: values[key] for bit, key, _ in _DOMAIN_FIELDS if bits & bit}


def _domain_type(domain: dict[str, Any]) -> list[dict[str, str]]:
    return [{"name": key, "type": typ} for _, key, typ in _DOMAIN_FIELDS if key in domain]


def issue_typed_data(
    domain: dict[str, Any],
    issuer: Any,
    credential_hash: bytes | str,
    expires_at: int,
    nonce: int,
    deadline: int,
) -> dict[str, Any]:
    """Typed data of an `Issue`, to sign for `issueWithSig(issuer, hash, expiresAt, ...)`."""
    return {
        "types": {"EIP712Domain": _domain_type(domain), "Issue": _ISSUE_TYPE},
        "primaryType": "Issue",
        "domain": dict(domain),
        "message": {
            "issuer": _address(issuer),
            "credentialHash": as_bytes32(credential_hash),
            "expiresAt": int(expires_at),
            "nonce": int(nonce),
            "deadline": int(deadline),
        },
    }


def issue_batch_typed_data(
    domain: dict[str, Any],
    issuer: Any,
    merkle_root: bytes | str,
    count: int,
    expires_at: int,
    uri: str,
    nonce: int,
    deadline: int,
) -> dict[str, Any]:
    """Typed data of an `IssueBatch`, to sign for `issueBatchWithSig`."""
    return {
        "types": {"EIP712Domain": _domain_type(domain), "IssueBatch": _ISSUE_BATCH_TYPE},
        "primaryType": "IssueBatch",
        "domain": dict(domain),
        "message": {
            "issuer": _address(issuer),
            "merkleRoot": as_bytes32(merkle_root),
            "count": int(count),
            "expiresAt": int(expires_at),
            "uri": uri,
            "nonce": int(nonce),
            "deadline": int(deadline),
        },
    }


def _fields(*pairs: str) -> list[dict[str, str]]:
    return [{"name": n, "type": t} for n, t in (p.split(":") for p in pairs)]


_REVOKE_HEAD = ("signer:address", "issuer:address")
_REVOKE_TAIL = ("reasonCode:uint16", "nonce:uint256", "deadline:uint256")
_REVOKE_TYPES = {
    "Revoke": _fields(*_REVOKE_HEAD, "credentialHash:bytes32", *_REVOKE_TAIL),
    "RevokeLeaf": _fields(
        *_REVOKE_HEAD, "merkleRoot:bytes32", "credentialHash:bytes32", *_REVOKE_TAIL
    ),
    "RevokeBatch": _fields(*_REVOKE_HEAD, "merkleRoot:bytes32", *_REVOKE_TAIL),
}


def revoke_typed_data(
    domain: dict[str, Any],
    signer: Any,
    issuer: Any,
    reason_code: int,
    nonce: int,
    deadline: int,
    *,
    credential_hash: bytes | str | None = None,
    merkle_root: bytes | str | None = None,
) -> dict[str, Any]:
    """Typed data of a delegated revocation: `Revoke` (a credential hash), `RevokeBatch` (a
    root) or `RevokeLeaf` (both), for `revokeWithSig` / `revokeBatchWithSig` /
    `revokeLeafWithSig`. `signer` is an Active key of `issuer`."""
    if credential_hash is None and merkle_root is None:
        raise ValueError("a revocation names a credential hash, a Merkle root, or both")
    primary = (
        "RevokeLeaf" if credential_hash is not None and merkle_root is not None
        else "Revoke" if credential_hash is not None else "RevokeBatch"
    )  # fmt: skip
    message: dict[str, Any] = {"signer": _address(signer), "issuer": _address(issuer)}
    if merkle_root is not None:
        message["merkleRoot"] = as_bytes32(merkle_root)
    if credential_hash is not None:
        message["credentialHash"] = as_bytes32(credential_hash)
    message.update(reasonCode=int(reason_code), nonce=int(nonce), deadline=int(deadline))
    return {
        "types": {"EIP712Domain": _domain_type(domain), primary: _REVOKE_TYPES[primary]},
        "primaryType": primary,
        "domain": dict(domain),
        "message": message,
    }


def typed_data_digest(typed_data: dict[str, Any]) -> bytes:
    """The 32-byte EIP-712 digest that is signed (compare with the contract's `issueDigest`)."""
    from eth_account.messages import encode_typed_data

    m = encode_typed_data(full_message=typed_data)  # version 0x01, domain separator, struct hash
    return keccak256(b"\x19" + m.version + m.header + m.body)
