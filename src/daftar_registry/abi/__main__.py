"""`python -m daftar_registry.abi [PROJECT_DIR]`: rewrite the packaged ABIs from a compile.

Run it from the repository root (or pass it) after changing a contract's external
interface; every file is written atomically, and only when its content changes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from daftar.util.files import PUBLIC, atomic_write
from daftar_registry.abi import CONTRACTS


def render(abi: list[object]) -> str:
    """The file text of one ABI: indented, keys sorted, a final newline."""
    return json.dumps(abi, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    from daftar.project import Project

    project = Project.load(Path(argv[0]) if argv else None, progress=print)
    folder = Path(__file__).parent
    for name in CONTRACTS:
        text = render(project[name].abi)
        target = folder / f"{name}.json"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            atomic_write(target, text, PUBLIC)
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
