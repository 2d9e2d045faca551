"""Kiwi starts in the background once the reader shows the pairs, so the glossary key (w) does not wait
for it (issue 22): the start runs in a worker thread, not on the key, the reader answers keys while it is
pending, and the glossary appears."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import kiwipiepy
import pytest
from textual.widgets import DataTable

from aligner.segment import kiwi
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app
from aligner.tui.glossary_screen import GlossaryScreen

from .test_tui import settle


@pytest.mark.slow
async def test_kiwi_starts_in_a_worker_without_blocking_the_reader_and_the_glossary_appears(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_kiwi = kiwipiepy.Kiwi
    release = threading.Event()
    started: list[threading.Thread] = []

    def slow_kiwi(*args: Any, **kwargs: Any) -> Any:  # a Kiwi that starts only when the test lets it
        started.append(threading.current_thread())
        release.wait(30)
        return real_kiwi(*args, **kwargs)

    ws = replace(kiep_workspace)
    ws.searcher.prepare()  # search has its word forms: the glossary's Kiwi must not wait for search to start it
    monkeypatch.setattr(kiwi, "_kiwi", None)  # a fresh process: Kiwi not started yet
    monkeypatch.setattr(kiwipiepy, "Kiwi", slow_kiwi)
    app = create_app(workspace=ws, project_path=tmp_path / "pair.aligner.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(200):  # the pairs are shown and the preload starts, no key pressed
                if started:
                    break
                await pilot.pause(0.05)
            assert started and started[0] is not threading.main_thread()
            assert not kiwi.kiwi_loaded()
            await pilot.press("down", "down")  # the reader answers while Kiwi is starting
            await pilot.pause(0.1)
            assert app.reader.cursor == 2
            release.set()
            await settle(pilot)
            assert kiwi.kiwi_loaded() and len(started) == 1  # started once, before the glossary was asked for
            await pilot.press("w")
            await settle(pilot)
            assert isinstance(app.screen, GlossaryScreen)
            table = app.screen.query_one("#glossary-table", DataTable)
            assert table.row_count > 20
    finally:
        release.set()
