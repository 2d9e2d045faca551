"""Korean sentence splitting with kiwipiepy (one shared Kiwi, loaded lazily)."""

from __future__ import annotations

import re

from aligner.segment.kiwi import get_kiwi, kiwi_lock

# Kiwi's cost grows with input size; feed it bounded chunks cut at likely boundaries.
_CHUNK = 8000
# Kiwi is slow on long space-free runs (no real Korean word is this long: base64,
# junk, very long URLs); such runs bypass Kiwi and become pieces of their own.
_LONG_RUN_RE = re.compile(r"\S{500,}")


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
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _LONG_RUN_RE.finditer(text):
        spans.extend(_kiwi_spans(text, pos, m.start()))
        spans.append((m.start(), m.end()))
        pos = m.end()
    spans.extend(_kiwi_spans(text, pos, len(text)))
    return _cover_gaps(text, spans)


def _kiwi_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    if not text[lo:hi].strip():
        return []
    kiwi = get_kiwi()
    spans: list[tuple[int, int]] = []
    for a, b in _chunks(text[lo:hi]):
        piece = text[lo + a : lo + b]
        if not piece.strip():
            continue
        with kiwi_lock:
            sents = kiwi.split_into_sents(piece, return_sub_sents=False)
        for s in sents:
            if s.end > s.start:
                spans.append((lo + a + int(s.start), lo + a + int(s.end)))
    return spans


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
