"""Opening a pair seen before: its pairs are read without numpy, drawn in the reader's first
screen, and editing and search follow once the vectors are loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from aligner.cli.main import build_parser
from aligner.session import workspace as workspace_module
from aligner.session.opening import PairReading, read_cached_pair, read_pair
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app

from .conftest import ROOT

pytestmark = pytest.mark.slow  # Pilot and subprocess runs: `make test-fast` leaves them out

_SHELL = """
import json, sys
from aligner.cli.main import build_parser
build_parser("read").parse_args(["read"])
import aligner.tui.app
from aligner.session.opening import read_pair
opened = read_pair(sys.argv[1], sys.argv[2], use_project=False)
heavy = [m for m in ("numpy", "faiss", "kiwipiepy", "aligner.embed.encoders", "aligner.session.workspace",
                     "aligner.glossary.build", "aligner.export.formats") if m in sys.modules]
print(json.dumps({"heavy": heavy, "pairs": None if opened.beads is None else len(opened.beads)}))
"""


def _copy_pair(kiep_paths: tuple[Path, Path], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ko, en = (Path(shutil.copy(p, folder / p.name)) for p in kiep_paths)
    return ko, en


def test_the_reader_and_a_warm_pair_load_without_numpy(
    kiep_workspace: Workspace, kiep_paths: tuple[Path, Path]
) -> None:
    """What the reader needs for its first screen imports neither numpy, faiss nor kiwipiepy."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # the same cache the fixture filled
    done = subprocess.run(
        [sys.executable, "-c", _SHELL, *map(str, kiep_paths)],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["heavy"] == []
    assert result["pairs"] == len(kiep_workspace.alignment.beads)  # the alignment cache had them


def test_read_pair_finds_the_cached_alignment_and_workspace_for_keeps_it(
    kiep_workspace: Workspace, kiep_paths: tuple[Path, Path]
) -> None:
    opened = read_pair(*kiep_paths, use_project=False)
    assert opened.beads == kiep_workspace.alignment.beads and not opened.saved
    ws = workspace_module.workspace_for(opened)
    assert ws.alignment.beads == opened.beads and ws.ko_vecs.shape[0] == len(ws.ko)


def test_a_new_pair_has_no_pairs_until_aligned(tmp_path: Path) -> None:
    ko, en = tmp_path / "ko.txt", tmp_path / "en.txt"
    ko.write_text("이것은 처음 보는 문서이다. 두 번째 문장이다.\n", encoding="utf-8")
    en.write_text("This is a document never seen. It has a second sentence.\n", encoding="utf-8")
    opened = read_pair(ko, en)
    assert opened.beads is None and opened.alignment is None and opened.project_path is not None


def test_a_reading_that_fails_raises_in_result(tmp_path: Path) -> None:
    reading = PairReading(tmp_path / "missing-ko.txt", tmp_path / "missing-en.txt")
    with pytest.raises(Exception, match="missing-ko"):
        reading.result(timeout=60)


def test_a_new_pair_is_not_segmented_ahead(tmp_path: Path) -> None:
    """Documents never segmented are left to the reader, which shows its progress while it segments them."""
    ko, en = tmp_path / "ko.txt", tmp_path / "en.txt"
    ko.write_text("새로 쓴 한국어 문서의 유일한 문장이다.\n", encoding="utf-8")
    en.write_text("The only sentence of a newly written English document.\n", encoding="utf-8")
    assert PairReading(ko, en).result(timeout=60) is None
    assert read_cached_pair(ko, en) is None
    read_pair(ko, en)  # segments them (and caches that)
    again = read_cached_pair(ko, en)
    assert again is not None and again.beads is None  # segmented now, never aligned


def hold_back_the_workspace(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The reader's workspace (vectors, search) waits until the returned event is set."""
    release = threading.Event()
    real = workspace_module.workspace_for

    def held_back(*args: Any, **kwargs: Any) -> Workspace:
        assert release.wait(60), "the test never released the workspace"
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace_module, "workspace_for", held_back)
    return release


async def test_the_first_screen_has_the_pairs_before_the_workspace(
    kiep_workspace: Workspace, kiep_paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ko, en = _copy_pair(kiep_paths, tmp_path / "docs")
    reading = PairReading(ko, en)
    opened = reading.result(timeout=60)
    assert opened is not None
    beads = opened.beads
    assert beads is not None and beads == kiep_workspace.alignment.beads  # seen before: the alignment cache
    release = hold_back_the_workspace(monkeypatch)
    app = create_app(ko, en, reading=reading)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        reader = app.reader
        shown = "".join(reader.render_line(y).text for y in range(reader.size.height))
        first = opened.ko.sentences[beads[0].src[0]].text
        assert first[:8] in shown and app.session is None and app.workspace is None
        assert "loading the vectors" in app.status.text
        assert len(reader.rows) == len(beads)  # laid out in full by now
        await pilot.press("m")  # an edit before the workspace is there does nothing (and does not fail)
        assert len(reader.rows) == len(beads)
        release.set()
        for _ in range(200):
            await pilot.pause(0.05)
            if app.session is not None:
                break
        assert app.session is not None and app.workspace is not None
        assert app.workspace.alignment.beads == beads
        last = reader.rows[-1]
        assert reader.virtual_size.height == last.top + last.height
        await pilot.press("G")
        assert reader.cursor == len(beads) - 1
        await pilot.press("g", "m")  # now it edits
        assert len(app.session.beads) == len(beads) - 1


def test_one_subcommand_builds_its_own_parser_and_help_lists_them_all() -> None:
    only = build_parser("read")
    args = only.parse_args(["read"])
    assert args.command == "read"
    every = build_parser()
    text = every.format_help()
    for name in ("read", "serve", "align", "search", "export", "glossary", "corpus"):
        assert name in text
    assert "corpus" not in only.format_help()


async def test_the_glossary_key_pressed_while_the_pair_loads_is_not_lost(
    kiep_workspace: Workspace, kiep_paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pair seen before shows its pairs while its vectors load; ``w`` pressed then opens the glossary
    once the pair has loaded (it used to be dropped: the key did nothing at all)."""
    from aligner.tui.glossary_screen import GlossaryScreen

    ko, en = _copy_pair(kiep_paths, tmp_path / "docs")
    reading = PairReading(ko, en)
    assert reading.result(timeout=60) is not None
    release = hold_back_the_workspace(monkeypatch)
    app = create_app(ko, en, reading=reading)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert app.reader.alignment is not None and app.session is None  # the pairs show, still loading
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, GlossaryScreen)
        assert any("as soon as the pair has loaded" in n.message for n in app._notifications)
        release.set()
        for _ in range(400):
            await pilot.pause(0.05)
            if isinstance(app.screen, GlossaryScreen):
                break
        assert isinstance(app.screen, GlossaryScreen)
        await app.workers.wait_for_complete()  # the glossary and the reader's own messages settle before it closes
        await pilot.pause()
