"""Deployer keys for live networks: the environment, and encrypted keystores.

A key comes from DEPLOYER_PRIVATE_KEY, or from an encrypted JSON keystore (eth-account's
format, the one geth and Foundry use) named by DEPLOYER_KEYSTORE, unlocked with a password
from DEPLOYER_PASSWORD or a prompt. Error messages never quote the key or the password.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from daftar.errors import AccountError
from daftar.keys.account import Account, parse_key
from daftar.util.files import atomic_write

KEY_ENV = "DEPLOYER_PRIVATE_KEY"
KEYSTORE_ENV = "DEPLOYER_KEYSTORE"
PASSWORD_ENV = "DEPLOYER_PASSWORD"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def daftar_home() -> Path:
    """`$DAFTAR_HOME`, default ~/.daftar: per-user state that never belongs in a repo."""
    return Path(os.environ.get("DAFTAR_HOME") or Path.home() / ".daftar")


def keystore_dir() -> Path:
    return daftar_home() / "keystores"


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


def check_new_keystore(name: str) -> Path:
    """The path a new keystore NAME gets; refused (before any prompt) if unusable or taken."""
    if not _NAME.match(name):
        raise AccountError(
            f"'{name}' is not a usable keystore name: letters, digits, '.', '_' and '-' only"
        )
    path = keystore_dir() / f"{name}.json"
    if path.exists():
        raise AccountError(f"a keystore named '{name}' already exists ({path}); pick another name")
    return path


def save_keystore(name: str, password: str, key: bytes | None = None) -> tuple[str, Path]:
    """Encrypt a key (a new random one if None) into `keystores/<name>.json`, mode 0600."""
    from eth_account import Account as EthAccount

    path = check_new_keystore(name)
    if not password:
        raise AccountError("refusing an empty keystore password")
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
