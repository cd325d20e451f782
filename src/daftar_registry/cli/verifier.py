"""`daftar verifier serve | write`: the browser verifier page for a network.

`serve` renders the page (daftar_registry.verifier) with the network's configuration (chain
id, explorer, every recorded CredentialRegistry version from `deployments/<network>/`) and
an RPC URL (`--rpc`, else the network's `<NETWORK>_RPC_URL` / configured host, else none:
the page then asks for one), and serves it on 127.0.0.1 until Ctrl-C. `write` writes the
same page, without any RPC URL, as `verifier.html` (into the records folder by default; the
deploy hook does the same after every `daftar deploy`). A port already in use is a clear
error (exit 1), never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar.cli.options import deployments_option
from daftar_registry.cli.common import InputError

__all__ = ["verifier"]


@click.group("verifier")
def verifier() -> None:
    """The browser page that verifies holder and disclosure files (no install needed)."""


def _network(ctx: Context, name: str | None, deployments_dir: Path | None) -> tuple[Any, Path]:
    from daftar import config
    from daftar.deploy.records import records_folder

    cfg = config.load(Path(ctx.project_dir) if ctx.project_dir else None)
    net = cfg.network(name or ctx.network)
    return net, records_folder(cfg, net.name, deployments_dir)


def _rpc_url(net: Any, given: str | None) -> str | None:
    if given:
        return given
    if net.backend != "rpc":
        return None
    from daftar.errors import NetworkError

    try:
        return str(net.rpc_url())
    except NetworkError:
        return None  # the page asks for one


@verifier.command("serve")
@click.option("--network", metavar="NAME", help="Network whose registry the page verifies.")
@deployments_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8642, show_default=True,
    help="Port to listen on (0: any free port).",
)  # fmt: skip
@click.option(
    "--rpc", "rpc", metavar="URL", help="RPC URL the page calls (default: the network's)."
)
@click.pass_obj
def serve(
    ctx: Context,
    network: str | None,
    deployments_dir: Path | None,
    host: str,
    port: int,
    rpc: str | None,
) -> None:
    """Serve the verifier page for NETWORK locally, until Ctrl-C."""
    from daftar_registry.verifier.page import page_config, render_page
    from daftar_registry.verifier.server import PortBusy, make_server

    net, folder = _network(ctx, network, deployments_dir)
    config = page_config(net, folder, rpc_url=_rpc_url(net, rpc))
    try:
        server = make_server(render_page(config), host, port)
    except PortBusy as exc:
        raise InputError(exc.strerror) from None
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    info = {
        "url": server.url,
        "network": net.name,
        "chain_id": config.chainId,
        "rpc_url_given": bool(config.rpcUrl),
        "registries": config.registries,
    }
    if ctx.as_json:
        click.echo(json.dumps(info, sort_keys=True), nl=True)
    else:
        versions = ", ".join(f"v{r['version']} {r['address']}" for r in config.registries)
        click.echo(f"Verifier page for {net.name}: {server.url}")
        click.echo(f"  registry:  {versions or 'none recorded (the page asks the file’s)'}")
        given = "given to the page" if config.rpcUrl else "entered in the page"
        click.echo(f"  RPC URL:   {given}")
        click.echo("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@verifier.command("write")
@click.option("--network", metavar="NAME", help="Network whose registry the page verifies.")
@deployments_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: verifier.html in the network's records folder).",
)  # fmt: skip
@click.pass_obj
def write(
    ctx: Context, network: str | None, deployments_dir: Path | None, out: Path | None
) -> None:
    """Write the verifier page for NETWORK as one self-contained HTML file."""
    from daftar.util.files import PUBLIC, atomic_write
    from daftar_registry.verifier.page import PAGE_FILE, page_config, render_page

    net, folder = _network(ctx, network, deployments_dir)
    config = page_config(net, folder)
    target = out or folder / PAGE_FILE
    atomic_write(target, render_page(config), PUBLIC)
    data = {"written": str(target), "network": net.name, "chain_id": config.chainId,
            "registries": config.registries}  # fmt: skip
    if ctx.as_json:
        click.echo(json.dumps(data, sort_keys=True))
    else:
        click.echo(f"Wrote {target} (open it in a browser; it verifies files for {net.name})")
