"""Addresses from users: all-lowercase or valid EIP-55; a wrong checksum is refused (issue 13)."""

from __future__ import annotations

import pytest

from daftar.util.addresses import AddressError, checked_address

GOOD = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


@pytest.mark.parametrize("given", [GOOD, GOOD.lower(), "0x" + GOOD[2:].upper()])
def test_lowercase_uppercase_and_valid_checksum_accepted(given):
    assert checked_address(given) == GOOD


@pytest.mark.parametrize(
    "typo",
    [
        GOOD[:-1] + "7",  # a digit typo in a checksummed address
        "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266",  # one letter's case
    ],
)
def test_mixed_case_with_wrong_checksum_is_refused_never_corrected(typo):
    with pytest.raises(AddressError, match="wrong EIP-55 checksum") as info:
        checked_address(typo, "--issuer")
    assert "--issuer" in str(info.value)


@pytest.mark.parametrize("bad", ["", "0x1234", "f39Fd6e51aad88F6F4ce6aB8827279cffFb92266", None, 5])
def test_malformed_is_refused(bad):
    with pytest.raises(AddressError, match="not an address"):
        checked_address(bad)
