"""The app's hold on the headless session: status line, progress, saving, quitting, notices.

``SessionApp`` is the base of the reader app (``EditingApp`` → ``LearningApp`` →
``AlignerApp``): it holds the workspace and the :class:`PairSession` (history,
autosave, the per-pair lock), shows the status line and the workers' progress,
saves (debounced autosave, ctrl+s) and never quits over unsaved corrections
unannounced.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import get_current_worker

from aligner.core.terminal import safe_line, safe_text
from aligner.ingest.extracted import pair_location
from aligner.session import review
from aligner.session.autosave import SaveResult
from aligner.tui.bead_view import BeadView
from aligner.tui.messages import MorphologyReady, SaveDone, WorkProgress
from aligner.tui.status_bar import StatusBar

if TYPE_CHECKING:  # these bring numpy and the glossary: loaded with the workspace, after the first paint
    from aligner.session.glossary_cache import GlossaryCache
    from aligner.session.pair_session import PairSession
    from aligner.session.workspace import Workspace

PROGRESS_EVERY_S = 0.1
"""Progress messages from a worker are posted at most this often (a new stage and the end always)."""

class WorkCancelled(BaseException):
    """Raised from a progress callback to stop a cancelled worker (passes ``except Exception``)."""


class SessionApp(App[int]):
    """The session, its status and its saving; the subclasses edit, teach and read."""

    workspace: Workspace | None
    session: PairSession | None
    autosave: bool
    _search_lock: threading.Lock
    _quit_warned = False
    status_notice: tuple[int, Text] | None = None
    """A notice about the pair at this index ("result 2 of 9 …"), shown before the pair's status
    line until the cursor leaves that pair."""

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
        notice = self.status_notice
        if notice is not None and notice[0] == self.reader.cursor:
            text = Text.assemble(notice[1], " · ", text)
        else:
            self.status_notice = None
        self.status.show(text)

    @work(exclusive=True, thread=True, group="prepare", exit_on_error=False)
    def prepare_search(self, workspace: Workspace) -> None:
        """Korean lemmas (from the lemma cache when warm) and kiwipiepy for queries, off the first paint."""
        try:
            with self._search_lock:  # one searcher per workspace: built (faiss) here, after the first paint
                searcher = workspace.searcher
            if searcher.morphemes_ready:
                return
            searcher.morphology.lemmas()  # never under the search lock: searches go on without word forms meanwhile
            # Starting kiwipiepy holds Python's GIL for a second: now, before the user types a query (keys typed
            # meanwhile were lost in a browser tab), but not while the glossary is being learned (`w` pressed
            # at once: a reopened pair's glossary needs no kiwipiepy).
            while (glossary := self._glossary()) is not None and glossary.building:
                time.sleep(0.05)
            searcher.prepare()
        except Exception:  # noqa: BLE001 - the next search reports any real problem
            return
        self.post_message(MorphologyReady())

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
