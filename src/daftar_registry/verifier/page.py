"""The verifier page, rendered: `page.html` with ethers and a network's configuration inlined.

The result is one self-contained HTML file (about 0.5 MB, most of it the pinned ethers
bundle) that works opened from disk (`file://`), from `daftar verifier serve`, or from any
static host. Its configuration (`PageConfig`, embedded as JSON) tells it which network it
is for:

- `network`, `chainId`: the network's name and chain id (the node's chain id is checked
  against it and against the file's);
- `registries`: every recorded CredentialRegistry deployment of the network, oldest first,
  as `{"version", "address", "block"}` (daftar.deploy.versions): a file naming another
  address is reported UNKNOWN_REGISTRY, never checked elsewhere; `block` is where the page
  starts looking for the anchoring transaction;
- `explorer`: the explorer's base URL (links `<explorer>/address/<a>`, `<explorer>/tx/<h>`),
  or None;
- `rpcUrl`: an RPC URL to prefill (only `daftar verifier serve` sets one: a URL from the
  environment may hold an API key, so a written page never carries it);
- `words`, `standingWords`: the status words of `daftar credential verify`
  (daftar_registry.status), so the page and the command line say the same thing.

A page rendered with `PageConfig()` (no network) verifies against whatever RPC URL the user
enters, asking the registry the file names and saying that no records vouch for it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from daftar.util.files import PUBLIC, atomic_write
from daftar_registry.status import CredentialStatus, Standing
from daftar_registry.verifier.vendor import bundle

__all__ = [
    "OUTCOME_WORDS",
    "PAGE_FILE",
    "STANDING_WORDS",
    "PageConfig",
    "page_config",
    "render_page",
    "status_words",
    "write_page",
]

#: The file written next to a deployment's records.
PAGE_FILE = "verifier.html"

#: Outcomes decided before the registry is asked (the `status` strings of `--json`).
OUTCOME_WORDS = {
    "TAMPERED": "the file's content does not match its hashes or proof",
    "WRONG_NETWORK": "the node is on another network than the file's",
    "UNKNOWN_REGISTRY": "the file names a registry that is not a recorded deployment of "
    "this network",
    "UNREACHABLE": "the RPC node cannot be reached or answers errors",
    "ERROR": "the file cannot be read as a holder or disclosure file",
}

#: An issuer's standing now (IssuerRegistry.Standing), in plain words.
STANDING_WORDS = {
    Standing.NONE: "not accredited",
    Standing.ACTIVE: "accredited, in good standing",
    Standing.SUSPENDED: "suspended",
    Standing.REVOKED: "accreditation revoked",
    Standing.EXPIRED: "accreditation window ended",
    Standing.NOT_YET_VALID: "accreditation not yet in force",
}

_CONFIG_SLOT = "/*DAFTAR_CONFIG*/"
_ETHERS_SLOT = "/*DAFTAR_ETHERS*/"


def status_words() -> dict[str, str]:
    """Every status the page can show → the words the command line uses for it."""
    words = {s.name: s.explain() for s in CredentialStatus}
    words.update(OUTCOME_WORDS)
    return words


@dataclass(frozen=True)
class PageConfig:
    """What the page knows about its network (see the module docstring); all optional."""

    network: str | None = None
    chainId: int | None = None  # the page's JSON member names
    registries: list[dict[str, Any]] = field(default_factory=list)
    explorer: str | None = None
    rpcUrl: str | None = None
    generated: str | None = None  # what the records were (shown in the page's footer)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"] = status_words()
        data["standingWords"] = {s.name: w for s, w in STANDING_WORDS.items()}
        return data


def page_config(
    network: Any, folder: Path | None, *, rpc_url: str | None = None, chain_id: int | None = None
) -> PageConfig:
    """The page's configuration for `network` (a NetworkConfig) from its records in `folder`.

    Every recorded version's CredentialRegistry is listed (none when `folder` holds no
    records). `chain_id` overrides the network's configured one (the node's, after a deploy).
    """
    from daftar.deploy.records import CHAIN_ID_FILE
    from daftar.deploy.versions import recorded_versions

    registries: list[dict[str, Any]] = []
    chain = chain_id if chain_id is not None else network.chain_id
    if folder is not None and folder.is_dir():
        for version in recorded_versions(folder):
            record = version.records.get("CredentialRegistry")
            if record and record.get("address"):
                registries.append(
                    {
                        "version": version.version,
                        "address": record["address"],
                        "block": int(record.get("block") or 0),
                    }
                )
                chain = chain if chain is not None else record.get("chain_id")
        guard = folder / CHAIN_ID_FILE
        if chain is None and guard.is_file():
            chain = int(guard.read_text().strip())
    return PageConfig(
        network=network.name,
        chainId=int(chain) if chain is not None else None,
        registries=registries,
        explorer=network.explorer,
        rpcUrl=rpc_url,
        generated=f"{network.name}, {len(registries)} registry version(s)" if registries else None,
    )


def _template() -> str:
    return files("daftar_registry.verifier").joinpath("page.html").read_text(encoding="utf-8")


def _script_safe(text: str) -> str:
    """JSON that cannot end the <script> element it sits in (`<` escaped, as JSON allows)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(config: PageConfig | None = None) -> str:
    """The page as one HTML string: ethers inlined, `config` embedded (see module docstring)."""
    ethers = bundle()
    if "</script" in ethers.text.lower():
        raise RuntimeError("the ethers bundle contains '</script' and cannot be inlined")
    data = json.dumps((config or PageConfig()).to_json(), sort_keys=True, ensure_ascii=True)
    page = _template()
    if page.count(_CONFIG_SLOT) != 1 or page.count(_ETHERS_SLOT) != 1:
        raise RuntimeError("page.html lost its configuration or ethers slot")
    return page.replace(_CONFIG_SLOT, _script_safe(data)).replace(_ETHERS_SLOT, ethers.text)


def write_page(folder: Path, config: PageConfig | None = None) -> Path:
    """Write `verifier.html` into `folder` (atomically, world-readable: no secrets in it)."""
    target = Path(folder) / PAGE_FILE
    atomic_write(target, render_page(config), PUBLIC)
    return target
