"""Messages that workers post to the app (thread-safe ``post_message``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from textual.message import Message

from aligner.core.values import Bead
from aligner.search.searcher import SearchHit
from aligner.session.autosave import SaveResult
from aligner.session.workspace import Workspace


class WorkTask(StrEnum):
    """What a background worker was doing (named in its failure notice)."""

    OPEN = "open"
    SEARCH = "search"
    REALIGN = "realign"
    SAVE = "save"


@dataclass
class WorkProgress(Message):
    """A worker reached ``done`` of ``total`` in ``stage``."""

    stage: str
    done: int
    total: int


@dataclass
class WorkspaceReady(Message):
    """The documents are read, embedded, aligned and indexed; corrections go to ``project_path``."""

    workspace: Workspace
    project_path: Path | None
    notices: tuple[str, ...] = ()


@dataclass
class WorkFailed(Message):
    """A worker failed; ``error`` is one line meant for the user."""

    task: WorkTask
    error: str


@dataclass
class SearchDone(Message):
    """Hits for ``query``."""

    query: str
    hits: list[SearchHit] = field(default_factory=list)
    word_forms: bool = True
    """False while Korean word forms were still being prepared (meaning and exact matches only)."""


@dataclass
class MorphologyReady(Message):
    """Korean lemmas are built and kiwipiepy started: searches now match word forms."""


@dataclass
class RealignDone(Message):
    """A realignment (confirmed beads kept) of the pairs ``base`` finished."""

    base: tuple[Bead, ...]
    beads: tuple[Bead, ...]


@dataclass
class SaveDone(Message):
    """The session saved (or failed to save) the corrections; ``explicit`` for ``ctrl+s``."""

    result: SaveResult
    explicit: bool = False
