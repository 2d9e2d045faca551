"""Korean sentence splitting with kiwipiepy (one shared Kiwi, loaded lazily)."""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_kiwi: Any = None
# Kiwi's cost grows with input size; feed it bounded chunks cut at likely boundaries.
_CHUNK = 8000


def get_kiwi() -> Any:
    """The process-wide Kiwi instance (created on first use, thread-safe)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def _chunks(text: str) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ~_CHUNK chars at sentence ends or spaces."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while n - pos > _CHUNK:
        window = text[pos : pos + _CHUNK]
        cut = -1
        for mark in (". ", "다. ", "? ", "! ", "。", "\n", " "):
            k = window.rfind(mark, _CHUNK // 2)
            if k >= 0:
                cut = k + len(mark)
                break
        if cut <= 0:
            cut = _CHUNK
        out.append((pos, pos + cut))
        pos += cut
    out.append((pos, n))
    return out


def split_ko(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text`` (Kiwi's sentence splitter)."""
    kiwi = get_kiwi()
    spans: list[tuple[int, int]] = []
    for a, b in _chunks(text):
        piece = text[a:b]
        if not piece.strip():
            continue
        with _lock:
            sents = kiwi.split_into_sents(piece)
        for s in sents:
            if s.end > s.start:
                spans.append((a + int(s.start), a + int(s.end)))
    return _cover_gaps(text, spans)


def _cover_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Make sure no non-space text is dropped between Kiwi's sentences."""
    out: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if a >= b:
            continue
        gap = text[pos:a]
        if gap.strip():
            if out and not gap[:1].isspace():
                out[-1] = (out[-1][0], a)
            else:
                lead = len(gap) - len(gap.lstrip())
                out.append((pos + lead, pos + len(gap.rstrip())))
        out.append((a, b))
        pos = b
    tail = text[pos:]
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        out.append((pos + lead, pos + len(tail.rstrip())))
    return out
