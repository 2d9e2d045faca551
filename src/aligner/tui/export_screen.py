"""Export dialog: pick a format (or a parallel-text book and its layout), which pairs go out and a path;
failures show as one line in the dialog.

Which pairs: all of them, only the confirmed ones, or a minimum confidence (a
confirmed pair always passes, as in ``aligner export``).  The dialog says, as the
choice changes, how many pairs would go out and how many of them nobody
confirmed (and how many of those are still to check); the reader remembers the
choice for the pair.  The path starts in the documents' folder and is shown in full.  The input
documents, the project file and its backup are refused; any other existing
file is replaced only after a second press of Export (the dialog says so
first).  Writing goes through ``aligner.core.output_guard``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from aligner.core.errors import AlignerError
from aligner.core.output_guard import Protected, check_output_path
from aligner.core.values import Alignment
from aligner.export.book import BookFormat, BookOptions, Layout, write_book
from aligner.export.formats import ExportFormat, export, select_beads, write_export
from aligner.session.review import needs_review


@dataclass(frozen=True)
class ExportChoice:
    """What the dialog exports: the format and which pairs (what the reader remembers)."""

    fmt: str = ExportFormat.TMX.value
    confirmed_only: bool = False
    min_confidence: float | None = None


@dataclass(frozen=True)
class ExportDone:
    """The dialog's result: what it said, and the choice made (to remember)."""

    message: str
    choice: ExportChoice


def parse_min_confidence(text: str) -> float | None:
    """The minimum-confidence field: empty for none, else a number from 0 to 1 (one-line error otherwise)."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise AlignerError(f"minimum confidence {text!r} is not a number; give one from 0 to 1, or nothing") from None
    if not 0.0 <= value <= 1.0:
        raise AlignerError(f"minimum confidence {value:g} is outside 0–1")
    return value


def going_out(alignment: Alignment, choice: ExportChoice) -> str:
    """How many pairs the choice exports, and how many of them are unconfirmed and still to check."""
    fmt = ExportFormat(choice.fmt) if choice.fmt in set(ExportFormat) else ExportFormat.TMX  # a book: as pairs
    rows = select_beads(alignment, min_confidence=choice.min_confidence, confirmed_only=choice.confirmed_only)
    beads = [r.bead for r in rows]
    written = fmt.units(beads)
    unconfirmed = fmt.units([b for b in beads if not b.confirmed])
    to_check = fmt.units([b for b in beads if needs_review(b)])
    if not unconfirmed:
        return f"{written} pairs go out, all confirmed"
    return f"{written} pairs go out: {unconfirmed} of them unconfirmed, {to_check} still to check"


def _extension(fmt: str) -> str:
    return BookFormat(fmt).extension if fmt in set(BookFormat) else ExportFormat(fmt).extension


def default_export_path(alignment: Alignment, fmt: str) -> str:
    """``<ko-stem>.<en-stem>.<ext>`` in the Korean document's folder (the current one when
    that cannot be written to), as a full path."""
    stems = [Path(d.path).stem for d in (alignment.source, alignment.target) if d.path]
    name = ".".join(stems) if stems else "alignment"
    folder = Path(alignment.source.path).parent if alignment.source.path else Path.cwd()
    if not os.access(folder, os.W_OK | os.X_OK):
        folder = Path.cwd()
    return str(folder.absolute() / f"{name}{_extension(fmt)}")


def export_to(
    alignment: Alignment, fmt: str, path: str, owned: Protected = (), choice: ExportChoice | None = None,
    layout: str = Layout.INTERLEAVED,
) -> str:
    """Write the export; returns a one-line success message, raises AlignerError with a one-line reason."""
    if not path.strip():
        raise AlignerError("give a file name to export to")
    target = Path(path).expanduser()
    choice = choice or ExportChoice(fmt)
    if fmt in set(BookFormat):  # a parallel-text book (aligner.export.book), with the same choice of pairs
        options = BookOptions(format=BookFormat(fmt), layout=Layout(layout), confirmed_only=choice.confirmed_only,
                              min_confidence=choice.min_confidence)  # fmt: skip
        book = write_book(target, alignment, options, protected=owned)
        return f"wrote a {layout} book of {len(book.pairs)} pairs to {target.absolute()}"
    text = export(alignment, fmt, min_confidence=choice.min_confidence, confirmed_only=choice.confirmed_only)
    try:
        write_export(target, text, owned)
    except AlignerError:
        raise
    except OSError as err:
        raise AlignerError(f"cannot write {target}: {err.strerror or err}") from err
    rows = select_beads(alignment, min_confidence=choice.min_confidence, confirmed_only=choice.confirmed_only)
    beads = [r.bead for r in rows]
    written = ExportFormat(fmt).units(beads)
    skipped = len(beads) - written
    notes = [f"{skipped} without a counterpart left out"] if skipped else []
    unconfirmed = ExportFormat(fmt).units([b for b in beads if not b.confirmed])
    if unconfirmed:
        notes.append(f"{unconfirmed} unconfirmed")
    note = f" ({'; '.join(notes)})" if notes else ""
    return f"exported {written} pairs as {ExportFormat(fmt).label} to {target.absolute()}{note}"


class ExportScreen(ModalScreen[ExportDone | None]):
    """Returns what was exported and the choice made, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel export")]

    def __init__(
        self, alignment: Alignment, fmt: str = "tmx", owned: Protected = (), choice: ExportChoice | None = None
    ) -> None:
        super().__init__()
        self.alignment = alignment
        self.choice = choice or ExportChoice(fmt)
        fmt = self.choice.fmt
        self.fmt = fmt if fmt in set(ExportFormat) | set(BookFormat) else ExportFormat.TMX.value
        self.owned = tuple(owned)
        self._replace: Path | None = None  # the existing file the user agreed to replace

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Export {len(self.alignment.beads)} pairs", classes="dialog-title")
            with RadioSet(id="export-format"):
                for f in (*ExportFormat, *BookFormat):
                    yield RadioButton(f.label, value=f == self.fmt, name=f.value)
            with Horizontal(id="book-options") as book_options:
                book_options.display = self.fmt in set(BookFormat)
                yield Label("Layout:")
                yield Select([(layout.value, layout.value) for layout in Layout], value=Layout.INTERLEAVED,
                             allow_blank=False, id="book-layout")  # fmt: skip
            with Horizontal():
                yield Checkbox("confirmed pairs only", self.choice.confirmed_only, id="export-confirmed")
                yield Label("minimum confidence:")
                minimum = self.choice.min_confidence
                yield Input("" if minimum is None else f"{minimum:g}", placeholder="none", id="export-min")
            yield Static("", classes="dialog-help", id="export-count")
            with Horizontal():
                yield Label("File:")
                yield Input(default_export_path(self.alignment, self.fmt), id="export-path")
            yield Static("", classes="dialog-error", id="export-error")
            with Horizontal():
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()
        self._count()

    def _choice(self) -> ExportChoice:
        """The choice on screen; raises AlignerError (one line) for a bad minimum confidence."""
        minimum = parse_min_confidence(self.query_one("#export-min", Input).value)
        return ExportChoice(self.fmt, self.query_one("#export-confirmed", Checkbox).value, minimum)

    @on(Checkbox.Changed)
    @on(Input.Changed, "#export-min")
    def _count(self) -> None:
        """Say how many pairs would go out, and how many of them nobody confirmed."""
        try:
            line = going_out(self.alignment, self._choice())
        except AlignerError as err:
            line = str(err)
        self.query_one("#export-count", Static).update(Text(line))

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        old = self.fmt
        self.fmt = event.pressed.name or self.fmt
        path = self.query_one("#export-path", Input)
        self.query_one("#book-options").display = self.fmt in set(BookFormat)
        if path.value.endswith(_extension(old)):
            path.value = path.value[: -len(_extension(old))] + _extension(self.fmt)
        self._count()

    def _say(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(message.splitlines()[0] if message else "failed"))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        if self._replace is not None:
            self._replace = None
            self.query_one("#export-ok", Button).label = "Export"
            self._say(" ")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value
        try:
            choice = self._choice()
            if path.strip():
                target = check_output_path(Path(path).expanduser(), self.owned)
                if target.exists and not target.stream and self._replace != target.path:
                    self._replace = target.path
                    self.query_one("#export-ok", Button).label = "Replace"
                    self._say(f"{target.path} already exists: press Replace (or Enter) to replace it")
                    return
            message = export_to(self.alignment, self.fmt, path, self.owned, choice,
                                str(self.query_one("#book-layout", Select).value))  # fmt: skip
        except AlignerError as err:
            self._say(str(err))
            return
        self.dismiss(ExportDone(message, choice))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
