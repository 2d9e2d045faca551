"""Smoke test: ``aligner read`` in a real terminal (tmux), searched and quit like a person would."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TMUX = shutil.which("tmux")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)"),
]


class Terminal:
    """One tmux session on a private server socket, removed afterwards."""

    def __init__(self, socket: str, width: int, height: int) -> None:
        self.socket = socket
        self.width = width
        self.height = height

    def tmux(self, *args: str, check: bool = True) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-u", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=30,
        )
        return done.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", "reader", "-x", str(self.width), "-y", str(self.height), command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "reader", check=False)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "reader", *(["-l"] if literal else []), *keys)

    def wait_for(self, ready: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if ready(screen):
                return screen
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def close(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal(f"aligner-test-{os.getpid()}-{time.monotonic_ns()}", 100, 30)
    yield term
    term.close()


def test_read_search_and_quit_in_tmux(terminal: Terminal, tmp_path: Path) -> None:
    env = {
        "PYTHONPATH": str(ROOT / "src"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # keep the user's saved corrections and caches out of the test
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "ALIGNER_STATE_DIR": str(tmp_path / "state"),
        "ALIGNER_CACHE_DIR": os.environ.get("ALIGNER_CACHE_DIR", str(tmp_path / "cache")),
        "HF_HUB_OFFLINE": "1",
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    # COLUMNS/LINES from the test runner would override the real terminal size
    program = f"env -u COLUMNS -u LINES {assignments} {shlex.quote(sys.executable)} -m aligner read"
    command = f"cd {shlex.quote(str(ROOT))} && {program}"
    terminal.start(f"{command}; echo ALIGNER-EXIT=$?; sleep 60")

    screen = terminal.wait_for(
        lambda s: "중국은 인터넷" in s and "China is pursuing" in s and "pairs" in s, "the sample to appear"
    )
    assert "한국어 · kiep_ko.txt" in screen and "English · kiep_en.txt" in screen
    assert "Traceback" not in screen
    assert max(len(line) for line in screen.splitlines()) > 80  # it really uses the 100-column terminal

    terminal.keys("/")
    terminal.wait_for(lambda s: "Search Korean or English" in s, "the search box")
    terminal.keys("항저우", literal=True)
    screen = terminal.wait_for(lambda s: "results" in s and "항저우" in s, "search results")
    terminal.keys("Enter")
    screen = terminal.wait_for(lambda s: "#1 " not in s.splitlines()[-2], "the jump to a match")
    reader = "\n".join(screen.splitlines()[1:12])
    assert "항저우" in reader or "Hangzhou" in reader

    terminal.keys("Escape")
    time.sleep(1.0)  # let the terminal tell a lone Escape from an escape sequence
    terminal.keys("q")
    screen = terminal.wait_for(lambda s: "ALIGNER-EXIT=" in s, "the app to exit", timeout=20)
    assert "ALIGNER-EXIT=0" in screen
    assert "Traceback" not in screen
