"""Brownie packages (`dependencies:` in brownie-config.yaml): refused with what to do.

Brownie downloads each `dependencies:` entry (`org/repo@version`) into ~/.brownie/packages
and resolves remappings such as `@openzeppelin=OpenZeppelin/openzeppelin-contracts@4.8.0`
against that folder. daftar installs no Brownie packages (docs/brownie.md, "Not covered"):
Solidity packages come from npm, remapped to node_modules. `check(config)` raises one
`DaftarError` when a remapping points into a listed package that is not a folder of the
project; `explain(config, exc)` turns a compile error that names a listed package (an
import of `org/repo@version/...` itself) into the same error.
"""

from __future__ import annotations

from typing import Any

from daftar.errors import DaftarError

#: Brownie package ids (without @version) → the npm package that ships the same sources.
NPM = {
    "openzeppelin/openzeppelin-contracts": "@openzeppelin/contracts",
    "openzeppelin/openzeppelin-contracts-upgradeable": "@openzeppelin/contracts-upgradeable",
    "smartcontractkit/chainlink-brownie-contracts": "@chainlink/contracts",
    "smartcontractkit/chainlink": "@chainlink/contracts",
    "uniswap/v2-core": "@uniswap/v2-core",
    "uniswap/v2-periphery": "@uniswap/v2-periphery",
    "uniswap/v3-core": "@uniswap/v3-core",
    "uniswap/v3-periphery": "@uniswap/v3-periphery",
    "aave/protocol-v2": "@aave/protocol-v2",
}


def listed(config: Any) -> list[str]:
    """The `dependencies:` entries of brownie-config.yaml, as written."""
    return [str(d) for d in (config.raw.get("dependencies") or []) if d]


def _npm_hint(package: str) -> str:
    name, _, version = package.partition("@")
    npm = NPM.get(name.lower())
    if npm is None:
        return f"the npm release of {name}, if it has one (`npm install --save-exact <name>`)"
    return f"`npm install --save-exact {npm}@{version}`" if version else f"`npm install {npm}`"


def _error(packages: list[str], detail: str, prefixes: list[str]) -> DaftarError:
    hints = "; ".join(f"{p}: {_npm_hint(p)}" for p in packages)
    remaps = ", ".join(f'"{p.rstrip("/")}/=node_modules/{p.rstrip("/")}/"' for p in prefixes)
    remap_text = f" with compiler.solc.remappings [{remaps}]" if remaps else ""
    return DaftarError(
        "brownie-config.yaml: Brownie packages (`dependencies:`) are not covered by daftar's "
        f"Brownie layer (see docs/brownie.md): {detail}. Install the Solidity sources with "
        f"npm instead ({hints}) and remap them to node_modules{remap_text}, then drop the "
        "`dependencies:` entries"
    )


def check(config: Any) -> None:
    """Refuse a remapping whose target is a listed Brownie package the project lacks."""
    packages = listed(config)
    if not packages:
        return
    used: list[str] = []
    prefixes: list[str] = []
    for remap in config.compiler.remappings:
        prefix, sep, target = remap.partition("=")
        if not sep:
            continue
        hit = next((p for p in packages if target.strip().startswith(p)), None)
        if hit is None or (config.root / target.strip()).exists():
            continue
        if hit not in used:
            used.append(hit)
        prefixes.append(prefix.strip())
    if used:
        which = ", ".join(f"'{r}'" for r in config.compiler.remappings if "=" in r)
        detail = f"the remapping(s) {which} point into packages daftar does not install"
        raise _error(used, detail, [p for p in prefixes if p.startswith("@")])


def explain(config: Any, exc: DaftarError) -> DaftarError:
    """`exc` (a failed compile) as the packages error if it names a listed package."""
    hits = [p for p in listed(config) if p in str(exc)]
    if not hits:
        return exc
    return _error(hits, f"{exc}", [])
