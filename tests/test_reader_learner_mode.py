"""Learner mode hides every answer and is remembered (issue 22, findings 6–8): the reading
view, the word pickers and the search results give no English away; pickers offer only
translations the glossary is sure of, with that confidence; the footer shows the learner's
keys; the mode comes back when the pair is reopened."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Static

from aligner.glossary.build import TermPair
from aligner.session.reader_state import load_state
from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app

from .test_reader_search import _screen_text
from .test_tui import bead_text, settle


def _app(ws: Workspace, tmp_path: Path, *, remember: bool = False) -> AlignerApp:
    return create_app(workspace=replace(ws), project_path=tmp_path / "pair.aligner.json", remember=remember)


async def test_reading_view_hides_the_english_until_revealed(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        _, en0 = bead_text(app, 0)
        await pilot.press("r", "L")  # reading the English
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
        screen = _screen_text(app)
        assert en0.split()[0] + " " + en0.split()[1] not in screen  # neither the text nor the counterpart
        assert "enter reveals" in screen
        await pilot.press("enter")
        await settle(pilot)
        counterpart = str(app.reading.query_one("#reading-counterpart", Static).render())
        assert en0.split()[0] in counterpart


async def test_search_results_hide_the_english_in_learner_mode(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("H", "slash", *"스마트시티")
        await settle(pilot)
        hits = app.search_panel.hits
        assert hits
        screen = _screen_text(app)
        assert "smart city" not in screen.lower()  # neither the pairs' English nor the terms' translations
        assert "hidden: learner mode" in screen


async def test_footer_shows_the_learner_keys(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        footer = _screen_text(app).splitlines()[-1]
        assert "Confirm" in footer and "Reveal" not in footer
        await pilot.press("H")
        await settle(pilot)
        footer = _screen_text(app).splitlines()[-1]
        assert "Reveal" in footer and "Save pair to deck" in footer
        assert "Confirm" not in footer and "Next to check" not in footer
        cursor = app.reader.cursor
        await pilot.press("c", "n")  # the workbench keys are off while learning
        await settle(pilot)
        assert app.reader.cursor == cursor and not app.workspace.alignment.beads[cursor].confirmed  # type: ignore[union-attr]


async def test_learner_mode_is_remembered_per_pair(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = _app(kiep_workspace, tmp_path, remember=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)
    ws = kiep_workspace
    assert load_state(ws.ko.path or "", ws.en.path or "").learner
    again = _app(kiep_workspace, tmp_path, remember=True)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.reader.learner and again.search_panel.hide_english and again.reading.learner
        await pilot.press("H")
        await settle(pilot)
    assert not load_state(ws.ko.path or "", ws.en.path or "").learner


def _with_wrong_pair(ws: Workspace) -> tuple[list[TermPair], int]:
    """The sample's glossary, and a bead where a doubtful entry (below the learner floor) occurs."""
    from aligner.glossary.build import build_glossary
    from aligner.glossary.pair_terms import pair_terms

    glossary = build_glossary(ws.alignment, ws.encoder)
    for b in range(len(ws.alignment.beads)):
        if any(not c.trusted for c in pair_terms(ws.alignment, b, glossary)):
            return glossary, b
    pytest.fail("no doubtful entry in the sample's glossary")


async def test_word_picker_offers_only_trusted_korean_terms_without_answers(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    from aligner.glossary.pair_terms import pair_terms
    from aligner.tui.term_picker import TermPicker

    from .test_term_picker import settle as settle_workers

    glossary, bead = _with_wrong_pair(kiep_workspace)
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.session is not None
        app.session.glossary.remember(app.workspace.alignment, glossary)  # type: ignore[union-attr]
        app.reader.move_cursor(bead)
        await pilot.press("H", "D")
        await settle_workers(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker) and picker.ready
        offered = {c.text for c in picker.choices}
        doubtful = {c.text for c in pair_terms(kiep_workspace.alignment, bead, glossary) if not c.trusted}
        assert offered and not offered & doubtful
        screen = _screen_text(app)
        for c in picker.choices:
            assert c.counterpart not in screen  # no translation given away
            assert f"{c.confidence:.2f}" in screen  # the confidence the glossary pane shows


async def test_the_palette_says_where_the_deck_is(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.session.learner_deck import package_path

    monkeypatch.setenv("ALIGNER_STATE_DIR", str(tmp_path / "state"))
    app = _app(kiep_workspace, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Learning deck: where is it?" in titles
        app.action_show_deck()
        await settle(pilot)
        assert any(str(package_path()) in str(n.message) for n in app._notifications)
