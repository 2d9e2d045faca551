"""What a format reader returns: clean text in the segmenter's own shape plus where
each part of it came from.

Readers emit blocks (paragraphs, headings, table cells, notes) through a
:class:`TextBuilder`; the text is the blocks separated by blank lines, headings as
markdown ``# `` lines (the segmenter treats them as headings and alignment anchors),
notes gathered at the end, each marked ``[Note N]``.  ``locations`` lists
``(offset, label)`` pairs in offset order: the text from ``offset`` up to the next
entry came from ``label`` ("p. 12", "¶ 7", "section 2").  ``doubtful`` lists the
``(start, end)`` spans of the text that OCR read with low confidence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from aligner.core.budgets import MAX_BLOCKS
from aligner.core.errors import InputError
from aligner.core.values import Document, Sentence

_WS_RE = re.compile(r"[ \t\r\n\u00a0]+")

Locations = tuple[tuple[int, str], ...]
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Extracted:
    text: str
    format: str  # a FORMAT label, e.g. "pdf"
    locations: Locations = ()
    doubtful: Spans = ()


def location_at(locations: Locations, offset: int) -> str | None:
    """The label of the location that covers ``offset`` (None if there is none)."""
    if not locations:
        return None
    k = bisect.bisect_right(locations, offset, key=lambda entry: entry[0]) - 1
    return locations[max(k, 0)][1]


@dataclass
class TextBuilder:
    """Collects blocks in reading order; :meth:`build` makes the :class:`Extracted`."""

    format: str
    name: str
    _parts: list[tuple[str, str, tuple[tuple[int, str], ...]]] = field(default_factory=list)
    _notes: list[tuple[str, str]] = field(default_factory=list)
    _doubtful: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def paragraph(
        self,
        text: str,
        where: str,
        marks: list[tuple[int, str]] | None = None,
        doubtful: Sequence[tuple[int, int]] = (),
    ) -> None:
        """A paragraph; ``marks`` are ``(offset, label)`` where its location changes; ``doubtful``
        the spans of ``text`` that OCR read with low confidence."""
        clean = _WS_RE.sub(" ", text).strip()
        if clean:
            self._count()
            self._doubt(doubtful, 0)
            self._parts.append((clean, where, tuple(marks or ())))

    def _count(self) -> None:
        if len(self._parts) + len(self._notes) >= MAX_BLOCKS:
            raise InputError(
                f"{self.name}: more than {MAX_BLOCKS:,} paragraphs, more than aligner reads from one "
                f"{self.format.upper()} document (a 1,000-page book has ~30,000); split it"
            )

    def heading(self, text: str, where: str, level: int = 1, doubtful: Sequence[tuple[int, int]] = ()) -> None:
        clean = _WS_RE.sub(" ", text).strip()
        if clean:
            self._count()
            level = max(1, min(level, 6))
            self._doubt(doubtful, level + 1)
            self._parts.append((f"{'#' * level} {clean}", where, ()))

    def _doubt(self, spans: Sequence[tuple[int, int]], shift: int) -> None:
        if spans:
            self._doubtful[len(self._parts)] = [(a + shift, b + shift) for a, b in spans]

    def note(self, text: str, where: str) -> None:
        clean = _WS_RE.sub(" ", text).strip()
        if clean:
            self._count()
            self._notes.append((clean, where))

    def build(self) -> Extracted:
        parts = list(self._parts)
        parts += [(f"[Note {k}] {t}", w, ()) for k, (t, w) in enumerate(self._notes, 1)]
        if not parts:
            raise InputError(f"{self.name}: no text found in this {self.format.upper()} file")
        pieces: list[str] = []
        locations: list[tuple[int, str]] = []
        doubtful: list[tuple[int, int]] = []
        pos = 0
        for k, (text, where, marks) in enumerate(parts):
            if not locations or locations[-1][1] != where:
                locations.append((pos, where))
            for off, label in marks:
                if 0 < off < len(text) and locations[-1][1] != label:
                    locations.append((pos + off, label))
            doubtful += [(pos + max(a, 0), pos + min(b, len(text))) for a, b in self._doubtful.get(k, ()) if a < b]
            pieces.append(text)
            pos += len(text) + 2
        return Extracted("\n\n".join(pieces) + "\n", self.format, tuple(locations), tuple(doubtful))


def location_of(document: Document, sentence: Sentence) -> str | None:
    """Where ``sentence`` came from ("p. 12", "¶ 7"), if its document was extracted from a
    paged or structured format; None for plain text."""
    return location_at(document.locations, sentence.start)


def doubtful_sentences(document: Document) -> frozenset[int]:
    """The sentences holding words that OCR read with low confidence."""
    spans = document.doubtful
    if not spans:
        return frozenset()
    starts = [a for a, _ in spans]
    out = set()
    for s in document.sentences:
        k = bisect.bisect_left(starts, s.end)  # the spans that start before the sentence ends…
        if k and spans[k - 1][1] > s.start:  # …the last of which (spans do not overlap) ends inside it
            out.add(s.index)
    return frozenset(out)


def pair_location(ko: Document, ko_ids: tuple[int, ...], en: Document, en_ids: tuple[int, ...]) -> str:
    """"ko p. 3 · en ¶ 7" for a bead's first sentences, as far as each side knows it."""
    parts = []
    for tag, doc, ids in (("ko", ko, ko_ids), ("en", en, en_ids)):
        where = location_of(doc, doc.sentences[ids[0]]) if ids else None
        if where:
            parts.append(f"{tag} {where}")
    return " · ".join(parts)
