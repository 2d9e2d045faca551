"""Messages that workers post to the app (thread-safe ``post_message``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from aligner.core.values import Alignment, Bead
from aligner.search.hits import SearchHit
from aligner.session.autosave import SaveResult

if TYPE_CHECKING:  # the workspace module brings numpy: the reader loads it after the first paint
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
class PairsReady(Message):
    """The pairs of a pair seen before (its project file or the alignment cache), before the workspace."""

    alignment: Alignment


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
    terms: bool = True
    """False while the document's terms (the glossary) were still being learned."""


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
