"""The search flow in the reader (issue 22, findings 2–5): next/previous result from the text,
document order, a panel that leaves the text readable at 80×24 and closes with Esc, the
matched words highlighted in both views, history recall right after opening, and reopening
in the saved view."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from aligner.search.hits import SearchHit
from aligner.session.reader_state import ReaderState, save_state
from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app

from .test_tui import settle


def _app(ws: Workspace, tmp_path: Path) -> AlignerApp:
    return create_app(workspace=replace(ws), project_path=tmp_path / "pair.aligner.json")


async def _search_and_jump(pilot: Pilot[Any], app: AlignerApp, query: str) -> list[SearchHit]:
    """Open the reader, search ``query`` and jump to the first hit (Enter); the hits."""
    await settle(pilot)
    await pilot.press("slash", *query)
    await settle(pilot)
    hits = list(app.search_panel.hits)
    await pilot.press("enter")
    await settle(pilot)
    return hits


async def test_next_and_previous_result_from_the_text(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        hits = await _search_and_jump(pilot, app, "smart city")
        assert len(hits) >= 3
        assert app.reader.cursor == hits[0].bead and app.reader.has_focus
        await pilot.press("full_stop")
        await settle(pilot)
        assert app.reader.cursor == hits[1].bead
        await pilot.press("full_stop")
        await settle(pilot)
        assert app.reader.cursor == hits[2].bead
        await pilot.press("comma")
        await settle(pilot)
        assert app.reader.cursor == hits[1].bead
        assert app.reader.highlight is not None and app.reader.highlight.bead == hits[1].bead


async def test_next_result_notice_stays_until_the_next_move(kiep_workspace: Workspace, tmp_path: Path) -> None:
    """`.` says which result it showed ("result 2 of …") and the pair's status line does not replace it at once."""
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        hits = await _search_and_jump(pilot, app, "smart city")
        await pilot.press("full_stop")
        await settle(pilot)
        assert app.reader.cursor == hits[1].bead
        assert f"result 2 of {len(hits)}" in app.status.text
        await pilot.press("full_stop")
        await settle(pilot)
        assert f"result 3 of {len(hits)}" in app.status.text
        await pilot.press("down" if hits[2].bead + 1 < len(kiep_workspace.alignment.beads) else "up")  # moved on
        await settle(pilot)
        assert "result" not in app.status.text and "pairs" in app.status.text


async def test_results_in_document_order(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"smart city")
        await settle(pilot)
        best = app.search_panel.hits
        assert [h.bead for h in best] != sorted(h.bead for h in best)  # best first is not document order
        await pilot.press("ctrl+o")
        await settle(pilot)
        ordered = app.search_panel.hits
        assert [h.bead for h in ordered] == sorted(h.bead for h in best)
        await pilot.press("enter")  # the highlighted result stayed the same one
        await settle(pilot)
        at = [h.bead for h in ordered].index(best[0].bead)
        assert app.reader.cursor == ordered[at].bead
        await pilot.press("full_stop")  # the next one in the document
        await settle(pilot)
        assert app.reader.cursor == ordered[(at + 1) % len(ordered)].bead


async def test_panel_leaves_the_text_readable_at_80x24_and_esc_closes_it(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"smart city")
        await settle(pilot)
        panel = app.search_panel
        assert panel.region.height <= 11
        assert app.reader.region.height >= 9  # the pairs keep most of the window
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.has_focus and panel.is_open
        await pilot.press("escape")
        await settle(pilot)
        assert not panel.is_open and app.reader.highlight is None
        # the same from the reading view
        await pilot.press("r", "slash", *"smart city")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reading.has_focus and panel.is_open
        await pilot.press("escape")
        await settle(pilot)
        assert not panel.is_open and app.reading.marks == ()


async def test_counts_read_as_english(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"deregulation")
        await settle(pilot)
        line = str(app.search_panel.query_one("#search-count", Static).render())
        n = len(app.search_panel.hits)
        assert n >= 1
        assert f"{n} result" in line and "1 results" not in line


async def test_matched_terms_are_highlighted_in_both_views(kiep_workspace: Workspace, tmp_path: Path) -> None:
    """"원격의료" finds the pair with "원격진료": that word is stressed, not only the query."""
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"원격의료")
        await settle(pilot)
        hit = next(h for h in app.search_panel.hits if "원격진료" in h.ko)
        index = app.search_panel.hits.index(hit)
        app.search_panel.results.highlighted = index
        await pilot.press("tab", "enter")
        await settle(pilot)
        highlight = app.reader.highlight
        assert highlight is not None and "원격진료" in highlight.words
        row = next(r for r in app.reader._rows if r.bead == hit.bead)
        line = next(t for t in row.left if "원격진료" in t.plain)
        at = line.plain.index("원격진료")
        assert any(s.start == at and s.end == at + len("원격진료") for s in line.spans)  # the word itself
        await pilot.press("r")
        await settle(pilot)
        assert "원격진료" in app.reading.marks


async def test_history_recalls_right_after_opening(
    kiep_paths: tuple[Path, Path], kiep_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the vectors load (pairs on screen, no session yet), / opens the box and ↑ recalls."""
    import aligner.session.workspace as workspace_module

    loaded = threading.Event()
    real = workspace_module.workspace_for

    def slow_vectors(*args: Any, **kwargs: Any) -> Workspace:
        loaded.wait(30)  # the vectors arrive only once the keys are pressed
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace_module, "workspace_for", slow_vectors)
    save_state(*kiep_paths, ReaderState(cursor=5, history=("스마트시티",)))
    app = create_app(*kiep_paths, remember=True)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(5000):
            if app._shown is not None:
                break
            await asyncio.sleep(0.002)
        await pilot.pause()
        assert app._shown is not None and app.session is None  # the first screen, before the vectors
        await pilot.press("slash", "up")
        assert app.search_panel.is_open
        assert app.search_panel.input.value == "스마트시티"
        assert app.reader.cursor == 5
        loaded.set()
        await settle(pilot)
        assert app.session is not None and app.reader.cursor == 5


async def test_reopens_in_the_saved_reading_view(kiep_paths: tuple[Path, Path], kiep_workspace: Workspace) -> None:
    save_state(*kiep_paths, ReaderState(cursor=3, view="reading"))
    app = create_app(*kiep_paths, remember=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.reading_mode
        assert app.reading.cursor == 3


async def test_after_L_the_focused_sentence_is_on_screen(kiep_workspace: Workspace, tmp_path: Path) -> None:
    """Swapping the language keeps the focused pair's sentence visible, even deep in a long paragraph."""
    from .test_reader_search import _screen_text

    ws = kiep_workspace
    app = _app(ws, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        failures = []
        for bead in range(0, len(ws.alignment.beads), 4):
            b = ws.alignment.beads[bead]
            if not b.src or not b.tgt:
                continue
            app.reading.move_to(bead)
            await pilot.pause()
            await pilot.press("L")
            await settle(pilot)
            lang_ids = b.tgt if app.reading.lang.value == "en" else b.src
            doc = ws.en if app.reading.lang.value == "en" else ws.ko
            words = doc.sentences[lang_ids[0]].text.split()[:2]
            if " ".join(words) not in " ".join(_screen_text(app).split()):
                failures.append(bead)
            await pilot.press("L")
            await settle(pilot)
        assert not failures
