"""Credential documents: per-field salted commitments, the on-chain hash, holder files.

Only a 32-byte hash of a credential goes on chain. The document itself (personal data)
stays with the holder, who can later show all of it, or only some fields, to a verifier.

Definitions (format `daftar-credential/1`):

- **Canonical JSON** of a value: RFC 8785 (JSON Canonicalization Scheme), UTF-8: no
  whitespace, object members sorted by the UTF-16 code units of their names, strings
  escaped as ECMAScript's JSON.stringify does. Values are JSON objects with string keys,
  arrays, strings, integers, booleans and null. Floats are refused (write decimals as
  strings), and so are integers beyond ±(2^53 − 1), which RFC 8785 (IEEE 754 doubles)
  cannot hold exactly: a hash must be recomputable anywhere. Strings are hashed exactly as
  given (no Unicode normalisation). On this domain the output equals the `rfc8785`
  package's, which the tests check.
- **Salt**: 32 random bytes per field, written `0x` + 64 lowercase hex digits. Every field
  has its own salt, so revealing one field and its salt reveals nothing about the others.
- **Field commitment** of field `name` with value `v` and salt `s`:
  `keccak256(canonical_json({"name": name, "salt": s, "value": v}))`. The name is inside
  so that a disclosed value cannot be relabelled as another field.
- **Salted document**: `{"format": "daftar-credential/1", "issuer": <checksummed address>,
  "network": <str>, "expiresAt": <int, unix seconds, 0 = never>, "fields": {name:
  <commitment as 0x-hex>}}`. It holds no personal data and no guessable value.
- **Credential hash** (the bytes32 passed to `issue` or put in a Merkle batch):
  `keccak256(canonical_json(salted document))`.

Selective disclosure: the holder shows the salted document (the header and every field's
commitment) plus the value and salt of each field they choose to reveal. The verifier
recomputes each revealed commitment, checks it equals the listed one, then recomputes the
credential hash from the salted document and checks it on chain. Unrevealed fields stay
hidden behind 256 bits of salt.

Holder files (format `daftar-holder/2`) are JSON with the plain document, the salts, the
credential hash, the Merkle root and proof (for batch issuance), the registry address
(`contract`), the network name, the chain id (`chainId`) and the registry version
(`registryVersion`: 1 for the first CredentialRegistry recorded on that network, 2 for the
next after a redeploy, ...). They hold personal data, so they are written readable by the
owner only.

Disclosure files (format `daftar-disclosure/2`) are what a holder hands a verifier: the
salted document, the value and salt of each revealed field only, the credential hash, the
Merkle root and proof, the registry address, the network, the chain id and the registry
version. A verifier checks them offline (`DisclosureFile.from_json`) and then asks the
registry about the credential hash.

Versions: files are written in format /2. Files in format /1 (the same fields without
`chainId` and `registryVersion`) are still read and still verify; their `chain_id` and
`registry_version` are None (the verifier then takes the chain id from the node and says
the file names none). `chainId` and `registryVersion` are not covered by any hash: they
say where to look, and the registry that answers is what vouches for the credential.

Both files are an `AnchoredCredential`: what a verifier needs, whichever file it was given
(daftar_registry.services.verdict judges either the same way).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from eth_utils import is_address

from daftar.util.files import PRIVATE, atomic_write
from daftar_registry.formats.merkle import as_bytes32, keccak256, verify_proof

__all__ = [
    "CREDENTIAL_FORMAT",
    "DISCLOSURE_FORMAT",
    "DISCLOSURE_FORMATS",
    "DISCLOSURE_FORMAT_V1",
    "HOLDER_FORMAT",
    "HOLDER_FORMATS",
    "HOLDER_FORMAT_V1",
    "AnchoredCredential",
    "CredentialDocument",
    "Disclosure",
    "DisclosureFile",
    "HolderFile",
    "TamperedCredential",
    "build_credential",
    "canonical_json",
    "credential_hash_of",
    "field_commitment",
    "read_holder_file",
    "verify_disclosure",
    "verify_document",
    "write_disclosure_file",
    "write_holder_file",
]

CREDENTIAL_FORMAT = "daftar-credential/1"
#: The formats written today.
HOLDER_FORMAT = "daftar-holder/2"
DISCLOSURE_FORMAT = "daftar-disclosure/2"
#: The first formats (no chainId / registryVersion): still read, never written.
HOLDER_FORMAT_V1 = "daftar-holder/1"
DISCLOSURE_FORMAT_V1 = "daftar-disclosure/1"
#: Every format a reader accepts.
HOLDER_FORMATS = (HOLDER_FORMAT_V1, HOLDER_FORMAT)
DISCLOSURE_FORMATS = (DISCLOSURE_FORMAT_V1, DISCLOSURE_FORMAT)


class TamperedCredential(ValueError):
    """A document, disclosure or holder file does not match the hash it claims."""


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of `value` (see the module docstring)."""
    _check_json(value, "$")
    return json.dumps(
        _utf16_ordered(value), separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


#: RFC 8785's integers: what an IEEE 754 double holds exactly.
MAX_SAFE_INTEGER = 2**53 - 1


def _utf16_ordered(value: Any) -> Any:
    """`value` with every object's members in RFC 8785 order (UTF-16 code units of names:
    not Python's code-point order, which differs once names mix U+E000–U+FFFF and U+10000+)."""
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return {k: _utf16_ordered(value[k]) for k in keys}
    if isinstance(value, list | tuple):
        return [_utf16_ordered(v) for v in value]
    return value


def _check_json(value: Any, where: str) -> None:
    """Refuse what canonical JSON cannot represent unambiguously across languages."""
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise TypeError(
                f"{where}: {value} is beyond ±(2^53 − 1), which canonical JSON (RFC 8785) "
                "cannot hold exactly; write it as a string"
            )
        return
    if isinstance(value, float):
        raise TypeError(f"{where}: floats are not canonical; write {value!r} as a string")
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_json(item, f"{where}[{i}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: object keys must be strings, got {key!r}")
            _check_json(item, f"{where}.{key}")
        return
    raise TypeError(f"{where}: {type(value).__name__} is not a JSON value")


def _hex(b: bytes) -> str:
    return "0x" + b.hex()


def field_commitment(name: str, value: Any, salt: bytes | str) -> bytes:
    """keccak256 of the canonical JSON of `{"name", "salt", "value"}` for one field."""
    return keccak256(canonical_json({"name": name, "salt": _hex(as_bytes32(salt)), "value": value}))


def credential_hash_of(salted_document: Mapping[str, Any]) -> bytes:
    """The on-chain credential hash: keccak256 of the salted document's canonical JSON."""
    return keccak256(canonical_json(salted_document))


@dataclass(frozen=True)
class CredentialDocument:
    """A credential with its salts. Build one with `build_credential`.

    `fields` holds the personal data; only `credential_hash` may leave the holder's hands
    without their consent.
    """

    issuer: str
    network: str
    fields: Mapping[str, Any]
    salts: Mapping[str, bytes] = field(repr=False)
    expires_at: int = 0

    def header(self) -> dict[str, Any]:
        """Everything but the fields: public facts about the issuance."""
        return {
            "format": CREDENTIAL_FORMAT,
            "issuer": self.issuer,
            "network": self.network,
            "expiresAt": self.expires_at,
        }

    def commitments(self) -> dict[str, bytes]:
        """Each field's salted commitment."""
        return {n: field_commitment(n, v, self.salts[n]) for n, v in self.fields.items()}

    def salted(self) -> dict[str, Any]:
        """The salted document: the header and the field commitments (no personal data)."""
        fields = {n: _hex(c) for n, c in self.commitments().items()}
        return {**self.header(), "fields": fields}

    @property
    def credential_hash(self) -> bytes:
        """The bytes32 to issue on chain (or to put in a Merkle batch)."""
        return credential_hash_of(self.salted())

    def to_json(self) -> dict[str, Any]:
        """The plain document (header + field values) as stored in a holder file."""
        return {**self.header(), "fields": dict(self.fields)}

    def disclose(self, names: Iterable[str]) -> Disclosure:
        """A disclosure revealing only `names` (and the public header)."""
        wanted = list(names)
        unknown = [n for n in wanted if n not in self.fields]
        if unknown:
            raise KeyError(f"no such field(s): {', '.join(unknown)}")
        revealed = {n: (self.fields[n], self.salts[n]) for n in wanted}
        return Disclosure(salted=self.salted(), revealed=revealed)


def build_credential(
    fields: Mapping[str, Any],
    issuer: Any,
    network: str,
    expires_at: int | None = None,
    *,
    salts: Mapping[str, bytes | str] | None = None,
) -> CredentialDocument:
    """A credential document with a fresh random 32-byte salt per field.

    `issuer` is an address (or an Account); it is checksummed so that letter case never
    changes the hash. `expires_at` must be what will be passed to `issue` (None = never).
    `salts` is for reproducing a document, never for new ones.
    """
    if not fields:
        raise ValueError("a credential needs at least one field")
    for name in fields:
        if not isinstance(name, str) or not name:
            raise ValueError(f"field names must be non-empty strings, got {name!r}")
    _check_json(dict(fields), "fields")
    if not isinstance(network, str) or not network:
        raise ValueError("network must be a non-empty string")
    expiry = 0 if expires_at is None else int(expires_at)
    if not 0 <= expiry < 2**40:
        raise ValueError(f"expiresAt must be 0 (never) or a unix time below 2^40, got {expiry}")
    if salts is None:
        chosen = {n: secrets.token_bytes(32) for n in fields}
    else:
        missing = set(fields) - set(salts)
        extra = set(salts) - set(fields)
        if missing or extra:
            raise ValueError(f"salts must match the fields (missing {missing}, extra {extra})")
        chosen = {n: as_bytes32(salts[n]) for n in fields}
    return CredentialDocument(
        issuer=_checksum(issuer),
        network=network,
        fields=dict(fields),
        salts=chosen,
        expires_at=expiry,
    )


def _checksum(address: Any) -> str:
    from daftar.util.addresses import checked_address

    text = getattr(address, "address", address)
    if not isinstance(text, str) or not is_address(text.lower()):
        raise ValueError(f"not an address: {address!r}")
    return checked_address(text)  # a mixed-case typo (wrong EIP-55) is refused


def verify_document(document: CredentialDocument, credential_hash: bytes | str) -> bool:
    """True iff the document (values and salts) hashes to `credential_hash`."""
    return document.credential_hash == as_bytes32(credential_hash)


@dataclass(frozen=True)
class Disclosure:
    """What a holder shows a verifier: the salted document and some revealed fields."""

    salted: Mapping[str, Any]
    revealed: Mapping[str, tuple[Any, bytes]]

    @property
    def credential_hash(self) -> bytes:
        return credential_hash_of(self.salted)

    def to_json(self) -> dict[str, Any]:
        return {
            "salted": dict(self.salted),
            "revealed": {n: {"value": v, "salt": _hex(s)} for n, (v, s) in self.revealed.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Disclosure:
        revealed = {
            n: (r["value"], as_bytes32(r["salt"])) for n, r in dict(data["revealed"]).items()
        }
        return cls(salted=dict(data["salted"]), revealed=revealed)


def verify_disclosure(disclosure: Disclosure, credential_hash: bytes | str) -> dict[str, Any]:
    """The revealed fields, once every check passes; TamperedCredential otherwise.

    Checks: the salted document is well formed, hashes to `credential_hash` (which the
    caller then checks on chain), and lists each revealed field with exactly the commitment
    of the revealed value and salt. Nothing about unrevealed fields is learned.
    """
    salted = disclosure.salted
    if salted.get("format") != CREDENTIAL_FORMAT or not isinstance(salted.get("fields"), Mapping):
        raise TamperedCredential("not a salted daftar-credential/1 document")
    if disclosure.credential_hash != as_bytes32(credential_hash):
        raise TamperedCredential("the salted document does not hash to the credential hash")
    listed = salted["fields"]
    out: dict[str, Any] = {}
    for name, (value, salt) in disclosure.revealed.items():
        if name not in listed:
            raise TamperedCredential(f"field {name!r} is not part of the credential")
        if _hex(field_commitment(name, value, salt)) != str(listed[name]).lower():
            raise TamperedCredential(f"field {name!r} does not match its commitment")
        out[name] = value
    return out


class AnchoredCredential(Protocol):
    """What a verifier needs of a credential anchored on chain, whoever hands it over.

    HolderFile (the holder's own file, every field) and DisclosureFile (some fields
    revealed) both are one: the credential hash to look up, the Merkle root and proof of
    its batch (None and empty when issued on its own), the network and CredentialRegistry
    it was anchored in, the issuer its document names, and the fields it shows.
    """

    @property
    def kind(self) -> Literal["holder", "disclosure"]: ...

    @property
    def credential_hash(self) -> bytes: ...

    @property
    def merkle_root(self) -> bytes | None: ...

    @property
    def proof(self) -> tuple[bytes, ...]: ...

    @property
    def network(self) -> str: ...

    @property
    def contract(self) -> str: ...

    @property
    def chain_id(self) -> int | None:
        """The chain id the file names (None: a /1 file, which names none)."""
        ...

    @property
    def registry_version(self) -> int | None:
        """Which recorded registry deployment anchored it (None: a /1 file)."""
        ...

    @property
    def format(self) -> str:
        """The file's format (`daftar-holder/2`, `daftar-disclosure/1`, ...)."""
        ...

    @property
    def issuer(self) -> str:
        """The issuer the document names (the registry must say it anchored it)."""
        ...

    def revealed(self) -> dict[str, Any]:
        """The fields shown, each checked against the document (TamperedCredential if not).

        The Merkle proof is not checked here: the registry judges it (InvalidProof).
        """
        ...

    def hidden(self) -> list[str]:
        """Names of the document's fields that are not shown."""
        ...


@dataclass(frozen=True)
class HolderFile:
    """Everything a holder needs to prove a credential (`daftar-holder/2`, or /1 as read).

    `chain_id` and `registry_version` are None only for a file read in format /1.
    """

    document: CredentialDocument
    contract: str
    network: str
    merkle_root: bytes | None = None
    proof: tuple[bytes, ...] = ()
    chain_id: int | None = None
    registry_version: int | None = None

    @property
    def format(self) -> str:
        return HOLDER_FORMAT if self.chain_id is not None else HOLDER_FORMAT_V1

    @property
    def kind(self) -> Literal["holder", "disclosure"]:
        return "holder"

    @property
    def credential_hash(self) -> bytes:
        return self.document.credential_hash

    @property
    def issuer(self) -> str:
        """The issuer the document names."""
        return self.document.issuer

    def revealed(self) -> dict[str, Any]:
        """Every field: the credential hash is computed from them, so they always match."""
        return dict(self.document.fields)

    def hidden(self) -> list[str]:
        return []

    def check(self) -> None:
        """TamperedCredential unless the document and (for a batch) the proof are intact."""
        if self.merkle_root is not None and not verify_proof(
            self.merkle_root, self.credential_hash, self.proof
        ):
            raise TamperedCredential("the Merkle proof does not lead to the root")

    def to_json(self) -> dict[str, Any]:
        """The file's JSON, in its format (/2 with chainId and registryVersion; /1 as read)."""
        return {
            "format": self.format,
            "document": self.document.to_json(),
            "salts": {n: _hex(s) for n, s in self.document.salts.items()},
            "credentialHash": _hex(self.credential_hash),
            "merkleRoot": _hex(self.merkle_root) if self.merkle_root is not None else None,
            "merkleProof": [_hex(p) for p in self.proof],
            "contract": self.contract,
            "network": self.network,
            **_location_json(self.chain_id, self.registry_version),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, check: bool = True) -> HolderFile:
        """Parse a holder file; with `check`, refuse one whose content no longer matches."""
        version = data.get("format")
        if version not in HOLDER_FORMATS:
            raise ValueError(
                f"not a daftar holder file (format={version!r}; expected one of "
                f"{', '.join(HOLDER_FORMATS)})"
            )
        chain_id, registry_version = _location(data, version == HOLDER_FORMAT)
        doc = data["document"]
        if doc.get("format") != CREDENTIAL_FORMAT:
            raise ValueError(f"unsupported credential format {doc.get('format')!r}")
        document = build_credential(
            doc["fields"], doc["issuer"], doc["network"], doc["expiresAt"], salts=data["salts"]
        )
        root = data.get("merkleRoot")
        holder = cls(
            document=document,
            contract=_checksum(data["contract"]),
            network=_network_name(data.get("network")),
            merkle_root=as_bytes32(root) if root else None,
            proof=tuple(as_bytes32(p) for p in data.get("merkleProof") or ()),
            chain_id=chain_id,
            registry_version=registry_version,
        )
        if check:
            if not verify_document(document, data["credentialHash"]):
                raise TamperedCredential("the document does not hash to its credentialHash")
            holder.check()
        return holder


def write_holder_file(
    path: str | os.PathLike[str],
    document: CredentialDocument,
    *,
    contract: Any,
    network: str | None = None,
    merkle_root: bytes | str | None = None,
    proof: Iterable[bytes | str] = (),
    chain_id: int | None = None,
    registry_version: int = 1,
) -> HolderFile:
    """Write a holder file in format /2 (owner-only permissions: it holds personal data).

    `contract` is the CredentialRegistry (or its address); `network` defaults to the
    document's. A batch credential passes its tree's root and proof. `chain_id` defaults
    to the chain of `contract` (a ValueError if it is a bare address and none is given);
    `registry_version` is which recorded deployment of the registry on that network it is
    (daftar_registry.services.registries), 1 for the first.
    """
    holder = HolderFile(
        document=document,
        contract=_checksum(getattr(contract, "address", contract)),
        network=network or document.network,
        merkle_root=as_bytes32(merkle_root) if merkle_root is not None else None,
        proof=tuple(as_bytes32(p) for p in proof),
        chain_id=_chain_id_of(contract, chain_id),
        registry_version=_version_number(registry_version, "registry_version"),
    )
    holder.check()
    text = json.dumps(holder.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write(Path(path), text, PRIVATE)
    return holder


def read_holder_file(path: str | os.PathLike[str], *, check: bool = True) -> HolderFile:
    """Read a holder file; with `check` (the default) a tampered file raises TamperedCredential."""
    return HolderFile.from_json(json.loads(Path(path).read_text(encoding="utf-8")), check=check)


@dataclass(frozen=True)
class DisclosureFile:
    """A disclosure plus where it is anchored (`daftar-disclosure/2`, or /1 as read).

    It carries no unrevealed value or salt, so the holder can hand it to anyone. A
    disclosure of a /1 holder file is a /1 disclosure (it knows no chain id).
    """

    disclosure: Disclosure
    contract: str
    network: str
    merkle_root: bytes | None = None
    proof: tuple[bytes, ...] = ()
    chain_id: int | None = None
    registry_version: int | None = None

    @property
    def format(self) -> str:
        return DISCLOSURE_FORMAT if self.chain_id is not None else DISCLOSURE_FORMAT_V1

    @property
    def kind(self) -> Literal["holder", "disclosure"]:
        return "disclosure"

    @property
    def credential_hash(self) -> bytes:
        return self.disclosure.credential_hash

    @property
    def issuer(self) -> str:
        """The issuer the salted document names (the registry must agree)."""
        return str(self.disclosure.salted.get("issuer"))

    def revealed(self) -> dict[str, Any]:
        """The revealed fields once each matches its commitment; TamperedCredential if not."""
        return verify_disclosure(self.disclosure, self.credential_hash)

    def hidden(self) -> list[str]:
        listed = self.disclosure.salted.get("fields")
        names = list(listed) if isinstance(listed, Mapping) else []
        return [n for n in names if n not in self.disclosure.revealed]

    @classmethod
    def from_holder(cls, holder: HolderFile, names: Iterable[str]) -> DisclosureFile:
        """Reveal only `names` of the holder's credential (KeyError for an unknown field)."""
        return cls(
            disclosure=holder.document.disclose(names),
            contract=holder.contract,
            network=holder.network,
            merkle_root=holder.merkle_root,
            proof=holder.proof,
            chain_id=holder.chain_id,
            registry_version=holder.registry_version,
        )

    def check(self) -> dict[str, Any]:
        """The revealed fields once the commitments and proof hold; TamperedCredential if not."""
        revealed = self.revealed()
        if self.merkle_root is not None and not verify_proof(
            self.merkle_root, self.credential_hash, self.proof
        ):
            raise TamperedCredential("the Merkle proof does not lead to the root")
        return revealed

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            **self.disclosure.to_json(),
            "credentialHash": _hex(self.credential_hash),
            "merkleRoot": _hex(self.merkle_root) if self.merkle_root is not None else None,
            "merkleProof": [_hex(p) for p in self.proof],
            "contract": self.contract,
            "network": self.network,
            **_location_json(self.chain_id, self.registry_version),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, check: bool = True) -> DisclosureFile:
        """Parse a disclosure file; with `check`, refuse one whose content no longer matches.

        The stated credentialHash must be the salted document's hash: a verifier who looks
        it up on chain then checks exactly what the revealed fields are committed to.
        """
        version = data.get("format")
        if version not in DISCLOSURE_FORMATS:
            raise ValueError(
                f"not a daftar disclosure file (format={version!r}; expected one of "
                f"{', '.join(DISCLOSURE_FORMATS)})"
            )
        chain_id, registry_version = _location(data, version == DISCLOSURE_FORMAT)
        root = data.get("merkleRoot")
        found = cls(
            disclosure=Disclosure.from_json(data),
            contract=_checksum(data["contract"]),
            network=_network_name(data.get("network")),
            merkle_root=as_bytes32(root) if root else None,
            proof=tuple(as_bytes32(p) for p in data.get("merkleProof") or ()),
            chain_id=chain_id,
            registry_version=registry_version,
        )
        if check:
            verify_disclosure(found.disclosure, data["credentialHash"])
            found.check()
        return found


def write_disclosure_file(
    path: str | os.PathLike[str], holder: HolderFile, names: Iterable[str]
) -> DisclosureFile:
    """Write a disclosure of `names` (owner-only permissions: revealed values are personal)."""
    found = DisclosureFile.from_holder(holder, names)
    found.check()
    text = json.dumps(found.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write(Path(path), text, PRIVATE)
    return found


# -- where a file says it is anchored (format /2) ---------------------------------------------
def _version_number(value: Any, what: str) -> int:
    """A positive integer (not a bool); ValueError naming `what` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    return value


def _chain_id_of(contract: Any, chain_id: int | None) -> int:
    """The chain id to write: the one given, else that of the contract object's chain."""
    if chain_id is None:
        chain = getattr(contract, "chain", None)
        chain_id = getattr(chain, "chain_id", None)
        if chain_id is None:
            raise ValueError(
                "a holder file names the chain id its credential is anchored on: pass "
                "chain_id= (the contract given is a bare address)"
            )
    return _version_number(int(chain_id), "chain_id")


def _location(data: Mapping[str, Any], v2: bool) -> tuple[int | None, int | None]:
    """(chainId, registryVersion) of a /2 file, both required; (None, None) for /1."""
    if not v2:
        return None, None
    for key in ("chainId", "registryVersion"):
        if key not in data:
            raise ValueError(f"format {data.get('format')} requires {key!r}")
    return (
        _version_number(data["chainId"], "chainId"),
        _version_number(data["registryVersion"], "registryVersion"),
    )


def _location_json(chain_id: int | None, registry_version: int | None) -> dict[str, int]:
    if chain_id is None or registry_version is None:
        return {}
    return {"chainId": chain_id, "registryVersion": registry_version}


def _network_name(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"network must be a non-empty string, got {value!r}")
    return value
