"""The `daftar` command. Subcommands import their work lazily so `daftar --help` is instant.

Every user mistake surfaces as a `DaftarError`: printed as one clear message with a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import click

from daftar import __version__
from daftar.cli.context import Context

__all__ = ["Context", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project", "project_dir", metavar="DIR", help="Project folder (default: found from here)."
)
@click.option(
    "--network", metavar="NAME", help="Network from brownie-config.yaml (default: its default)."
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.version_option(__version__, prog_name="daftar")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None, network: str | None, as_json: bool) -> None:
    """Compile, deploy and test the Daftar registry (and any Brownie-layout project)."""
    ctx.obj = Context(project_dir, network, as_json)


#: Entry-point group through which applications add command groups (a click command, or a
#: list of them): `[project.entry-points."daftar.commands"] name = "pkg.cli:COMMANDS"`.
COMMAND_HOOKS = "daftar.commands"


#: Global options of `cli` that take a value (to find the subcommand in argv).
_VALUED = {"--project", "--network"}


def _subcommand(argv: list[str]) -> str | None:
    """The subcommand's name in `argv` (the first word after the global options), if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _register(argv: list[str] | None = None) -> None:
    """The framework's commands, then the applications' (entry points). When `argv` names
    a framework command, the applications' are not loaded: they could not replace it, and
    loading them (reading every installed package's entry points, importing the
    applications' command modules) only slows that command's start."""
    from importlib.metadata import entry_points

    from daftar.cli import commands

    for command in commands.ALL:
        cli.add_command(command)
    if argv is not None and _subcommand(argv) in cli.commands:
        return
    for ep in sorted(entry_points(group=COMMAND_HOOKS), key=lambda e: e.name):
        loaded = ep.load()
        for command in loaded if isinstance(loaded, (list, tuple)) else [loaded]:
            if command.name not in cli.commands:  # the framework's own commands come first
                cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    from daftar.errors import DaftarError

    _register(sys.argv[1:] if argv is None else argv)
    try:
        # Non-standalone click returns ctx.exit(code)'s code (e.g. 3: "not valid").
        code = cli.main(args=argv, prog_name="daftar", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except DaftarError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
