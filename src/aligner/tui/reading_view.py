"""The reading view: one language as flowing paragraphs, the focused pair's counterpart beside it.

Paragraphs and headings are those of the source document; lines are at most
``MAX_LINE`` cells wide for comfortable reading.  The focused pair's sentences
are highlighted in context, and the counterpart panel under the text shows the
other language's sentences of that pair (it can be hidden).  The view keeps its
own pair cursor; the app syncs it with the side-by-side reader when the view
is toggled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region, Spacing
from textual.message import Message
from textual.widgets import Static

from aligner.core.values import Alignment, Document, Lang
from aligner.tui.rows import ABSENT, display_text, stress

MAX_LINE = 76
"""The widest a reading line gets (cells)."""
MARK_STYLE = "bold underline"
"""The words a search matched, wherever they stand in the text and the counterpart."""


def paragraphs(document: Document) -> list[list[int]]:
    """Sentence ids grouped by the source's paragraphs, in order."""
    out: list[list[int]] = []
    last: int | None = None
    for i, s in enumerate(document.sentences):
        if last is None or s.paragraph != last:
            out.append([])
            last = s.paragraph
        out[-1].append(i)
    return out


def paragraph_text(
    document: Document, ids: Sequence[int], focused: frozenset[int], marks: Sequence[str] = ()
) -> Text:
    """One paragraph as flowing text; the focused sentences highlighted and the search's words
    stressed (literal text, never markup)."""
    text = Text()
    for n, i in enumerate(ids):
        if n:
            text.append(" ")
        sentence = document.sentences[i]
        style = "bold" if sentence.heading else ""
        if i in focused:
            style = f"{style} reverse".strip()
        text.append(display_text(sentence.text), style=style)
    stress(text, marks, MARK_STYLE)
    return text


class ReadingView(Vertical, can_focus=True):
    """One side as paragraphs; up/down walk the pairs; the counterpart shows under the text."""

    DEFAULT_CSS = f"""
    ReadingView {{ height: 1fr; background: $surface; }}
    ReadingView #reading-text {{ height: 1fr; align-horizontal: center; padding: 0 2; }}
    ReadingView .reading-paragraph {{ max-width: {MAX_LINE}; width: 100%; margin-bottom: 1; }}
    ReadingView #reading-counterpart {{
        height: auto; max-height: 40%; border-top: solid $accent; padding: 0 2; background: $panel;
    }}
    ReadingView.-no-counterpart #reading-counterpart {{ display: none; }}
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Next pair", show=False),
        Binding("up,k", "move(-1)", "Previous pair", show=False),
        Binding("pagedown,space", "move(5)", "Five pairs on", show=False),
        Binding("pageup", "move(-5)", "Five pairs back", show=False),
        Binding("L", "swap_language", "Read the other language"),
        Binding("h", "toggle_counterpart", "Hide/show the counterpart"),
        Binding("escape", "app.clear_highlight", "Close the search and clear its marks", show=False),
    ]

    class Moved(Message):
        """The focused pair changed."""

        def __init__(self, bead: int) -> None:
            super().__init__()
            self.bead = bead

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.alignment: Alignment | None = None
        self.lang = Lang.KO
        self.cursor = 0
        self._paragraph_of: dict[int, int] = {}
        self._statics: list[Static] = []
        self._groups: list[list[int]] = []
        self.marks: tuple[str, ...] = ()
        """The words of the last search to stress (attributes down: ``set_marks``)."""
        self.learner = False
        """Learner mode: the Korean is read and the English counterpart hidden until revealed."""
        self.revealed: set[int] = set()

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="reading-text", can_focus=False)
        yield Static(id="reading-counterpart")

    # ------------------------------------------------------------------ attributes down

    def _doc(self, lang: Lang) -> Document:
        assert self.alignment is not None
        return self.alignment.source if lang is Lang.KO else self.alignment.target

    def _ids(self, bead: int, lang: Lang) -> tuple[int, ...]:
        assert self.alignment is not None
        b = self.alignment.beads[bead]
        return b.src if lang is Lang.KO else b.tgt

    @property
    def counterpart_shown(self) -> bool:
        return not self.has_class("-no-counterpart")

    def show(self, alignment: Alignment, cursor: int, lang: Lang | None = None) -> None:
        """Lay out ``alignment`` in ``lang`` (kept when None) with pair ``cursor`` focused."""
        self.alignment = alignment
        if lang is not None:
            self.lang = lang
        doc = self._doc(self.lang)
        groups = paragraphs(doc)
        self._paragraph_of = {i: p for p, ids in enumerate(groups) for i in ids}
        holder = self.query_one("#reading-text", VerticalScroll)
        holder.remove_children()
        self._statics = [Static(classes="reading-paragraph") for _ in groups]
        holder.mount_all(self._statics)
        self._groups = groups
        self.cursor = self._nearest(max(0, min(cursor, len(alignment.beads) - 1)))
        for p in range(len(groups)):
            self._render_paragraph(p)
        self._focus_changed(scroll=True)

    def set_learner(self, on: bool) -> None:
        """Learner mode on (the Korean text, its English hidden) or off; revealed pairs start over."""
        self.learner, self.revealed = on, set()
        if self.alignment is not None:
            self.show(self.alignment, self.cursor, Lang.KO if on else None)

    def reveal(self, bead: int) -> None:
        """Show (or hide again) the English of pair ``bead`` in learner mode."""
        self.revealed ^= {bead}
        self._focus_changed(scroll=False)

    def set_marks(self, marks: Sequence[str]) -> None:
        """Stress these words (a search's query and terms) in the text; () clears them."""
        self.marks = tuple(marks)
        if self.alignment is not None and self._statics:
            for p in range(len(self._groups)):
                self._render_paragraph(p)
            self._focus_changed(scroll=False)

    def _nearest(self, bead: int) -> int:
        """``bead`` or the next one (else the previous one) that has a sentence on the read side."""
        assert self.alignment is not None
        n = len(self.alignment.beads)
        for b in [*range(bead, n), *range(bead - 1, -1, -1)]:
            if self._ids(b, self.lang):
                return b
        return bead

    def _render_paragraph(self, p: int) -> None:
        has_pairs = self.alignment is not None and bool(self.alignment.beads)
        focused = frozenset(self._ids(self.cursor, self.lang)) if has_pairs else frozenset()
        self._statics[p].update(paragraph_text(self._doc(self.lang), self._groups[p], focused, self.marks))

    def _focus_changed(self, *, scroll: bool) -> None:
        if self.alignment is None or not self.alignment.beads:
            return
        other = Lang.EN if self.lang is Lang.KO else Lang.KO
        ids = self._ids(self.cursor, other)
        doc = self._doc(other)
        body = Text(" ".join(display_text(doc.sentences[i].text) for i in ids))
        stress(body, self.marks, MARK_STYLE)
        if not ids:
            body = Text(ABSENT, style="dim italic")
        elif self.learner and other is Lang.EN and self.cursor not in self.revealed:
            body = Text("hidden — enter reveals it", style="dim italic")
        tag = "English" if other is Lang.EN else "한국어"
        self.query_one("#reading-counterpart", Static).update(
            Text.assemble((f"{tag} · pair {self.cursor + 1} of {len(self.alignment.beads)}\n", "dim bold"), body)
        )
        mine = self._ids(self.cursor, self.lang)
        if scroll and mine:
            self.call_after_refresh(self._scroll_to_sentences, mine)

    def _scroll_to_sentences(self, ids: Sequence[int]) -> None:
        """Bring the focused sentences themselves into view, not only their paragraph's top (a long
        paragraph's later sentences would stay below the window)."""
        p = self._paragraph_of[ids[0]]
        target, group = self._statics[p], self._groups[p]
        holder = self.query_one("#reading-text", VerticalScroll)
        width = target.content_region.width
        if width <= 0:
            holder.scroll_to_widget(target, animate=False)
            return
        doc = self._doc(self.lang)
        start = sum(len(display_text(doc.sentences[i].text)) + 1 for i in group[: group.index(ids[0])])
        end = start + sum(len(display_text(doc.sentences[i].text)) + 1 for i in ids)
        lines = paragraph_text(doc, group, frozenset()).wrap(self.app.console, width)
        first = last = 0
        offset = 0
        for n, line in enumerate(lines):
            if offset <= start:
                first = n
            if offset < end:
                last = n
            offset += len(line.plain)
        top = target.virtual_region.y
        region = Region(0, top + first, width, last - first + 1)
        holder.scroll_to_region(region, animate=False, spacing=Spacing(1, 0, 1, 0))

    # ------------------------------------------------------------------ actions

    def move_to(self, bead: int) -> None:
        if self.alignment is None or not self.alignment.beads:
            return
        old = {self._paragraph_of[i] for i in self._ids(self.cursor, self.lang)}
        self.cursor = self._nearest(max(0, min(bead, len(self.alignment.beads) - 1)))
        new = {self._paragraph_of[i] for i in self._ids(self.cursor, self.lang)}
        for p in old | new:
            self._render_paragraph(p)
        self._focus_changed(scroll=True)
        self.post_message(self.Moved(self.cursor))

    def action_move(self, step: int) -> None:
        if self.alignment is None:
            return
        n = len(self.alignment.beads)
        b = self.cursor + step
        while 0 <= b < n and not self._ids(b, self.lang):  # pairs with nothing on this side
            b += 1 if step > 0 else -1
        if 0 <= b < n:
            self.move_to(b)

    def action_swap_language(self) -> None:
        if self.learner:
            self.app.notify("learner mode reads the Korean: H leaves it", timeout=3)
            return
        if self.alignment is not None:
            self.show(self.alignment, self.cursor, Lang.EN if self.lang is Lang.KO else Lang.KO)

    def action_toggle_counterpart(self) -> None:
        self.toggle_class("-no-counterpart")
