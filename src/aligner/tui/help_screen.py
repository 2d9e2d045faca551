"""The help screen: every key of every part of the reader, grouped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from aligner.session.review import BAND_RULES, Band

Section = tuple[str, Sequence[BindingType]]


def key_rows(bindings: Iterable[BindingType], display: object) -> list[tuple[str, str]]:
    """(keys, description) for each binding, keys shown as the footer shows them."""
    rows: list[tuple[str, str]] = []
    get_display = getattr(display, "get_key_display", None)
    for item in bindings:
        if isinstance(item, Binding):
            binding = item
        elif isinstance(item, tuple):
            binding = Binding(*item)
        else:
            continue
        keys = []
        for key in binding.key.split(","):
            key = key.strip()
            single = Binding(key, binding.action, binding.description)
            keys.append(get_display(single) if callable(get_display) else key)
        rows.append((" ".join(keys), binding.description or binding.action))
    return rows


def help_table(sections: Sequence[Section], display: object) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for keys, description in key_rows(bindings, display):
            table.add_row(Text(keys), Text(description))
        table.add_row("", "")
    return table


LEGEND = Text.assemble(
    "Marks in the left margin: ",
    ("✓", "bold green"), " confirmed  ",
    ("✎", "bold green"), " edited  ",
    ("!", "bold red"), " no counterpart  ",
    ("?", "bold yellow"), " suspicious  ",
    ("·", "yellow"), " check  ",
    ("¶", "dim"), " a new paragraph\n",
    "In the text: ", ("¦", "cyan"), " between two sentences of one pair\n",
    "Bands: ",
    ("suspicious", "bold"), f" {BAND_RULES[Band.SUSPICIOUS]}; ",
    ("check", "bold"), f" {BAND_RULES[Band.CHECK]}; ",
    ("confident", "bold"), f" {BAND_RULES[Band.CONFIDENT]}. n/N visit suspicious and check pairs.",
)  # fmt: skip


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close help")]

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.sections = list(sections)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Keys — mouse: click a pair to select it, wheel scrolls", classes="dialog-title")
            yield Static(LEGEND, id="help-legend")
            with VerticalScroll():
                yield Static(help_table(self.sections, self.app), id="help-keys")
            yield Static("All actions are also in the command palette (ctrl+p). Escape closes.", classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)
