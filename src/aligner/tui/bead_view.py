"""The reader: a single scrolling list of bead rows, Korean left and English right.

Drawn with Textual's line API: each bead's two sides are wrapped to their
columns (``rows.layout_rows``) and drawn side by side, so a row is as tall as
its taller side and its lines always line up.  The parent sets the alignment
and the search highlight (attributes down); the view reports its cursor with
``BeadView.CursorMoved`` (messages up).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from aligner.core.terminal import safe_rich
from aligner.core.values import Alignment, Bead
from aligner.session.review import Band, band
from aligner.tui.rows import (
    DIVIDER,
    GUTTER,
    Columns,
    Highlight,
    Row,
    RowStyles,
    WrapCache,
    layout_row,
    layout_rows,
)


class BeadView(ScrollView, can_focus=True):
    """Side-by-side aligned text, one row per bead, with a bead cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bead-view--cursor",
        "bead-view--cursor-mark",
        "bead-view--heading",
        "bead-view--absent",
        "bead-view--match",
        "bead-view--needle",
        "bead-view--divider",
        "bead-view--paragraph",
        "bead-view--confirmed",
        "bead-view--suspicious",
        "bead-view--check",
        "bead-view--omission",
        "bead-view--placeholder",
        "bead-view--boundary",
    }

    DEFAULT_CSS = """
    BeadView {
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
    }
    BeadView > .bead-view--cursor { background: $primary 15%; }
    BeadView:focus > .bead-view--cursor { background: $primary 30%; }
    BeadView > .bead-view--cursor-mark { color: $accent; text-style: bold; }
    BeadView > .bead-view--heading { text-style: bold; }
    BeadView > .bead-view--absent { color: $text-muted; text-style: italic; }
    BeadView > .bead-view--match { text-style: underline; color: $text-accent; }
    BeadView > .bead-view--needle { background: $warning 60%; color: $text; text-style: bold; }
    BeadView > .bead-view--divider { color: $panel-lighten-2; }
    BeadView > .bead-view--paragraph { color: $text-muted; }
    BeadView > .bead-view--confirmed { color: $success; text-style: bold; }
    BeadView > .bead-view--suspicious { color: $warning; text-style: bold; }
    BeadView > .bead-view--check { color: $warning; }
    BeadView > .bead-view--omission { color: $error; text-style: bold; }
    BeadView > .bead-view--placeholder { color: $text-muted; text-style: italic; }
    BeadView > .bead-view--boundary { color: $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Previous pair", show=False),
        Binding("down,j", "cursor_down", "Next pair", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First pair", show=False),
        Binding("end,G", "last", "Last pair", show=False),
    ]

    class CursorMoved(Message):
        """The bead cursor moved (or the beads changed under it)."""

        def __init__(self, view: BeadView, bead: int) -> None:
            super().__init__()
            self.view = view
            self.bead = bead

        @property
        def control(self) -> BeadView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._alignment: Alignment | None = None
        self._placeholder = Text("Loading…")
        self._highlight: Highlight | None = None
        self._rows: list[Row] = []
        self._tops: list[int] = []
        self._width = 0
        self._cursor = 0
        self._cache: LRUCache[int, Strip] = LRUCache(2048)
        self._wraps: WrapCache = {}
        self._wraps_for: tuple[int, RowStyles, int, int] | None = None
        self._partial = False
        """Only the rows of the first screens are laid out (the rest follow right after the first paint)."""
        self.learner = False
        """Learner mode: the English of every pair is hidden until revealed."""
        self.revealed: set[int] = set()
        """Pairs whose translation the learner revealed (positions)."""

    # ------------------------------------------------------------------ attributes down

    @property
    def alignment(self) -> Alignment | None:
        return self._alignment

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def highlight(self) -> Highlight | None:
        return self._highlight

    @property
    def rows(self) -> list[Row]:
        self._complete()
        return self._rows

    def show_alignment(self, alignment: Alignment | None, cursor: int | None = None) -> None:
        """Display ``alignment`` (None: the placeholder), keeping or setting the cursor."""
        self._alignment = alignment
        if alignment is not None and not alignment.beads:
            self._placeholder = Text("  There are no sentences to show.")
        if alignment is None or (self._highlight is not None and self._highlight.bead >= len(alignment.beads)):
            self._highlight = None
        self._relayout()
        self.move_cursor(self._cursor if cursor is None else cursor, force=True)

    def set_learner(self, on: bool) -> None:
        """Hide (or show) every pair's English; revealed pairs start over."""
        self.learner = on
        self.revealed = set()
        self._cache.clear()
        self.refresh()

    def reveal(self, index: int) -> None:
        """Show (or hide again) the English of pair ``index`` in learner mode."""
        self.revealed ^= {index}
        self._cache.clear()
        self.refresh()

    def _masked(self, line: Text, first: bool) -> Text:
        """A hidden translation line: the same width, nothing readable (the first line says how to look)."""
        hint = " enter reveals " if first else ""
        width = line.cell_len
        fill = "░" * max(0, width - len(hint))
        return Text(hint + fill if len(hint) <= width else "░" * width, style="dim")

    def show_placeholder(self, text: str | Text) -> None:
        """Show a message instead of text (loading, errors); it wraps to the pane's width."""
        self._placeholder = safe_rich(text)  # error messages quote file names: filtered
        if self._alignment is None:
            self._cache.clear()
            self.refresh()

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Mark a search match (sentences and literal needle) in one bead, or clear it."""
        old = self._highlight
        self._highlight = highlight
        for h in (old, highlight):
            if h is not None:
                self._relayout_bead(h.bead)
        self._cache.clear()
        self.refresh()

    def move_cursor(self, bead: int, *, force: bool = False, center: bool = False) -> None:
        self._complete()
        count = len(self._alignment.beads) if self._alignment is not None else 0  # laid out or not (hidden)
        new = max(0, min(bead, count - 1)) if count else 0
        if new == self._cursor and not force:
            return
        self._cursor = new
        self._cache.clear()
        self.refresh()
        if count:
            if self._rows:  # while the view is hidden (no width) nothing is laid out: it scrolls there when shown
                self._scroll_to_cursor(center=center)
            self.post_message(self.CursorMoved(self, new))

    # ------------------------------------------------------------------ layout

    def _styles(self) -> RowStyles:
        get = self.get_component_rich_style
        return RowStyles(
            heading=get("bead-view--heading", partial=True),
            absent=get("bead-view--absent", partial=True),
            match=get("bead-view--match", partial=True),
            needle=get("bead-view--needle", partial=True),
            boundary=get("bead-view--boundary", partial=True),
        )

    def _relayout(self) -> None:
        self._cache.clear()
        shown = bool(self._rows)
        self._width = self.scrollable_content_region.width
        if self._alignment is None or self._width <= 0:
            self._rows, self._tops = [], []
            self.virtual_size = Size(self._width, 0)
            self.refresh()
            return
        columns = Columns.for_width(self._width)
        styles = self._styles()
        key = (self._width, styles, id(self._alignment.source), id(self._alignment.target))
        first_screens: int | None = None
        if self._wraps_for != key:  # wrapped lines are reused only for the same width, styles and texts
            self._wraps, self._wraps_for = {}, key
            if self._cursor == 0 and self.scroll_offset.y == 0:  # a new text or width: two screens first
                first_screens = 2 * max(self.size.height, 1)
        rows = layout_rows(
            self._alignment, columns, self.app.console, styles, self._highlight, self._wraps, lines=first_screens
        )  # fmt: skip
        self._rows, self._tops = rows, [row.top for row in rows]
        total = rows[-1].top + rows[-1].height if rows else 0
        self._partial = len(rows) < len(self._alignment.beads)
        if self._partial:  # the scroll bar guesses from the rows so far until the rest are laid out
            total = total * len(self._alignment.beads) // max(len(rows), 1)
            self.call_after_refresh(self._complete)
        self.virtual_size = Size(columns.width, total)
        self.refresh()
        if not shown and self._cursor:  # laid out again after being hidden (no width): back to the cursor's pair
            self.call_after_refresh(self._scroll_to_cursor, True)

    def _complete(self) -> None:
        """Lay out the rows that the first screens did not need (their wrapped lines are kept)."""
        if self._partial:
            self._partial = False
            self._relayout()

    def _relayout_bead(self, index: int) -> None:
        self._complete()
        if self._alignment is None or not 0 <= index < len(self._rows):
            return
        old = self._rows[index]
        row = layout_row(
            self._alignment,
            index,
            old.top,
            old.breaks,
            Columns.for_width(self._width),
            self.app.console,
            self._styles(),
            self._highlight,
            self._wraps,
        )
        self._rows[index] = row  # the text is the same, so the height is too

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._relayout()
            if self._rows:  # the place is kept: the cursor's pair stays in view at the new size
                self._complete()
                self.call_after_refresh(self._scroll_to_cursor, True)  # once the new scroll range applies

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted and self._alignment is not None:
            self._relayout()

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    # ------------------------------------------------------------------ geometry

    def bead_at_line(self, line: int) -> int:
        """The bead drawn on virtual line ``line`` (clamped)."""
        if not self._rows:
            return 0
        return max(0, min(bisect_right(self._tops, line) - 1, len(self._rows) - 1))

    def row_region(self, bead: int) -> Region:
        row = self._rows[bead]
        return Region(0, row.top, self.virtual_size.width, row.height)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        region = self.row_region(self._cursor)
        page = self.scrollable_content_region.height
        top = region.height >= page
        self.scroll_to_region(region, animate=False, center=center and not top, top=top, immediate=True)

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = scroll_y + y
        if not self._rows and self._alignment is not None and self._alignment.beads and width > 0:
            self._relayout()  # drawn before the first resize: the first screen has the pairs, not a placeholder
        if not self._rows:  # the message (a long path or error wraps, never cut), from the second line
            style = self.get_component_rich_style("bead-view--placeholder")
            text = self._placeholder.copy()
            text.stylize(style)
            lines = text.wrap(self.app.console, max(width - 2, 10))
            if 1 <= y <= len(lines):
                return Strip(lines[y - 1].render(self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        strip = self._cache.get(line)
        if strip is None:
            strip = self._draw(line, base)
            self._cache[line] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _draw(self, line: int, base: Style) -> Strip:
        total = self.virtual_size.height
        columns = Columns.for_width(self._width)
        if line >= total:
            return Strip.blank(columns.width, base)
        index = self.bead_at_line(line)
        row = self._rows[index]
        get = self.get_component_rich_style
        is_cursor = index == self._cursor
        style = base + get("bead-view--cursor") if is_cursor else base
        divider = Segment(DIVIDER, style + get("bead-view--divider", partial=True))
        k = line - row.body_top
        if k < 0:  # paragraph separator line
            mark = get("bead-view--paragraph", partial=True)
            left = Text("¶" if row.breaks[0] else "", style=mark)
            right = Text("¶" if row.breaks[1] else "", style=mark)
            gutter = Text(" " * GUTTER)
        else:
            left = row.left[k] if k < len(row.left) else Text()
            right = row.right[k] if k < len(row.right) else Text()
            if self.learner and index not in self.revealed and right.plain.strip():
                right = self._masked(right, k == 0)
            gutter = self._gutter(self._alignment.beads[index] if self._alignment else None, k == 0, is_cursor)
        console = self.app.console
        parts = [
            Strip(gutter.render(console)).adjust_cell_length(GUTTER),
            Strip(left.render(console)).adjust_cell_length(columns.left),
            Strip([divider], len(DIVIDER)),
            Strip(right.render(console)).adjust_cell_length(columns.right),
        ]
        return Strip.join(parts).apply_style(style)

    def _gutter(self, bead: Bead | None, first: bool, is_cursor: bool) -> Text:
        get = self.get_component_rich_style
        text = Text("▌" if is_cursor else " ", style=get("bead-view--cursor-mark", partial=True))
        if not first or bead is None:
            return text.append(" ")
        if bead.confirmed:
            return text.append("✎" if bead.edited else "✓", style=get("bead-view--confirmed", partial=True))
        if not bead.src or not bead.tgt:
            return text.append("!", style=get("bead-view--omission", partial=True))
        found = band(bead)
        if found is Band.SUSPICIOUS:
            return text.append("?", style=get("bead-view--suspicious", partial=True))
        if found is Band.CHECK:
            return text.append("·", style=get("bead-view--check", partial=True))
        return text.append(" ")

    # ------------------------------------------------------------------ input

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._rows:
            return
        self.focus()
        self.move_cursor(self.bead_at_line(offset.y + self.scroll_offset.y))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_down(self) -> None:
        if not self._rows:
            return
        target = self.bead_at_line(self._rows[self._cursor].top + self._page())
        self.move_cursor(max(target, self._cursor + 1))

    def action_page_up(self) -> None:
        if not self._rows:
            return
        target = self.bead_at_line(max(0, self._rows[self._cursor].top - self._page()))
        self.move_cursor(min(target, self._cursor - 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self._complete()
        self.move_cursor(len(self._rows) - 1)
