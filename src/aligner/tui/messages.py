"""Messages that workers post to the app (thread-safe ``post_message``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.message import Message

from aligner.core.values import Bead
from aligner.search.searcher import SearchHit
from aligner.session.workspace import Workspace


class WorkProgress(Message):
    """A worker reached ``done`` of ``total`` in ``stage``."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total


class WorkspaceReady(Message):
    """The documents are read, embedded, aligned and indexed; corrections go to ``project_path``."""

    def __init__(self, workspace: Workspace, project_path: Path | None, notices: Sequence[str] = ()) -> None:
        super().__init__()
        self.workspace = workspace
        self.project_path = project_path
        self.notices = tuple(notices)


class WorkFailed(Message):
    """A worker failed; ``error`` is one line meant for the user."""

    def __init__(self, task: str, error: str) -> None:
        super().__init__()
        self.task = task
        self.error = error


class SearchDone(Message):
    """Hits for ``query``."""

    def __init__(self, query: str, hits: Sequence[SearchHit]) -> None:
        super().__init__()
        self.query = query
        self.hits = list(hits)


class RealignDone(Message):
    """A realignment (confirmed beads kept) of the pairs ``base`` finished."""

    def __init__(self, base: Sequence[Bead], beads: Sequence[Bead]) -> None:
        super().__init__()
        self.base = tuple(base)
        self.beads = tuple(beads)
