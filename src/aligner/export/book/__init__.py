"""Parallel-text books: an alignment as an EPUB 3 e-book or one self-contained web page.

``build_structure`` turns the alignment into chapters (the lead document's
headings), paragraphs and pairs; ``xhtml.Renderer`` draws them in one of the
layouts; ``epub`` and ``html`` package the pages.  :func:`render_book` is the
whole path, :func:`write_book` writes the result like every other export
(never over a file the user owns).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from importlib.resources import files

from aligner.core.errors import AlignerError
from aligner.core.output_guard import Protected, write_output_file
from aligner.core.values import Alignment
from aligner.export.book.options import BookFormat, BookOptions, Layout, Rest, book_format_for_path
from aligner.export.book.structure import Book, build_structure
from aligner.glossary.build import TermPair
from aligner.glossary.termhood import TermKind

__all__ = [
    "Book", "BookFormat", "BookOptions", "Layout", "Rest", "book_format_for_path", "build_structure",
    "render_book", "stylesheet", "write_book",
]  # fmt: skip


def stylesheet() -> str:
    """The book's CSS (one file for both formats)."""
    return files("aligner.export.book").joinpath("book.css").read_text(encoding="utf-8")


def render_book(
    alignment: Alignment,
    options: BookOptions,
    glossary: Sequence[TermPair] = (),
    modified: datetime | None = None,
) -> tuple[bytes, Book]:
    """The book's bytes (EPUB or UTF-8 HTML) and its structure (what was kept and left out).

    The glossary appendix lists ``glossary``'s terms and names in its order (best first for a
    learner), not its general words."""
    book = build_structure(alignment, options)
    if not book.chapters:
        raise AlignerError(
            f"no pair passes the filters ({book.left_out} left out), so the book would be empty: lower "
            "--min-confidence, confirm pairs in the reader, or mark the rest instead (--rest mark)"
        )
    glossary = [t for t in glossary if t.kind is not TermKind.GENERAL]
    if options.format is BookFormat.EPUB:
        from aligner.export.book.epub import epub_bytes

        return epub_bytes(book, options.layout, stylesheet(), glossary, modified), book
    from aligner.export.book.html import html_text

    return html_text(book, options.layout, stylesheet(), glossary).encode("utf-8"), book


def write_book(
    path: str | os.PathLike[str],
    alignment: Alignment,
    options: BookOptions,
    glossary: Sequence[TermPair] = (),
    protected: Protected = (),
) -> Book:
    """Render and write the book atomically, never over a ``protected`` file or a project file."""
    data, book = render_book(alignment, options, glossary)
    write_output_file(path, data, protected)
    return book
