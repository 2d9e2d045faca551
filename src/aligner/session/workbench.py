"""The translator's workbench behind the reader (no Textual here).

Holds the current workspace, an undo/redo history of bead states and the
corrections project file: every edit is applied through ``aligner.session.edits``,
validated, and saved atomically with ``aligner.session.project_file``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.align.confidence import HIGH_CONFIDENCE, LOW_CONFIDENCE
from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Progress
from aligner.session import review
from aligner.session.edits import EditHistory, EditOp
from aligner.session.project_file import (
    LoadStatus,
    ProjectFile,
    ProjectLoad,
    default_project_path,
    find_project,
    load_project,
    save_project,
)
from aligner.session.review import is_suspicious
from aligner.session.workspace import Workspace


def project_path_for(workspace: Workspace) -> Path | None:
    """Where this pair's corrections live (an existing file first), or None for unsaved text."""
    ko, en = workspace.ko.path, workspace.en.path
    if not ko or not en:
        return None
    return find_project(ko, en) or default_project_path(ko, en)


@dataclass(frozen=True)
class Restored:
    """A workspace with saved corrections applied, and what to tell the user."""

    workspace: Workspace
    notice: str = ""


def restore_corrections(
    workspace: Workspace, path: str | os.PathLike[str] | None, progress: Progress | None = None
) -> Restored:
    """Apply the corrections saved at ``path`` (if any) to a freshly aligned workspace.

    Unchanged documents get the saved beads back; changed documents are
    realigned with the confirmed beads that still fit as constraints.
    """
    if path is None:
        return Restored(workspace)
    load: ProjectLoad = load_project(path, workspace.ko, workspace.en)
    if load.status is LoadStatus.UNCHANGED and load.beads is not None:
        return Restored(workspace.with_beads(load.beads), load.message)
    if load.status is LoadStatus.CHANGED:
        from aligner.align.documents import align_documents

        beads = align_documents(
            workspace.ko, workspace.en, workspace.encoder, constraints=list(load.constraints), progress=progress
        )
        return Restored(workspace.with_beads(beads), load.message)
    return Restored(workspace, load.message)


def review_order(beads: Sequence[Bead]) -> list[int]:
    """Positions of the unconfirmed beads, most suspicious first (``aligner.session.review``)."""
    return [item.position for item in review.review_order(beads)]


class Workbench:
    """Edits, undo/redo and autosave for one workspace."""

    def __init__(self, workspace: Workspace, project_path: str | os.PathLike[str] | None = None) -> None:
        self.workspace = workspace
        self.project_path = Path(project_path) if project_path is not None else None
        self.history = EditHistory(workspace.alignment.beads)
        self.threshold = LOW_CONFIDENCE
        self.save_error: str | None = None
        """Why the last save failed (the corrections exist only in memory), or None."""

    @property
    def beads(self) -> tuple[Bead, ...]:
        return self.workspace.alignment.beads

    def _set(self, beads: Sequence[Bead]) -> None:
        self.workspace = self.workspace.with_beads(beads)

    def apply(self, op: EditOp) -> bool:
        """Run an edit; False if it changed nothing.  Raises AlignerError (one line) if refused."""
        before = self.beads
        after = self.history.apply(op)
        if after == before:
            return False
        self._set(after)
        return True

    def apply_at(self, edit: Callable[..., tuple[Bead, ...]], i: int, *args: object) -> bool:
        return self.apply(lambda beads: edit(beads, i, *args))

    def undo(self) -> None:
        self._set(self.history.undo())

    def redo(self) -> None:
        self._set(self.history.redo())

    def replace_beads(self, beads: Sequence[Bead]) -> bool:
        """Record a whole new alignment (a realignment) as one undoable step."""
        new = tuple(beads)
        return self.apply(lambda _old: new)

    def confirm_high(self, threshold: float = HIGH_CONFIDENCE) -> int:
        """Confirm every match bead at or above ``threshold``; returns how many changed."""
        targets = [
            i for i, b in enumerate(self.beads) if not b.confirmed and b.src and b.tgt and b.confidence >= threshold
        ]
        if targets:
            wanted = set(targets)

            def confirm_all(beads: tuple[Bead, ...]) -> tuple[Bead, ...]:
                return tuple(replace(b, confirmed=True) if i in wanted else b for i, b in enumerate(beads))

            self.apply(confirm_all)
        return len(targets)

    def save(self) -> Path | None:
        """Save the corrections atomically; raises AlignerError (one line) if it cannot."""
        if self.project_path is None:
            return None
        ws = self.workspace
        project = ProjectFile.from_documents(ws.ko, ws.en, ws.alignment.beads, ws.alignment.model)
        try:
            save_project(self.project_path, project)
        except AlignerError as err:
            self.save_error = str(err)
            raise
        self.save_error = None
        return self.project_path

    @property
    def confirmed(self) -> int:
        return sum(1 for b in self.beads if b.confirmed)

    def suspicious(self) -> list[int]:
        return [i for i, b in enumerate(self.beads) if is_suspicious(b, self.threshold)]

    def next_suspicious(self, start: int, step: int) -> int:
        """The next suspicious bead after ``start`` going ``step`` (±1), wrapping; raises if none."""
        found = self.suspicious()
        if not found:
            raise AlignerError("no suspicious beads left: every bead is confirmed or confident")
        if step > 0:
            later = [i for i in found if i > start]
            return later[0] if later else found[0]
        earlier = [i for i in found if i < start]
        return earlier[-1] if earlier else found[-1]
