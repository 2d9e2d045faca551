"""The reading view: one language as paragraphs, the focused pair's counterpart under it, remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from aligner.core.values import Lang
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app
from aligner.tui.reading_view import MAX_LINE, ReadingView, paragraphs

from .test_tui import settle


def screen_lines(app: object) -> list[str]:
    from textual.app import App

    assert isinstance(app, App)
    return [strip.text for strip in app.screen._compositor.render_strips()]


def counterpart(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    return str(app.query_one("#reading-counterpart", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_reading_view_flows_one_language_with_the_counterpart(
    kiep_workspace: Workspace, tmp_path: Path, size: tuple[int, int]
) -> None:
    ws = kiep_workspace
    app = create_app(workspace=ws, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        view = app.query_one("#reading", ReadingView)
        assert app.reading_mode and app.focused is view and not app.query_one("#pane").display
        beads = ws.alignment.beads
        assert view.cursor == 0 and view.lang is Lang.KO
        lines = screen_lines(app)
        first = ws.ko.sentences[beads[0].src[0]].text
        assert first.split()[0] in lines[0] + lines[1]
        text_lines = [line.rstrip() for line in lines[: size[1] // 2]]
        assert max(len(line.strip()) for line in text_lines) <= MAX_LINE  # a comfortable line
        assert " ".join(ws.en.sentences[j].text for j in beads[0].tgt)[:30] in " ".join(counterpart(app).split())
        # paragraphs as in the source: as many paragraph widgets as source paragraphs
        assert len(view.query(".reading-paragraph")) == len(paragraphs(ws.ko))
        # down walks the pairs and the side-by-side cursor follows
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.cursor == 2 and app.reader.cursor == 2
        assert f"pair 3 of {len(beads)}" in counterpart(app)
        # the other language, then hide the counterpart
        await pilot.press("L")
        await pilot.pause()
        assert view.lang is Lang.EN and view.cursor == 2
        assert " ".join(ws.ko.sentences[i].text for i in beads[2].src)[:10] in counterpart(app)
        await pilot.press("h")
        await pilot.pause()
        assert not view.counterpart_shown
        assert not app.query_one("#reading-counterpart").region.height
        await pilot.press("r")
        await pilot.pause()
        assert not app.reading_mode and app.focused is app.reader and app.reader.cursor == 2


async def test_the_view_is_remembered(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIGNER_STATE_DIR", str(tmp_path / "state"))

    def app():  # type: ignore[no-untyped-def]
        return create_app(workspace=kiep_workspace, project_path=tmp_path / "pair.aligner.json", remember=True)

    first = app()
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r", "down", "down", "down")
        await settle(pilot)
    again = app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert again.reading_mode
        assert again.query_one("#reading", ReadingView).cursor == 3 == again.reader.cursor
