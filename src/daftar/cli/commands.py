"""Foundation subcommands: compile, networks, run, node."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from daftar.cli.context import Context


def _config(ctx: Context):
    from daftar import config

    return config.load(Path(ctx.project_dir) if ctx.project_dir else None)


@click.command()
@click.option("--force", is_flag=True, help="Recompile even if build/ is up to date.")
@click.pass_obj
def compile(ctx: Context, force: bool) -> None:
    """Compile contracts/ into build/ (cached by the hash of the compiler input)."""
    from daftar.compiler import compile_project

    cfg = _config(ctx)
    say = (lambda _m: None) if ctx.as_json else (lambda m: click.echo(m, err=True))
    result = compile_project(cfg, force=force, progress=say)
    for warning in result.warnings:
        click.secho(warning, fg="yellow", err=True)
    if ctx.as_json:
        click.echo(
            json.dumps(
                {
                    "compiled": result.compiled,
                    "key": result.key,
                    "contracts": result.contracts,
                    "versions": result.versions,
                }
            )
        )
    elif not result.compiled:
        click.echo(f"Nothing to compile: build/ is up to date ({len(result.contracts)} contracts).")


@click.command()
@click.pass_obj
def networks(ctx: Context) -> None:
    """List the networks brownie-config.yaml defines."""
    cfg = _config(ctx)
    if ctx.network:
        cfg.network(ctx.network)  # an unknown --network is an error here too
    rows = []
    for net in cfg.networks.values():
        where = net.rpc_env_var if net.backend == "rpc" and not net.host else (net.host or "local")
        rows.append(
            {"name": net.name, "backend": net.backend, "chain_id": net.chain_id,
             "rpc": where, "explorer": net.explorer, "default": net.name == cfg.default_network}
        )  # fmt: skip
    if ctx.as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        mark = "*" if r["default"] else " "
        chain_id = r["chain_id"] if r["chain_id"] is not None else "-"
        click.echo(f"{mark} {r['name']:<18} {r['backend']:<7} chain {chain_id:<10} {r['rpc']}")


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("script", type=click.Path(dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def run(ctx: Context, script: str, args: tuple[str, ...]) -> None:
    """Run a Python script with --network passed on as DAFTAR_NETWORK."""
    import os
    import runpy

    from daftar.errors import DaftarError

    path = Path(script)
    if not path.is_file():
        raise DaftarError(f"no script at {path}")
    if ctx.network:
        os.environ["DAFTAR_NETWORK"] = ctx.network
    sys.argv = [str(path), *args]
    runpy.run_path(str(path), run_name="__main__")


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--port", type=int, default=8545, show_default=True)
@click.option("--chain-id", type=int, default=31337, show_default=True)
@click.option(
    "--block-time", type=int, default=None, help="Seconds per block (default: mine on demand)."
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="anvil's log file (default: build/anvil-<port>.log).",
)
@click.argument("anvil_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def node(
    ctx: Context,
    port: int,
    chain_id: int,
    block_time: int | None,
    log_path: Path | None,
    anvil_args: tuple[str, ...],
) -> None:
    """Run the project's anvil (from node_modules) in the foreground until Ctrl-C.

    Arguments after the options go to anvil unchanged (e.g. `daftar node -- --fork-url URL`,
    `--steps-tracing`). A port already in use, or an anvil that exits, is an error.
    """
    import time

    from daftar.chain.anvil import AnvilProcess, hardfork_for
    from daftar.errors import NetworkError

    cfg = _config(ctx)
    log = log_path or cfg.root / "build" / f"anvil-{port}.log"
    proc = AnvilProcess(
        cfg.node_modules,
        chain_id=chain_id,
        block_time=block_time,
        port=port,
        extra_args=list(anvil_args),
        log_path=log,
        hardfork=hardfork_for(cfg.compiler.evm_version),
    )
    click.echo(
        f"anvil listening on {proc.url} (chain id {chain_id}); log in {log}; Ctrl-C to stop",
        err=True,
    )
    try:
        try:  # Ctrl-C anywhere in the loop (sleeping or polling) is a clean stop
            while proc.proc.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            click.echo(f"\nstopping anvil on {proc.url} (its log stays in {log})", err=True)
            return
        raise NetworkError(
            f"anvil on {proc.url} exited (code {proc.proc.returncode}): {proc.exit_output()}"
        )
    finally:
        proc.stop()


ALL = [compile, networks, node]

# `run` (Brownie-style main() too), `test` and `console` live in project_commands.
from daftar.cli.project_commands import COMMANDS as _PROJECT  # noqa: E402

ALL += _PROJECT

from daftar.cli.deploy_commands import COMMANDS as _DEPLOY  # noqa: E402

ALL += _DEPLOY

from daftar.cli.verify_commands import COMMANDS as _VERIFY  # noqa: E402

ALL += _VERIFY

from daftar.cli.compiler_commands import COMMANDS as _COMPILERS  # noqa: E402

ALL += _COMPILERS

from daftar.cli.mutate_commands import COMMANDS as _MUTATE  # noqa: E402

ALL += _MUTATE

from daftar.cli.trace_commands import COMMANDS as _TRACE  # noqa: E402

ALL += _TRACE
