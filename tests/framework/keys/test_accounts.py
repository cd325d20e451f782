"""Deployer keys: keystores via the CLI, clear errors, and no key ever in clear."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eth_account import Account as EthAccount

from daftar.errors import AccountError
from daftar.keys import (
    dev_accounts,
    load_deployer,
    parse_key,
    save_keystore,
    unlock_keystore,
)

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"


def cli(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args],
        cwd=REPO,
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_clean_failure(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


def no_secret_anywhere(secret_hex: str, *texts: str, folders: tuple[Path, ...] = ()) -> None:
    needles = {secret_hex.lower(), secret_hex.lower().removeprefix("0x")}
    for text in texts:
        assert not any(n in text.lower() for n in needles)
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                blob = path.read_bytes().lower()
                assert not any(n.encode() in blob for n in needles), path


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path / "home"))
    for var in ("DEPLOYER_PRIVATE_KEY", "DEPLOYER_KEYSTORE", "DEPLOYER_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "home"


def test_dev_accounts_unchanged():
    assert dev_accounts()[0].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_cli_new_import_list_never_show_the_key(home):
    env = {"DAFTAR_HOME": str(home), "DEPLOYER_PASSWORD": PASSWORD}
    new = cli("--json", "accounts", "new", "alice", env=env)
    assert new.returncode == 0, new.stderr
    created = json.loads(new.stdout)
    path = Path(created["path"])
    assert path.parent == home / "keystores" and oct(path.stat().st_mode & 0o777) == "0o600"
    key = unlock_keystore(path, PASSWORD).key.hex()
    no_secret_anywhere(key, new.stdout, new.stderr, folders=(home,))

    fresh = EthAccount.create()
    imported = cli("accounts", "import", "bob", "--stdin", env=env, stdin=fresh.key.hex() + "\n")
    assert imported.returncode == 0, imported.stderr
    assert fresh.address in imported.stdout
    no_secret_anywhere(fresh.key.hex(), imported.stdout, imported.stderr, folders=(home,))

    listed = cli("accounts", "list", env={"DAFTAR_HOME": str(home)})
    assert "alice" in listed.stdout and created["address"] in listed.stdout
    assert "bob" in listed.stdout and fresh.address in listed.stdout

    again = cli("accounts", "new", "alice", env=env)
    assert_clean_failure(again, "already exists")


def test_import_rejects_malformed_key_without_echoing_it(home):
    bad = "0x" + "zz" * 32
    proc = cli(
        "accounts",
        "import",
        "bad",
        "--stdin",
        env={"DAFTAR_HOME": str(home), "DEPLOYER_PASSWORD": PASSWORD},
        stdin=bad + "\n",
    )
    assert_clean_failure(proc, "not a valid private key")
    assert "zz" * 8 not in proc.stderr
    assert not (home / "keystores" / "bad.json").exists()


def test_load_deployer_from_key_and_keystore(home, monkeypatch):
    fresh = EthAccount.create()
    monkeypatch.setenv("DEPLOYER_PRIVATE_KEY", fresh.key.hex())
    assert load_deployer().address == fresh.address
    monkeypatch.delenv("DEPLOYER_PRIVATE_KEY")
    address, _ = save_keystore("carol", PASSWORD, bytes(fresh.key))
    monkeypatch.setenv("DEPLOYER_KEYSTORE", "carol")
    monkeypatch.setenv("DEPLOYER_PASSWORD", PASSWORD)
    acct = load_deployer()
    assert acct.address == address == fresh.address
    assert fresh.key.hex() not in repr(acct) and fresh.key.hex() not in str(acct)
    monkeypatch.setenv("DEPLOYER_PASSWORD", "wrong")
    with pytest.raises(AccountError, match="wrong password for keystore"):
        load_deployer()
    monkeypatch.delenv("DEPLOYER_PASSWORD")
    with pytest.raises(AccountError, match="needs a password"):
        load_deployer(prompt=None)


@pytest.mark.parametrize("bad", ["", "0x1234", "g" * 64, "0x" + "00" * 32])
def test_parse_key_errors(bad):
    with pytest.raises(AccountError, match="not a valid private key") as info:
        parse_key(bad, "DEPLOYER_PRIVATE_KEY")
    assert bad not in str(info.value) or bad == ""


def _deploy(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    return cli(
        "deploy",
        "--network",
        "sepolia",
        "--deployments",
        str(tmp_path / "deployments"),
        env={"SEPOLIA_RPC_URL": "http://127.0.0.1:9", **env},
    )


def test_deploy_with_bad_key_fails_cleanly_and_writes_nothing(home, tmp_path):
    proc = _deploy({"DEPLOYER_PRIVATE_KEY": "0xnot-a-key"}, tmp_path)
    assert_clean_failure(proc, "DEPLOYER_PRIVATE_KEY is not a valid private key")
    assert "not-a-key" not in proc.stderr
    assert not (tmp_path / "deployments").exists()


def test_deploy_with_wrong_password_fails_cleanly_and_writes_nothing(home, tmp_path):
    save_keystore("dave", PASSWORD)
    proc = _deploy(
        {"DAFTAR_HOME": str(home), "DEPLOYER_KEYSTORE": "dave", "DEPLOYER_PASSWORD": "nope"},
        tmp_path,
    )
    # the node is checked before the keystore is unlocked (issue 13: no password before the
    # prompt-free checks); the wrong password itself is refused by load_deployer (above)
    assert_clean_failure(proc, "no answer from")
    assert "nope" not in proc.stderr
    assert not (tmp_path / "deployments").exists()


def test_deploy_without_any_key_says_how_to_give_one(home, tmp_path):
    proc = _deploy({}, tmp_path)
    assert_clean_failure(proc, "no deployer key for sepolia", "DEPLOYER_KEYSTORE")


def test_dry_run_cli_signs_nothing(home, tmp_path):
    proc = cli("deploy", "--network", "sepolia", "--dry-run", env={"SEPOLIA_RPC_URL": ""})
    assert proc.returncode == 0, proc.stderr
    assert "Dry run of 8 step(s)" in proc.stderr and "costs not estimated" in proc.stderr


def _no_terminal(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """`daftar` with stdin piped and no controlling terminal (as in CI)."""
    return subprocess.run(
        [sys.executable, "-m", "daftar.cli", *args], cwd=REPO, env={**os.environ, **env},
        input=stdin, capture_output=True, text=True, timeout=120, start_new_session=True,
    )  # fmt: skip


def test_no_terminal_no_password_is_a_clear_error_not_an_abort(home):
    """Issue 13: `accounts import --stdin` without a terminal aborted with rc 130."""
    fresh = EthAccount.create()
    proc = _no_terminal("accounts", "import", "erin", "--stdin", env={"DAFTAR_HOME": str(home)},
                        stdin=fresh.key.hex() + "\n")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "DEPLOYER_PASSWORD" in proc.stderr and "aborted" not in proc.stderr
    assert not (home / "keystores" / "erin.json").exists()


def test_existing_name_refused_before_any_prompt(home):
    save_keystore("frank", PASSWORD)
    for args in (("accounts", "new", "frank"), ("accounts", "import", "frank", "--stdin")):
        proc = _no_terminal(*args, env={"DAFTAR_HOME": str(home)}, stdin="")
        assert_clean_failure(proc, "already exists")
        assert "password" not in proc.stderr.lower()


def test_public_test_key_import_refused(home):
    proc = _no_terminal("accounts", "import", "dev", "--stdin",
                        env={"DAFTAR_HOME": str(home), "DEPLOYER_PASSWORD": PASSWORD},
                        stdin=dev_accounts()[2].key.hex() + "\n")  # fmt: skip
    assert_clean_failure(proc, "public test mnemonic")


def test_unknown_global_network_is_an_error():
    proc = cli("--network", "nosuch", "networks", env={})
    assert_clean_failure(proc, "unknown network 'nosuch'")
