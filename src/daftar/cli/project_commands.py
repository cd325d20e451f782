"""`daftar test`, `daftar run` and `daftar console`: a project's tests, scripts and a prompt.

They serve daftar-style and Brownie-style projects alike. In a Brownie-style project
(tests or scripts that `import brownie`), `brownie` resolves to daftar's layer
(`daftar.compat.brownie`) unless a real Brownie is installed.
"""

from __future__ import annotations

import ast
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from daftar.cli.context import Context
from daftar.errors import DaftarError

_NETWORK_ALIASES = {"revm": "development"}


def _root(ctx: Context) -> Path:
    from daftar.config import find_root

    return find_root(Path(ctx.project_dir) if ctx.project_dir else None)


def _network(ctx: Context, given: str | None = None) -> str | None:
    name = given or ctx.network
    return _NETWORK_ALIASES.get(name, name) if name else None


# -- daftar test -------------------------------------------------------------------------------
@click.command(
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    add_help_option=False,
)
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def test(ctx: Context, pytest_args: tuple[str, ...]) -> int:
    """Run the project's tests with pytest (on revm unless --network says otherwise).

    Every argument goes to pytest (`daftar test -x -k transfer`, `daftar test --network
    anvil`); without a path, the project's tests folder is run.
    """
    import pytest

    if any(a in ("-h", "--help") for a in pytest_args):
        click.echo(test.get_help(click.get_current_context()))
        return 0
    root = _root(ctx)
    from daftar import config as config_mod

    cfg = config_mod.load(root)
    args = list(pytest_args)
    if ctx.network and not any(a == "--network" or a.startswith("--network=") for a in args):
        args += ["--network", _network(ctx) or ctx.network]
    if not _has_path(args, root):
        args.append(str(cfg.tests_dir))
        if not _uses_anyio(list(pytest_args), Path(cfg.tests_dir), root):
            args = ["-p", "no:anyio", *args]
    # daftar is imported before pytest starts: its assert rewriting cannot apply to it.
    args = ["--rootdir", str(root), "-W", "ignore::pytest.PytestAssertRewriteWarning", *args]
    old = Path.cwd()
    os.chdir(root)
    try:
        code = pytest.main(args)
    finally:
        os.chdir(old)
    return int(code)


def _uses_anyio(args: list[str], tests_dir: Path, root: Path) -> bool:
    """Does a run of the tests folder need anyio's pytest plugin? Only if the arguments,
    the root's conftest.py or a Python file of the tests folder name anyio (its marker,
    fixture or import). The plugin imports every installed async back-end (asyncio,
    trio) at start-up, ~0.1 s, wherever anyio happens to be installed; `daftar test`
    leaves it out of such runs (runs given paths, and plain `pytest`, keep it)."""
    if any("anyio" in a for a in args):
        return True
    files = [root / "conftest.py"] if (root / "conftest.py").is_file() else []
    if tests_dir.is_dir():
        files += sorted(tests_dir.rglob("*.py"))
    for n, path in enumerate(files):
        if n > 2000:
            return True  # too many files to read at start-up: keep the plugin
        try:
            if "anyio" in path.read_text(encoding="utf-8", errors="replace"):
                return True
        except OSError:
            continue
    return False


def _has_path(args: list[str], root: Path) -> bool:
    takes_value = {
        "-k", "-m", "-p", "-c", "-o", "-n", "--network", "--rootdir", "--deselect",
        "--ignore", "--hypothesis-profile", "--hypothesis-seed", "--maxfail",
    }  # fmt: skip
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in takes_value:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        if (root / arg.split("::")[0]).exists() or Path(arg.split("::")[0]).exists():
            return True
    return False


# -- daftar run --------------------------------------------------------------------------------
def _script_shape(path: Path) -> tuple[set[str], bool]:
    """(top-level function names, has an `if __name__ == "__main__":` block)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as exc:
        raise DaftarError(f"{path}:{exc.lineno}: not valid Python ({exc.msg})") from None
    functions = {
        n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    has_main_block = any(
        isinstance(n, ast.If)
        and isinstance(n.test, ast.Compare)
        and isinstance(n.test.left, ast.Name)
        and n.test.left.id == "__name__"
        for n in tree.body
    )
    return functions, has_main_block


def _enter_project(root: Path, network: str | None, brownie_style: bool) -> Any:
    """Brownie-style: install the `brownie` layer and connect it. Returns a closer."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    if not brownie_style:
        return lambda: None
    from daftar.compat.brownie import _hook, _state

    if not _hook.activate(root, force=True):
        return lambda: None  # a real Brownie is installed; the script imports that one
    _state.load_project(root)
    _state.connect(network)
    from daftar.compat.brownie.network.state import chain

    chain._push("session")
    return _state.disconnect


@click.command(context_settings={"ignore_unknown_options": True})
@click.option(
    "--fresh",
    is_flag=True,
    help="On a live network: set an interrupted run's journal aside and start over.",
)
@click.argument("script", type=click.Path(dir_okay=False))
@click.argument("function", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def run(
    ctx: Context, fresh: bool, script: str, function: str | None, args: tuple[str, ...]
) -> None:
    """Run a script: `main()` (or FUNCTION) of a Brownie-style script (one that imports
    brownie); without FUNCTION, a script with an `if __name__ == "__main__":` block or no
    brownie import runs as a program, with ARGS (as `python script.py ARGS` would).

    On a live (rpc) network every transaction of a Brownie-style script goes through a
    journal (deployments/<network>/runs/): rerunning an interrupted run resumes it without
    sending again what was already sent; see daftar.deploy.scripted."""
    import runpy

    path = Path(script)
    if not path.is_file():
        raise DaftarError(f"no script at {path}")
    if ctx.network:
        os.environ["DAFTAR_NETWORK"] = _network(ctx) or ctx.network
    functions, has_main_block = _script_shape(path)
    from daftar.compat.brownie._hook import imports_brownie

    brownie_script = imports_brownie(path.read_text(encoding="utf-8"))
    if function is None and (has_main_block or not brownie_script):
        # A program (a __main__ block, or plain daftar code): as before, `python x.py ARGS`.
        sys.argv = [str(path), *args]
        runpy.run_path(str(path), run_name="__main__")
        return
    name = function or "main"
    if name not in functions:
        listed = ", ".join(sorted(functions)) or "none"
        if function is None:
            raise DaftarError(
                f"{path} has no main() function (functions: {listed}). Define main(), or "
                f"name one: daftar run {script} FUNCTION"
            )
        raise DaftarError(f"{path} has no function {function}() (functions: {listed})")
    from daftar.compat.brownie._hook import is_brownie_project

    root = _root(ctx)
    brownie_style = brownie_script or is_brownie_project(root)
    close = _enter_project(root, _network(ctx), brownie_style)
    try:
        with _journaled(path, name, fresh):
            namespace = runpy.run_path(str(path.resolve()), run_name=f"scripts.{path.stem}")
            namespace[name](*args)
    finally:
        close()


@contextlib.contextmanager
def _journaled(script: Path, function: str, fresh: bool) -> Iterator[None]:
    """On an rpc network, the Brownie layer's chain becomes a `JournaledChain` for the run
    (under the deployments folder's lock), and a run that finishes sets its journal aside
    in `runs/done/`; elsewhere nothing changes."""
    from daftar.compat.brownie import _state

    chain = _state.chain_or_none()
    if chain is None or chain.backend != "rpc":
        yield
        return
    from daftar.deploy.lock import deploy_lock
    from daftar.deploy.records import check_chain_id, records_folder
    from daftar.deploy.scripted import JournaledChain, journal_path, set_aside

    project = _state.project()
    net = project.config.network(_state.network_name())
    folder = records_folder(project.config, net.name)
    path = journal_path(folder, script, function)
    with deploy_lock(folder, click.echo):
        check_chain_id(folder, chain.chain_id)
        if fresh and (moved := set_aside(path, "abandoned")):
            click.echo(f"The interrupted run's journal is set aside as {moved}")
        elif path.exists():
            click.echo(f"Resuming the interrupted run journaled in {path}")
        journaled = JournaledChain(chain, project, net, folder, path, click.echo)
        _state.connect(chain=journaled)  # type: ignore[arg-type]
        try:
            yield
        except BaseException:
            if journaled.journal.records:
                click.echo(
                    f"The run stopped; its journal is {path}. Rerun the same command to "
                    "resume (what was sent is not sent again), or add --fresh to start over.",
                    err=True,
                )
            raise
        finally:
            _state.connect(chain=chain)
        if done := set_aside(path, "done"):
            click.echo(f"Run complete; its journal is {done}")


# -- daftar console ----------------------------------------------------------------------------
@click.command()
@click.pass_obj
def console(ctx: Context) -> None:
    """An interactive Python prompt with the project's contracts, accounts and chain."""
    import code

    root = _root(ctx)
    from daftar.compat.brownie._hook import is_brownie_project

    network = _network(ctx)
    if is_brownie_project(root):
        close = _enter_project(root, network, True)
        import daftar.compat.brownie as brownie

        namespace: dict[str, Any] = {
            name: getattr(brownie, name) for name in brownie.__all__ if name != "config"
        }
        namespace["brownie"] = brownie
        from daftar.compat.brownie.network.contract import containers

        namespace.update(containers())
        contract_names = sorted(containers())
        chain = brownie._state.chain()
        style = "Brownie-style"
    else:
        from daftar.project import Project

        project = Project.load(root)
        chain = project.connect(network)
        namespace = {"project": project, "chain": chain, "accounts": chain.accounts}
        namespace.update(project.contract_types)
        contract_names = sorted(project.contract_types)
        close = project.close
        style = "daftar"
    names = ", ".join(contract_names) or "none"
    banner = (
        f"daftar console: {root.name} ({style}) on {chain.name} ({chain.backend})\n"
        f"contracts: {names}\nCtrl-D to leave."
    )
    try:
        code.interact(banner=banner, local=namespace, exitmsg="")
    finally:
        close()


COMMANDS = [test, run, console]
