"""The workbench: edits, undo/redo, suspicious pairs, review, export, realign.

``EditingApp`` (over :class:`aligner.tui.session_app.SessionApp`, which holds the
session, saving and the status line) edits the pairs through the headless
:class:`PairSession` and runs the worker that realigns around the confirmed pairs.
The learning half is ``learning.py``; the reading, loading and search half ``app.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Lang
from aligner.session import edits as edit
from aligner.session import review
from aligner.tui.bead_view import BeadView
from aligner.tui.header import PaneHeader
from aligner.tui.messages import RealignDone, WorkFailed, WorkTask
from aligner.tui.session_app import SessionApp, WorkCancelled

if TYPE_CHECKING:  # these bring numpy and the glossary: loaded with the workspace, after the first paint
    from aligner.session.workspace import Workspace
    from aligner.tui.export_screen import ExportChoice

EDIT_ACTIONS = frozenset(
    {
        "merge_next", "merge_previous", "split", "ko_to_previous", "ko_to_next", "en_to_previous",
        "en_to_next", "no_counterpart", "confirm", "unconfirm", "confirm_omissions", "confirm_high", "undo", "redo",
        "next_suspicious", "previous_suspicious", "review", "export", "realign", "search", "clear_highlight",
        "save",
    }
)  # fmt: skip


class ReaderPane(Vertical):
    """Column titles over the bead list; holds the reading and workbench keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.next_suspicious", "Next to check"),
        Binding("N,p", "app.previous_suspicious", "Previous to check", show=False),
        Binding("c", "app.confirm", "Confirm"),
        Binding("U", "app.unconfirm", "Unconfirm (back to review)", show=False),
        Binding("C", "app.confirm_high", "Confirm all confident pairs", show=False),
        Binding("X", "app.confirm_omissions", "Accept every no-counterpart pair", show=False),
        Binding("m", "app.merge_next", "Merge with next", show=False),
        Binding("M", "app.merge_previous", "Merge with previous", show=False),
        Binding("s", "app.split", "Split pair…", show=False),
        Binding("left_square_bracket", "app.ko_to_previous", "Korean sentence to previous pair", show=False),
        Binding("right_square_bracket", "app.ko_to_next", "Korean sentence to next pair", show=False),
        Binding("left_curly_bracket", "app.en_to_previous", "English sentence to previous pair", show=False),
        Binding("right_curly_bracket", "app.en_to_next", "English sentence to next pair", show=False),
        Binding("x", "app.no_counterpart", "Mark no counterpart…", show=False),
        Binding("u,ctrl+z", "app.undo", "Undo"),
        Binding("ctrl+r,ctrl+y", "app.redo", "Redo", show=False),
        Binding("v", "app.review", "Review", show=False),
        Binding("e", "app.export", "Export…", show=False),
        Binding("w", "app.glossary", "Glossary (term pairs)", show=False),
        Binding("R", "app.realign", "Realign (keep confirmed)", show=False),
        Binding("ctrl+s", "app.save", "Save corrections now", show=False),
        Binding("escape", "app.clear_highlight", "Clear search highlight", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield PaneHeader(id="titles")
        yield BeadView(id="reader")


class EditingApp(SessionApp):
    """Workbench actions over ``self.session``; the subclass loads the workspace."""

    glossary_pending = False
    """``w`` was pressed before the pair had loaded: the glossary opens when it has."""

    @work(exclusive=True, thread=True, group="align", exit_on_error=False)
    def run_realign(self, workspace: Workspace) -> None:
        progress = self._progress()
        try:
            realigned = workspace.realign(progress)
        except WorkCancelled:
            return
        except AlignerError as err:
            self.post_message(WorkFailed(WorkTask.REALIGN, str(err)))
            return
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed(WorkTask.REALIGN, f"realign failed: {err}"))
            return
        self.post_message(RealignDone(workspace.alignment.beads, realigned.alignment.beads))

    def on_realign_done(self, message: RealignDone) -> None:
        self.status.idle()
        if self.session is None:
            return
        before = self.session.beads
        if before != message.base:
            self.notify("realignment discarded: the pairs were edited while it ran", severity="warning")
            return
        kept = sum(1 for b in before if b.confirmed)
        changed = self.session.replace_beads(message.beads, f"realign around {kept} confirmed pairs")
        self._after_edit(self.reader.cursor)
        if changed:
            self.notify(f"realigned around {kept} confirmed pairs: now {len(message.beads)} pairs")
        else:
            self.notify("realigned: nothing changed")

    # ------------------------------------------------------------------ workbench

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDIT_ACTIONS and self.session is None:
            return None
        return True

    def _after_edit(self, cursor: int) -> None:
        assert self.session is not None
        self.workspace = self.session.workspace
        self.reader.set_highlight(None)
        self.reader.show_alignment(self.workspace.alignment, cursor=cursor)
        self.refresh_status()
        if self.autosave and self.session is not None:
            self.session.request_save()  # debounced, written on the session's timer thread
        self.prepare_search(self.workspace)

    def _edit(
        self, op: Callable[[tuple[Bead, ...]], tuple[Bead, ...]], cursor: int | None = None, label: str = "edit"
    ) -> bool:
        bench = self.session
        if bench is None:
            return False
        i = self.reader.cursor
        try:
            changed = bench.apply(op, label)
        except AlignerError as err:
            self.notify(str(err), severity="error", timeout=6)
            return False
        if changed:
            self._after_edit(i if cursor is None else cursor)
        return changed

    def action_merge_next(self) -> None:
        i = self.reader.cursor
        self._edit(lambda b: edit.merge_with_next(b, i), i, f"merge pairs #{i + 1} and #{i + 2}")

    def action_merge_previous(self) -> None:
        i = self.reader.cursor
        self._edit(lambda b: edit.merge_with_previous(b, i), i - 1, f"merge pairs #{i} and #{i + 1}")

    def _move(self, fn: Callable[[tuple[Bead, ...], int], tuple[Bead, ...]], towards: int, side: str) -> None:
        bench = self.session
        if bench is None:
            return
        i = self.reader.cursor
        before = len(bench.beads)
        label = f"move a {side} sentence from pair #{i + 1} to #{i + 1 + towards}"
        if self._edit(lambda b: fn(b, i), i, label) and towards < 0 and len(bench.beads) < before:
            self.reader.move_cursor(i - 1)  # the pair emptied into the one above: follow it

    def action_ko_to_previous(self) -> None:
        self._move(edit.move_source_to_previous, -1, "Korean")

    def action_ko_to_next(self) -> None:
        self._move(edit.move_source_to_next, 1, "Korean")

    def action_en_to_previous(self) -> None:
        self._move(edit.move_target_to_previous, -1, "English")

    def action_en_to_next(self) -> None:
        self._move(edit.move_target_to_next, 1, "English")

    def _set_confirmed(self, value: bool) -> None:
        """Confirm (``c``) or unconfirm (``U``) the selected pair; each key does only its own thing."""
        if self.session is None or not self.session.beads or self._refused_read_only():
            return
        i = self.reader.cursor
        if self.session.beads[i].confirmed == value:
            already = "already confirmed (U unconfirms it)" if value else "not confirmed (c confirms it)"
            self.notify(f"pair #{i + 1} is {already}", timeout=3)
            return
        try:
            self.session.set_confirmed(i, value)
        except AlignerError as err:
            self.notify(str(err), severity="error", timeout=6)
            return
        self._after_edit(i)
        self.notify(f"pair #{i + 1} confirmed" if value else f"pair #{i + 1} unconfirmed: back in review", timeout=2)

    def action_confirm(self) -> None:
        self._set_confirmed(True)

    def action_unconfirm(self) -> None:
        self._set_confirmed(False)

    def action_confirm_omissions(self) -> None:
        """Accept every unconfirmed no-counterpart pair at once (``x`` + ``c`` for each, in one undoable step)."""
        if self.session is None or self._refused_read_only():
            return
        try:
            ko, en = self.session.confirm_omissions()
        except AlignerError as err:
            self.notify(str(err), severity="error", timeout=6)
            return
        if not ko and not en:
            self.notify("no unconfirmed pair without a counterpart", timeout=4)
            return
        self._after_edit(self.reader.cursor)
        self.notify(
            f"accepted {ko + en} pairs with no counterpart ({ko} Korean with no English, "
            f"{en} English with no Korean); u undoes it",
            timeout=8,
        )

    def action_confirm_high(self) -> None:
        if self.session is None or self._refused_read_only():
            return
        count = self.session.confirm_high()
        if count:
            self._after_edit(self.reader.cursor)
        self.notify(review.confirm_high_report(count, self.session.beads), timeout=10)

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        if self.session is None:
            return
        try:
            label = self.session.undo() if undo else self.session.redo()
        except AlignerError as err:
            self.notify(str(err), timeout=3)
            return
        self._after_edit(self.reader.cursor)
        self.notify(f"{'undid' if undo else 'redid'}: {label}", timeout=4)

    def action_split(self) -> None:
        ws = self.workspace
        if ws is None or not ws.alignment.beads or self._refused_read_only():
            return
        i = self.reader.cursor
        bead = ws.alignment.beads[i]
        if len(bead.src) + len(bead.tgt) < 2:
            self.notify("cannot split: this pair has a single sentence", severity="error", timeout=4)
            return

        def done(cuts: tuple[int, int] | None) -> None:
            if cuts is not None:
                self._edit(lambda b: edit.split(b, i, *cuts), i, f"split pair #{i + 1}")

        from aligner.tui.dialogs import SplitDialog

        self.push_screen(SplitDialog(ws.alignment, i), done)

    def action_no_counterpart(self) -> None:
        ws = self.workspace
        if ws is None or not ws.alignment.beads or self._refused_read_only():
            return
        i = self.reader.cursor

        def done(choice: tuple[Lang, int] | None) -> None:
            if choice is not None:
                side, sentence = choice
                name = "Korean" if side is Lang.KO else "English"
                label = f"mark a {name} sentence of pair #{i + 1} as having no counterpart"
                self._edit(lambda b: edit.mark_no_counterpart(b, i, side, sentence), i, label)

        from aligner.tui.dialogs import PickSentenceDialog

        self.push_screen(PickSentenceDialog(ws.alignment, i), done)

    def _jump_suspicious(self, step: int) -> None:
        if self.session is None:
            return
        cursor = self.reader.cursor
        try:
            target = self.session.next_suspicious(cursor, step)
        except AlignerError as err:
            self.notify(str(err), timeout=4)
            return
        self.reader.move_cursor(target, center=True)
        if (step > 0 and target <= cursor) or (step < 0 and target >= cursor):  # went round the end
            left = len(self.session.suspicious())
            where = "last pair to check: continuing from the top" if step > 0 else (
                "first pair to check: continuing from the bottom"
            )
            self.notify(f"passed the {where} ({left} to check)", timeout=4)

    def action_next_suspicious(self) -> None:
        self._jump_suspicious(1)

    def action_previous_suspicious(self) -> None:
        self._jump_suspicious(-1)

    def action_review(self) -> None:
        ws = self.workspace
        if ws is None or self.session is None:
            return
        order = self.session.review_order()

        def done(index: int | None) -> None:
            if index is not None:
                self.reader.move_cursor(index, center=True)
                self.reader.focus()

        from aligner.tui.review_screen import ReviewScreen

        self.push_screen(ReviewScreen(ws.alignment, order), done)

    def action_export(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        from aligner.tui.export_screen import ExportDone, ExportScreen

        def done(result: ExportDone | None) -> None:
            if result is not None:
                self.export_chosen(result.choice)
                self.notify(result.message, timeout=6)

        owned = self.session.owned_files() if self.session is not None else ()
        self.push_screen(ExportScreen(ws.alignment, owned=owned, choice=self.export_choice()), done)

    def export_choice(self) -> ExportChoice | None:
        """The export dialog's last choice for this pair (the subclass remembers it); None: the defaults."""
        return None

    def export_chosen(self, choice: ExportChoice) -> None:
        """Remember the export dialog's choice (the subclass keeps it with the pair's state)."""

    def action_glossary(self) -> None:
        """Open the glossary (learned term pairs); a search match, if shown, is the starting term.

        Pressed while a pair seen before shows its pairs but still loads its vectors, it opens
        as soon as the pair has loaded (``glossary_pending``) instead of being lost.
        """
        if self.workspace is None or self.session is None:
            if self.reader.alignment is not None:
                self.glossary_pending = True
                self.notify("the glossary opens as soon as the pair has loaded", timeout=3)
            return
        self.glossary_pending = False
        from aligner.tui.glossary_screen import GlossaryScreen

        highlight = self.reader.highlight
        term = highlight.needle if highlight is not None else None

        def done(index: int | None) -> None:
            if index is not None:
                self.reader.move_cursor(index, center=True)
                self.reader.focus()

        self.push_screen(GlossaryScreen(self.workspace, initial_term=term, glossary=self._glossary()), done)

    def action_realign(self) -> None:
        if self.workspace is None or self._refused_read_only():
            return
        self.status.progress("realigning", 0, 0)
        self.run_realign(self.workspace)
