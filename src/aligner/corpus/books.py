"""``aligner corpus … --books``: one parallel-text book per aligned document pair, in ``OUT/books/``.

Books are made after the alignment, from each pair reopened as the reader
opens it (its project file or the caches: nothing is aligned again), so the
corrections saved in a pair's project file are in its book.  A book that
cannot be made is a warning for that pair; the others go on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from aligner.core.errors import AlignerError
from aligner.corpus.manifest import CorpusEntry
from aligner.export.book import BookOptions, write_book

BOOKS_DIR = "books"
_UNSAFE = re.compile(r"[^\w.-]+")


def book_names(ids: Sequence[str], extension: str) -> dict[str, str]:
    """A file name per document id: the id made safe (``A/x`` → ``A_x.epub``), unique in the folder."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for doc_id in ids:
        stem = _UNSAFE.sub("_", doc_id).strip("._")[:80] or "book"
        if stem.casefold() in taken:
            stem = f"{stem}-{hashlib.sha256(doc_id.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
        taken.add(stem.casefold())
        names[doc_id] = stem + extension
    return names


def write_books(
    out: Path,
    entries: Sequence[CorpusEntry],
    options: BookOptions,
    *,
    model: str | None = None,
    presplit: bool = False,
    failed: Callable[[str, str], None] = lambda doc_id, reason: None,
) -> list[Path]:
    """Write a book for each of ``entries`` (the pairs that aligned); returns the books written."""
    from aligner.session.project_file import owned_files
    from aligner.session.workspace import open_pair

    folder = out / BOOKS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    names = book_names([e.id for e in entries], options.format.extension)
    written = []
    for entry in entries:
        path = folder / names[entry.id]
        try:
            ws = open_pair(entry.ko, entry.en, model=model, presplit=presplit)
            write_book(path, ws.alignment, options, protected=owned_files(entry.ko, entry.en, ws.project_path))
        except AlignerError as err:
            failed(entry.id, f"no book: {err}")
            continue
        written.append(path)
    return written
