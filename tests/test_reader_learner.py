"""Learner mode: translations hidden until revealed; pairs saved with one key into an Anki deck file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.session.learner_deck import HEADER, deck_path, read_deck, read_notes
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app

from .test_tui import bead_text, reader_lines, settle


async def test_translations_hide_reveal_and_go_to_the_deck(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIGNER_STATE_DIR", str(tmp_path / "state"))
    app = create_app(workspace=kiep_workspace, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ko0, en0 = bead_text(app, 0)
        assert en0.split()[0] in "\n".join(reader_lines(app))
        await pilot.press("H")
        await pilot.pause()
        shown = "\n".join(reader_lines(app))
        assert "China is pursuing" not in shown and "░" in shown and "enter reveals" in shown
        assert ko0.split()[0] in shown  # the Korean stays
        await pilot.press("enter")
        await pilot.pause()
        shown = "\n".join(reader_lines(app))
        assert "China is pursuing" in shown  # the focused pair revealed
        assert "Along with" not in shown  # the next one still hidden
        await pilot.press("d")
        await pilot.press("d")  # twice: still one note
        await pilot.pause()
        path = deck_path()
        assert path.read_text(encoding="utf-8").startswith(HEADER)
        notes = read_deck(path)
        assert notes == [(" ".join(ko0.split()), " ".join(en0.split()))]
        await pilot.press("H")
        await pilot.pause()
        assert "░" not in "\n".join(reader_lines(app))


async def test_a_word_goes_to_the_deck_with_its_translation_and_example(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.tui.term_picker import TermPicker

    from .test_term_picker import beads_with_korean
    from .test_term_picker import settle as settle_workers

    monkeypatch.setenv("ALIGNER_STATE_DIR", str(tmp_path / "state"))
    app = create_app(workspace=kiep_workspace, project_path=tmp_path / "pair.aligner.json")
    ws = kiep_workspace
    start = min(beads_with_korean(ws.alignment, "스마트시티"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.reader.move_cursor(start)
        await pilot.press("H", "D")
        await settle_workers(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker) and picker.ready and "Save a word" in (picker.title_text or "")
        await pilot.press(*"스마트시티", "enter")
        await settle_workers(pilot)
        assert not isinstance(app.screen, TermPicker)
        await pilot.press("D", *"스마트시티", "enter")  # the same word again: still one note
        await settle_workers(pilot)
        await pilot.press("d")  # and the whole pair: a note of its own
        await pilot.pause()
    path = deck_path()
    notes = read_notes(path)
    bead = ws.alignment.beads[start]
    korean = " ".join(" ".join(ws.ko.sentences[k].text for k in bead.src).split())
    english = " ".join(" ".join(ws.en.sentences[k].text for k in bead.tgt).split())
    assert len(notes) == 2
    front, back, example, translation, _tags = notes[0]
    assert front == "스마트시티"  # the word alone on the front
    assert (example, translation) == (korean, english)  # the example in its own fields
    assert "smart cit" in back.lower() and " · " not in back  # the glossary's translation alone
    assert notes[1] == (korean, english, "", "", "aligner")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "#tags column:5" in lines and "#deck:aligner" in lines
    assert lines[5].endswith("\taligner word") and lines[6].endswith("\taligner")  # tags: Anki's fifth column
