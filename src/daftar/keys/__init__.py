"""Keys: the `Account` type, the well-known dev accounts, and deployer keystores.

The bottom layer: nothing here imports the chain, deploy or CLI layers.
"""

from daftar.keys.account import (
    DEV_BALANCE,
    DEV_COUNT,
    DEV_MNEMONIC,
    Account,
    dev_accounts,
    parse_key,
    public_test_key_index,
    refuse_public_test_key,
    sign_typed_data,
)
from daftar.keys.keystore import (
    KEY_ENV,
    KEYSTORE_ENV,
    PASSWORD_ENV,
    check_new_keystore,
    daftar_home,
    deployer_address,
    keystore_address,
    keystore_dir,
    keystore_path,
    list_keystores,
    load_deployer,
    save_keystore,
    unlock_keystore,
)

__all__ = [
    "DEV_BALANCE",
    "DEV_COUNT",
    "DEV_MNEMONIC",
    "KEYSTORE_ENV",
    "KEY_ENV",
    "PASSWORD_ENV",
    "Account",
    "check_new_keystore",
    "daftar_home",
    "deployer_address",
    "dev_accounts",
    "keystore_address",
    "keystore_dir",
    "keystore_path",
    "list_keystores",
    "load_deployer",
    "parse_key",
    "public_test_key_index",
    "refuse_public_test_key",
    "save_keystore",
    "sign_typed_data",
    "unlock_keystore",
]
