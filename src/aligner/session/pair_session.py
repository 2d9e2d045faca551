"""One open document pair, headless: edits, undo/redo, saving, review order.

The CLI and the reader both drive a :class:`PairSession`: it holds the current
:class:`~aligner.session.workspace.Workspace`, an undo/redo history of bead
states and the corrections project file.  Every edit is applied through
``aligner.session.edits`` and validated; saving is atomic
(``aligner.session.project_file``) and, with ``request_save``, debounced and
done off the caller's thread by :class:`~aligner.session.autosave.AutoSaver`.

A session with a project file holds its lock (``aligner.session.project_lock``)
until ``close``: a second session on the same pair is read-only
(``read_only`` says why; edits and saves are refused with that line), so two
readers never silently overwrite each other's corrections.  Saving also refuses
to replace a version of the file it did not read: that version is kept aside.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from aligner.align.confidence import HIGH_CONFIDENCE
from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Progress
from aligner.session import review
from aligner.session.autosave import AutoSaver, SaveResult
from aligner.session.edits import EditHistory, EditOp, confirm
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.history import SAVED_STEPS
from aligner.session.project_file import (
    ProjectFile,
    file_sha256,
    lock_path,
    owned_files,
    read_project,
    save_project,
)
from aligner.session.project_lock import ProjectLock, ProjectLocked
from aligner.session.workspace import Workspace, open_pair


class PairSession:
    """Edits, undo/redo and (auto)saving for one workspace."""

    def __init__(
        self,
        workspace: Workspace,
        project_path: str | os.PathLike[str] | None = None,
        *,
        on_saved: Callable[[SaveResult], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.project_path = Path(project_path) if project_path is not None else None
        self.history = EditHistory(workspace.alignment.beads)
        """Undo/redo; the last ``SAVED_STEPS`` steps are saved with the corrections and restored here."""
        self.save_error: str | None = None
        """Why the last save failed (the corrections exist only in memory), or None."""
        self.glossary = GlossaryCache()
        """The glossary of the current pairs, shared by the glossary pane and the term picker."""
        self.read_only: str | None = None
        """Why this session may not edit (another session holds the pair), or None."""
        self.notices: list[str] = []
        """What saving had to move aside, for the user; taken by the shell with ``take_notices``."""
        self._lock: ProjectLock | None = None
        self._disk_sha: str | None = None
        if self.project_path is not None:
            try:
                self._lock = ProjectLock.acquire(lock_path(self.project_path), f"the corrections of {self._names()}")
            except ProjectLocked as err:
                self.read_only = str(err)
            self._disk_sha = file_sha256(self.project_path)
            self.history = self._saved_history(self.project_path)
        self._snapshot = (self.workspace, self.history.saved_steps(SAVED_STEPS))
        """The pairs and their undo steps as of the last change: what a save writes, taken together."""
        self._save_lock = threading.Lock()
        self._saver = AutoSaver(self.save_result, on_saved)

    def _saved_history(self, path: Path) -> EditHistory:
        """The undo history saved with these very pairs, or a fresh one (saying why a saved one is dropped)."""
        beads = self.workspace.alignment.beads
        project = read_project(path).project
        if project is None or not project.history or project.beads != beads:
            return EditHistory(beads)
        try:
            return EditHistory.from_steps(beads, project.history)
        except AlignerError as err:
            self.notices.append(f"the saved undo history was not restored: {err}")
            return EditHistory(beads)

    def _names(self) -> str:
        ws = self.workspace
        return " + ".join(Path(d.path).name if d.path else "(text)" for d in (ws.ko, ws.en))

    def _check_writable(self) -> None:
        if self.read_only is not None:
            raise AlignerError(self.read_only)

    def owned_files(self) -> tuple[tuple[Path, str], ...]:
        """The files an export must never replace: both documents, the project file and its backup."""
        ws = self.workspace
        return owned_files(ws.ko.path, ws.en.path, self.project_path)

    def take_notices(self) -> list[str]:
        notices, self.notices = self.notices, []
        return notices

    @property
    def beads(self) -> tuple[Bead, ...]:
        return self.workspace.alignment.beads

    def _set(self, beads: Sequence[Bead]) -> None:
        self.workspace = self.workspace.with_beads(beads)
        self._snapshot = (self.workspace, self.history.saved_steps(SAVED_STEPS))

    # ------------------------------------------------------------------ edits

    def apply(self, op: EditOp, label: str = "edit") -> bool:
        """Run an edit (``label`` says what it does, for undo); False if it changed nothing.
        Raises AlignerError (one line) if refused."""
        self._check_writable()
        before = self.beads
        after = self.history.apply(op, label)
        if after == before:
            return False
        self._set(after)
        return True

    def undo(self) -> str:
        """Undo the last step; returns what it undid ("merge pairs #3 and #4")."""
        self._check_writable()
        label = self.history.undo_label
        self._set(self.history.undo())
        return label or "edit"

    def redo(self) -> str:
        """Redo the last undone step; returns what it redid."""
        self._check_writable()
        label = self.history.redo_label
        self._set(self.history.redo())
        return label or "edit"

    def replace_beads(self, beads: Sequence[Bead], label: str = "realign") -> bool:
        """Record a whole new alignment (a realignment) as one undoable step."""
        new = tuple(beads)
        return self.apply(lambda _old: new, label)

    def set_confirmed(self, position: int, value: bool) -> bool:
        """Confirm (or unconfirm) the pair at ``position``; False when it already was (or was not)."""
        what = "confirm" if value else "unconfirm"
        return self.apply(lambda b: confirm(b, position, value), f"{what} pair #{position + 1}")

    def confirm_omissions(self) -> tuple[int, int]:
        """Confirm every unconfirmed pair with no counterpart; returns how many (Korean, English)."""
        ko = [i for i, b in enumerate(self.beads) if not b.confirmed and b.src and not b.tgt]
        en = [i for i, b in enumerate(self.beads) if not b.confirmed and b.tgt and not b.src]
        wanted = set(ko) | set(en)
        if wanted:

            def confirm_all(beads: tuple[Bead, ...]) -> tuple[Bead, ...]:
                return tuple(replace(b, confirmed=True) if i in wanted else b for i, b in enumerate(beads))

            self.apply(confirm_all, f"accept {len(wanted)} pairs with no counterpart")
        return len(ko), len(en)

    def confirm_high(self, threshold: float = HIGH_CONFIDENCE) -> int:
        """Confirm every match bead at or above ``threshold``; returns how many changed."""
        targets = [
            i for i, b in enumerate(self.beads)
            if not b.confirmed and b.src and b.tgt and b.confidence >= threshold
        ]  # fmt: skip
        if targets:
            wanted = set(targets)

            def confirm_all(beads: tuple[Bead, ...]) -> tuple[Bead, ...]:
                return tuple(replace(b, confirmed=True) if i in wanted else b for i, b in enumerate(beads))

            self.apply(confirm_all, f"confirm {len(targets)} confident pairs")
        return len(targets)

    # ------------------------------------------------------------------ saving

    def save(self) -> Path | None:
        """Save the corrections now, atomically; raises AlignerError (one line) if it cannot.

        A read-only session has nothing of its own to save: it writes nothing and returns None.
        """
        if self.project_path is None or self.read_only is not None:
            return None
        with self._save_lock:  # the autosaver's thread and an explicit save never interleave
            ws, steps = self._snapshot
            project = ProjectFile.from_documents(
                ws.ko, ws.en, ws.alignment.beads, ws.alignment.model, presplit=ws.presplit, history=steps
            )
            try:
                saved = save_project(self.project_path, project, expected_sha256=self._disk_sha, notices=self.notices)
            except AlignerError as err:
                self.save_error = str(err)
                raise
            self._disk_sha = hashlib.sha256(saved.to_bytes()).hexdigest()
            self.save_error = None
            return self.project_path

    def save_result(self) -> SaveResult:
        """Save now and report the outcome instead of raising."""
        try:
            return SaveResult(self.save(), None)
        except AlignerError as err:
            return SaveResult(self.project_path, str(err))

    def request_save(self) -> None:
        """Save soon, in the background: a burst of edits is written once."""
        if self.project_path is not None:
            self._saver.request()

    def flush(self) -> SaveResult | None:
        """Write a pending autosave now (before quitting); None if nothing was pending."""
        return self._saver.flush()

    def close(self) -> None:
        """Flush any pending save, stop the autosaver and let another session edit the pair."""
        try:
            self._saver.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    # ------------------------------------------------------------------ review

    @property
    def confirmed(self) -> int:
        return sum(1 for b in self.beads if b.confirmed)

    def review_order(self) -> list[int]:
        """Positions of the unconfirmed beads, most suspicious first."""
        return [item.position for item in review.review_order(self.beads)]

    def suspicious(self) -> list[int]:
        """Positions of the pairs to check: unconfirmed, in the suspicious or the check band."""
        return [i for i, b in enumerate(self.beads) if review.needs_review(b)]

    def next_suspicious(self, start: int, step: int) -> int:
        """The next pair to check after ``start`` going ``step`` (±1), wrapping; raises if none."""
        found = self.suspicious()
        if not found:
            raise AlignerError("no pairs left to check: every pair is confirmed or confident")
        if step > 0:
            later = [i for i in found if i > start]
            return later[0] if later else found[0]
        earlier = [i for i in found if i < start]
        return earlier[-1] if earlier else found[-1]


def open_session(
    ko_path: str | os.PathLike[str],
    en_path: str | os.PathLike[str],
    *,
    model: str | None = None,
    presplit: bool | None = None,
    project_path: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    on_saved: Callable[[SaveResult], None] | None = None,
) -> PairSession:
    """Open a pair with its saved corrections (the default project file unless ``project_path``)."""
    workspace = open_pair(
        Path(ko_path), Path(en_path), model=model, presplit=presplit, progress=progress,
        project_path=Path(project_path) if project_path is not None else None,
    )  # fmt: skip
    return PairSession(workspace, workspace.project_path, on_saved=on_saved)
