"""The glossary screen driven with Textual Pilot over the real glossary of the KIEP sample."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from aligner.core.values import Lang
from aligner.glossary.build import TermPair, concordance
from aligner.glossary.termhood import TermKind
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace
from aligner.tui.glossary_screen import GlossaryScreen, kwic_text

SIZE = (120, 40)


class Host(App[None]):
    """A bare app that pushes the screen the reader would push."""

    def __init__(self, screen: GlossaryScreen) -> None:
        super().__init__()
        self.glossary = screen
        self.results: list[int | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.glossary, callback=self.results.append)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


def table_rows(screen: GlossaryScreen) -> list[tuple[str, str, int]]:
    table = screen.query_one("#glossary-table", DataTable)
    rows = []
    for i in range(table.row_count):
        ko, en, _kind, freq, _conf = table.get_row_at(i)
        rows.append((str(ko), str(en), int(str(freq))))
    return rows


def table_kinds(screen: GlossaryScreen) -> list[str]:
    table = screen.query_one("#glossary-table", DataTable)
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


def concordance_texts(screen: GlossaryScreen) -> list[str]:
    listing = screen.query_one("#concordance", OptionList)
    from .test_tui import plain

    # each line is a wrapped grid: rendered wide enough to read as one line per side
    return [" ".join(plain(listing.get_option_at_index(i).prompt, 2000).split()) for i in range(listing.option_count)]


async def test_open_filter_choose_a_term_and_read_its_concordance(kiep_workspace: Workspace) -> None:
    screen = GlossaryScreen(kiep_workspace)  # a fresh cache: the screen learns the glossary in a worker
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen.ready and len(screen.pairs) > 100
        assert len(table_rows(screen)) == len(screen.pairs)
        title = str(screen.query_one("#glossary-title", Static).render())
        assert f"{len(screen.pairs)} of {len(screen.pairs)} term pairs" in title
        # the first row is highlighted and its concordance shown
        assert concordance_texts(screen)

        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"인공지능")
        await pilot.pause()
        rows = table_rows(screen)
        assert rows and all("인공지능" in ko.replace(" ", "") or "인공지능" in en for ko, en, _ in rows)
        assert ("인공지능", "artificial intelligence") in [(ko, en) for ko, en, _ in rows]

        await pilot.press("enter")  # filter -> table
        assert isinstance(app.focused, DataTable)
        index = [ko for ko, _, _ in table_rows(screen)].index("인공지능")
        screen.query_one("#glossary-table", DataTable).move_cursor(row=index)
        await pilot.pause()
        expected = concordance(kiep_workspace.alignment, "인공지능", Lang.KO)
        texts = concordance_texts(screen)
        assert len(texts) == len(expected) >= 15
        assert all("인공지능" in t for t in texts)
        assert sum("artificial intelligence" in t.lower() for t in texts) >= 10
        heading = str(screen.query_one("#concordance-title", Static).render())
        assert "인공지능" in heading and "artificial intelligence" in heading

        await pilot.press("enter")  # table -> concordance
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "enter")  # open the second line in the reader
        await pilot.pause()
        assert app.results == [expected[1].bead]


async def test_sorting_and_escape(kiep_workspace: Workspace) -> None:
    screen = GlossaryScreen(kiep_workspace)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen.sort_name == "score"
        await pilot.press("s")
        assert screen.sort_name == "frequency"
        freqs = [f for _, _, f in table_rows(screen)]
        assert freqs == sorted(freqs, reverse=True)
        await pilot.press("s")
        korean = [ko for ko, _, _ in table_rows(screen)]
        assert korean == sorted(korean)
        await pilot.press("s")
        english = [en.casefold() for _, en, _ in table_rows(screen)]
        assert english == sorted(english)
        bindings = {b.key: b.description for b in GlossaryScreen.BINDINGS}  # type: ignore[union-attr]
        assert all(bindings.values())
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        assert not isinstance(app.screen, GlossaryScreen)


async def test_the_kind_filter_lists_terms_names_or_general_words(kiep_workspace: Workspace) -> None:
    screen = GlossaryScreen(kiep_workspace)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = table_rows(screen)
        assert [(p.ko, p.en) for p in screen.pairs] == [(ko, en) for ko, en, _ in everything]  # the one ranking
        assert set(table_kinds(screen)) == {"term", "name", "general"}
        seen = []
        for kind in ("term", "name", "general"):
            await pilot.press("k")
            await pilot.pause()
            assert set(table_kinds(screen)) == {kind}
            rows = table_rows(screen)
            expected = [(p.ko, p.en) for p in screen.pairs if p.kind is TermKind(kind)]
            assert [(ko, en) for ko, en, _ in rows] == expected  # same order, only that kind
            title = str(screen.query_one("#glossary-title", Static).render())
            assert f"{len(rows)} of {len(screen.pairs)} term pairs (" in title
            seen += rows
        assert sorted(seen) == sorted(everything)
        await pilot.press("k")  # back to all
        await pilot.pause()
        assert table_rows(screen) == everything


async def test_initial_term_shows_its_concordance_and_text_is_literal(kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    odd = TermPair("[bold]스마트시티[/bold]", "[red]smart city[/red]", 1, 0.5, 0)
    real = TermPair("스마트시티", "smart city", 12, 0.9, 3)
    known = GlossaryCache()
    known.remember(alignment, [odd, real])  # no worker: the cached glossary
    screen = GlossaryScreen(kiep_workspace, initial_term="스마트시티", glossary=known)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen.query_one("#glossary-filter", Input).value == "스마트시티"
        rows = table_rows(screen)
        assert ("[bold]스마트시티[/bold]", "[red]smart city[/red]", 1) in rows  # markup shown as typed
        assert screen.query_one("#glossary-table", DataTable).cursor_row == rows.index(("스마트시티", "smart city", 12))
        texts = concordance_texts(screen)
        assert len(texts) == len(concordance(alignment, "스마트시티", Lang.KO)) > 10
        assert sum("smart cit" in t.lower() for t in texts) >= 8


def test_kwic_text_aligns_wide_korean_by_cells() -> None:
    text = "가나다라마바사아자차카타파하 인공지능 생태계"
    start = text.index("인공지능")
    line = kwic_text(text, ((start, start + 4),), "bold", width=10)
    assert line.plain.index("인공지능") == 6  # 10 cells of context: "…" and four wide syllables
    assert line.cell_len <= 10 + 8 + 10
    assert kwic_text("no match here", (), "bold").style == "dim"
