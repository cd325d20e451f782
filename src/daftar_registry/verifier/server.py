"""`daftar verifier serve`: the verifier page on a local HTTP server.

One page at `/` (also `/verifier.html`), rendered once at start with the network's
configuration and RPC URL; every other path is 404, and only GET and HEAD are answered. The
server binds to 127.0.0.1 by default: it serves a page, it does not proxy the RPC node (the
browser calls the node itself, so the node must allow cross-origin requests, as anvil and
public RPC providers do). Responses carry the page's Content-Security-Policy as a header too,
and `Cache-Control: no-store`.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["PortBusy", "VerifierServer", "make_server"]

_CSP = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]+)"')


class PortBusy(OSError):
    """The port is taken by another program."""


class VerifierServer(ThreadingHTTPServer):
    daemon_threads = True
    page: bytes = b""
    csp: str = ""

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: VerifierServer
    log_sink: Callable[[str], None] | None = None

    def _send(self, body: bool) -> None:
        if self.path.split("?", 1)[0] not in ("/", "/verifier.html"):
            self.send_error(HTTPStatus.NOT_FOUND, "only / is served")
            return
        page = self.server.page
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.server.csp:
            self.send_header("Content-Security-Policy", self.server.csp)
        self.end_headers()
        if body:
            self.wfile.write(page)

    def do_GET(self) -> None:
        self._send(True)

    def do_HEAD(self) -> None:
        self._send(False)

    def log_message(self, format: str, *args: object) -> None:
        sink = type(self).log_sink
        if sink is not None:
            sink(f"{self.address_string()} {format % args}")


def make_server(
    page: str, host: str = "127.0.0.1", port: int = 0, log: Callable[[str], None] | None = None
) -> VerifierServer:
    """A server of `page` on host:port (0: a free port); PortBusy if the port is taken."""
    handler = type("Handler", (_Handler,), {"log_sink": staticmethod(log) if log else None})
    try:
        server = VerifierServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(
                exc.errno,
                f"port {port} on {host} is already in use by another program: choose another "
                "with --port (or --port 0 for any free port)",
            ) from None
        raise
    server.page = page.encode("utf-8")
    found = _CSP.search(page)
    server.csp = found.group(1) if found else ""
    return server
