"""``aligner serve`` is the user's alone: a token per start, the Host and the WebSocket Origin checked.

Tried as an attacker would: a raw WebSocket client (aiohttp) with a foreign
Origin, with no token and with a wrong one; a DNS-rebinding Host; and a real
headless Chromium that opens the link (the reader starts) and then, from another
web page (another origin on this machine, and a ``data:`` page), tries to open
the reader's WebSocket with the right token: refused.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from .conftest import ROOT
from .test_reader_browser import CHROMIUM, DRIVER, _free_port, chromium, serve, served, stop

__all__ = ["served"]  # the fixture, shared with the reader's browser test

pytestmark = pytest.mark.slow


def _ws_attempt(url: str, *, origin: str | None, host: str | None = None) -> int:
    """Open the WebSocket at ``url`` as a raw client: 101 when it opened and the reader wrote, else the status."""

    async def attempt() -> int:
        headers = {k: v for k, v in (("Origin", origin), ("Host", host)) if v is not None}
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers=headers, origin=None) as ws:
                    message = await ws.receive(timeout=60)
                    assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                    return 101
            except aiohttp.WSServerHandshakeError as err:
                return err.status

    return asyncio.run(attempt())


def _get(url: str, *, host: str | None = None) -> tuple[int, str]:
    async def get() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session:
            async with session.get(url, headers={"Host": host} if host else {}) as response:
                return response.status, await response.text()

    return asyncio.run(get())


def _parts(url: str) -> tuple[str, str]:
    """(``host:port``, token) of the printed link."""
    split = urlsplit(url)
    return split.netloc, split.query.removeprefix("token=")


def test_the_websocket_needs_the_token_and_the_servers_own_origin(served: tuple[str, Path]) -> None:
    url, _ = served
    netloc, token = _parts(url)
    own = f"http://{netloc}"
    # the page: only with the token; and it points its WebSocket at the token's path
    status, page = _get(f"{own}/")
    assert status == 403 and "token" in page
    status, page = _get(f"{own}/?token=x{token[1:]}")
    assert status == 403
    status, page = _get(url)
    assert status == 200 and f"ws://{netloc}/ws/{token}" in page
    # DNS rebinding: the right token, but a name that is not this server's
    assert _get(url, host=f"evil.example:{netloc.rsplit(':', 1)[1]}")[0] == 403
    # the WebSocket: a foreign page's Origin, no token, a wrong token, each refused
    assert _ws_attempt(f"ws://{netloc}/ws/{token}", origin="http://evil.example") == 403
    assert _ws_attempt(f"ws://{netloc}/ws/{token}", origin="null") == 403
    assert _ws_attempt(f"ws://{netloc}/ws", origin=own) == 403
    assert _ws_attempt(f"ws://{netloc}/ws/{token[:-1]}", origin=own) == 403
    assert _ws_attempt(f"ws://{netloc}/ws/{token}", origin=own, host="evil.example") == 403
    # the server's own page with the token: the reader starts and writes to the socket
    assert _ws_attempt(f"ws://{netloc}/ws/{token}", origin=own) == 101


@pytest.fixture
def foreign_site() -> Iterator[str]:
    """Another web site on this machine (another port: another origin)."""
    page = b"<html><body>a page on another site</body></html>"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


_OPEN_WS = """
const done = arguments[arguments.length - 1];
const ws = new WebSocket(arguments[0]);
ws.onmessage = () => { ws.close(); done("open"); };
ws.onerror = () => done("refused");
setTimeout(() => done("timeout"), 60000);
"""


@pytest.mark.skipif(CHROMIUM is None or DRIVER is None, reason="needs Debian chromium and chromium-driver")
def test_a_browser_gets_the_reader_with_the_link_and_other_pages_do_not(
    served: tuple[str, Path], foreign_site: str, tmp_path: Path
) -> None:
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, state = served
    netloc, token = _parts(url)
    ws_url = f"ws://{netloc}/ws/{token}"
    driver = chromium(tmp_path)
    driver.set_script_timeout(90)
    try:
        driver.get(f"http://{netloc}/")  # no token: refused, and no reader started
        assert "token" in driver.find_element(By.TAG_NAME, "body").text
        driver.get(url)  # the link: the reader starts, and remembers the pair once it shows it
        WebDriverWait(driver, 120).until(lambda d: d.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea"))
        WebDriverWait(driver, 120).until(lambda d: list((state / "pairs").glob("*.json")) or None)
        # the served page (same origin) may open another session
        assert driver.execute_async_script(_OPEN_WS, ws_url) == "open"
        # and reloading it without the token works through the cookie the link set
        driver.get(f"http://{netloc}/")
        WebDriverWait(driver, 60).until(lambda d: d.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea"))
        # any other page, even knowing the token and with the cookie in the browser, is refused
        driver.get(foreign_site)
        assert driver.execute_async_script(_OPEN_WS, ws_url) == "refused"
        driver.get("data:text/html,<title>x</title>")
        assert driver.execute_async_script(_OPEN_WS, ws_url) == "refused"
    finally:
        driver.quit()


def _run_serve(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aligner", "serve", *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def _routable_address() -> str | None:
    """An address of this machine that is not loopback (None when it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent
            address = str(s.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_a_network_address_needs_the_flag_and_is_warned_about(tmp_path: Path) -> None:
    refused = _run_serve(["--host", "0.0.0.0", "--port", str(_free_port())])
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "--allow-remote" in refused.stderr
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ALIGNER_STATE_DIR": str(tmp_path / "state")}
    proc, url, earlier = serve(["--host", "0.0.0.0", "--port", str(port), "--allow-remote"], env)
    assert any(line.startswith("WARNING: serving on 0.0.0.0") for line in earlier)
    try:
        _, token = _parts(url)
        address = _routable_address() or "127.0.0.1"
        # reachable from the network now, but still only with the token
        assert _get(f"http://{address}:{port}/")[0] == 403
        assert _get(f"http://{address}:{port}/?token={token}")[0] == 200
    finally:
        stop(proc)
