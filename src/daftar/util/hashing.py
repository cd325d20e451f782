"""Keccak-256, as fast as the installed wheels allow.

safe-pysha3 (a web3/eth-hash dependency here) is several times faster than the generic
pycryptodome backend eth-utils uses; hashing sits on hot paths (transaction ids on the
embedded chain, 10,000-leaf Merkle batches).
"""

from __future__ import annotations

from typing import Any

try:
    from sha3 import keccak_256 as _keccak_256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - depends on the installed wheels
    from Crypto.Hash import keccak as _cryptodome_keccak

    def _keccak_256(data: bytes = b"") -> Any:
        return _cryptodome_keccak.new(data=data, digest_bits=256)


def keccak256(data: bytes) -> bytes:
    """Keccak-256 (Ethereum's hash, not NIST SHA3-256) of `data`."""
    return _keccak_256(data).digest()


def keccak256_hasher() -> Any:
    """An incremental Keccak-256 object (`.update(chunk)`, `.digest()`) for large files."""
    return _keccak_256()
