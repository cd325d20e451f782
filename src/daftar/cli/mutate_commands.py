"""`daftar mutate`: a mutation score for the project's contracts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from daftar.cli.context import Context

EQUIVALENTS = "tests/mutation-equivalents.json"


@click.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--tests",
    "-t",
    "tests",
    multiple=True,
    help="Test paths (pytest node ids work) run against each mutant; default: tests/.",
)
@click.option(
    "--workers",
    "-n",
    type=int,
    default=2,
    show_default=True,
    help="Worker processes (each keeps its own solc-js and chain).",
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="CPU seconds per mutant's tests (default: 2x the original's + 5 s).",
)
@click.option(
    "--operators",
    default=None,
    help="Comma-separated subset of: relational, arithmetic, assignment, logical, "
    "negate, delete, constant, enum.",
)
@click.option("--sample", type=int, default=None, help="Test a random sample of N mutants.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample.")
@click.option(
    "--equivalents",
    type=click.Path(path_type=Path),
    default=None,
    help=f"Survivors judged equivalent, with reasons (default: {EQUIVALENTS}).",
)
@click.option(
    "--only",
    default=None,
    metavar="KEYS|REPORT.json",
    help="Test just these mutants: comma-separated keys, or an earlier JSON report "
    "(its survivors and errors: re-check them once new tests are written).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the JSON report goes (default: build/mutation.json).",
)
@click.pass_obj
def mutate(ctx: Context, files: tuple[str, ...], tests: tuple[str, ...], workers: int,
           timeout: float | None, operators: str | None, sample: int | None, seed: int,
           equivalents: Path | None, only: str | None,
           report_path: Path | None) -> None:  # fmt: skip
    """Mutate the contracts' sources and run the tests against every mutant, on revm.

    FILES are Solidity sources of the project (default: every .sol under contracts/ outside
    test/ and mocks/ folders). Each mutant is compiled (those that do not compile, or give
    the original's bytecode, are dropped) and tested in a worker process; a mutant is killed
    when a test fails. Survivors are printed with their diff; the JSON report lists all.
    """
    from daftar import config as config_mod
    from daftar.testing.mutation import OPERATORS, run_mutation
    from daftar.testing.mutation.runner import keys_to_rerun

    cfg = config_mod.load(Path(ctx.project_dir) if ctx.project_dir else None)
    root = cfg.root
    if files:
        units = [str(Path(f).resolve().relative_to(root)) for f in files]
    else:
        units = sorted(
            str(p.relative_to(root)) for p in cfg.contracts_dir.rglob("*.sol")
            if not {"test", "tests", "mocks"} & set(p.relative_to(cfg.contracts_dir).parts[:-1])
        )  # fmt: skip
    ops = tuple(o.strip() for o in operators.split(",")) if operators else OPERATORS
    unknown = set(ops) - set(OPERATORS)
    if unknown:
        raise click.UsageError(f"unknown operators: {', '.join(sorted(unknown))}; "
                               f"choose from {', '.join(OPERATORS)}")  # fmt: skip
    test_args = list(tests) or [str(cfg.tests_dir.relative_to(root))]
    keys = keys_to_rerun(only) if only is not None else None
    say = (lambda _m: None) if ctx.as_json else (lambda m: click.echo(m, err=True))
    report = run_mutation(root, units, test_args, workers=workers, timeout=timeout,
                          operators=ops, sample=sample, seed=seed,
                          equivalents=equivalents or root / EQUIVALENTS, progress=say,
                          only=keys)  # fmt: skip
    data = report.as_json()
    out = report_path or cfg.build_dir / "mutation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    if ctx.as_json:
        click.echo(json.dumps(data))
        return
    for line in report.render():
        click.echo(line)
    click.echo(f"JSON report: {out}")


COMMANDS = [mutate]
