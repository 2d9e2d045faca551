"""The workbench half of the app: edits, undo/redo, suspicious pairs, review, export, realign.

``EditingApp`` is the base of :class:`aligner.tui.app.AlignerApp`; it owns
the headless :class:`PairSession` (history and autosave) and the worker that realigns
around the confirmed pairs.  The reading, loading and search half lives in
``app.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.worker import get_current_worker

from aligner.core.errors import AlignerError
from aligner.core.terminal import safe_line, safe_text
from aligner.core.values import Bead, Lang
from aligner.ingest.extracted import pair_location
from aligner.session import edits as edit
from aligner.session import review
from aligner.session.autosave import SaveResult
from aligner.tui.bead_view import BeadView
from aligner.tui.header import PaneHeader
from aligner.tui.messages import MorphologyReady, RealignDone, SaveDone, WorkFailed, WorkProgress, WorkTask
from aligner.tui.status_bar import StatusBar

if TYPE_CHECKING:  # these bring numpy and the glossary: loaded with the workspace, after the first paint
    from aligner.session.glossary_cache import GlossaryCache
    from aligner.session.pair_session import PairSession
    from aligner.session.workspace import Workspace

PROGRESS_EVERY_S = 0.1
"""Progress messages from a worker are posted at most this often (a new stage and the end always)."""

class WorkCancelled(BaseException):
    """Raised from a progress callback to stop a cancelled worker (passes ``except Exception``)."""


EDIT_ACTIONS = frozenset(
    {
        "merge_next", "merge_previous", "split", "ko_to_previous", "ko_to_next", "en_to_previous",
        "en_to_next", "no_counterpart", "confirm", "confirm_high", "undo", "redo", "next_suspicious",
        "previous_suspicious", "review", "export", "realign", "search", "clear_highlight", "glossary", "save",
    }
)  # fmt: skip


class ReaderPane(Vertical):
    """Column titles over the bead list; holds the reading and workbench keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.next_suspicious", "Next to check"),
        Binding("N,p", "app.previous_suspicious", "Previous to check", show=False),
        Binding("c", "app.confirm", "Confirm"),
        Binding("C", "app.confirm_high", "Confirm all confident pairs", show=False),
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


class EditingApp(App[int]):
    """Workbench actions over ``self.session``; the subclass loads the workspace."""

    workspace: Workspace | None
    session: PairSession | None
    autosave: bool
    _search_lock: threading.Lock
    _quit_warned = False

    @property
    def reader(self) -> BeadView:
        return self.query_one("#reader", BeadView)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def _progress(self) -> Callable[[str, int, int], None]:
        """A pipeline progress callback for the current worker; it stops the work once cancelled."""
        worker = get_current_worker()
        last_stage, last_time = "", 0.0

        def report(stage: str, done: int, total: int) -> None:
            nonlocal last_stage, last_time
            if worker.is_cancelled:  # the app is closing or a newer run replaced this one
                raise WorkCancelled(stage)
            now = time.monotonic()
            if stage == last_stage and done < total and now - last_time < PROGRESS_EVERY_S:
                return  # the bar moves ten times a second at most: redrawing is not free on a busy machine
            last_stage, last_time = stage, now
            self.post_message(WorkProgress(stage, done, total))

        return report

    def refresh_status(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        beads = ws.alignment.beads
        names = [Path(d.path).name if d.path else "(text)" for d in (ws.ko, ws.en)]
        confirmed = sum(1 for b in beads if b.confirmed)
        text = Text.assemble(
            (names[0], "bold"), " ⇄ ", (names[1], "bold"),
            f" · {len(beads)} pairs · {ws.alignment.model or '?'} · ✓ {confirmed}/{len(beads)}",
        )  # fmt: skip
        if beads:
            i = min(self.reader.cursor, len(beads) - 1)
            b = beads[i]
            text.append(f" · #{i + 1} {b.shape} {review.status_label(b)}")
            where = pair_location(ws.ko, b.src, ws.en, b.tgt)
            if where:
                text.append(f" · {where}")
            if b.confirmed:
                text.append(" ✓", style="bold green")
            counts = review.band_counts(beads)
            if counts.to_review:
                text.append(f" · {counts.to_review} to check")
        if self.session is not None and self.session.read_only is not None:  # first: never cut off
            text = Text.assemble(("read-only (open elsewhere)", "bold yellow"), " · ", text)
        elif self.session is not None and self.session.save_error is not None:
            text.append(" · not saved", style="bold red")
        self.status.show(text)

    @work(exclusive=True, thread=True, group="prepare", exit_on_error=False)
    def prepare_search(self, workspace: Workspace) -> None:
        """Korean lemmas (from the lemma cache when warm) and kiwipiepy for queries, off the first paint."""
        try:
            with self._search_lock:  # one searcher per workspace: built (faiss) here, after the first paint
                searcher = workspace.searcher
            if searcher.morphemes_ready:
                return
            searcher.prepare()  # never under the search lock: searches go on without word forms meanwhile
        except Exception:  # noqa: BLE001 - the next search reports any real problem
            return
        self.post_message(MorphologyReady())

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
        changed = self.session.replace_beads(message.beads)
        self._after_edit(self.reader.cursor)
        kept = sum(1 for b in before if b.confirmed)
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

    def announce_session(self) -> None:
        """Tell the user once when the pair opened read-only (another session is editing it)."""
        if self.session is not None and self.session.read_only is not None:
            self.notify(self.session.read_only, title="read-only", severity="warning", timeout=12)

    def _refused_read_only(self) -> bool:
        """True (and the one-line reason shown) when this session may not edit."""
        if self.session is not None and self.session.read_only is not None:
            self.notify(self.session.read_only, severity="error", timeout=6)
            return True
        return False

    def saved_in_background(self, result: SaveResult) -> None:
        """The session's autosaver finished (called on its thread)."""
        self.post_message(SaveDone(result))

    def on_save_done(self, message: SaveDone) -> None:
        """Say what a save did; on failure the corrections stay in memory (the file is untouched)."""
        result = message.result
        for notice in self.session.take_notices() if self.session is not None else ():
            self.notify(notice, severity="warning", timeout=12)  # a file moved aside: say where
        if result.error is not None:
            self.notify(f"corrections not saved: {result.error}", severity="error", timeout=10)
        else:
            self._quit_warned = False
            if message.explicit:
                self.notify(f"corrections saved to {result.path}", timeout=4)
        self.refresh_status()  # the status bar says "not saved" exactly while the last save failed

    @work(exclusive=True, thread=True, group="save", exit_on_error=False)
    def save_now(self) -> None:
        if self.session is not None:
            self.session.flush()  # a pending autosave first, then the explicit save
            self.post_message(SaveDone(self.session.save_result(), explicit=True))

    def _glossary(self) -> GlossaryCache | None:
        return self.session.glossary if self.session is not None else None

    def on_unmount(self) -> None:
        self.remember_state()
        if self.session is not None:
            self.session.close()  # nothing pending is lost however the app ends

    def remember_state(self) -> None:
        """Write what the reader remembers for this pair (the subclass knows what that is)."""

    def action_save(self) -> None:
        """Save now: after a failed autosave, retry once the disk or folder is fixed."""
        if self.session is None or self._refused_read_only():
            return
        if self.session.project_path is None:
            self.notify("nothing to save to: this pair has no project file (export it instead)", timeout=6)
        else:
            self.save_now()

    async def action_quit(self) -> None:
        """Quit; if the last save failed, warn once first so the corrections are not lost unawares."""
        bench = self.session
        if bench is not None:
            result = bench.flush()  # a pending autosave is written before quitting
            if result is not None and result.error is not None:
                self.notify(f"corrections not saved: {result.error}", severity="error", timeout=10)
                self.refresh_status()
        if bench is not None and bench.save_error is not None and not self._quit_warned:
            self._quit_warned = True
            self.notify(
                "your corrections are not saved: ctrl+s retries, e exports them; press q again to quit anyway",
                title="unsaved corrections", severity="warning", timeout=15,
            )  # fmt: skip
            return
        self.exit()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry file names and document text: never parse them as markup."""
        super().notify(safe_text(message), title=safe_line(title), severity=severity, timeout=timeout, markup=markup)

    def _edit(self, op: Callable[[tuple[Bead, ...]], tuple[Bead, ...]], cursor: int | None = None) -> bool:
        bench = self.session
        if bench is None:
            return False
        i = self.reader.cursor
        try:
            changed = bench.apply(op)
        except AlignerError as err:
            self.notify(str(err), severity="error", timeout=6)
            return False
        if changed:
            self._after_edit(i if cursor is None else cursor)
        return changed

    def action_merge_next(self) -> None:
        i = self.reader.cursor
        self._edit(lambda b: edit.merge_with_next(b, i), i)

    def action_merge_previous(self) -> None:
        i = self.reader.cursor
        self._edit(lambda b: edit.merge_with_previous(b, i), i - 1)

    def _move(self, fn: Callable[[tuple[Bead, ...], int], tuple[Bead, ...]], towards: int) -> None:
        bench = self.session
        if bench is None:
            return
        i = self.reader.cursor
        before = len(bench.beads)
        if self._edit(lambda b: fn(b, i), i) and towards < 0 and len(bench.beads) < before:
            self.reader.move_cursor(i - 1)  # the pair emptied into the one above: follow it

    def action_ko_to_previous(self) -> None:
        self._move(edit.move_source_to_previous, -1)

    def action_ko_to_next(self) -> None:
        self._move(edit.move_source_to_next, 1)

    def action_en_to_previous(self) -> None:
        self._move(edit.move_target_to_previous, -1)

    def action_en_to_next(self) -> None:
        self._move(edit.move_target_to_next, 1)

    def action_confirm(self) -> None:
        if self.session is None or not self.session.beads:
            return
        i = self.reader.cursor
        value = not self.session.beads[i].confirmed
        if self._edit(lambda b: edit.confirm(b, i, value), i):
            self.notify("pair confirmed" if value else "pair unconfirmed", timeout=2)

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
            if undo:
                self.session.undo()
            else:
                self.session.redo()
        except AlignerError as err:
            self.notify(str(err), severity="warning", timeout=3)
            return
        self._after_edit(self.reader.cursor)

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
                self._edit(lambda b: edit.split(b, i, *cuts), i)

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
                self._edit(lambda b: edit.mark_no_counterpart(b, i, side, sentence), i)

        from aligner.tui.dialogs import PickSentenceDialog

        self.push_screen(PickSentenceDialog(ws.alignment, i), done)

    def _jump_suspicious(self, step: int) -> None:
        if self.session is None:
            return
        try:
            target = self.session.next_suspicious(self.reader.cursor, step)
        except AlignerError as err:
            self.notify(str(err), timeout=4)
            return
        self.reader.move_cursor(target, center=True)

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

        def done(message: str | None) -> None:
            if message:
                self.notify(message, timeout=6)

        owned = self.session.owned_files() if self.session is not None else ()
        from aligner.tui.export_screen import ExportScreen

        self.push_screen(ExportScreen(ws.alignment, owned=owned), done)

    def action_glossary(self) -> None:
        """Open the glossary (learned term pairs); a search match, if shown, is the starting term."""
        if self.workspace is None:
            return
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
