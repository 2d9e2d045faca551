"""The search box: a query input with history and a live list of ranked hits.

The panel never searches itself: it posts ``QueryChanged`` (debounced) and
``HitChosen`` up to its parent, which runs the search in a worker and hands
the hits back with ``show_results`` (attributes down).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Offset
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from aligner.core.values import Lang
from aligner.search.hits import HitKind, SearchHit
from aligner.tui.rows import ABSENT, display_text

DEBOUNCE_S = 0.025
"""Wait this long after a keystroke before searching (a search itself takes a few ms)."""
KIND_STYLES = {
    HitKind.SEMANTIC: "cyan",
    HitKind.LITERAL: "green",
    HitKind.MORPHEME: "magenta",
    HitKind.CONCEPT: "yellow",
}
SIDE_WIDTH = 4


HIDDEN = "(hidden: learner mode)"
"""What a result shows instead of the English in learner mode."""


def plural(n: int, word: str) -> str:
    """"1 result", "2 results"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


SHORT_SCREEN = 30
"""Below this many rows each side of a result is cut to ``SHORT_LINES`` lines, so two results fit."""
SHORT_LINES = 2


def hit_prompt(hit: SearchHit, *, hide_english: bool = False, cells: int | None = None) -> Table:
    """One result: score and how it matched (plain words, with the terms that led here), then
    the pair's two sides, the matched side first, each wrapped to the window under its language
    tag; ``hide_english`` (learner mode): the English side and the terms' translations hidden;
    ``cells``: each side cut (with …) to about that many cells."""
    head = Text(f"{hit.score:4.2f} ", style="bold")
    for n, kind in enumerate(hit.kinds):
        if n:
            head.append(" + ", style="dim")
        head.append(kind.label, style=KIND_STYLES.get(kind, ""))
    if hit.terms:
        terms = [t.split(" ⇄ ")[0] for t in hit.terms] if hide_english else list(hit.terms)
        head.append(f" · {'; '.join(terms)}", style=KIND_STYLES[HitKind.CONCEPT])
    grid = Table.grid(expand=True)
    grid.add_column(width=SIDE_WIDTH, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(Text(""), head)
    if not hit.ko and not hit.en:
        sides = [(hit.lang, hit.text)]
    else:
        ko, en = (Lang.KO, hit.ko), (Lang.EN, hit.en)
        sides = [ko, en] if hit.lang is Lang.KO else [en, ko]
    for n, (lang, text) in enumerate(sides):
        tag = Text(f" {lang.value.upper()} ", style="bold" if n == 0 else "dim bold")
        body = Text(display_text(text), style="" if n == 0 else "dim") if text else Text(ABSENT, style="dim italic")
        if hide_english and lang is Lang.EN:
            body = Text(HIDDEN, style="dim italic")
        elif cells is not None:
            body.truncate(cells, overflow="ellipsis")
        grid.add_row(tag, body)
    return grid


class HistoryInput(Input):
    """An Input whose up/down keys walk through earlier queries."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_previous", "Earlier search", show=False),
        Binding("down", "history_next", "Later search", show=False),
    ]

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.history: list[str] = []
        self._position: int | None = None
        self._draft = ""

    @property
    def cursor_screen_offset(self) -> Offset:
        """The screen cell of the caret: where the terminal cursor goes, so that an input method's
        composition window (Korean IME) opens at the caret (Textual puts it one cell past the end)."""
        x, y, _width, _height = self.content_region
        return Offset(x + self._position_to_cell(self.cursor_position) - self.scroll_offset.x, y)

    def place_terminal_cursor(self) -> None:
        """Put the terminal cursor at the caret now (on focus, after the panel is laid out)."""
        if self.has_focus:
            self.app.cursor_position = self.cursor_screen_offset
            self.app.screen.refresh()  # the next frame ends with the cursor move

    def on_focus(self) -> None:
        self.call_after_refresh(self.place_terminal_cursor)

    def on_resize(self) -> None:
        self.call_after_refresh(self.place_terminal_cursor)

    def remember(self, query: str) -> None:
        query = query.strip()
        if query:
            if query in self.history:
                self.history.remove(query)
            self.history.append(query)
        self._position = None

    def _recall(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)

    def action_history_previous(self) -> None:
        if not self.history:
            return
        if self._position is None:
            self._draft = self.value
            self._position = len(self.history) - 1
        else:
            self._position = max(0, self._position - 1)
        self._recall(self.history[self._position])

    def action_history_next(self) -> None:
        if self._position is None:
            return
        self._position += 1
        if self._position >= len(self.history):
            self._position = None
            self._recall(self._draft)
        else:
            self._recall(self.history[self._position])


class SearchPanel(Vertical):
    """Query input, a hit count line and the ranked results."""

    DEFAULT_CSS = """
    SearchPanel {
        height: 45%;
        min-height: 7;
        max-height: 20;
        display: none;
        border-top: solid $accent;
        background: $panel;
    }
    SearchPanel.-open { display: block; }
    SearchPanel > #search-input { border: none; height: 1; padding: 0 1; }
    SearchPanel > #search-count { height: 1; padding: 0 1; color: $text-muted; }
    SearchPanel > #search-results {
        height: 1fr;
        border: none;
        background: $panel;
    }
    SearchPanel > #search-results > .option-list--option { padding-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search"),
        Binding("ctrl+o", "app.toggle_result_order", "Results best first / in document order", show=False),
    ]

    class QueryChanged(Message):
        """The user typed: run this search (already debounced)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class HitChosen(Message):
        """The user picked a result (Enter or click)."""

        def __init__(self, hit: SearchHit, query: str) -> None:
            super().__init__()
            self.hit = hit
            self.query = query

    class Closed(Message):
        """The user closed the search (Escape)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._hits: list[SearchHit] = []
        self._results_for: str | None = None
        self._pending_submit = False
        self._word_forms = True
        self._terms = True
        self.document_order = False
        """Results in document order (else best first)."""
        self.hide_english = False
        """Learner mode: results show no English (attributes down: ``set_learner``)."""

    def compose(self) -> ComposeResult:
        yield HistoryInput(placeholder="Search Korean or English (↑↓ history, Enter jumps)", id="search-input")
        yield Static(id="search-count")
        yield OptionList(id="search-results")

    @property
    def input(self) -> HistoryInput:
        return self.query_one("#search-input", HistoryInput)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    @property
    def hits(self) -> list[SearchHit]:
        """The results in the order shown."""
        if self.document_order:
            return sorted(self._hits, key=lambda h: (h.bead, h.lang != Lang.KO, h.sentence))
        return list(self._hits)

    def set_document_order(self, on: bool) -> None:
        """Show the results in document order (or best first), keeping the highlighted one."""
        shown = self.hits
        index = self.results.highlighted
        keep = shown[index] if index is not None and 0 <= index < len(shown) else None
        self.document_order = on
        self._show_hits(keep)

    def set_learner(self, on: bool) -> None:
        """Learner mode: hide the English of every result (and of the terms that found it)."""
        self.hide_english = on
        self._show_hits(None)

    @property
    def results_query(self) -> str | None:
        """The query the shown results belong to."""
        return self._results_for

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()
        if self.input.value:
            self.input.select_all()
        self.call_after_refresh(self.input.place_terminal_cursor)  # the box has its place only now

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def results_word_forms(self) -> bool:
        """Whether the shown results were searched with Korean word forms."""
        return self._word_forms

    @property
    def results_terms(self) -> bool:
        """Whether the shown results were searched with the document's terms."""
        return self._terms

    def show_results(
        self, query: str, hits: Sequence[SearchHit], *, word_forms: bool = True, terms: bool = True
    ) -> None:
        """Display ``hits`` for ``query`` (ignored if the user has typed on since);
        ``word_forms`` False: found while Korean word forms were still being prepared;
        ``terms`` False: found before the document's terms were learned."""
        if query != self.input.value.strip():
            return
        self._hits = list(hits)
        self._results_for = query
        self._word_forms = word_forms
        self._terms = terms
        self._show_hits(None)
        if self._pending_submit:
            self._pending_submit = False
            self._choose(self.results.highlighted)

    def _show_hits(self, keep: SearchHit | None) -> None:
        """The results list and the count line, in the chosen order, ``keep`` highlighted."""
        hits, query = self.hits, self._results_for or ""
        results = self.results
        results.clear_options()
        short = self.app.size.height < SHORT_SCREEN
        cells = SHORT_LINES * max(10, self.size.width - SIDE_WIDTH - 4) - 2 if short else None
        results.add_options(Option(hit_prompt(h, hide_english=self.hide_english, cells=cells)) for h in hits)
        if hits:
            results.highlighted = hits.index(keep) if keep in hits else 0
        if not query:
            line = Text("")
        elif not hits:
            line = Text("no match", style="italic")
        else:
            order = "in document order" if self.document_order else "best first"
            line = Text(f"{plural(len(hits), 'result')}, {order} (ctrl+o) · Enter jumps · . , next/previous")
        if query and not self._word_forms:
            line.append(" · word forms: preparing…", style="italic")
        if query and not self._terms:
            line.append(" · terms: learning…", style="italic")
        self.query_one("#search-count", Static).update(line)

    def _fire(self) -> None:
        self._timer = None
        self.post_message(self.QueryChanged(self.input.value.strip()))

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self._fire)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        if not query:
            return
        if self._results_for == query and self._timer is None:
            self._choose(self.results.highlighted)
        else:  # results not in yet: jump as soon as they arrive
            self._pending_submit = True
            if self._timer is not None:
                self._timer.stop()
            self._fire()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        hits = self.hits
        if not hits or self._results_for is None:
            return
        hit = hits[index if index is not None and 0 <= index < len(hits) else 0]
        self.input.remember(self._results_for)
        self.post_message(self.HitChosen(hit, self._results_for))

    def action_close(self) -> None:
        self.post_message(self.Closed())
