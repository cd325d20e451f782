"""`daftar trace TXHASH`: a mined transaction's decoded call tree (Foundry-style).

The node must answer `debug_traceTransaction` with geth's `callTracer`: `daftar node`
(anvil) does without flags, as do geth, reth and Erigon nodes with the debug API. The
in-process backends (revm, tester) forget everything when their process ends, so a hash
from another run cannot be traced there; in tests use `receipt.trace()`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from daftar.cli.context import Context


@click.command()
@click.argument("tx_hash")
@click.option("--raw", is_flag=True, help="Print the node's call tree as JSON, undecoded.")
@click.pass_obj
def trace(ctx: Context, tx_hash: str, raw: bool) -> None:
    """Print the decoded call tree of TXHASH on --network (default: the config's)."""
    from daftar.errors import DaftarError
    from daftar.project import Project

    project = Project.load(Path(ctx.project_dir) if ctx.project_dir else None)
    name = {"revm": "development"}.get(ctx.network or "", ctx.network)
    net = project.config.network(name)
    if net.backend in ("revm", "tester"):
        raise DaftarError(
            f"network '{net.name}' runs in process ({net.backend}): it has no transactions "
            "from other runs. Trace on a node (`daftar node`, then `--network localhost`), "
            "or call `receipt.trace()` in the test or script that sent it."
        )
    if net.backend == "anvil":
        raise DaftarError(
            f"network '{net.name}' launches a fresh anvil, which has mined nothing yet. Trace "
            "on the node that mined the transaction: e.g. `daftar node`, then "
            "LOCALHOST_RPC_URL=http://127.0.0.1:8545 `daftar --network localhost trace TXHASH`."
        )
    chain = project.connect(name)
    try:
        tree = chain.trace_transaction(tx_hash)
        if raw or ctx.as_json:
            click.echo(json.dumps(tree, indent=1, default=str))
        else:
            click.echo(str(project.decoders.traces.decode(tree, chain.code)))
    finally:
        project.close()


COMMANDS = [trace]
