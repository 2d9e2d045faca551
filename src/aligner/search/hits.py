"""What a search finds: a sentence hit and the kinds of match that found it.

Plain values, without numpy or faiss, so the reader can show and pass them
around before the search machinery (``aligner.search.searcher``) is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aligner.core.values import Lang


class HitKind(StrEnum):
    """How a sentence matched a query (in display order)."""

    SEMANTIC = "semantic"
    LITERAL = "literal"
    MORPHEME = "morpheme"
    CONCEPT = "concept"

    @property
    def label(self) -> str:
        """The kind in plain words, as the reader shows it."""
        return _LABELS[self]


_LABELS = {
    HitKind.SEMANTIC: "meaning",
    HitKind.LITERAL: "exact",
    HitKind.MORPHEME: "word form",
    HitKind.CONCEPT: "term",
}


@dataclass(frozen=True)
class SearchHit:
    lang: Lang
    sentence: int
    bead: int
    score: float
    semantic: float
    kinds: tuple[HitKind, ...]
    text: str
    ko: str = ""
    """The whole pair's Korean side (the hit's bead)."""
    en: str = ""
    """The whole pair's English side."""
    terms: tuple[str, ...] = ()
    """The document's terms that led here (kind ``CONCEPT``): "정보통신기술 ⇄ ICT technology"."""
    marks: tuple[str, ...] = ()
    """The words to highlight in the pair: the query, and the terms that led here with their translations."""

    @property
    def label(self) -> str:
        """The kinds in plain words: "meaning + exact"."""
        return " + ".join(kind.label for kind in self.kinds)

    @property
    def why(self) -> str:
        """Why it matched, in plain words: "meaning + term (원격진료 ⇄ telemedicine)"."""
        if not self.terms:
            return self.label
        return f"{self.label} ({'; '.join(self.terms)})"
