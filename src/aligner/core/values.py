"""Value types shared by every part of the aligner (headless, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Lang(StrEnum):
    KO = "ko"
    EN = "en"


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading) of a document.

    ``start``/``end`` are character offsets into ``Document.source`` — the text
    as read from disk after decoding, before any normalisation — so that
    ``doc.source[s.start:s.end]`` is the sentence as the user wrote it (modulo
    repaired line breaks inside it).
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int
    heading: bool = False


@dataclass(frozen=True)
class Document:
    lang: Lang
    source: str
    sentences: tuple[Sentence, ...]
    path: str | None = None
    encoding: str = "utf-8"  # the text encoding, or the format ("pdf", "docx", …) it was extracted from
    locations: tuple[tuple[int, str], ...] = ()  # (offset into source, "p. 3"/"¶ 7"), in offset order
    doubtful: tuple[tuple[int, int], ...] = ()  # (start, end) spans of source OCR read with low confidence

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def __len__(self) -> int:
        return len(self.sentences)


class BeadKind(StrEnum):
    MATCH = "match"
    OMITTED_TARGET = "1-0"  # source sentence(s) with no counterpart
    OMITTED_SOURCE = "0-1"  # target sentence(s) with no counterpart


@dataclass(frozen=True)
class Bead:
    """An alignment unit: source (Korean) ids paired with target (English) ids."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0
    confirmed: bool = False
    edited: bool = False
    """Made by a manual edit (its confidence is not the aligner's)."""

    @property
    def kind(self) -> BeadKind:
        if not self.tgt:
            return BeadKind.OMITTED_TARGET
        if not self.src:
            return BeadKind.OMITTED_SOURCE
        return BeadKind.MATCH

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def vecalign(self) -> str:
        """Vecalign/Bertalign text form, e.g. ``[3,4]:[5]``."""
        return f"[{','.join(map(str, self.src))}]:[{','.join(map(str, self.tgt))}]"

    @staticmethod
    def parse(line: str) -> Bead:
        left, right = line.strip().split(":")

        def ids(part: str) -> tuple[int, ...]:
            inner = part.strip().strip("[]").strip()
            return tuple(int(x) for x in inner.split(",")) if inner else ()

        return Bead(ids(left), ids(right))


@dataclass(frozen=True)
class Alignment:
    """A whole alignment of two documents."""

    source: Document
    target: Document
    beads: tuple[Bead, ...]
    model: str = ""
    warnings: tuple[str, ...] = field(default=())

    def check(self) -> None:
        """Raise ValueError unless every sentence appears exactly once, in order."""
        check_beads(self.beads, len(self.source), len(self.target))

    def texts(self, bead: int) -> tuple[str, str]:
        """Pair ``bead``'s Korean and English, each side's sentences joined by a space."""
        b = self.beads[bead]
        return (
            " ".join(self.source.sentences[i].text for i in b.src),
            " ".join(self.target.sentences[j].text for j in b.tgt),
        )


def check_beads(beads: tuple[Bead, ...] | list[Bead], n_src: int, n_tgt: int) -> None:
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    if src != list(range(n_src)):
        raise ValueError("source sentences are not covered exactly once in order")
    if tgt != list(range(n_tgt)):
        raise ValueError("target sentences are not covered exactly once in order")
    if any(not b.src and not b.tgt for b in beads):
        raise ValueError("empty bead")


Progress = Callable[[str, int, int], None]
"""Progress callback: (stage label, done, total)."""
