"""The review list: unconfirmed pairs by band (suspicious, check, confident), lowest confidence
first within a band (``aligner.session.review``), both sides shown; Enter jumps to one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aligner.core.values import Alignment
from aligner.session.review import Band, band, band_counts, status_label
from aligner.tui.rows import ABSENT, display_text

BAND_STYLES = {Band.SUSPICIOUS: "bold yellow", Band.CHECK: "yellow", Band.CONFIDENT: "green"}
BAND_WIDTH = max(len(f"{b} 0.00") for b in Band) + 1


def review_prompt(alignment: Alignment, index: int) -> Table:
    """One pair of the list: its band and score as shown everywhere, then both sides (wrapped)."""
    bead = alignment.beads[index]
    label = status_label(bead)
    head = Text.assemble(
        Text(f"{label:<{BAND_WIDTH}}", style=BAND_STYLES[band(bead)] if not bead.confirmed else "green"),
        Text(f"{bead.shape:>4} #{index + 1}", style="bold"),
    )
    ko, en = alignment.texts(index)
    grid = Table.grid(expand=True)
    grid.add_column(width=4, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(Text(""), head)
    for tag, text in (("KO", ko), ("EN", en)):
        grid.add_row(Text(f" {tag} ", style="dim bold"),
                     Text(display_text(text)) if text else Text(ABSENT, style="dim italic"))  # fmt: skip
    return grid


class ReviewScreen(ModalScreen[int | None]):
    """Unconfirmed pairs in review order; Enter jumps to one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Close review"),
    ]

    def __init__(self, alignment: Alignment, order: Sequence[int]) -> None:
        super().__init__()
        self.alignment = alignment
        self.order = list(order)

    def compose(self) -> ComposeResult:
        counts = band_counts(self.alignment.beads)
        with Vertical(classes="dialog"):
            yield Static(
                f"Review: {counts.suspicious} suspicious, {counts.check} to check, {counts.confident} confident "
                f"(unconfirmed) · {counts.confirmed} confirmed of {len(self.alignment.beads)} — "
                "suspicious first, then check, lowest confidence first",
                classes="dialog-title",
            )
            yield OptionList(*(Option(review_prompt(self.alignment, i)) for i in self.order), id="review-list")
            if not self.order:
                yield Static("Every pair is confirmed.")
            yield Static("Enter jumps to the pair, Escape closes.", classes="dialog-help")

    def on_mount(self) -> None:
        listing = self.query_one("#review-list", OptionList)
        listing.highlighted = 0 if self.order else None
        listing.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.order[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
