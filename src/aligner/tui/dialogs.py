"""Small modal dialogs of the workbench: split a bead, pick a sentence with no counterpart."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from aligner.core.values import Alignment, Bead, Lang
from aligner.tui.rows import display_text


def default_cut(bead: Bead) -> tuple[int, int]:
    """A sensible first guess for splitting ``bead``: about half of each side."""
    src, tgt = (len(bead.src) + 1) // 2, (len(bead.tgt) + 1) // 2
    if src == len(bead.src) and tgt == len(bead.tgt):
        if tgt:
            tgt -= 1
        else:
            src -= 1
    return src, tgt


def split_preview(alignment: Alignment, bead: Bead, src_cut: int, tgt_cut: int) -> Text:
    """The two beads a split would make, one sentence per line (literal text)."""
    text = Text()
    parts = (
        ("first", bead.src[:src_cut], bead.tgt[:tgt_cut]),
        ("second", bead.src[src_cut:], bead.tgt[tgt_cut:]),
    )
    for name, src, tgt in parts:
        text.append(f"{name} part\n", style="bold")
        for tag, doc, ids in (("KO", alignment.source, src), ("EN", alignment.target, tgt)):
            if not ids:
                text.append(f"  {tag} — no counterpart —\n", style="dim italic")
            for i in ids:
                text.append(f"  {tag} {i + 1}: ", style="bold")
                text.append(display_text(doc.sentences[i].text) + "\n")
    text.rstrip()
    return text


class SplitDialog(ModalScreen[tuple[int, int] | None]):
    """Choose how many Korean and English sentences stay in the first part."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, alignment: Alignment, index: int) -> None:
        super().__init__()
        self.alignment = alignment
        self.index = index
        self.bead = alignment.beads[index]

    def compose(self) -> ComposeResult:
        src, tgt = default_cut(self.bead)
        with Vertical(classes="dialog"):
            yield Static(f"Split pair {self.index + 1} ({self.bead.shape})", classes="dialog-title")
            yield Static("How many sentences of each side stay in the first part?")
            with Horizontal():
                yield Label(f"Korean (0–{len(self.bead.src)}):")
                yield Input(str(src), type="integer", id="split-src", classes="cut")
                yield Label(f"English (0–{len(self.bead.tgt)}):")
                yield Input(str(tgt), type="integer", id="split-tgt", classes="cut")
            with VerticalScroll(id="split-preview-box"):
                yield Static(id="split-preview")
            yield Static("", classes="dialog-error", id="split-error")
            yield Static("Enter splits, Escape cancels.", classes="dialog-help")

    def on_mount(self) -> None:
        self._update()
        self.query_one("#split-src", Input).focus()

    def cuts(self) -> tuple[int, int] | None:
        try:
            return int(self.query_one("#split-src", Input).value), int(self.query_one("#split-tgt", Input).value)
        except ValueError:
            return None

    def _problem(self, cuts: tuple[int, int] | None) -> str:
        if cuts is None:
            return "type a number on each side"
        src, tgt = cuts
        if not 0 <= src <= len(self.bead.src) or not 0 <= tgt <= len(self.bead.tgt):
            return "a cut is outside this pair"
        if (src, tgt) in ((0, 0), (len(self.bead.src), len(self.bead.tgt))):
            return "one of the two parts would be empty"
        return ""

    @on(Input.Changed)
    def _update(self) -> None:
        cuts = self.cuts()
        problem = self._problem(cuts)
        self.query_one("#split-error", Static).update(Text(problem))
        if cuts is not None and not problem:
            preview = split_preview(self.alignment, self.bead, *cuts)
            self.query_one("#split-preview", Static).update(preview)

    @on(Input.Submitted)
    def _submit(self) -> None:
        cuts = self.cuts()
        if cuts is not None and not self._problem(cuts):
            self.dismiss(cuts)

    def action_cancel(self) -> None:
        self.dismiss(None)


def detachable(bead: Bead) -> list[tuple[Lang, int]]:
    """Sentences of ``bead`` that can be marked as having no counterpart."""
    out: list[tuple[Lang, int]] = []
    for side, ids, other in ((Lang.KO, bead.src, bead.tgt), (Lang.EN, bead.tgt, bead.src)):
        if not other:
            out.extend((side, i) for i in ids)
        elif ids:
            out.extend((side, i) for i in dict.fromkeys((ids[0], ids[-1])))
    return out


class PickSentenceDialog(ModalScreen[tuple[Lang, int] | None]):
    """Choose the sentence of a pair that has no counterpart on the other side."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, alignment: Alignment, index: int) -> None:
        super().__init__()
        self.alignment = alignment
        self.index = index
        self.choices = detachable(alignment.beads[index])

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Pair {self.index + 1}: which sentence has no counterpart?", classes="dialog-title")
            options = []
            for side, i in self.choices:
                doc = self.alignment.source if side is Lang.KO else self.alignment.target
                tag = side.value.upper()
                options.append(Option(Text.assemble((f"{tag} {i + 1}: ", "bold"), display_text(doc.sentences[i].text))))
            yield OptionList(*options, id="pick-list")
            yield Static("Enter marks it, Escape cancels.", classes="dialog-help")
            yield Horizontal(Button("Mark", variant="primary", id="pick-ok"), Button("Cancel", id="pick-cancel"))

    def on_mount(self) -> None:
        listing = self.query_one("#pick-list", OptionList)
        listing.highlighted = 0 if self.choices else None
        listing.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])

    @on(Button.Pressed, "#pick-ok")
    def _ok(self) -> None:
        index = self.query_one("#pick-list", OptionList).highlighted
        self.dismiss(self.choices[index] if index is not None else None)

    @on(Button.Pressed, "#pick-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
