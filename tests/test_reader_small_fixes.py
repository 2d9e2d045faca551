"""Small reader fixes: toasts clear of the status line, export paths in full, glossary columns, palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from textual.widgets._toast import Toast

from aligner.session.workspace import Workspace
from aligner.tui.app import create_app
from aligner.tui.export_screen import ExportScreen
from aligner.tui.glossary_screen import GlossaryScreen

from .test_tui import settle


def make(workspace: Workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json")


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_toasts_leave_the_status_line_visible(
    kiep_workspace: Workspace, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make(kiep_workspace, tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        app.notify("a notice long enough to need two or three lines of the toast to be shown in full", timeout=30)
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert toasts
        status = app.status.region
        for toast in toasts:
            assert toast.region.bottom <= status.y, (toast.region, status)
        assert "pairs" in "".join(s.text for s in app.screen._compositor.render_strips()[status.y : status.y + 1])


async def test_the_export_notice_names_the_whole_path(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make(kiep_workspace, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = "out.tmx"
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "out.tmx").is_file()
        messages = [n.message for n in app._notifications]
        assert any(str(tmp_path / "out.tmx") in m for m in messages), messages


@pytest.mark.parametrize("width", [80, 120])
async def test_glossary_confidence_column_stays_on_screen(
    kiep_workspace: Workspace, tmp_path: Path, width: int
) -> None:
    app = make(kiep_workspace, tmp_path)
    async with app.run_test(size=(width, 35)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        for _ in range(600):
            await pilot.pause(0.1)
            if isinstance(app.screen, GlossaryScreen) and app.screen.ready:
                break
        screen = app.screen
        assert isinstance(screen, GlossaryScreen) and screen.ready and screen.shown
        await pilot.pause()
        lines = [s.text for s in screen._compositor.render_strips()]
        header = next(line for line in lines if "English" in line and "freq" in line)
        assert "conf" in header and header.rstrip().endswith("conf")
        first = screen.shown[0]
        assert any(f"{first.confidence:.2f}" in line for line in lines)
        assert all(len(line) <= width for line in lines)


async def test_the_palette_lists_help_once(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert sum(1 for t in titles if "key" in t.lower()) == 1


async def test_a_cursor_move_handled_after_the_reader_is_gone_is_ignored(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    """A CursorMoved still queued while the app closes found no reader and failed the run (NoMatches)."""
    from aligner.tui.bead_view import BeadView

    app = make(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = app.reader
        await reader.remove()
        app.post_message(BeadView.CursorMoved(reader, 0))
        await pilot.pause(0.2)
        assert not app.query("#reader")
