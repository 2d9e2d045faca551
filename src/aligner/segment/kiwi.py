"""Shared kiwipiepy analyser (loaded once, lazily, thread-safe) and lemma helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any

_kiwi: Any = None
_starting = False
KIWI_OPTIONS = {"load_multi_dict": False}
"""without kiwipiepy's multi-word dictionary: the first analysis loads in about a third of the time
(0.6 s instead of 1.8 s here), and neither sentence splitting nor the glossary's terms change on the
sample (tests/test_segment.py, bench_glossary_recall.py)"""
kiwi_lock = threading.RLock()
"""Serialises calls into the shared Kiwi (its analyser is not documented as thread-safe)."""

# Content-bearing part-of-speech tags: nouns, verbs/adjectives (as lemmas), roots,
# Latin-script words, Chinese characters and numbers.
CONTENT_TAGS = ("NNG", "NNP", "NR", "XR", "SL", "SH", "SN", "VV", "VA", "MAG")


def kiwipiepy_version() -> str:
    """kiwipiepy's version, read without importing it (the caches of its analyses are keyed by it)."""
    try:
        return metadata.version("kiwipiepy")
    except metadata.PackageNotFoundError:  # pragma: no cover - kiwipiepy is a dependency
        return "unknown"


def get_kiwi() -> Any:
    """The process-wide ``kiwipiepy.Kiwi`` instance."""
    global _kiwi
    with kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi(**KIWI_OPTIONS)
        return _kiwi


def start_kiwi() -> None:
    """Construct Kiwi and load its model with a first analysis, both under ``kiwi_lock`` (a second or
    more, holding Python's GIL): ``await_kiwi_start`` waits for it rather than run beside it."""
    global _starting
    with kiwi_lock:
        _starting = True
        try:
            get_kiwi().tokenize("한국어")
        finally:
            _starting = False


def await_kiwi_start() -> None:
    """Return once a ``start_kiwi`` under way has finished: work that would run beside it only slows
    both down (kiwipiepy holds the GIL while it loads)."""
    if _starting:
        with kiwi_lock:
            pass


def kiwi_loaded() -> bool:
    """Whether the process-wide Kiwi has started (``get_kiwi`` returns at once)."""
    return _kiwi is not None


def _lemma(form: str, tag: str) -> str:
    if tag.startswith(("VV", "VA")):
        return form + "다"
    if tag in ("SL",):
        return form.lower()
    return form


@dataclass(frozen=True, slots=True)
class Token:
    """One kiwipiepy morpheme with its character offsets in the analysed text."""

    form: str
    tag: str  # base tag: "NNG", "VV", "JKS" …
    start: int
    end: int


_known: dict[str, tuple[Token, ...]] = {}
"""Analyses read back from disk (``aligner.segment.token_cache``): no kiwipiepy needed for these."""
_asked = threading.local()


def korean_tokens(text: str) -> tuple[Token, ...]:
    """kiwipiepy morphemes of ``text`` with character offsets (cached; known ones need no kiwipiepy)."""
    asked: set[str] | None = getattr(_asked, "texts", None)
    if asked is not None:
        asked.add(text)
    known = _known.get(text)
    return known if known is not None else _analysed(text)


@lru_cache(maxsize=16384)
def _analysed(text: str) -> tuple[Token, ...]:
    if not text.strip():
        return ()
    kiwi = get_kiwi()
    with kiwi_lock:
        raw = list(kiwi.tokenize(text))
    return tuple(Token(str(t.form), str(t.tag).split("-")[0], int(t.start), int(t.start + t.len)) for t in raw)


KNOWN_MAX = 200_000
"""Analyses read back kept at most (a long book's sentences); beyond, the oldest documents' go."""


def know_tokens(analyses: dict[str, tuple[Token, ...]]) -> None:
    """Take these analyses as kiwipiepy's (read back from the token cache)."""
    if len(_known) + len(analyses) > KNOWN_MAX:
        _known.clear()
    _known.update(analyses)


@contextmanager
def texts_asked() -> Iterator[set[str]]:
    """The texts this thread asks ``korean_tokens`` for inside the block (filled as it runs)."""
    outer = getattr(_asked, "texts", None)
    inner: set[str] = set()
    _asked.texts = inner
    try:
        yield inner
    finally:
        _asked.texts = outer
        if outer is not None:
            outer |= inner


def lemmas(text: str) -> tuple[str, ...]:
    """Content lemmas of ``text`` in order: "추진하고 있다" -> ("추진",)."""
    return tuple(_lemma(tok.form, tok.tag) for tok in korean_tokens(text) if tok.tag in CONTENT_TAGS)
