"""Find solc-js in node_modules and drive it through py-solc-x.

No native solc can be downloaded on these machines, so the compiler is the npm package
`solc` (the official Emscripten build: same bytecode as native solc). py-solc-x looks for
`solc-v<version>` files in $SOLCX_BINARY_PATH; daftar writes a tiny launcher there that
runs `solc_shim.js` with node. Several versions can sit side by side in node_modules as
npm aliases (`"solc0826": "npm:solc@0.8.26"`) or in the per-user cache (installed.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daftar.errors import CompileError, ToolchainError
from daftar.util.files import atomic_write

if TYPE_CHECKING:
    from daftar.compiler.installed import Compiler

SHIM = Path(__file__).with_name("solc_shim.js")


def launcher(node_modules: Path, version: str, why: str = "") -> Path:
    """A `solc-v<version>` executable for py-solc-x, from node_modules or the per-user cache.

    Written once beside the package (`<node_modules>/.cache/daftar-solcx/`).
    """
    from daftar.compiler.installed import find

    return launcher_for(find(node_modules, version, why))


def launcher_for(compiler: Compiler) -> Path:
    node = shutil.which("node")
    if node is None:
        raise ToolchainError("node is not on PATH: install Node.js 20+ to run the solc-js compiler")
    folder = compiler.node_modules / ".cache" / "daftar-solcx"
    exe = folder / f"solc-v{compiler.text}"
    script = (
        "#!/bin/sh\n"
        f"DAFTAR_NODE_MODULES='{compiler.node_modules}' DAFTAR_SOLC_PACKAGE='{compiler.package}' "
        f"exec '{node}' '{SHIM}' \"$@\"\n"
    )
    if not exe.is_file() or exe.read_text() != script:
        atomic_write(exe, script, 0o755)
    return exe


def solcx_folder(node_modules: Path, dest: Path) -> Path:
    """A `$SOLCX_BINARY_PATH` for other py-solc-x users (Brownie): every installed version.

    Copies, not links: daftar may rewrite its own launchers while another program runs.
    """
    from daftar.compiler.installed import available

    dest.mkdir(parents=True, exist_ok=True)
    for compiler in available(node_modules).values():
        exe = launcher_for(compiler)
        shutil.copy2(exe, dest / exe.name)
    return dest


def long_version(exe: Path) -> str:
    """`0.8.30+commit.73712a01`, as native solc prints it."""
    import solcx

    return str(solcx.wrapper.get_solc_version(exe, with_commit_hash=True))


def compile_standard(exe: Path, input_json: dict[str, Any], base_path: Path) -> dict[str, Any]:
    """Run solc on a standard-JSON input; solc's own errors are returned, not raised."""
    import solcx
    from solcx.exceptions import SolcError

    try:
        return solcx.compile_standard(
            input_json, solc_binary=exe, base_path=base_path, allow_paths=[base_path]
        )
    except SolcError as exc:
        if exc.error_dict:
            return {"errors": exc.error_dict}
        raise CompileError(f"solc failed: {exc.stderr_data or exc}") from None
