"""A library passage in its document: the paragraphs around it, the passage highlighted."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from aligner.core.values import Document
from aligner.search.hits import Passage
from aligner.tui.rows import display_text

PARAGRAPHS_AROUND = 6
"""Paragraphs shown before and after the passage's own."""


def context_paragraphs(document: Document, passage: Passage) -> list[tuple[Text, bool]]:
    """The paragraphs around the passage as text, each with whether it holds the passage
    (whose sentences are highlighted, the matching one in bold)."""
    paragraph = document.sentences[passage.sentence].paragraph
    lo, hi = paragraph - PARAGRAPHS_AROUND, paragraph + PARAGRAPHS_AROUND
    out: list[tuple[Text, bool]] = []
    current: Text | None = None
    holds = False
    last = -1
    for s in document.sentences:
        if not lo <= s.paragraph <= hi:
            continue
        if s.paragraph != last:
            if current is not None:
                out.append((current, holds))
            current, holds, last = Text(), False, s.paragraph
        assert current is not None
        if current.plain:
            current.append(" ")
        inside = passage.first <= s.index <= passage.last
        holds = holds or inside
        style = "bold reverse" if s.index == passage.sentence else ("reverse" if inside else "")
        current.append(display_text(s.text), style="bold " + style if s.heading else style)
    if current is not None:
        out.append((current, holds))
    return out


class PassageScreen(ModalScreen[None]):
    """The passage in context; escape or q goes back to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Back to the reader")]

    def __init__(self, document: Document, passage: Passage) -> None:
        super().__init__()
        self.document = document
        self.passage = passage

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = f"{Path(self.passage.path).name} · {self.passage.location} · {self.passage.label}"
            yield Static(Text(title), classes="dialog-title")
            with VerticalScroll(id="passage-context"):
                for n, (text, holds) in enumerate(context_paragraphs(self.document, self.passage)):
                    yield Static(text, classes="passage-paragraph" + (" passage-here" if holds else ""), id=f"p{n}")
            yield Static("escape: back to the reader", classes="dialog-help")

    def on_mount(self) -> None:
        here = self.query(".passage-here")
        if here:
            self.call_after_refresh(self.query_one("#passage-context", VerticalScroll).scroll_to_widget, here.first(),
                                    top=True, animate=False)  # fmt: skip

    def action_close(self) -> None:
        self.dismiss(None)
