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

@dataclass(frozen=True)
class Passage:
    """A library hit: the matching sentence of one document with its neighbours."""

    path: str
    """The document it comes from (as given)."""
    lang: Lang
    sentence: int
    """The matching sentence (0-based, in its document)."""
    first: int
    last: int
    """The passage's first and last sentence (inclusive)."""
    text: str
    """The passage: its sentences joined by a space."""
    matched: str
    """The matching sentence alone."""
    location: str
    """Where in the document: "p. 3", "¶ 7", "§ 1 ¶ 7" (paragraphs of a plain-text file are counted)."""
    score: float
    semantic: float
    kinds: tuple[HitKind, ...]
    via: str = ""
    """The glossary entry that found it exactly in the other language ("텐센트 → Tencent"), if one did."""

    @property
    def label(self) -> str:
        """The kinds in plain words: "meaning + exact", "exact (glossary: 텐센트 → Tencent)"."""
        words = " + ".join(kind.label for kind in self.kinds)
        return f"{words} (glossary: {self.via})" if self.via else words

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path, "lang": self.lang.value, "location": self.location,
            "sentence": self.sentence, "first": self.first, "last": self.last,
            "passage": self.text, "matched": self.matched,
            "score": round(self.score, 4), "kinds": [kind.value for kind in self.kinds], "how": self.label,
            "glossary": self.via or None,
        }  # fmt: skip
