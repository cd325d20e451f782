"""The verifier page: one static HTML file that verifies a credential in the browser.

`page.html` is written from docs/formats.md: it reads a holder or disclosure file (formats
/1 and /2), recomputes every hash in the browser (RFC 8785 canonical JSON, the field
commitments, the credential hash, the Merkle proof), checks the node's chain id against the
file's, calls the CredentialRegistry's `verify` / `verifyLeaf` view through an RPC URL, and
shows the answer in the words of `daftar credential verify`. Nothing leaves the browser but
those JSON-RPC calls (the page's Content-Security-Policy allows no other kind of request).

- `daftar_registry.verifier.vendor`: the pinned ethers bundle, copied from node_modules and
  checked against its recorded sha256;
- `daftar_registry.verifier.page`: the page's configuration from deployment records, and
  the rendered page (ethers and the configuration inlined: one self-contained file);
- `daftar_registry.verifier.server`: `daftar verifier serve`, a local HTTP server of it;
- `daftar_registry.verifier.hook`: writes `verifier.html` next to a deployment's records.
"""

from daftar_registry.verifier.page import PageConfig, page_config, render_page, write_page

__all__ = ["PageConfig", "page_config", "render_page", "write_page"]
