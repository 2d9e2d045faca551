"""``aligner serve`` in a real browser: headless Chromium (Debian ``chromium`` + ``chromium-driver``) via selenium.

Types a Korean query into the served reader, jumps to the result and quits; the
reader process behind the page then remembers (in its state directory) the
query and the pair it jumped to, whose English is checked.  Nothing downloads
a browser: the test is skipped when the system's Chromium is not installed.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aligner.session.workspace import Workspace

from .conftest import ROOT

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None, reason="needs Debian chromium and chromium-driver (apt-get install)"
    ),
]
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,800")  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str, list[str]]:
    """Start ``aligner serve``; once it listens: it, the link it printed (with its token), the lines before."""
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "serve", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in proc.stderr or ():
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    earlier: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        if found := re.search(r"(http://\S+/\?token=\S+)", line):
            return proc, found.group(1), earlier
        earlier.append(line)
    proc.kill()
    raise AssertionError("aligner serve did not print its link")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A served reader of the default pair: the link it printed (with the token) and its state folder."""
    port = _free_port()
    state = tmp_path / "state"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ALIGNER_STATE_DIR": str(state),
           "XDG_DATA_HOME": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1"}  # fmt: skip
    proc, url, _ = serve(["--port", str(port)], env)
    try:
        yield url, state
    finally:
        stop(proc)


def chromium(tmp_path: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(DRIVER)), options=options)


def test_serve_refuses_a_missing_file(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "aligner", "serve", str(tmp_path / "no.txt"), str(tmp_path / "x.txt")],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode != 0 and "no.txt" in done.stderr and "Traceback" not in done.stderr


def test_korean_query_in_the_browser_finds_the_english(
    served: tuple[str, Path], tmp_path: Path, kiep_workspace: Workspace
) -> None:
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    url, state = served
    driver = chromium(tmp_path)
    try:
        driver.get(url)
        wait = WebDriverWait(driver, 120)
        area = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea"))
        # the reader behind the page remembers its place once the pairs are shown: then it takes keys
        wait.until(lambda d: list((state / "pairs").glob("*.json")) or None)
        area.send_keys("/")
        time.sleep(1)
        area.send_keys("항저우")
        time.sleep(2)  # the results come in as one types; Enter before them still jumps once they arrive
        area.send_keys(Keys.ENTER)
        time.sleep(2)
        driver.save_screenshot(str(tmp_path / "browser.png"))
        area.send_keys("q")
        files = list((state / "pairs").glob("*.json"))
        wait.until(lambda d: json.loads(files[0].read_text(encoding="utf-8")).get("history"))
        remembered = json.loads(files[0].read_text(encoding="utf-8"))
    finally:
        driver.quit()
    assert remembered["history"] == ["항저우"]
    bead = kiep_workspace.alignment.beads[remembered["cursor"]]
    english = " ".join(kiep_workspace.en.sentences[j].text for j in bead.tgt)
    korean = " ".join(kiep_workspace.ko.sentences[i].text for i in bead.src)
    assert "항저우" in korean and "Hangzhou" in english
