"""Documents → sentences.

``segment()`` normalises the decoded text (keeping a map to ``source``), repairs
PDF-extraction damage, cuts it into blocks (paragraphs, headings, list items)
and splits prose blocks into sentences: Kiwi for Korean, rules for English,
choosing per block and per sentence so mixed-script text is handled.  Every
``Sentence`` carries ``start``/``end`` offsets into ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from aligner.core.errors import InputError
from aligner.core.values import Document, Lang, Progress, Sentence
from aligner.ingest.formats import DOCUMENT_FORMATS
from aligner.ingest.mapped_text import MappedText, normalize_chars, repair_markdown
from aligner.ingest.text import (
    detect_lang,
    has_content,
    read_document,
)
from aligner.segment.blocks import build_blocks
from aligner.segment.english import split_en
from aligner.segment.korean import split_ko

MAX_SENTENCE_CHARS = 2000
_WS_RE = re.compile(r"\s+")
# A cue or note wholly in brackets between two sentences: "… a whole month. (Laughter) Yeah, …",
# "… 한 거죠. (웃음) 네, …".  Splitters give it to either neighbour; it is a sentence of its own.
_LEADING_CUE = re.compile(r"\(([^()\n=]{2,40})\)\s+(?=[A-Z0-9\"“‘'가-힣])")
_TRAILING_CUE = re.compile(r"(?<=[.!?。…\"”’])\s+\(([^()\n=]{2,40})\)\s*$")
_ENUMERATOR = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxlcdmIVXLCDM]{1,5}|[가-힣])$")
_PROGRESS_STEPS = 100


def load_document(
    path: str | Path,
    lang: Lang | None,
    *,
    presplit: bool = False,
    progress: Progress | None = None,
) -> Document:
    """Read ``path`` (any supported format) and segment it.  ``lang=None`` guesses the language."""
    got = read_document(path, progress=progress)
    doc = segment(got.text, lang, presplit=presplit, path=str(path), encoding=got.format, progress=progress)
    return replace(doc, locations=got.locations, doubtful=got.doubtful) if got.locations or got.doubtful else doc


def segment(
    source: str,
    lang: Lang | None,
    *,
    presplit: bool = False,
    path: str | None = None,
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> Document:
    """Split ``source`` into sentences (one per non-empty line if ``presplit``)."""
    name = path or "document"
    if not has_content(source):
        raise InputError(f"{name} is empty")
    if lang is None:
        lang = detect_lang(source)
        if lang is None:
            raise InputError(f"{name}: cannot tell its language (no Korean or Latin letters)")
    norm = normalize_chars(source)
    if presplit:
        sentences = _presplit(norm)
    else:
        # Text a format reader extracted has real paragraph breaks: no page-break repair.
        structured = encoding in DOCUMENT_FORMATS
        sentences = _segment_prose(repair_markdown(norm), lang, progress, repair=not structured)
    if not sentences:
        raise InputError(f"{name} is empty")
    return Document(lang=lang, source=source, sentences=tuple(sentences), path=path, encoding=encoding)


def _presplit(norm: MappedText) -> list[Sentence]:
    out: list[Sentence] = []
    paragraph, pos, text = 0, 0, norm.text
    pending_break = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            if pending_break and out:
                paragraph += 1
            pending_break = False
            a = pos + len(line) - len(line.lstrip())
            b = a + len(stripped)
            # Verbatim: one line is one sentence id, however long (never capped).
            s0, s1 = norm.span(a, b)
            out.append(Sentence(len(out), text[a:b], s0, s1, paragraph))
        else:
            pending_break = True
        pos += len(line) + 1
    return out


def _segment_prose(text: MappedText, lang: Lang, progress: Progress | None, *, repair: bool = True) -> list[Sentence]:
    blocks = build_blocks(text.text, repair=repair)
    out: list[Sentence] = []
    total = len(blocks)
    step = max(1, total // _PROGRESS_STEPS)
    for p, block in enumerate(blocks):
        joined = text.join([(ln.start, ln.end) for ln in block.lines])
        clean = joined.sub(_WS_RE, lambda m: " ")
        spans = [(0, len(clean))] if block.heading else split_sentences(clean.text, lang)
        for a, b in _cap(clean.text, spans):
            a, b = _trim(clean.text, a, b)
            if b <= a:
                continue
            s0, s1 = clean.span(a, b)
            out.append(Sentence(len(out), clean.text[a:b], s0, s1, p, block.heading))
        if progress is not None and (p % step == 0 or p == total - 1):
            progress("segment", p + 1, total)
    return out


def split_sentences(text: str, lang: Lang) -> list[tuple[int, int]]:
    """Sentence spans of one prose block, choosing the splitter by script.

    The block's own script decides first (a Latin paragraph inside a Korean
    document goes to the English rules); then each sentence found that is
    dominated by the other script is re-split with the other splitter.
    """
    block_lang = detect_lang(text) or lang
    first = _splitter(block_lang)(text)
    out: list[tuple[int, int]] = []
    for a, b in first:
        piece = text[a:b]
        piece_lang = detect_lang(piece) or block_lang
        if piece_lang is not block_lang and len(piece) > 20:
            out.extend((a + x, a + y) for x, y in _splitter(piece_lang)(piece))
        else:
            out.append((a, b))
    return _split_cues(text, out)


def _split_cues(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with a bracketed cue at their start or after their last full stop cut off on its own."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        lead = _LEADING_CUE.match(text, a, b)
        if lead and not _ENUMERATOR.match(lead.group(1).strip()):
            out.append((a, lead.end(1) + 1))  # through its ")"
            a = lead.end(0)
        trail = _TRAILING_CUE.search(text, a, b)
        if trail and not _ENUMERATOR.match(trail.group(1).strip()):
            out += [(a, trail.start(0)), (trail.start(1) - 1, b)]  # the cue from its "("
        else:
            out.append((a, b))
    return out


def _splitter(lang: Lang) -> Callable[[str], list[tuple[int, int]]]:
    return split_ko if lang is Lang.KO else split_en


def _cap(text: str, spans: list[tuple[int, int]], limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Split spans longer than ``limit`` at whitespace (hard cut if there is none)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a > limit:
            cut = text.rfind(" ", a + limit // 2, a + limit)
            end = cut if cut > a else a + limit
            out.append((a, end))
            a = end
            while a < b and text[a].isspace():
                a += 1
        if b > a:
            out.append((a, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
