"""`daftar compilers list|install`: the solc-js versions a project can compile with."""

from __future__ import annotations

import json
from pathlib import Path

import click

from daftar.cli.context import Context


def _node_modules(ctx: Context) -> Path | None:
    """The project's node_modules, or None outside a project (then only the cache counts)."""
    from daftar import config
    from daftar.errors import ConfigError

    try:
        root = config.find_root(Path(ctx.project_dir) if ctx.project_dir else None)
    except ConfigError:
        return None
    return root / "node_modules"


def _lockfile(node_modules: Path | None) -> dict:
    """package-lock.json's `packages`, where npm records each package's integrity."""
    if node_modules is None:
        return {}
    try:
        return json.loads((node_modules.parent / "package-lock.json").read_text())["packages"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@click.group()
def compilers() -> None:
    """solc-js compilers: the project's node_modules and the per-user cache."""


@compilers.command("list")
@click.pass_obj
def list_(ctx: Context) -> None:
    """Installed compiler versions, newest first, and where each comes from."""
    from daftar.compiler import installed

    node_modules = _node_modules(ctx)
    found = installed.available(node_modules) if node_modules else {}
    if not node_modules:
        found = {c.version: c for c in installed.cached_compilers()}
    locked = _lockfile(node_modules)
    rows = []
    for _, comp in sorted(found.items(), reverse=True):
        if comp.origin == "cache":
            integrity = (installed.installed_entry(comp.text) or {}).get("integrity", "")
        else:
            integrity = locked.get(f"node_modules/{comp.package}", {}).get("integrity", "")
        rows.append(
            {"version": comp.text, "origin": comp.origin, "path": str(comp.folder),
             "integrity": integrity}
        )  # fmt: skip
    if ctx.as_json:
        click.echo(json.dumps(rows))
        return
    if not rows:
        click.echo(
            "No solc-js installed. Run `npm ci` in the project, or "
            "`daftar compilers install 0.8.30`."
        )
        return
    for r in rows:
        click.echo(f"{r['version']:<10} {r['origin']:<24} {r['path']}")
    click.echo(f"(per-user cache: {installed.cache_dir()})", err=True)


@compilers.command()
@click.argument("versions", nargs=-1, required=True, metavar="VERSION...")
@click.pass_obj
def install(ctx: Context, versions: tuple[str, ...]) -> None:
    """Install exact solc-js versions (e.g. 0.6.12) into $DAFTAR_HOME/compilers via npm.

    npm checks the package's integrity hash; the integrity is kept with the entry. This is
    the only command that downloads a compiler: compiling never does.
    """
    from daftar.compiler import installed

    say = (lambda _m: None) if ctx.as_json else (lambda m: click.echo(m, err=True))
    rows = []
    for version in versions:
        comp, new = installed.install(version, progress=say)
        entry = installed.installed_entry(comp.text) or {}
        rows.append(
            {"version": comp.text, "path": str(comp.folder), "installed": new,
             "integrity": entry.get("integrity", "")}
        )  # fmt: skip
        if not ctx.as_json:
            state = "installed" if new else "already installed"
            click.echo(f"solc {comp.text} {state}: {comp.folder}")
    if ctx.as_json:
        click.echo(json.dumps(rows))


COMMANDS = [compilers]
