"""Keys of a BIP-39 mnemonic along a BIP-32 path, without importing eth_account.

`derive(mnemonic, path)` returns the 32-byte private key at `path` (e.g. "m/44'/60'/0'/0/3")
of the wallet whose seed is BIP-39's PBKDF2-HMAC-SHA512(NFKD(mnemonic), "mnemonic" +
NFKD(passphrase), 2048 rounds); each step is BIP-32's CKDpriv: I = HMAC-SHA512(chain code,
0x00‖k‖i for a hardened i ≥ 2^31, else ser_P(point(k))‖i); child = I_L + k mod n, chain
code I_R (the next index when I_L ≥ n or the child is 0, as BIP-32 says).

Why not eth_account's `Account.from_mnemonic`, which computes the same (and is what the
tests check this module against)? Importing eth_account costs every process ~0.35 s,
mostly eth_keyfile loading py_ecc's BLS12-381 tables, while every local chain needs the
ten dev accounts at start-up. The curve arithmetic here is eth_keys' (already loaded with
eth_utils); only the BIP-32/39 glue (hashes and integer sums) is written out. The
mnemonic's word list and checksum are not validated: callers pass a known mnemonic (the
public dev one), or use eth_account for user-supplied phrases.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import unicodedata

#: The order of secp256k1's group.
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HARDENED = 0x80000000


def seed(mnemonic: str, passphrase: str = "") -> bytes:
    """BIP-39: the 64-byte seed of a mnemonic (and optional passphrase)."""
    words = unicodedata.normalize("NFKD", " ".join(mnemonic.split()))
    salt = unicodedata.normalize("NFKD", "mnemonic" + passphrase)
    return hashlib.pbkdf2_hmac("sha512", words.encode(), salt.encode(), 2048)


def parse_path(path: str) -> list[int]:
    """BIP-32 path text ("m/44'/60'/0'/0/1", "'" or "H" marks a hardened step) → indices."""
    parts = path.strip().split("/")
    if not parts or parts[0] not in ("m", "M"):
        raise ValueError(f"derivation path {path!r} must start with m/")
    out = []
    for part in parts[1:]:
        hard = part[-1:] in ("'", "H", "h")
        digits = part[:-1] if hard else part
        if not digits.isdigit() or int(digits) >= HARDENED:
            raise ValueError(f"derivation path {path!r}: {part!r} is not a step index")
        out.append(int(digits) + (HARDENED if hard else 0))
    return out


def _compressed_point(key: bytes) -> bytes:
    from eth_keys import keys

    return keys.PrivateKey(key).public_key.to_compressed_bytes()


def _child(key: bytes, chain_code: bytes, index: int) -> tuple[bytes, bytes]:
    while True:
        data = b"\x00" + key if index >= HARDENED else _compressed_point(key)
        mac = hmac.new(chain_code, data + index.to_bytes(4, "big"), hashlib.sha512).digest()
        left = int.from_bytes(mac[:32], "big")
        child = (left + int.from_bytes(key, "big")) % SECP256K1_N
        if left < SECP256K1_N and child != 0:
            return child.to_bytes(32, "big"), mac[32:]
        index += 1  # probability below 2^-127: BIP-32 says to use the next index


@functools.lru_cache(maxsize=64)
def _node(mnemonic: str, passphrase: str, path: tuple[int, ...]) -> tuple[bytes, bytes]:
    """(key, chain code) at `path`; cached, so siblings share their parent's derivation."""
    if not path:
        master = hmac.new(b"Bitcoin seed", seed(mnemonic, passphrase), hashlib.sha512).digest()
        return master[:32], master[32:]
    return _child(*_node(mnemonic, passphrase, path[:-1]), path[-1])


def derive(mnemonic: str, path: str, passphrase: str = "") -> bytes:
    """The private key at `path` of the wallet of `mnemonic`."""
    return _node(mnemonic, passphrase, tuple(parse_path(path)))[0]


def address(key: bytes) -> str:
    """The checksummed address of a private key."""
    from eth_keys import keys

    return keys.PrivateKey(key).public_key.to_checksum_address()
