"""The reader remembers each pair: position, theme and search history, in the user state directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.session.reader_state import HISTORY_LIMIT, ReaderState, load_state, save_state, state_path
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app

from .test_tui import settle


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("ALIGNER_STATE_DIR", str(d))
    return d


def test_state_round_trip_and_defaults(state_dir: Path, tmp_path: Path) -> None:
    ko, en = tmp_path / "a.ko.txt", tmp_path / "a.en.txt"
    assert load_state(ko, en) == ReaderState()
    state = ReaderState(cursor=7, theme="textual-light").with_query("항저우").with_query("smart city")
    assert save_state(ko, en, state)
    assert load_state(ko, en) == state
    assert [p.name for p in state_path(ko, en).parent.iterdir()] == [state_path(ko, en).name]  # no temp left
    # a pair opened the first time gets the last theme, nothing else
    other = load_state(tmp_path / "b.ko.txt", tmp_path / "b.en.txt")
    assert other == ReaderState(theme="textual-light")


def test_history_is_deduplicated_and_bounded() -> None:
    state = ReaderState()
    for i in range(HISTORY_LIMIT + 10):
        state = state.with_query(f"q{i}")
    state = state.with_query("q20").with_query("  ")
    assert len(state.history) == HISTORY_LIMIT and state.history[-1] == "q20"
    assert state.history.count("q20") == 1


@pytest.mark.parametrize("content", ["{broken", "[]", '{"cursor": "x", "history": 3, "view": "odd", "theme": 5}'])
def test_a_damaged_state_file_reads_as_nothing_remembered(state_dir: Path, tmp_path: Path, content: str) -> None:
    ko, en = tmp_path / "a.ko.txt", tmp_path / "a.en.txt"
    path = state_path(ko, en)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    assert load_state(ko, en) == ReaderState()


def test_an_unwritable_state_dir_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ALIGNER_STATE_DIR", str(blocker / "state"))  # under a file: cannot be created
    assert save_state(tmp_path / "k", tmp_path / "e", ReaderState(cursor=3)) is False


async def test_reader_reopens_where_it_was(kiep_workspace: Workspace, tmp_path: Path, state_dir: Path) -> None:
    def app():  # type: ignore[no-untyped-def]
        return create_app(workspace=kiep_workspace, project_path=tmp_path / "pair.aligner.json", remember=True)

    first = app()
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert first.theme == "textual-dark" and first.reader.cursor == 0
        for _ in range(12):
            await pilot.press("down")
        await pilot.press("t")
        await pilot.press("slash", *"Hangzhou", "enter")
        await settle(pilot)
        await pilot.press("escape")
        where = first.reader.cursor
        assert where > 0
    saved = json.loads(next((state_dir / "pairs").glob("*.json")).read_text(encoding="utf-8"))
    assert saved["cursor"] == where and saved["theme"] == "textual-light" and saved["history"] == ["Hangzhou"]

    again = app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.reader.cursor == where
        assert again.theme == "textual-light"
        assert again.search_panel.input.history == ["Hangzhou"]
        await pilot.press("slash", "up")
        assert again.search_panel.input.value == "Hangzhou"

    plain = create_app(workspace=kiep_workspace, project_path=tmp_path / "p2.aligner.json")  # remember=False
    async with plain.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert plain.reader.cursor == 0 and plain.theme == "textual-dark"
