"""Layout of the reader: one row per bead, both sides wrapped to their column.

Pure functions over rich ``Text`` (no Textual): the reader widget asks for the
wrapped lines of every bead at its current width and draws them side by side,
so a row is always as tall as its taller side and wrapped lines line up.
User text always enters as ``Text(str)`` — it is never parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.style import Style
from rich.text import Text

from aligner.core.terminal import safe_line
from aligner.core.values import Alignment, Bead, Document

GUTTER = 2
DIVIDER = " │ "
ABSENT = "— no counterpart —"
SENTENCE_MARK = "¦"
"""Drawn between two sentences of one side of a pair, so a 2-1 or 5-1 pair does not read as one run-on block."""


def display_text(text: str) -> str:
    """``text`` made safe to draw: line breaks become spaces, control characters U+FFFD
    (the one terminal filter, :func:`aligner.core.terminal.safe_line`)."""
    return safe_line(text)


@dataclass(frozen=True)
class Columns:
    """Cell widths of one reader line: gutter, Korean text, divider, English text."""

    left: int
    right: int

    @property
    def width(self) -> int:
        return GUTTER + self.left + len(DIVIDER) + self.right

    @staticmethod
    def for_width(width: int) -> Columns:
        text = max(10, width - GUTTER - len(DIVIDER))
        left = text // 2
        return Columns(left, text - left)


@dataclass(frozen=True)
class Highlight:
    """A search match to show: the bead, the sentences on each side, the literal needle and the
    other words that matched (a term the query reached and its translation)."""

    bead: int
    ko: frozenset[int] = frozenset()
    en: frozenset[int] = frozenset()
    needle: str = ""
    marks: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """Everything to stress in the marked sentences: the needle and the marks."""
        return tuple(w for w in dict.fromkeys((self.needle, *self.marks)) if w.strip())


def stress(text: Text, words: Sequence[str], style: Style | str, start: int = 0) -> None:
    """Stylize every occurrence of any of ``words`` in ``text`` from ``start`` (case ignored;
    Korean spaces too: "온라인 진료" stresses "온라인진료")."""
    for word in words:
        parts = [re.escape(ch) for ch in word.strip() if not ch.isspace()]
        if not parts:
            continue
        pattern = re.compile(r"\s*".join(parts), re.IGNORECASE)
        for m in pattern.finditer(text.plain, start):
            if m.end() > m.start():
                text.stylize(style, m.start(), m.end())


@dataclass(frozen=True)
class RowStyles:
    """Rich styles used while building a row's text (resolved from the widget's CSS)."""

    heading: Style = field(default_factory=lambda: Style(bold=True))
    absent: Style = field(default_factory=lambda: Style(dim=True, italic=True))
    match: Style = field(default_factory=lambda: Style(underline=True))
    needle: Style = field(default_factory=lambda: Style(reverse=True))
    boundary: Style = field(default_factory=lambda: Style(dim=True))


@dataclass(frozen=True)
class Row:
    """The wrapped lines of one bead; ``top`` is its first line (separator included)."""

    bead: int
    top: int
    breaks: tuple[bool, bool]
    left: tuple[Text, ...]
    right: tuple[Text, ...]

    @property
    def separator(self) -> bool:
        """A paragraph starts here on either side: draw a separator line first."""
        return self.breaks[0] or self.breaks[1]

    @property
    def body(self) -> int:
        return max(len(self.left), len(self.right), 1)

    @property
    def height(self) -> int:
        return self.body + (1 if self.separator else 0)

    @property
    def body_top(self) -> int:
        return self.top + (1 if self.separator else 0)


def paragraph_starts(alignment: Alignment) -> list[tuple[bool, bool]]:
    """For each bead: does it start a new Korean paragraph, a new English paragraph?"""
    out: list[tuple[bool, bool]] = []
    last = {"ko": None, "en": None}  # type: dict[str, int | None]
    for bead in alignment.beads:
        flags = []
        for key, doc, ids in (("ko", alignment.source, bead.src), ("en", alignment.target, bead.tgt)):
            if not ids:
                flags.append(False)
                continue
            first = doc.sentences[ids[0]].paragraph
            flags.append(last[key] is not None and first != last[key])
            last[key] = doc.sentences[ids[-1]].paragraph
        out.append((flags[0], flags[1]))
    return out


def side_text(
    document: Document,
    ids: Sequence[int],
    styles: RowStyles,
    marked: frozenset[int] = frozenset(),
    needle: str | Sequence[str] = "",
) -> Text:
    """The sentences ``ids`` of ``document`` as one styled Text (literal, never markup), a
    :data:`SENTENCE_MARK` between two sentences."""
    if not ids:
        return Text(ABSENT, style=styles.absent)
    text = Text()
    for n, i in enumerate(ids):
        if n:
            text.append(" ")
            text.append(SENTENCE_MARK, style=styles.boundary)
            text.append(" ")
        sentence = document.sentences[i]
        style = Style.combine(
            [Style(), *(s for s, on in ((styles.heading, sentence.heading), (styles.match, i in marked)) if on)]
        )
        start = len(text)
        text.append(display_text(sentence.text), style=style)
        if needle and i in marked:
            stress(text, [needle] if isinstance(needle, str) else needle, styles.needle, start)
    return text


def wrap(text: Text, width: int, console: Console) -> tuple[Text, ...]:
    """``text`` wrapped to ``width`` cells (Korean wide characters count as two)."""
    lines = text.wrap(console, width, justify="left", overflow="fold", no_wrap=False)
    out = []
    for line in lines:
        line.rstrip()
        out.append(line)
    return tuple(out) or (Text(),)


WrapCache = dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[tuple[Text, ...], tuple[Text, ...]]]
"""Wrapped lines by bead ids, valid for one width and one set of styles."""


def layout_row(
    alignment: Alignment,
    index: int,
    top: int,
    breaks: tuple[bool, bool],
    columns: Columns,
    console: Console,
    styles: RowStyles,
    highlight: Highlight | None = None,
    cache: WrapCache | None = None,
) -> Row:
    bead: Bead = alignment.beads[index]
    lit = highlight if highlight is not None and highlight.bead == index else None
    key = (bead.src, bead.tgt)
    if lit is None and cache is not None and key in cache:
        left, right = cache[key]
        return Row(index, top, breaks, left, right)
    ko = side_text(alignment.source, bead.src, styles, lit.ko if lit else frozenset(), lit.words if lit else ())
    en = side_text(alignment.target, bead.tgt, styles, lit.en if lit else frozenset(), lit.words if lit else ())
    left, right = wrap(ko, columns.left, console), wrap(en, columns.right, console)
    if lit is None and cache is not None:
        cache[key] = (left, right)
    return Row(index, top, breaks, left, right)


def layout_rows(
    alignment: Alignment,
    columns: Columns,
    console: Console,
    styles: RowStyles,
    highlight: Highlight | None = None,
    cache: WrapCache | None = None,
    *,
    lines: int | None = None,
) -> list[Row]:
    """Every bead's row, stacked from line 0 (``cache`` saves re-wrapping unchanged beads);
    with ``lines``, only the first rows, until they fill that many lines."""
    rows: list[Row] = []
    top = 0
    for index, breaks in enumerate(paragraph_starts(alignment)):
        if lines is not None and top >= lines:
            break
        row = layout_row(alignment, index, top, breaks, columns, console, styles, highlight, cache)
        rows.append(row)
        top += row.height
    return rows

