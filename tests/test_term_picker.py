"""The term picker ("l"): a whole term or name of the selected pair, or any typed phrase, opens its concordance.

Driven with Textual Pilot over the real pipeline on the bundled sample (real
kiwipiepy term extraction, the real glossary and concordance).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from aligner.core.values import Alignment, Lang
from aligner.glossary.build import TermPair
from aligner.glossary.concordance import spans_of
from aligner.glossary.termhood import TermKind
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app
from aligner.tui.commands import COMMANDS
from aligner.tui.glossary_screen import GlossaryScreen
from aligner.tui.help_screen import key_rows
from aligner.tui.term_picker import TermPicker, filter_terms, norm, pair_terms

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

SIZE = (100, 30)


def make_app(workspace: Workspace, tmp_path: Path) -> AlignerApp:
    return create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json")


async def settle(pilot: Pilot[Any]) -> None:
    """Let debounce timers fire, every worker finish and the screen refresh."""
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def alignment_of(app: AlignerApp) -> Alignment:
    assert app.workspace is not None
    return app.workspace.alignment


def beads_with_korean(alignment: Alignment, term: str) -> set[int]:
    """Brute force: every bead with a Korean sentence containing ``term`` (spaces ignored)."""
    key = "".join(term.split())
    return {
        b
        for b, bead in enumerate(alignment.beads)
        if any(key in "".join(alignment.source.sentences[i].text.split()) for i in bead.src)
    }


def beads_with_english(alignment: Alignment, pattern: str) -> set[int]:
    """Brute force: every bead with an English sentence matching ``pattern`` (case ignored)."""
    regex = re.compile(pattern, re.IGNORECASE)
    return {
        b
        for b, bead in enumerate(alignment.beads)
        if any(regex.search(alignment.target.sentences[j].text) for j in bead.tgt)
    }


def option_texts(listing: OptionList) -> list[str]:
    from .test_tui import plain

    # a concordance line is a wrapped grid: rendered wide enough to read as one line per side
    return [" ".join(plain(listing.get_option_at_index(i).prompt, 2000).split()) for i in range(listing.option_count)]


def rendered(widget: OptionList) -> str:
    return "\n".join(widget.render_line(y).text for y in range(widget.scrollable_content_region.height))


# ---------------------------------------------------------------------- the candidates


@pytest.fixture(scope="module")
def glossary(kiep_workspace: Workspace) -> list[TermPair]:
    return GlossaryCache().learn(kiep_workspace.alignment, kiep_workspace.encoder)


def test_pair_terms_lists_whole_terms_and_names_once_korean_first(
    kiep_workspace: Workspace, glossary: list[TermPair]
) -> None:
    alignment = kiep_workspace.alignment
    index = min(beads_with_korean(alignment, "스마트시티"))
    choices = pair_terms(alignment, index, glossary)
    texts = [c.text for c in choices]
    assert len({(c.lang, norm(c.text)) for c in choices}) == len(choices)  # each entry once
    entries = {(p.ko, p.en): p for p in glossary}
    bead = alignment.beads[index]
    ko = " ".join(alignment.source.sentences[i].text for i in bead.src)
    en = " ".join(alignment.target.sentences[j].text for j in bead.tgt)
    for c in choices:  # a glossary term or name, found on its side of this pair
        pair = entries[(c.text, c.counterpart) if c.lang is Lang.KO else (c.counterpart, c.text)]
        assert pair.kind in (TermKind.TERM, TermKind.NAME)
        assert spans_of(ko if c.lang is Lang.KO else en, c.text, c.lang)
    assert "스마트시티" in texts
    assert not any(c.kind is TermKind.GENERAL for c in choices)
    hangul = [i for i, c in enumerate(choices) if c.lang is Lang.KO]
    assert hangul == list(range(len(hangul)))  # the Korean side comes first
    # whole terms only: every offered Korean term occurs in the pair outside the longer ones offered
    for c in choices:
        for d in choices:
            if c.lang is d.lang is Lang.KO and norm(c.text) != norm(d.text) and norm(c.text) in norm(d.text):
                assert ko.replace(" ", "").count(norm(c.text)) > ko.replace(" ", "").count(norm(d.text))
    assert filter_terms(choices, "스마트 시티")[0].text == "스마트시티"
    assert filter_terms(choices, "smart city")[0].text == "스마트시티"  # the translation matches too


def test_no_fragments_or_predicates_are_offered(kiep_workspace: Workspace, glossary: list[TermPair]) -> None:
    """The pair that offered "대 중점" and "대하다" offers glossary terms only."""
    alignment = kiep_workspace.alignment
    index = min(beads_with_korean(alignment, "11대 중점"))
    texts = [c.text for c in pair_terms(alignment, index, glossary)]
    assert texts and not any(t.endswith("다") or t.startswith("대 ") for t in texts), texts
    keys = {norm(p.ko) for p in glossary} | {norm(p.en) for p in glossary}
    assert all(norm(t) in keys for t in texts)


# ---------------------------------------------------------------------- in the reader


async def test_pick_a_term_of_the_pair_and_read_its_concordance(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        alignment = alignment_of(app)
        expected = beads_with_korean(alignment, "스마트시티")
        assert len(expected) >= 5
        start = min(expected)
        app.reader.move_cursor(start)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker) and picker.index == start
        assert isinstance(app.focused, Input) and app.focused.value == ""
        listing = picker.query_one("#term-list", OptionList)
        texts = option_texts(listing)
        glossary = GlossaryCache().learn(alignment, kiep_workspace.encoder)
        assert len(texts) == len(pair_terms(alignment, start, glossary)) >= 3
        assert any("스마트시티" in t and "smart city" in t for t in texts)  # the term with its translation

        await pilot.press(*"스마트시티")  # the filter narrows the list to the term (first) and longer ones
        await pilot.pause()
        assert picker.shown[0] == "스마트시티" and all("스마트시티" in t for t in picker.shown)
        assert listing.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.initial_term == "스마트시티"
        assert {line.bead for line in screen.lines} == expected  # every pair containing it
        concordance = screen.query_one("#concordance", OptionList)
        shown = option_texts(concordance)
        assert len(shown) == len(expected) and all("스마트시티" in t.replace(" ", "") for t in shown)
        title = str(screen.query_one("#concordance-title", Static).render())
        assert "스마트시티" in title and f"{len(expected)} pairs" in title

        await pilot.press("l")  # the picker opens from the reader only
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("c", "down", "enter")  # open the second line in the reader, as with "w"
        await settle(pilot)
        assert not isinstance(app.screen, (GlossaryScreen, TermPicker))
        assert app.reader.cursor == screen.lines[1].bead
        assert app.focused is app.reader

        await pilot.press("l")  # Escape closes the picker and opens nothing
        await settle(pilot)
        assert isinstance(app.screen, TermPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert app.focused is app.reader


async def test_the_picker_learns_the_glossary_when_none_is_there(kiep_workspace: Workspace, tmp_path: Path) -> None:
    alignment = kiep_workspace.alignment
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker) and picker.ready
        assert app.session is not None
        learned = app.session.glossary.cached(alignment)
        assert learned is not None and len(learned) > 100  # learned once, shared with the glossary pane
        assert picker.choices == pair_terms(alignment, picker.index, learned)
        assert picker.choices and "terms and names of this pair" in str(
            picker.query_one("#term-count", Static).render()
        )


async def test_the_picked_term_is_opened_not_a_longer_one(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        alignment = alignment_of(app)
        glossary = GlossaryCache().learn(alignment, kiep_workspace.encoder)
        assert any(p.ko != "인공지능" and "인공지능" in p.ko for p in glossary)  # longer terms exist
        app.reader.move_cursor(min(beads_with_korean(alignment, "인공지능")))
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker)
        await pilot.press(*"인공지능", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.concordance_term == "ko:인공지능:artificial intelligence"
        table = screen.query_one("#glossary-table", DataTable)
        assert screen.shown[table.cursor_row].ko == "인공지능"
        assert {line.bead for line in screen.lines} == beads_with_korean(alignment, "인공지능")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("l")  # a word that is no entry ("테스트" is part of "테스트베드"): that word
        await settle(pilot)
        await pilot.press(*"테스트", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.concordance_term == "ko:테스트:None"
        assert {line.bead for line in screen.lines} == beads_with_korean(alignment, "테스트")
        title = str(screen.query_one("#concordance-title", Static).render())
        assert "테스트베드" not in title and "⇄" not in title


async def test_a_typed_phrase_is_looked_up_as_typed(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker)
        await pilot.press(*"smart cities")  # not a word of the first pair
        await pilot.pause()
        listing = picker.query_one("#term-list", OptionList)
        assert picker.shown == ["smart cities"]
        assert "look up “smart cities” as typed" in option_texts(listing)[0]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        expected = beads_with_english(alignment_of(app), r"\bsmart[ -]?cit(?:y|ies)\b")
        assert len(expected) >= 5
        assert {line.bead for line in screen.lines} == expected
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1


async def test_user_text_is_literal(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker)
        await pilot.press(*"[bold]x[/bold]")
        await pilot.pause()
        listing = picker.query_one("#term-list", OptionList)
        assert picker.shown == ["[bold]x[/bold]"]
        assert "[bold]x[/bold]" in rendered(listing)  # drawn as typed, not as markup
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.lines == []
        title = str(screen.query_one("#concordance-title", Static).render())
        assert "[bold]x[/bold]" in title and "0 pairs" in title


async def test_the_search_query_prefills_the_picker(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"스마트시티", "enter")  # jump to the best match; the panel stays open
        await settle(pilot)
        assert app.search_panel.is_open and app.focused is app.reader
        cursor = app.reader.cursor
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, TermPicker) and picker.index == cursor
        field = picker.query_one("#term-input", Input)
        assert field.value == "스마트시티"
        assert picker.shown[0] == "스마트시티"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GlossaryScreen)
        assert app.screen.initial_term == "스마트시티"


async def test_key_help_and_palette(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        described = {(keys, desc) for _, bindings in app.help_sections() for keys, desc in key_rows(bindings, app)}
        assert ("l", "Look up a term of this pair…") in described
        assert "look_up_term" in {action for action, _, _ in COMMANDS}
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Look up a term")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TermPicker)
