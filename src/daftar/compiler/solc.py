"""Find solc-js in node_modules and drive it through py-solc-x.

No native solc can be downloaded on these machines, so the compiler is the npm package
`solc` (the official Emscripten build: same bytecode as native solc). py-solc-x looks for
`solc-v<version>` files in $SOLCX_BINARY_PATH; daftar writes a tiny launcher there that
runs `solc_shim.js` with node. Several versions can sit side by side in node_modules as
npm aliases (`"solc0826": "npm:solc@0.8.26"`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from daftar.errors import CompileError, ToolchainError
from daftar.util.files import atomic_write

SHIM = Path(__file__).with_name("solc_shim.js")


def find_package(node_modules: Path, version: str) -> str:
    """The node_modules folder name of the solc-js package whose version is `version`."""
    if not node_modules.is_dir():
        raise ToolchainError(
            f"no node_modules in {node_modules.parent}: run `npm ci` (the README's commands do it)"
        )
    seen = []
    for pkg in sorted(node_modules.glob("solc*/package.json")):
        try:
            meta = json.loads(pkg.read_text())
        except (OSError, ValueError):
            continue
        if meta.get("name") != "solc":
            continue
        seen.append(meta.get("version", "?"))
        if meta.get("version") == version:
            return pkg.parent.name
    have = ", ".join(seen) or "none"
    raise ToolchainError(
        f"solc {version} (compiler.solc.version in brownie-config.yaml) is not in node_modules "
        f"(installed solc-js: {have}). Pin it in package.json, e.g. "
        f'"solc{version.replace(".", "")}": "npm:solc@{version}", then run npm install.'
    )


def launcher(node_modules: Path, version: str) -> Path:
    """A `solc-v<version>` executable for py-solc-x, written once into node_modules/.cache."""
    node = shutil.which("node")
    if node is None:
        raise ToolchainError("node is not on PATH: install Node.js 20+ to run the solc-js compiler")
    node_modules = node_modules.resolve()  # projects sharing node_modules by symlink share this
    package = find_package(node_modules, version)
    folder = node_modules / ".cache" / "daftar-solcx"
    exe = folder / f"solc-v{version}"
    script = (
        "#!/bin/sh\n"
        f"DAFTAR_NODE_MODULES='{node_modules}' DAFTAR_SOLC_PACKAGE='{package}' "
        f"exec '{node}' '{SHIM}' \"$@\"\n"
    )
    if not exe.is_file() or exe.read_text() != script:
        atomic_write(exe, script, 0o755)
    return exe


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
