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

    @property
    def label(self) -> str:
        """The kind in plain words, as the reader shows it."""
        return _LABELS[self]


_LABELS = {HitKind.SEMANTIC: "meaning", HitKind.LITERAL: "exact", HitKind.MORPHEME: "word form"}


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

    @property
    def label(self) -> str:
        """The kinds in plain words: "meaning + exact"."""
        return " + ".join(kind.label for kind in self.kinds)
