"""On-disk cache of kiwipiepy's analyses of one document, so a reopened pair needs no kiwipiepy.

Starting kiwipiepy costs more than a second, during which it holds Python's GIL
(the reader freezes). The glossary only needs the morphemes of each Korean
sentence (and of a few terms' parts): ``cached_tokens`` reads back what an earlier
run analysed of the same document and, on leaving, stores what was analysed
inside it. One file per document (its sentence texts) and analyser, under the
user cache; a damaged file is ignored and rewritten (``aligner.core.json_cache``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from aligner.core.json_cache import document_file, load_entries, store_entries
from aligner.segment.kiwi import KIWI_OPTIONS, Token, kiwipiepy_version, know_tokens, korean_tokens, texts_asked

FORMAT = 1
MAX_TEXTS = 20_000
"""Documents up to this many sentences (a book) are cached: a longer one's analyses would hold
hundreds of MB while they are collected; it is analysed as before."""


def analyser_version() -> str:
    """kiwipiepy's version and options (read without importing kiwipiepy)."""
    return f"kiwipiepy-{kiwipiepy_version()}-{sorted(KIWI_OPTIONS.items())}-v{FORMAT}"


def cache_file(texts: Sequence[str]) -> Path | None:
    """One file per document (its sentence texts) and analyser; None without a usable cache."""
    return document_file("tokens", analyser_version(), texts)


def _valid(entry: object) -> bool:
    return isinstance(entry, list) and all(
        isinstance(t, list)
        and len(t) == 4
        and isinstance(t[0], str)
        and isinstance(t[1], str)
        and type(t[2]) is int
        and type(t[3]) is int
        for t in entry
    )


@contextmanager
def cached_tokens(texts: Sequence[str]) -> Iterator[None]:
    """Inside the block, ``korean_tokens`` answers from the cache of this document (``texts``: its
    sentences) where it can; what the block had analysed afresh is stored on leaving it."""
    if len(texts) > MAX_TEXTS:
        yield
        return
    path = cache_file(texts)
    entries: dict[str, list[list[str | int]]] = load_entries(path, analyser_version(), "tokens", _valid)
    know_tokens({text: tuple(Token(str(f), str(t), int(a), int(b)) for f, t, a, b in v) for text, v in entries.items()})
    with texts_asked() as asked:
        yield
    fresh = asked - entries.keys()
    if fresh:
        for text in fresh:
            entries[text] = [[t.form, t.tag, t.start, t.end] for t in korean_tokens(text)]
        store_entries(path, analyser_version(), "tokens", entries)
