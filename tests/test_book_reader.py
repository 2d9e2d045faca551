"""The reader's export dialog writes a parallel-text book (Textual Pilot, the real sample)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Select

from aligner.session.edits import merge_with_next
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app
from aligner.tui.export_screen import ExportScreen
from tests.test_tui_snapshots import (
    fixed_workspace,  # noqa: F401 - the snapshots' fixed pairs, a fixture
    open_export_dialog,
)

pytestmark = pytest.mark.slow  # Pilot runs


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_dialog_writes_a_learner_book_with_the_readers_edits(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    merged = kiep_workspace.with_beads(merge_with_next(kiep_workspace.alignment.beads, 0))
    app = create_app(workspace=merged, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        layout = screen.query_one("#book-layout", Select)
        assert not screen.query_one("#book-options").display  # only for books
        await pilot.click(next(b for b in screen.query(RadioButton) if str(b.label) == "HTML book"))
        await pilot.pause()
        assert screen.query_one("#book-options").display
        path = screen.query_one("#export-path", Input)
        assert path.value.endswith(".html")
        layout.value = "learner"
        target = tmp_path / "book.html"
        path.value = str(target)
        await pilot.click("#export-ok")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        page = html.fromstring(target.read_text(encoding="utf-8"))
        first = page.xpath("//details[@data-bead='0']/summary")[0]
        assert first.get("data-ids") == "0,1"  # the merge made in the reader
        assert len(page.xpath("//details")) > 50

        await pilot.press("e")
        screen = app.screen
        await pilot.click(next(b for b in screen.query(RadioButton) if str(b.label) == "EPUB book"))
        await pilot.pause()
        path = screen.query_one("#export-path", Input)
        assert path.value.endswith(".epub")
        path.value = str(tmp_path / "book.epub")
        await pilot.click("#export-ok")
        await pilot.pause()
        with zipfile.ZipFile(tmp_path / "book.epub") as z:
            assert z.read("mimetype") == b"application/epub+zip"
            assert b"interleaved" in z.read("OEBPS/chapter-001.xhtml")


async def _choose_a_book(pilot: Pilot[Any]) -> None:
    await open_export_dialog(pilot)
    screen = pilot.app.screen
    await pilot.click(next(b for b in screen.query(RadioButton) if str(b.label) == "EPUB book"))
    await pilot.pause()
    screen.query_one("#export-path", Input).value = "/documents/kiep_ko.kiep_en.epub"
    await pilot.pause()


def test_export_dialog_with_a_book_chosen(snap_compare: Any, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The layout choice appears under the formats once a book is chosen."""
    workspace = request.getfixturevalue("fixed_workspace")
    app = create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json")
    assert snap_compare(app, terminal_size=(100, 30), run_before=_choose_a_book)
