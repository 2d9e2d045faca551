"""The review list: beads ordered most-suspicious first; Enter jumps to one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aligner.core.values import Alignment
from aligner.session.review import is_suspicious
from aligner.tui.rows import display_text


def review_prompt(alignment: Alignment, index: int, threshold: float) -> Text:
    bead = alignment.beads[index]
    if bead.confirmed:
        mark = Text("✓", style="green bold")
    elif not bead.src or not bead.tgt:
        mark = Text("!", style="red bold")
    elif is_suspicious(bead, threshold):
        mark = Text("?", style="yellow bold")
    else:
        mark = Text(" ")
    ko = " ".join(alignment.source.sentences[i].text for i in bead.src) or "—"
    en = " ".join(alignment.target.sentences[j].text for j in bead.tgt) or "—"
    return Text.assemble(
        mark,
        Text(f" {bead.confidence:4.2f} {bead.shape:>4} #{index + 1:<4} ", style="bold"),
        Text(display_text(ko)),
        Text(" ⇄ ", style="dim"),
        Text(display_text(en)),
        no_wrap=True,
    )


class ReviewScreen(ModalScreen[int | None]):
    """Unconfirmed beads, most suspicious first (``aligner.session.review``); Enter jumps to one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Close review"),
    ]

    def __init__(self, alignment: Alignment, order: Sequence[int], threshold: float) -> None:
        super().__init__()
        self.alignment = alignment
        self.order = list(order)
        self.threshold = threshold

    def compose(self) -> ComposeResult:
        suspicious = sum(1 for b in self.alignment.beads if is_suspicious(b, self.threshold))
        with Vertical(classes="dialog"):
            yield Static(
                f"Review: {len(self.order)} unconfirmed pairs ({suspicious} suspicious) of "
                f"{len(self.alignment.beads)}, most suspicious first",
                classes="dialog-title",
            )
            yield OptionList(
                *(Option(review_prompt(self.alignment, i, self.threshold)) for i in self.order), id="review-list"
            )
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
