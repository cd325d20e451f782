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
@deployments_option
@click.pass_obj
def verify(
    ctx: Context,
    contracts: tuple[str, ...],
    network: str | None,
    explorers: tuple[str, ...],
    local_only: bool,
    force: bool,
    deployments_dir: Path | None,
) -> None:
    """Verify CONTRACTs (default: every record of the network) locally and on explorers.

    Idempotent: explorers a record already shows as verified are skipped, and each
    explorer's answer is written into the contract's record.
    """
    from daftar.chain.rpc import RpcChain
    from daftar.deploy.records import records_folder
    from daftar.errors import NetworkError
    from daftar.explorer.deployments import verify_network
    from daftar.explorer.verify import EXPLORERS
    from daftar.project import Project

    say = (lambda _m: None) if ctx.as_json else (lambda m: click.echo(m, err=True))
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
    if ctx.as_json:
        click.echo(json.dumps([r.to_json() for r in results]))
    bad = [r.contract for r in results if not r.local.ok]
    if bad:
        raise click.ClickException(
            f"bytecode does not match the recorded sources: {', '.join(bad)}"
        )


COMMANDS = [verify]
