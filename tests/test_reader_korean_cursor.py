"""Korean input: while the search box has focus the terminal cursor sits at its caret (where an
IME opens its composition window), checked in a real terminal (tmux reports the cursor)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from rich.cells import cell_len

from .test_smoke_tmux import ROOT, Terminal, pytestmark, terminal  # noqa: F401 - the fixture and the skip


def cursor(term: Terminal) -> tuple[int, int]:
    x, y = term.tmux("display", "-p", "-t", "reader", "#{cursor_x},#{cursor_y}").strip().split(",")
    return int(x), int(y)


def test_the_terminal_cursor_follows_the_search_caret(terminal: Terminal, tmp_path: Path) -> None:  # noqa: F811
    env = {"PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "XDG_DATA_HOME": str(tmp_path / "data"), "ALIGNER_STATE_DIR": str(tmp_path / "state"),
           "ALIGNER_CACHE_DIR": os.environ.get("ALIGNER_CACHE_DIR", str(tmp_path / "cache")),
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    terminal.start(f"cd {shlex.quote(str(ROOT))} && env -u COLUMNS -u LINES {assignments} "
                   f"{shlex.quote(sys.executable)} -m aligner read; sleep 60")  # fmt: skip
    terminal.wait_for(lambda s: "China is pursuing" in s and "pairs" in s, "the sample to appear")
    terminal.keys("/")
    screen = terminal.wait_for(lambda s: "Search Korean or English" in s, "the search box")
    box = next(y for y, line in enumerate(screen.splitlines()) if "Search Korean or English" in line)
    prompt_x = screen.splitlines()[box].index("Search")
    terminal.wait_for(lambda s: cursor(terminal) == (prompt_x, box), f"the cursor at the empty box {(prompt_x, box)}")
    query = "항저우"
    terminal.keys(query, literal=True)
    terminal.wait_for(lambda s: "results" in s, "search results")
    end = (prompt_x + cell_len(query), box)  # wide Hangul: two cells each
    terminal.wait_for(lambda s: cursor(terminal) == end, f"the cursor after the query {end}, not {cursor(terminal)}")
    terminal.keys("Left")
    before_last = (prompt_x + cell_len(query[:-1]), box)
    terminal.wait_for(lambda s: cursor(terminal) == before_last, f"the cursor before the last syllable {before_last}")
