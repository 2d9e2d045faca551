"""The reader in a web browser: textual-serve runs one reader process per browser tab, for the link's holder only.

Every server start draws a secret token (as Jupyter does).  The page needs it in
its URL (``/?token=…``, then a same-site cookie), the WebSocket that drives the
reader carries it in its path (``/ws/<token>``), and a download needs the
cookie.  On a loopback address the ``Host`` header must name that address
(which stops DNS rebinding), and a request that carries an ``Origin`` must come
from the page this server serves (which stops any other web page from opening
the WebSocket).  Only ``/static`` (textual-serve's scripts and fonts) is open.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aligner.core.errors import AlignerError
from aligner.core.terminal import safe_line

if TYPE_CHECKING:
    from aiohttp import web

TOKEN_COOKIE = "aligner_token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})
_OPEN_PREFIX = "/static/"

log = logging.getLogger("aligner.serve")


def new_token() -> str:
    """A fresh secret for one server start (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) is this machine only."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_header_names(host: str, port: int) -> frozenset[str]:
    """What a browser puts in ``Host`` for a server on loopback ``host:port``."""
    names = {"127.0.0.1", "localhost", "[::1]", f"[{host.strip('[]')}]" if ":" in host else host}
    return frozenset({f"{n}:{port}" for n in names} | (names if port == 80 else set()))


@dataclass(frozen=True)
class Gate:
    """Who may use the served reader: the token's holder, through this server's own name and page."""

    token: str
    hosts: frozenset[str] | None  # the Host header values accepted; None: any (a network address, on purpose)

    @classmethod
    def for_address(cls, token: str, host: str, port: int) -> Gate:
        return cls(token, _host_header_names(host, port) if is_loopback(host) else None)

    def token_ok(self, offered: str | None) -> bool:
        return offered is not None and hmac.compare_digest(offered.encode(), self.token.encode())

    def refusal(self, *, path: str, host: str | None, origin: str | None, offered: list[str | None]) -> str | None:
        """Why a request is refused, in one line, or None when it may go on.

        ``offered`` holds every token the request carries (query, path, cookie): one must match.
        """
        if self.hosts is not None and (host is None or host.lower() not in self.hosts):
            return f"Host {host!r} is not this server's address"
        if origin is not None and origin not in {f"http://{host}", f"https://{host}"}:
            return f"Origin {origin!r} is not this server's page"
        if path.startswith(_OPEN_PREFIX):
            return None
        if not any(self.token_ok(t) for t in offered):
            return "missing or wrong token: open the link `aligner serve` printed, with its ?token=…"
        return None


def _make_server(command: str, host: str, port: int, gate: Gate, announce: str) -> Any:
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        offered = [request.query.get("token"), request.match_info.get("token"), request.cookies.get(TOKEN_COOKIE)]
        reason = gate.refusal(
            path=request.path, host=request.headers.get("Host"), origin=request.headers.get("Origin"), offered=offered
        )
        if reason is not None:
            print(safe_line(f"aligner serve: refused {request.method} {request.path[:80]}: {reason}"), file=sys.stderr)
            raise web.HTTPForbidden(text=f"aligner serve: {reason}\n")
        response: web.StreamResponse = await handler(request)
        if request.path == "/" and gate.token_ok(request.query.get("token")):
            response.set_cookie(TOKEN_COOKIE, gate.token, httponly=True, samesite="Strict", path="/")
        return response

    class GuardedServer(Server):
        """textual-serve with the gate in front of every route and the token in the WebSocket's path."""

        async def _make_app(self) -> web.Application:
            import jinja2

            app = web.Application(middlewares=[guard])
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes([
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ])  # fmt: skip
            return app

        def serve(self, debug: bool = False) -> None:
            """textual-serve's ``serve``, announcing the link once the socket listens (not before)."""
            import asyncio
            import signal

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.request_exit)
            web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                        print=lambda *_: print(announce, file=sys.stderr, flush=True))  # fmt: skip

        async def handle_index(self, request: web.Request) -> web.Response:
            base = f"{request.scheme}://{request.headers['Host']}"
            ws = "wss" if request.scheme == "https" else "ws"
            router = request.app.router
            context = {
                "font_size": max(6, min(64, _to_int(request.query.get("fontsize", "16"), 16))),
                "app_websocket_url": f"{ws}://{request.headers['Host']}{router['websocket'].url_for(token=gate.token)}",
                "config": {"static": {"url": f"{base}{router['static'].url_for(filename='/')}".rstrip("/") + "/"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

    return GuardedServer(command, host=host, port=port, title="aligner")


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def serve_url(host: str, port: int, token: str) -> str:
    """The link to open: this server's page with the token."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/?token={token}"


def serve_in_browser(command: str, host: str, port: int, token: str) -> None:
    """Serve ``command`` (an ``aligner read`` command line) at ``http://host:port`` until interrupted."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError as err:
        raise AlignerError("aligner serve needs textual-serve: pip install textual-serve") from err
    gate = Gate.for_address(token, host, port)
    announce = f"serving the reader on {serve_url(host, port, token)} (open this link; ctrl+c stops)"
    _make_server(command, host, port, gate, announce).serve()
