"""`daftar verify`: prove deployed bytecode matches the recorded sources, then publish them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from daftar.cli.context import Context
from daftar.cli.options import deployments_option


@click.command()
@click.argument("contracts", nargs=-1, metavar="[CONTRACT]...")
@click.option("--network", "network", metavar="NAME", help="Network whose records to verify.")
@click.option(
    "--explorer",
    "explorers",
    multiple=True,
    type=click.Choice(["etherscan", "sourcify", "blockscout"]),
    help="Explorer(s) to submit to (default: all three). Etherscan needs ETHERSCAN_API_KEY.",
)
@click.option("--local-only", is_flag=True, help="Only compare the bytecode; submit nothing.")
@click.option("--force", is_flag=True, help="Resubmit even where the record says verified.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout.")
@deployments_option
@click.pass_obj
def verify(
    ctx: Context,
    contracts: tuple[str, ...],
    network: str | None,
    explorers: tuple[str, ...],
    local_only: bool,
    force: bool,
    as_json: bool,
    deployments_dir: Path | None,
) -> None:
    """Verify CONTRACTs (default: every record of the network) locally and on explorers.

    The local bytecode check runs first for every contract, then the explorers that need no
    key (Sourcify, Blockscout), then Etherscan; a missing key stops only that explorer.
    Results go to stdout (--json: as JSON), progress and retries to stderr. Exit status 0
    only when the code matches and every requested explorer shows the source; an
    explorer that is unreachable or not configured leaves the record as it was, one that
    rejects or is still pending is written into the record.
    """
    from daftar.chain.rpc import RpcChain
    from daftar.deploy.records import records_folder
    from daftar.errors import NetworkError
    from daftar.explorer.deployments import verify_network
    from daftar.explorer.verify import EXPLORERS
    from daftar.project import Project

    as_json = as_json or ctx.as_json
    say = lambda m: click.echo(m, err=True)  # noqa: E731 - diagnostics: always stderr
    project = Project.load(Path(ctx.project_dir) if ctx.project_dir else None, progress=say)
    net = project.config.network(network or ctx.network)
    if net.backend != "rpc":
        raise NetworkError(
            f"'{net.name}' is a throwaway {net.backend} chain with no deployment records; "
            "verify a network you deployed to with `daftar deploy` (e.g. localhost, sepolia)"
        )
    chain = RpcChain(net.name, net.rpc_url(), net.chain_id)
    folder = records_folder(project.config, net.name, deployments_dir)
    names = () if local_only else (explorers or EXPLORERS)
    results = verify_network(project, net, chain, folder, contracts, names, force, say)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results]))
    else:
        for r in results:
            click.echo(f"{r.contract} {r.address}")
            click.echo(f"  local: {r.local.status}")
            for name, answer in r.explorers.items():
                where = f" {answer.url}" if answer.url and answer.ok else ""
                why = "" if answer.ok else f" ({answer.message})" if answer.message else ""
                click.echo(f"  {name}: {answer.status.replace('_', ' ')}{where}{why}")
    bad = [r.contract for r in results if not r.local.ok]
    if bad:
        click.echo(
            f"error: bytecode does not match the recorded sources: {', '.join(bad)}", err=True
        )
        raise click.exceptions.Exit(1)
    missing = sorted(
        {
            f"{name}: {a.status.replace('_', ' ')}"
            for r in results
            for name, a in r.explorers.items()
            if not a.ok
        }
    )
    if missing:
        click.echo(f"error: not verified everywhere asked ({'; '.join(missing)})", err=True)
        raise click.exceptions.Exit(2)


COMMANDS = [verify]
