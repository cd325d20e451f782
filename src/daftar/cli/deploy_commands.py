"""`daftar deploy` and `daftar accounts new|import|list`.

Keys and passwords are read from hidden prompts, stdin or the environment, and are never
echoed: not in output, not in error messages.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from daftar.cli.context import Context
from daftar.cli.options import deployments_option


def _say(ctx: Context):
    return (lambda _m: None) if ctx.as_json else (lambda m: click.echo(m, err=True))


def _hidden(text: str) -> str:
    return click.prompt(text, hide_input=True, err=True)


@click.command()
@click.argument("script", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--network", "network", metavar="NAME", help="Network to deploy to.")
@click.option("--dry-run", is_flag=True, help="Run on the embedded chain; print gas and cost.")
@click.option(
    "--new-version",
    is_flag=True,
    help="Keep the network's current records as an earlier version (deployments/<network>/"
    "versions/<n>/) and deploy the plan afresh as the next version.",
)
@deployments_option
@click.pass_obj
def deploy(
    ctx: Context,
    script: Path | None,
    network: str | None,
    dry_run: bool,
    new_version: bool,
    deployments_dir: Path | None,
) -> None:
    """Run the plan SCRIPT defines (default scripts/deploy.py); a rerun resumes.

    The script defines `plan(deployer, network)` returning a daftar.deploy.Plan. On live
    networks every step is journaled in deployments/<network>/ before it is sent, so an
    interrupted deploy resumes where it stopped when the same command is run again.
    """
    from daftar.deploy.runner import deploy as run_deploy

    try:
        addresses = run_deploy(
            network or ctx.network,
            project_dir=Path(ctx.project_dir) if ctx.project_dir else None,
            dry_run=dry_run,
            deployments_dir=deployments_dir,
            script=script,
            new_version=new_version,
            say=_say(ctx),
            prompt=_hidden if sys.stdin.isatty() else None,
        )
    except (KeyboardInterrupt, click.exceptions.Abort):
        where = f" --network {network or ctx.network}" if (network or ctx.network) else ""
        click.echo(
            "\ninterrupted. "
            + (
                "Nothing was signed (dry run)."
                if dry_run
                else "Every transaction sent so far is in the journal "
                "(deployments/<network>/journal.jsonl): rerun the same command "
                f"(`daftar deploy{where}`) to resume; nothing is deployed twice."
            ),
            err=True,
        )
        raise click.exceptions.Exit(130) from None
    if ctx.as_json:
        click.echo(json.dumps(addresses))


@click.group()
def accounts() -> None:
    """Deployer keystores in $DAFTAR_HOME/keystores (default ~/.daftar), encrypted."""


def _has_terminal() -> bool:
    try:
        with open("/dev/tty"):
            return True
    except OSError:
        return False


def _password(confirm: bool) -> str:
    from daftar.errors import AccountError
    from daftar.keys import PASSWORD_ENV

    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty() and not _has_terminal():
        raise AccountError(
            f"no terminal to ask the keystore password on: set {PASSWORD_ENV} for "
            "non-interactive use"
        )
    return click.prompt("Keystore password", hide_input=True, confirmation_prompt=confirm, err=True)


def _created(ctx: Context, name: str, address: str, path: Path) -> None:
    if ctx.as_json:
        click.echo(json.dumps({"name": name, "address": address, "path": str(path)}))
    else:
        click.echo(f"{name}: {address}  (keystore {path})")


@accounts.command("new")
@click.argument("name")
@click.pass_obj
def accounts_new(ctx: Context, name: str) -> None:
    """Create a random key and store it encrypted as NAME."""
    from daftar.keys import check_new_keystore, save_keystore

    check_new_keystore(name)  # before any prompt
    address, path = save_keystore(name, _password(confirm=True))
    _created(ctx, name, address, path)


@accounts.command("import")
@click.argument("name")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the private key from stdin.")
@click.pass_obj
def accounts_import(ctx: Context, name: str, from_stdin: bool) -> None:
    """Encrypt an existing private key (hidden prompt, or --stdin) as NAME."""
    from daftar.keys import check_new_keystore, parse_key, refuse_public_test_key, save_keystore

    check_new_keystore(name)  # before any prompt
    text = sys.stdin.readline() if from_stdin else _hidden("Private key (hex)")
    acct = parse_key(text, "the private key given")
    del text
    refuse_public_test_key(acct.address, "the key given")
    address, path = save_keystore(name, _password(confirm=True), acct.key)
    _created(ctx, name, address, path)


@accounts.command("list")
@click.pass_obj
def accounts_list(ctx: Context) -> None:
    """Keystores daftar knows, with their addresses (no password needed)."""
    from daftar.keys import keystore_dir, list_keystores

    found = list_keystores()
    if ctx.as_json:
        click.echo(json.dumps([{"name": n, "address": a, "path": str(p)} for n, a, p in found]))
        return
    if not found:
        click.echo(f"no keystores in {keystore_dir()}; `daftar accounts new NAME` creates one")
    for name, address, _path in found:
        click.echo(f"{name:<20} {address}")


COMMANDS = [deploy, accounts]
