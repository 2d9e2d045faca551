"""The glossary screen: learned term pairs, sortable and filterable, with a concordance.

``GlossaryScreen(workspace, initial_term=None)`` computes the glossary in a
thread worker (progress bar), lists the pairs in a table — in the glossary's
one ranking (``TermPair.rank_score``) unless sorted otherwise, each with its
kind — and shows, for the highlighted pair, every aligned pair containing the
term — both sides, the term and its counterpart highlighted, keyword in
context. ``k`` cycles the kinds shown (all, terms, names, general words).
With ``initial_term`` (a term picked or typed in the reader) the filter starts
with it and exactly that term's concordance is shown, never a longer one's. Enter on a concordance line
closes the screen with that bead's index (``dismiss(int)``); Escape closes it
with ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.data_table import ColumnKey
from textual.widgets.option_list import Option

from aligner.core.values import Lang
from aligner.glossary.build import TermPair
from aligner.glossary.concordance import ConcordanceLine, concordance, term_lang
from aligner.glossary.termhood import TermKind
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace
from aligner.tui.rows import display_text
from aligner.tui.search_panel import plural

KWIC_WIDTH = 34
KO_WIDTH = 28  # term columns in cells: the rare longer term is cut ("…"); the concordance title shows it whole
EN_WIDTH = 44
KIND_WIDTH = 7
TERM_STYLE = "bold reverse"
COUNTERPART_STYLE = "bold underline"

SortKey = Callable[[TermPair], tuple[object, ...]]
SORTS: tuple[tuple[str, SortKey], ...] = (
    ("score", lambda p: (-p.rank_score, p.ko)),
    ("frequency", lambda p: (-p.frequency, -p.confidence, p.ko)),
    ("Korean", lambda p: (p.ko, p.en)),
    ("English", lambda p: (p.en.casefold(), p.ko)),
)
_COLUMN_SORT = {"ko": "Korean", "en": "English", "freq": "frequency", "conf": "score"}
KIND_FILTERS: tuple[tuple[str, frozenset[TermKind]], ...] = (
    ("all", frozenset(TermKind)),
    ("terms", frozenset({TermKind.TERM})),
    ("names", frozenset({TermKind.NAME})),
    ("general words", frozenset({TermKind.GENERAL})),
)
KIND_LABELS = {TermKind.TERM: "term", TermKind.NAME: "name", TermKind.GENERAL: "general"}
KIND_STYLES = {TermKind.TERM: "", TermKind.NAME: "magenta", TermKind.GENERAL: "dim"}

def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def matches(pair: TermPair, query: str) -> bool:
    """The filter: the query (spaces and case ignored) inside either term."""
    q = _norm(query)
    return not q or q in _norm(pair.ko) or q in _norm(pair.en)


def _tail(text: str, width: int) -> str:
    """The end of ``text`` that fits ``width`` terminal cells ("…" marks a cut)."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in reversed(text):
        if cell_len(ch + out) > width - 1:
            break
        out = ch + out
    return "…" + out


def _head(text: str, width: int) -> str:
    """The start of ``text`` that fits ``width`` terminal cells."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def kwic_text(text: str, spans: tuple[tuple[int, int], ...], style: str, width: int = KWIC_WIDTH) -> Text:
    """One side of a concordance line: left context right-aligned (in cells), the term, right context."""
    if not spans:
        return Text(_head(text, 2 * width), style="dim")
    start, end = spans[0]
    left = _tail(text[:start], width)
    out = Text(" " * (width - cell_len(left)))
    out.append(left)
    out.append(text[start:end], style=style)
    right = Text(_head(text[end:], width))
    for a, b in spans[1:]:  # later occurrences inside the right context stay highlighted
        right.stylize(style, a - end, b - end)
    out.append_text(right)
    return out


def concordance_prompt(line: ConcordanceLine, lang: Lang) -> Table:
    """Two rows for one bead: its whole Korean and English, wrapped to the window (never cut), the
    searched side's term reversed and its translation underlined."""
    other = Lang.EN if lang is Lang.KO else Lang.KO
    styles = {lang: TERM_STYLE, other: COUNTERPART_STYLE}
    grid = Table.grid(expand=True)
    grid.add_column(width=8, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for n, side in enumerate((Lang.KO, Lang.EN)):
        body = Text(display_text(line.text(side)) or "—")
        for a, b in line.spans(side):
            body.stylize(styles[side], a, b)
        head = Text(f"#{line.bead + 1:<4}" if n == 0 else "     ", style="bold")
        head.append(f"{side.value.upper()} ", style="cyan" if side is Lang.KO else "green")
        grid.add_row(head, body)
    return grid


class GlossaryScreen(Screen[int | None]):
    """Term pairs learned from the aligned pairs, and a concordance of the chosen term."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close glossary"),
        Binding("s", "cycle_sort", "Sort (score/frequency/Korean/English)"),
        Binding("k", "cycle_kind", "Kind (all/terms/names/general)"),
        Binding("slash,f", "focus_filter", "Filter"),
        Binding("t", "focus_table", "Term list", show=False),
        Binding("c", "focus_concordance", "Concordance"),
    ]

    DEFAULT_CSS = """
    GlossaryScreen { layout: vertical; }
    GlossaryScreen #glossary-head { height: 1; }
    GlossaryScreen #glossary-title { width: 1fr; text-style: bold; }
    GlossaryScreen #glossary-progress { width: 40; }
    GlossaryScreen #glossary-filter { height: 3; }
    GlossaryScreen #glossary-body { height: 1fr; }
    GlossaryScreen #glossary-table { height: 2fr; }
    GlossaryScreen #concordance-title { height: 1; color: $text-muted; }
    GlossaryScreen #concordance { height: 3fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(
        self, workspace: Workspace, initial_term: str | None = None, glossary: GlossaryCache | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.glossary = glossary if glossary is not None else GlossaryCache()
        self.initial_term = (initial_term or "").strip()
        self.pairs: list[TermPair] = []
        self.shown: list[TermPair] = []
        self.sort_name = "score"
        self.kind_name = "all"
        self.lines: list[ConcordanceLine] = []
        self.concordance_term: str | None = None
        self.ready = False
        self.filter_value = self.initial_term  # the filter the table shows
        self.pinned_row: int | None = None  # the initial term's row: its concordance stays until the cursor moves

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="glossary-head"):
            yield Static(Text("Glossary — learning term pairs…"), id="glossary-title")
            yield ProgressBar(id="glossary-progress", show_eta=False)
        yield Input(value=self.initial_term, placeholder="Filter: Korean or English term…", id="glossary-filter")
        with Vertical(id="glossary-body"):
            table: DataTable[Text] = DataTable(id="glossary-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(Text("Concordance"), id="concordance-title")
            yield OptionList(id="concordance")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#glossary-table", DataTable)
        table.add_column(Text("한국어"), key="ko", width=KO_WIDTH)
        table.add_column(Text("English"), key="en", width=EN_WIDTH)
        table.add_column(Text("kind"), key="kind", width=KIND_WIDTH)
        table.add_column(Text("freq"), key="freq")
        table.add_column(Text("conf"), key="conf")
        self._fit_columns()
        table.focus()
        if self.initial_term:
            self.show_concordance(self.initial_term)
        cached = self.glossary.cached(self.workspace.alignment)
        if cached is not None:
            self._glossary_ready(cached)
        else:
            self.compute()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Term columns share what the kind and the numbers leave, so ``conf`` always stays on screen."""
        table = self.query_one("#glossary-table", DataTable)
        numbers = KIND_WIDTH + 2 * table.cell_padding + 2 * (5 + 2 * table.cell_padding)
        text = max(16, self.size.width - numbers - 2 * 2 * table.cell_padding - 2)  # 2: the scrollbar
        for key, width in (("ko", text * 2 // 5), ("en", text - text * 2 // 5)):
            column = table.columns.get(ColumnKey(key))
            if column is not None:
                column.auto_width = False
                column.width = width
        table.refresh(layout=True)

    # ------------------------------------------------------------------ worker

    @work(thread=True, exclusive=True, group="glossary", exit_on_error=False)
    def compute(self) -> None:
        alignment = self.workspace.alignment

        def progress(stage: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, stage, done, total)

        try:
            pairs = self.glossary.learn(alignment, self.workspace.encoder, progress)
        except Exception as err:  # noqa: BLE001 — shown to the user, the screen stays usable
            message = " ".join(str(err).split()) or type(err).__name__
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._glossary_ready, pairs)

    def _progress(self, stage: str, done: int, total: int) -> None:
        if not self.is_attached:
            return
        self.query_one("#glossary-title", Static).update(Text(f"Glossary — {stage}…"))
        self.query_one("#glossary-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self.query_one("#glossary-title", Static).update(Text(f"Glossary failed: {message}", style="red"))
        self.query_one("#glossary-progress", ProgressBar).display = False

    def _glossary_ready(self, pairs: list[TermPair]) -> None:
        if not self.is_attached:
            return
        self.pairs = list(pairs)
        self.ready = True
        self.query_one("#glossary-progress", ProgressBar).display = False
        self.refresh_table()
        if self.initial_term:
            if not self._select_term(self.initial_term):
                self.show_concordance(self.initial_term)  # not an entry: the term itself, not a longer one
            self.pinned_row = self.query_one("#glossary-table", DataTable).cursor_row

    # ------------------------------------------------------------------ table

    def refresh_table(self) -> None:
        query = self.filter_value = self.query_one("#glossary-filter", Input).value
        key = dict(SORTS)[self.sort_name]
        kinds = dict(KIND_FILTERS)[self.kind_name]
        self.shown = sorted((p for p in self.pairs if p.kind in kinds and matches(p, query)), key=key)
        table = self.query_one("#glossary-table", DataTable)
        table.clear()
        for i, p in enumerate(self.shown):
            table.add_row(
                Text(p.ko, no_wrap=True, overflow="ellipsis"),
                Text(p.en, no_wrap=True, overflow="ellipsis"),
                Text(KIND_LABELS[p.kind], style=KIND_STYLES[p.kind]),
                Text(str(p.frequency), justify="right"),
                Text(f"{p.confidence:.2f}" if p.trusted else f"{p.confidence:.2f}?", justify="right",
                     style="" if p.trusted else "yellow"),  # ?: not taught to learners (TermPair.trusted)
                key=str(i),
            )
        shown_kind = "" if self.kind_name == "all" else f" ({self.kind_name})"
        title = f"Glossary — {len(self.shown)} of {len(self.pairs)} term pairs{shown_kind}, by {self.sort_name}"
        self.query_one("#glossary-title", Static).update(Text(title))
        if self.shown:
            table.move_cursor(row=0)
            self.show_pair(self.shown[0])
        elif query.strip():
            self.show_concordance(query.strip())

    def _select_term(self, term: str) -> bool:
        """Highlight the (best ranked) pair whose term in ``term``'s language is exactly ``term``;
        False if there is none."""
        lang = term_lang(term)
        for i, p in enumerate(self.shown):
            if _norm(term) == _norm(p.ko if lang is Lang.KO else p.en):
                self.query_one("#glossary-table", DataTable).move_cursor(row=i)
                self.show_pair(p, lang=lang)
                return True
        return False

    @on(Input.Changed, "#glossary-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self.ready and event.value != self.filter_value:  # not the initial term's own change event
            self.pinned_row = None
            self.refresh_table()

    @on(Input.Submitted, "#glossary-filter")
    def _filter_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#glossary-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#glossary-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.pinned_row is not None:
            if event.cursor_row in (0, self.pinned_row):
                return  # the table was just filled: keep the picked term's concordance
            self.pinned_row = None
        if 0 <= event.cursor_row < len(self.shown):
            self.show_pair(self.shown[event.cursor_row])

    @on(DataTable.RowSelected, "#glossary-table")
    def _row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_focus_concordance()

    @on(DataTable.HeaderSelected, "#glossary-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        name = _COLUMN_SORT.get(str(event.column_key.value))
        if name:
            self.sort_name = name
            self.refresh_table()

    # ------------------------------------------------------------------ concordance

    def show_pair(self, pair: TermPair, lang: Lang = Lang.KO) -> None:
        term, counterpart = (pair.ko, pair.en) if lang is Lang.KO else (pair.en, pair.ko)
        self.show_concordance(term, lang, counterpart)

    def show_concordance(self, term: str, lang: Lang | None = None, counterpart: str | None = None) -> None:
        lang = lang or term_lang(term)
        key = f"{lang.value}:{term}:{counterpart}"
        if key == self.concordance_term:
            return
        self.concordance_term = key
        self.lines = concordance(self.workspace.alignment, term, lang, counterpart=counterpart)
        listing = self.query_one("#concordance", OptionList)
        listing.clear_options()
        listing.add_options([Option(concordance_prompt(line, lang)) for line in self.lines])
        title = Text("Concordance: ")
        title.append(term, style="bold")
        if counterpart:
            title.append(" ⇄ ")
            title.append(counterpart, style="bold")
        title.append(f" — {plural(len(self.lines), 'pair')}")
        if counterpart:  # the glossary's count (pairs with both) is this one: they agree
            both = sum(1 for line in self.lines if line.spans(Lang.EN if lang is Lang.KO else Lang.KO))
            title.append(f", {both} with “{counterpart}”")
        title.append("; Enter on a line opens it in the reader")
        self.query_one("#concordance-title", Static).update(title)

    @on(OptionList.OptionSelected, "#concordance")
    def _line_chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.lines):
            self.dismiss(self.lines[event.option_index].bead)

    # ------------------------------------------------------------------ actions

    def action_close(self) -> None:
        self.workers.cancel_group(self, "glossary")
        self.dismiss(None)

    def action_cycle_sort(self) -> None:
        names = [name for name, _ in SORTS]
        self.sort_name = names[(names.index(self.sort_name) + 1) % len(names)]
        self.pinned_row = None
        if self.ready:
            self.refresh_table()

    def action_cycle_kind(self) -> None:
        names = [name for name, _ in KIND_FILTERS]
        self.kind_name = names[(names.index(self.kind_name) + 1) % len(names)]
        self.pinned_row = None
        if self.ready:
            self.refresh_table()

    def action_focus_filter(self) -> None:
        self.query_one("#glossary-filter", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#glossary-table", DataTable).focus()

    def action_focus_concordance(self) -> None:
        listing = self.query_one("#concordance", OptionList)
        if listing.option_count and listing.highlighted is None:
            listing.highlighted = 0
        listing.focus()
