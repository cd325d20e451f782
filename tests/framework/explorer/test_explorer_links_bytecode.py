"""Explorer tab links, and the bytecode comparison helpers local verification rests on."""

from __future__ import annotations

import pytest

from daftar.explorer import ExplorerError, contract_links, read_contract_url, write_contract_url
from daftar.explorer.bytecode import (
    context,
    difference,
    disassemble,
    first_difference,
    split_metadata,
    zero_immutables,
)
from daftar.explorer.local import compare_creation, compare_runtime

ADDR = "0x5fbdb2315678afecb367f032d93f642f64180aa3"
CHECKSUMMED = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def test_contract_tab_links(project):
    sepolia = project.config.network("sepolia")
    assert (
        read_contract_url(sepolia, ADDR)
        == f"https://sepolia.etherscan.io/address/{CHECKSUMMED}#readContract"
    )
    assert (
        write_contract_url(sepolia, ADDR)
        == f"https://sepolia.etherscan.io/address/{CHECKSUMMED}#writeContract"
    )
    assert contract_links("https://sepolia.basescan.org/", ADDR)["code"] == (
        f"https://sepolia.basescan.org/address/{CHECKSUMMED}#code"
    )
    # Same page as the existing address link, plus the tab.
    assert read_contract_url(sepolia, ADDR).startswith(
        sepolia.explorer_link("address", CHECKSUMMED)
    )


def test_links_without_explorer_and_bad_input(project):
    dev = project.config.network("development")
    assert read_contract_url(dev, ADDR) is None
    assert contract_links(dev, ADDR) == {}
    with pytest.raises(ExplorerError, match="not an address"):
        read_contract_url("https://sepolia.etherscan.io", "0x1234")


def _metadata(tag: bytes) -> bytes:
    """A CBOR-map-shaped tail: 0xa2 ... then its 2-byte length, as solc appends it."""
    body = b"\xa2" + tag
    return body + len(body).to_bytes(2, "big")


CODE = bytes.fromhex("6080604052348015600e575f80fd5b50")  # PUSH1 PUSH1 MSTORE CALLVALUE ...


def test_split_metadata_uses_the_trailing_length():
    code = CODE + _metadata(b"ipfs-hash-one")
    assert split_metadata(code) == (CODE, _metadata(b"ipfs-hash-one"))
    assert split_metadata(CODE) == (CODE, b"")  # no CBOR map there: nothing stripped


def test_zero_immutables():
    refs = {"7": [{"start": 2, "length": 2}], "9": [{"start": 6, "length": 1}]}
    assert zero_immutables(bytes(range(1, 9)), refs) == bytes([1, 2, 0, 0, 5, 6, 0, 8])


def test_first_difference_and_context():
    assert first_difference(b"abc", b"abc") is None
    assert first_difference(b"abc", b"abd") == 2
    assert first_difference(b"ab", b"abc") == 2
    ops = disassemble(CODE)
    assert ops[:3] == [(0, "PUSH1 0x80"), (2, "PUSH1 0x40"), (4, "MSTORE")]
    assert ">PUSH1 0x40" in context(CODE, 3)  # offset 3 is PUSH1's data: the PUSH is marked


def test_compare_runtime_full_partial_mismatch():
    refs = {"1": [{"start": 1, "length": 1}]}
    deployed = CODE[:1] + b"\x99" + CODE[2:] + _metadata(b"one")  # an immutable written at 1
    assert compare_runtime(deployed, CODE + _metadata(b"one"), refs) == ("full", None)
    assert compare_runtime(deployed, CODE + _metadata(b"two"), refs) == ("partial", None)
    other = CODE[:-1] + b"\x00" + _metadata(b"one")
    match, diff = compare_runtime(deployed, other, refs)
    assert match == "mismatch" and diff.offset == len(CODE) - 1
    assert "first difference at byte" in diff.describe()


def test_compare_creation_checks_the_constructor_arguments():
    initcode = CODE + _metadata(b"one")
    args = (42).to_bytes(32, "big")
    assert compare_creation(initcode + args, initcode, args) == ("full", None)
    assert compare_creation(CODE + _metadata(b"two") + args, initcode, args) == ("partial", None)
    match, diff = compare_creation(initcode + (43).to_bytes(32, "big"), initcode, args)
    assert match == "mismatch" and diff.offset == len(initcode) + 31
    assert difference(b"", b"") is None
