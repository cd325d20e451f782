"""Accounts: the well-known local dev accounts, and keys loaded for live networks.

Dev accounts come from the public test mnemonic anvil and Hardhat use, so every local
backend (revm, eth-tester, anvil) has the same ten funded addresses with the same keys:
a test that signs EIP-712 data passes everywhere. Their keys are public; no real key is
ever printed, logged or written in clear.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from daftar.chain.base import Account
from daftar.errors import AccountError

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_COUNT = 10
DEV_BALANCE = 10_000 * 10**18


@cache
def dev_accounts(count: int = DEV_COUNT) -> tuple[Account, ...]:
    """The first `count` accounts of the dev mnemonic (m/44'/60'/0'/0/i)."""
    from eth_account import Account as EthAccount

    EthAccount.enable_unaudited_hdwallet_features()
    found = []
    for i in range(count):
        acct = EthAccount.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}")
        found.append(Account(acct.address, bytes(acct.key)))
    return tuple(found)


def sign_typed_data(account: Account, typed_data: dict) -> bytes:
    """EIP-712 signature (65 bytes r‖s‖v) by an account whose key daftar holds."""
    from eth_account import Account as EthAccount
    from eth_account.messages import encode_typed_data

    if account.key is None:
        raise ValueError(f"daftar holds no key for {account.address}; it cannot sign")
    signed = EthAccount.sign_message(encode_typed_data(full_message=typed_data), account.key)
    return bytes(signed.signature)


# -- deployer keys for live networks ----------------------------------------------------------
#
# A key comes from DEPLOYER_PRIVATE_KEY, or from an encrypted JSON keystore (eth-account's
# format, the one geth and Foundry use) named by DEPLOYER_KEYSTORE, unlocked with a password
# from DEPLOYER_PASSWORD or a prompt. Error messages never quote the key or the password.

KEY_ENV = "DEPLOYER_PRIVATE_KEY"
KEYSTORE_ENV = "DEPLOYER_KEYSTORE"
PASSWORD_ENV = "DEPLOYER_PASSWORD"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def daftar_home() -> Path:
    """`$DAFTAR_HOME`, default ~/.daftar: per-user state that never belongs in a repo."""
    return Path(os.environ.get("DAFTAR_HOME") or Path.home() / ".daftar")


def keystore_dir() -> Path:
    return daftar_home() / "keystores"


def parse_key(text: str, where: str) -> Account:
    """An account from a hex private key; a bad key is an error that does not echo it."""
    from eth_account import Account as EthAccount

    clean = text.strip()
    clean = clean[2:] if clean[:2].lower() == "0x" else clean
    if not re.fullmatch(r"[0-9a-fA-F]{64}", clean):
        raise AccountError(
            f"{where} is not a valid private key: expected 64 hex digits (32 bytes, optional "
            "0x prefix). The value is not shown."
        )
    try:
        acct = EthAccount.from_key(bytes.fromhex(clean))
    except Exception:
        raise AccountError(
            f"{where} is not a valid private key: it is outside the secp256k1 range. "
            "The value is not shown."
        ) from None
    return Account(acct.address, bytes(acct.key))


def keystore_path(name: str) -> Path:
    """A keystore by file path, or by name in `$DAFTAR_HOME/keystores/`."""
    direct = Path(name).expanduser()
    if direct.suffix == ".json" or os.sep in name:
        return direct
    return keystore_dir() / f"{name}.json"


def list_keystores() -> list[tuple[str, str, Path]]:
    """(name, address, path) of every keystore; reading addresses needs no password."""
    found = []
    for path in sorted(keystore_dir().glob("*.json")):
        try:
            address = json.loads(path.read_text()).get("address", "")
        except (OSError, ValueError):
            address = "?"
        found.append((path.stem, _checksum(address), path))
    return found


def keystore_address(path: Path) -> str:
    try:
        return _checksum(json.loads(path.read_text())["address"])
    except FileNotFoundError:
        raise AccountError(
            f"no keystore at {path}. `daftar accounts list` shows the keystores daftar knows; "
            "`daftar accounts new NAME` or `import NAME` creates one."
        ) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise AccountError(f"{path} is not an encrypted JSON keystore") from None


def save_keystore(name: str, password: str, key: bytes | None = None) -> tuple[str, Path]:
    """Encrypt a key (a new random one if None) into `keystores/<name>.json`, mode 0600."""
    from eth_account import Account as EthAccount

    from daftar.deploy.records import atomic_write

    if not _NAME.match(name):
        raise AccountError(
            f"'{name}' is not a usable keystore name: letters, digits, '.', '_' and '-' only"
        )
    if not password:
        raise AccountError("refusing an empty keystore password")
    path = keystore_dir() / f"{name}.json"
    if path.exists():
        raise AccountError(f"a keystore named '{name}' already exists ({path}); pick another name")
    acct = EthAccount.from_key(key) if key is not None else EthAccount.create()
    keyfile = EthAccount.encrypt(acct.key, password)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, json.dumps(keyfile), 0o600)
    return acct.address, path


def unlock_keystore(path: Path, password: str) -> Account:
    from eth_account import Account as EthAccount

    address = keystore_address(path)
    try:
        key = EthAccount.decrypt(json.loads(path.read_text()), password)
    except ValueError:
        raise AccountError(
            f"wrong password for keystore {path} ({address}). Check {PASSWORD_ENV} "
            "or retype it at the prompt."
        ) from None
    return Account(address, bytes(key))


def deployer_address() -> str | None:
    """The configured deployer's address without unlocking anything (for dry runs)."""
    if os.environ.get(KEY_ENV):
        return parse_key(os.environ[KEY_ENV], KEY_ENV).address
    if os.environ.get(KEYSTORE_ENV):
        return keystore_address(keystore_path(os.environ[KEYSTORE_ENV]))
    return None


def load_deployer(prompt: Callable[[str], str] | None = None) -> Account | None:
    """The deployer from the environment (key, or keystore + password); None if unset."""
    if os.environ.get(KEY_ENV):
        if os.environ.get(KEYSTORE_ENV):
            raise AccountError(f"set {KEY_ENV} or {KEYSTORE_ENV}, not both")
        return parse_key(os.environ[KEY_ENV], KEY_ENV)
    if not os.environ.get(KEYSTORE_ENV):
        return None
    path = keystore_path(os.environ[KEYSTORE_ENV])
    address = keystore_address(path)
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if prompt is None:
            raise AccountError(f"keystore {path} needs a password: set {PASSWORD_ENV}")
        password = prompt(f"Password for keystore {path.name} ({address})")
    return unlock_keystore(path, password)


def _checksum(address: str) -> str:
    from eth_utils import to_checksum_address

    try:
        return to_checksum_address(address if address.startswith("0x") else "0x" + address)
    except (ValueError, TypeError):
        return address
