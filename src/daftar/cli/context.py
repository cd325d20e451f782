"""What every subcommand receives from the global options (click's `ctx.obj`)."""

from __future__ import annotations


class Context:
    def __init__(self, project_dir: str | None, network: str | None, as_json: bool) -> None:
        self.project_dir = project_dir
        self.network = network
        self.as_json = as_json
