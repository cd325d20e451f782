"""What the registry subcommands share: network/account options, output, times, sending.

Output goes to stdout as `label  value` lines, or as one JSON object with `--json`;
progress goes to stderr. Every address and transaction printed carries its explorer link
where the network has an explorer. The rules themselves live in daftar_registry.services;
the commands parse, call a service, and render what it returns.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar.cli.options import deployments_option
from daftar_registry.errors import InputError
from daftar_registry.render import linked_text, row
from daftar_registry.times import utc

__all__ = [
    "ADDRESS",
    "EXIT_NOT_VALID",
    "PILOT_ID",
    "REASON",
    "InputError",
    "Interrupted",
    "Where",
    "emit",
    "keccak_hex",
    "linked",
    "mined",
    "open_client",
    "parse_when",
    "plain_refusals",
    "progress",
    "registry_options",
    "row",
    "send",
    "tx_data",
    "utc",
    "write_command",
]

#: Exit code of a command that worked but whose answer is "no" (not valid, not anchored).
EXIT_NOT_VALID = 3


class AddressType(click.ParamType):
    """An Ethereum address, returned checksummed."""

    name = "ADDRESS"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from daftar.util.addresses import AddressError, checked_address

        try:  # all-lowercase or valid EIP-55; a wrong checksum is refused, never corrected
            return checked_address(value, "the address given")
        except AddressError as exc:
            self.fail(str(exc).removeprefix("the address given: "), param, ctx)


ADDRESS = AddressType()
REASON = click.IntRange(0, 2**16 - 1)
PILOT_ID = click.IntRange(min=1)


@dataclass(frozen=True)
class Where:
    """Where a registry command acts: --network, --deployments and (to sign) --account."""

    network: str | None
    deployments_dir: Path | None
    account: str | None = None


def registry_options(sign: bool) -> Callable[[Any], Any]:
    """--network and --deployments on every registry command; --account where it signs.

    The command receives them bundled as `where: Where`.
    """

    def wrap(fn: Any) -> Any:
        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            where = Where(
                kwargs.pop("network"), kwargs.pop("deployments_dir"), kwargs.pop("account", None)
            )
            return fn(*args, where=where, **kwargs)

        if sign:
            command = click.option(
                "--account",
                metavar="NAME",
                help="Signer: dev0..dev9 (local chains), or a keystore name/path "
                "(default: $DAFTAR_ACCOUNT, else the deployer's env).",
            )(command)
        command = deployments_option(command)
        return click.option(
            "--network", metavar="NAME", help="Network the registry is deployed on."
        )(command)

    return wrap


def write_command(
    group: click.Group,
    name: str,
    doc: str,
    subject: Callable[[Any], Any],
    act: Callable[..., None],
    with_reason: bool,
) -> None:
    """Register a signing command on `group`: one `subject` argument, maybe `--reason`.

    `act(ctx, client, subject_value, *args)` does the work; args is `(reason,)` or `()`.
    """

    @registry_options(sign=True)
    @subject
    @click.pass_obj
    def command(ctx: Context, where: Where, reason: int | None = None, **given: Any) -> None:
        (value,) = given.values()
        client = open_client(ctx, where, sign=True)
        act(ctx, client, value, *((reason,) if with_reason else ()))

    command.__doc__ = doc
    if with_reason:
        command = click.option(
            "--reason", required=True, type=REASON, help="Reason code (0-65535)."
        )(command)
    group.command(name)(command)


def open_client(
    ctx: Context, where: Where, *, network: str | None = None, sign: bool = False
) -> Any:
    """The registry of record on the chosen network (see daftar_registry.client).

    `network` overrides the options' (a holder file names the network it was issued on).
    """
    from daftar import config
    from daftar_registry.client import connect_registry

    cfg = config.load(Path(ctx.project_dir) if ctx.project_dir else None)
    prompt = _hidden if sys.stdin.isatty() else None
    return connect_registry(
        cfg,
        network or where.network or ctx.network,
        deployments_dir=where.deployments_dir,
        account=where.account,
        sign=sign,
        prompt=prompt,
    )


def _hidden(text: str) -> str:
    return click.prompt(text, hide_input=True, err=True)


def progress(ctx: Context, message: str) -> None:
    if not ctx.as_json:
        click.echo(message, err=True)


def emit(ctx: Context, data: dict[str, Any], lines: list[str]) -> None:
    """One JSON object with --json, else the human lines."""
    if ctx.as_json:
        click.echo(json.dumps(data, sort_keys=True))
    else:
        for line in lines:
            click.echo(line)


def linked(client: Any, kind: str, value: str) -> str:
    """`value`, followed by its explorer link when the network has an explorer."""
    return linked_text(value, client.link(kind, value))


def tx_data(client: Any, receipt: Any) -> dict[str, Any]:
    return {
        "tx": receipt.tx_hash,
        "tx_link": client.link("tx", receipt.tx_hash),
        "block": receipt.block_number,
        "gas_used": receipt.gas_used,
    }


@contextmanager
def plain_refusals() -> Iterator[None]:
    """Turn a registry revert into a `Refused` error in plain words."""
    from daftar.chain.base import Reverted
    from daftar_registry.refusals import explain_refusal

    try:
        yield
    except Reverted as exc:
        raise explain_refusal(exc) from None


def send(
    ctx: Context, client: Any, method: Any, *args: Any, on_sent: Callable[[str], None] | None = None
) -> Any:
    """Send a registry transaction from the signer; refusals come back in plain words.

    The balance is checked first, the hash and link are printed as soon as the node has
    the transaction, then `on_sent(hash)` runs (e.g. to write holder files); Ctrl-C says
    whether anything was sent (daftar.deploy.single).
    """
    from daftar.chain.web3chain import with_headroom
    from daftar.deploy.single import send_and_wait
    from daftar.errors import DaftarError

    signer = client.require_signer()
    bound = method.bind(args)
    where = f"{method.contract.type.name}.{method.items[0]['name']}"
    progress(ctx, f"{where} from {signer.address} on {client.network.name} …")
    sent: list[str] = []

    def broadcast(tx_hash: str) -> None:
        sent.append(tx_hash)
        progress(ctx, f"sent {linked(client, 'tx', tx_hash)}; waiting to be mined …")
        if on_sent is not None:
            on_sent(tx_hash)

    try:
        with plain_refusals():
            gas = with_headroom(bound.estimate_gas(*args, sender=signer))
        receipt = send_and_wait(
            method.contract.chain, signer, method.contract.address, bound.encode_input(*args),
            gas=gas, on_sent=broadcast,
        )  # fmt: skip
    except KeyboardInterrupt:
        if not sent:
            raise Interrupted("interrupted: nothing was sent") from None
        raise Interrupted(
            f"interrupted while waiting: transaction {linked(client, 'tx', sent[0])} was "
            "sent and may still be mined. Check it on the explorer (or rerun the read command, "
            "e.g. `daftar credential verify`) before sending it again."
        ) from None
    if receipt.status != 1:
        with plain_refusals():
            bound.estimate_gas(*args, sender=signer)  # explains the revert in plain words
        raise DaftarError(f"{where} reverted on chain in {linked(client, 'tx', receipt.tx_hash)}")
    receipt.events = method.contract.type.decoders.events.decode_all(receipt.logs)
    mined(ctx, client, receipt)
    return receipt


class Interrupted(InputError):
    """Ctrl-C during a write: what was sent, and how to check."""

    exit_code = 130


def mined(ctx: Context, client: Any, receipt: Any) -> None:
    progress(ctx, f"mined in block {receipt.block_number}: {linked(client, 'tx', receipt.tx_hash)}")


def parse_when(text: str | None, option: str) -> int:
    """Unix seconds, an ISO date (midnight UTC) or an ISO date-time (UTC if no offset)."""
    if text is None or text.strip() in ("", "0", "never"):
        return 0
    clean = text.strip()
    if clean.isdigit():
        return int(clean)
    try:
        if len(clean) == 10:
            moment = datetime.combine(date.fromisoformat(clean), datetime.min.time(), UTC)
        else:
            moment = datetime.fromisoformat(clean)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError:
        raise InputError(
            f"{option} {text!r} is not a time: give unix seconds (1798761600), an ISO date "
            "(2027-01-01, midnight UTC) or an ISO date-time (2027-01-01T09:00:00+08:00)"
        ) from None
    return int(moment.timestamp())


def keccak_hex(data: bytes) -> str:
    from daftar.util.hashing import keccak256

    return "0x" + keccak256(data).hex()
