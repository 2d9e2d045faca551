"""Column titles above the reader, drawn on the same columns as the bead rows."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from .rows import DIVIDER, GUTTER, Columns


class PaneHeader(Widget):
    """"한국어 · file" over the left column and "English · file" over the right one."""

    DEFAULT_CSS = """
    PaneHeader {
        height: 1;
        padding-right: 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._titles = (Text("한국어"), Text("English"))

    def set_titles(self, left: str, right: str) -> None:
        self._titles = (Text(left), Text(right))
        self.refresh()

    @property
    def titles(self) -> tuple[str, str]:
        return self._titles[0].plain, self._titles[1].plain

    def render(self) -> RenderableType:
        columns = Columns.for_width(self.content_region.width)
        left, right = (t.copy() for t in self._titles)
        left.truncate(columns.left, overflow="ellipsis", pad=True)
        right.truncate(columns.right, overflow="ellipsis", pad=True)
        return Text.assemble(" " * GUTTER, left, DIVIDER, right, no_wrap=True, end="")
