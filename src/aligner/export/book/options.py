"""What the user chooses for a parallel-text book: format, layout, lead language, which pairs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aligner.core.errors import AlignerError
from aligner.core.values import Lang


class BookFormat(StrEnum):
    """An EPUB 3 e-book, or one self-contained HTML page."""

    EPUB = "epub"
    HTML = "html"

    @property
    def extension(self) -> str:
        return f".{self.value}"

    @property
    def label(self) -> str:
        return "EPUB book" if self is BookFormat.EPUB else "HTML book"


class Layout(StrEnum):
    """How each pair is shown."""

    INTERLEAVED = "interleaved"
    """Each sentence of the lead language followed by its counterpart."""
    SIDE_BY_SIDE = "side-by-side"
    """A two-column table per paragraph where the screen is wide enough, interleaved where it is not."""
    LEARNER = "learner"
    """The counterpart hidden until the sentence is tapped (``<details>``)."""


class Rest(StrEnum):
    """What happens to the pairs that ``--confirmed-only`` / ``--min-confidence`` do not keep."""

    OMIT = "omit"
    MARK = "mark"


@dataclass(frozen=True)
class BookOptions:
    format: BookFormat = BookFormat.EPUB
    layout: Layout = Layout.INTERLEAVED
    lead: Lang = Lang.KO
    confirmed_only: bool = False
    min_confidence: float | None = None
    rest: Rest = Rest.OMIT

    def __post_init__(self) -> None:
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise AlignerError("--min-confidence must be between 0 and 1")

    @property
    def filtered(self) -> bool:
        return self.confirmed_only or self.min_confidence is not None

    def passes(self, confidence: float, confirmed: bool) -> bool:
        """Whether a pair passes the user's filters (a confirmed pair passes any minimum confidence)."""
        if confirmed:
            return True
        if self.confirmed_only:
            return False
        return self.min_confidence is None or confidence >= self.min_confidence


def book_format_for_path(path: str) -> BookFormat:
    """EPUB for ``.epub``, a web page for ``.html``/``.htm``; any other name is refused (say --format)."""
    name = path.lower()
    if name.endswith(".epub"):
        return BookFormat.EPUB
    if name.endswith((".html", ".htm", ".xhtml")):
        return BookFormat.HTML
    raise AlignerError(f"cannot tell the book's format from {path!r}: name it .epub or .html, or give --format")
