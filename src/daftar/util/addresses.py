"""Addresses users type: all-lowercase (or all-uppercase) hex, or a valid EIP-55 checksum.

A mixed-case address whose checksum does not match is refused, never "corrected": the
typo may be in a digit, and a transaction to the wrong address (an accreditation, a role
grant) cannot be undone.
"""

from __future__ import annotations

import re

from daftar.errors import DaftarError

_HEX40 = re.compile(r"^0[xX][0-9a-fA-F]{40}$")


class AddressError(DaftarError, ValueError):
    """Not an address, or a mixed-case address with a wrong EIP-55 checksum."""


def checked_address(value: object, where: str = "address") -> str:
    """`value` as a checksummed address; refused if malformed or its checksum is wrong.

    `where` names what was given (an option, a config key, a file field) for the message.
    """
    from eth_utils import to_checksum_address

    if not isinstance(value, str) or not _HEX40.match(value.strip()):
        raise AddressError(f"{where}: {value!r} is not an address (0x followed by 40 hex digits)")
    text = value.strip()
    digits = text[2:]
    right = to_checksum_address("0x" + digits.lower())
    mixed = digits not in (digits.lower(), digits.upper())
    if mixed and "0x" + digits != right:
        raise AddressError(
            f"{where}: {text} has a wrong EIP-55 checksum (mixed case that does not "
            "match): likely a typo. Check the address at its source (copy it again "
            "rather than fixing letters; the typo may be in a digit), or give it in "
            "all lowercase if you are sure."
        )
    return right


def is_checked_address(value: object) -> bool:
    try:
        checked_address(value)
    except AddressError:
        return False
    return True
