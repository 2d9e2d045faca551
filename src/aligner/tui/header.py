"""Column titles above the reader, drawn on the same columns as the bead rows."""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from aligner.tui.rows import DIVIDER, GUTTER, Columns, display_text


class PaneHeader(Widget):
    """Titles: "한국어 · file" over the left column and "English · file" over the right one.

    The reader below always shows a one-cell scrollbar, so the titles use the
    width less one cell to land exactly on the reader's columns.
    """

    DEFAULT_CSS = """
    PaneHeader {
        height: 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    """

    SCROLLBAR = 1

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._titles = (Text("한국어"), Text("English"))

    def set_titles(self, left: str, right: str) -> None:
        self._titles = (Text(display_text(left)), Text(display_text(right)))
        self.refresh()

    @property
    def titles(self) -> tuple[str, str]:
        return self._titles[0].plain, self._titles[1].plain

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        if y > 0:
            return Strip.blank(width, style)
        columns = Columns.for_width(width - self.SCROLLBAR)
        left, right = (t.copy() for t in self._titles)
        left.truncate(columns.left, overflow="ellipsis", pad=True)
        right.truncate(columns.right, overflow="ellipsis", pad=True)
        line = Text.assemble(" " * GUTTER, left, DIVIDER, right, end="")
        strip = Strip(line.render(self.app.console))
        return strip.apply_style(style).crop_extend(0, width, style)
