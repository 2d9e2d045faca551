"""An alignment as a book: chapters from the lead document's headings, its paragraphs, and the pairs.

Headless and I/O-free: the renderers (``xhtml``) turn this into pages.  The
lead language's document gives the structure: each heading starts a chapter
(its pair is the chapter's title), a change of paragraph starts a paragraph,
and a pair with nothing on the lead side stays in the paragraph where it falls.
A 2-1 or 1-2 pair is one pair.  Heading pairs are structure and are always
kept; other pairs that the user's filters do not keep are left out or kept
with ``unchecked`` set (``BookOptions.rest``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from aligner.core.values import Alignment, Bead, Document, Lang
from aligner.export.book.options import BookOptions, Rest
from aligner.export.formats import side_text

_TITLE_CHARS = 120


@dataclass(frozen=True)
class BookPair:
    """One aligned pair as the book shows it: the lead side first."""

    bead: int
    lead: str
    other: str
    lead_ids: tuple[int, ...]
    other_ids: tuple[int, ...]
    confidence: float
    confirmed: bool
    unchecked: bool = False
    """Kept although the user's filters would leave it out (``Rest.MARK``)."""


@dataclass(frozen=True)
class Chapter:
    number: int
    title: BookPair | None  # the heading pair; None for text before the first heading
    paragraphs: tuple[tuple[BookPair, ...], ...]

    @property
    def pairs(self) -> tuple[BookPair, ...]:
        return tuple(p for para in self.paragraphs for p in para)


@dataclass(frozen=True)
class Book:
    lead: Lang
    other: Lang
    titles: dict[Lang, str]
    chapters: tuple[Chapter, ...]
    left_out: int
    """Pairs the filters left out."""

    @property
    def title(self) -> str:
        return self.titles[self.lead]

    @property
    def pairs(self) -> tuple[BookPair, ...]:
        return tuple(p for c in self.chapters for p in ((c.title,) if c.title else ()) + c.pairs)


def document_title(document: Document) -> str:
    """The document's first heading, else its file name made readable, else the language's name."""
    for sentence in document.sentences[:50]:
        if sentence.heading:
            return _shorten(sentence.text)
    if document.path:
        return re.sub(r"[_\s]+", " ", Path(document.path).stem).strip() or document.lang.value
    return "Korean" if document.lang is Lang.KO else "English"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TITLE_CHARS else text[: _TITLE_CHARS - 1].rstrip() + "…"


def _sides(alignment: Alignment, lead: Lang) -> tuple[Document, Document]:
    return (alignment.source, alignment.target) if lead is Lang.KO else (alignment.target, alignment.source)


def _ids(bead: Bead, lead: Lang) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return (bead.src, bead.tgt) if lead is Lang.KO else (bead.tgt, bead.src)


def build_structure(alignment: Alignment, options: BookOptions) -> Book:
    """The chapters, paragraphs and pairs of the book ``options`` describe."""
    lead_doc, other_doc = _sides(alignment, options.lead)
    chapters: list[Chapter] = []
    title: BookPair | None = None
    paragraphs: list[list[BookPair]] = []
    current_paragraph: int | None = None
    left_out = 0

    def close_chapter() -> None:
        kept = tuple(tuple(p) for p in paragraphs if p)
        if title is not None or kept:
            chapters.append(Chapter(len(chapters) + 1, title, kept))

    for index, bead in enumerate(alignment.beads):
        lead_ids, other_ids = _ids(bead, options.lead)
        heading = bool(lead_ids) and lead_doc.sentences[lead_ids[0]].heading
        passes = options.passes(bead.confidence, bead.confirmed)
        if not passes and not heading and options.rest is Rest.OMIT:
            left_out += 1
            continue
        pair = BookPair(
            index, side_text(lead_doc, lead_ids), side_text(other_doc, other_ids), lead_ids, other_ids,
            bead.confidence, bead.confirmed, unchecked=not passes,
        )  # fmt: skip
        if heading:
            close_chapter()
            title, paragraphs, current_paragraph = pair, [], None
            continue
        paragraph = lead_doc.sentences[lead_ids[0]].paragraph if lead_ids else current_paragraph
        if not paragraphs or paragraph != current_paragraph:
            paragraphs.append([])
            current_paragraph = paragraph
        paragraphs[-1].append(pair)
    close_chapter()
    other = Lang.EN if options.lead is Lang.KO else Lang.KO
    titles = {options.lead: document_title(lead_doc), other: document_title(other_doc)}
    return Book(options.lead, other, titles, tuple(chapters), left_out)
