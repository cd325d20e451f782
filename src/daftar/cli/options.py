"""Options several subcommands share, defined once."""

from __future__ import annotations

from pathlib import Path

import click

deployments_option = click.option(
    "--deployments",
    "deployments_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Records folder holding <network>/ (default: $DAFTAR_DEPLOYMENTS, else "
    "daftar.deployments in brownie-config.yaml).",
)
