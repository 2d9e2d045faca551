"""A concordance: every aligned bead containing a term, with the spans to highlight.

``concordance`` lists, in document order, the beads whose Korean or English
side contains a term (morpheme-aware in Korean, whole words in English) and,
given the glossary's translation, where that counterpart stands on the other
side. ``kwic`` cuts a keyword-in-context view around a line's first span.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.core.values import Alignment, Lang
from aligner.glossary.candidates import english_key, english_words, korean_tokens

HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")

Span = tuple[int, int]
_CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "SL", "SH", "SN", "VV", "VA", "MAG"})
_INFLECTION_TAGS = frozenset({"XSV", "XSA", "EP", "EF", "EC", "ETM", "ETN", "VX", "SP", "SF"})


@dataclass(frozen=True)
class ConcordanceLine:
    """One bead containing a term: both sides' text and the spans to highlight.

    ``ko``/``en`` are the bead's sentences joined by a space; spans are
    ``(start, end)`` offsets into them — the term on its own side and, where
    found, its counterpart on the other.
    """

    bead: int
    ko: str
    en: str
    ko_spans: tuple[Span, ...]
    en_spans: tuple[Span, ...]

    def text(self, lang: Lang) -> str:
        return self.ko if lang is Lang.KO else self.en

    def spans(self, lang: Lang) -> tuple[Span, ...]:
        return self.ko_spans if lang is Lang.KO else self.en_spans

    def kwic(self, lang: Lang, width: int = 40) -> tuple[str, str, str]:
        """Keyword in context around the first span: (left, keyword, right)."""
        return kwic(self.text(lang), self.spans(lang), width)


def kwic(text: str, spans: Sequence[Span], width: int = 40) -> tuple[str, str, str]:
    if not spans:
        return "", "", text[: 2 * width]
    start, end = spans[0]
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    if start > width:
        left = "…" + left[1:]
    if end + width < len(text):
        right = right[:-1] + "…"
    return left, text[start:end], right


def term_lang(term: str) -> Lang:
    """Korean if the term has any Hangul, else English."""
    return Lang.KO if HANGUL_WORD.search(term) else Lang.EN


def _merge(spans: Sequence[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def korean_spans(text: str, term: str) -> tuple[Span, ...]:
    """Where ``term`` occurs in Korean ``text``, morpheme-aware.

    Spelling matches ignore spaces ("스마트헬스케어" is "스마트 헬스케어"). A term
    of one or two syllables must match whole morphemes or words — "시장" finds
    "시장규모" and "중국시장" but not "시정부"; longer terms match anywhere
    ("데이터" in "빅데이터"). Content lemmas also match inflected forms
    ("추진하다" finds "추진하고").
    """
    key = re.sub(r"\s+", "", term)
    if not key or not text:
        return ()
    tokens = korean_tokens(text)
    starts = {t.start for t in tokens} | {m.start() for m in re.finditer(r"(?<!\S)\S", text)}
    ends = {t.end for t in tokens} | {m.end() for m in re.finditer(r"\S(?!\S)", text)}
    pattern = re.compile(r"\s*".join(re.escape(ch) for ch in key), re.IGNORECASE)
    found = [
        (m.start(), m.end())
        for m in pattern.finditer(text)
        if len(key) >= 3 or (m.start() in starts and m.end() in ends)
    ]
    term_tokens = korean_tokens(term)
    wanted = [(t.form.lower(), t.tag) for t in term_tokens if t.tag in _CONTENT_TAGS]
    # Lemma matching only where the rest is inflection: "신기술" is not any "기술".
    if wanted and all(t.tag in _CONTENT_TAGS or t.tag in _INFLECTION_TAGS for t in term_tokens):
        content = [t for t in tokens if t.tag in _CONTENT_TAGS]
        n = len(wanted)
        for i in range(len(content) - n + 1):
            window = content[i : i + n]
            if all(t.form.lower() == w[0] for t, w in zip(window, wanted, strict=True)) and all(
                not text[a.end : b.start].strip() for a, b in itertools.pairwise(window)
            ):
                found.append((window[0].start, window[-1].end))
    return _merge(found)


def english_spans(text: str, term: str) -> tuple[Span, ...]:
    """Where ``term`` occurs in English ``text``: whole words, case and hyphens ignored,
    the last word singular or plural ("smart cities" finds "Smart City", "startups" "start-ups")."""
    wanted = [w for _, _, w in english_words(term)]
    if not wanted:
        return ()
    target = english_key(wanted)
    words = english_words(text)
    n = len(wanted)
    out: list[Span] = []
    for i in range(len(words) - n + 1):
        window = words[i : i + n]
        if any(text[a[1] : b[0]].strip() for a, b in itertools.pairwise(window)):
            continue
        if english_key(w for _, _, w in window) == target:
            out.append((window[0][0], window[-1][1]))
    return tuple(out)


def spans_of(text: str, term: str, lang: Lang) -> tuple[Span, ...]:
    return korean_spans(text, term) if lang is Lang.KO else english_spans(text, term)


def _side_spans(sentences: Sequence[str], term: str, lang: Lang) -> tuple[Span, ...]:
    """Spans of ``term`` in the sentences joined by a space (each sentence matched alone)."""
    out: list[Span] = []
    offset = 0
    for text in sentences:
        out += [(offset + a, offset + b) for a, b in spans_of(text, term, lang)]
        offset += len(text) + 1
    return tuple(out)


def concordance(
    alignment: Alignment, term: str, lang: Lang | None = None, *, counterpart: str | None = None
) -> list[ConcordanceLine]:
    """Every bead whose ``lang`` side contains ``term``, in document order.

    ``lang`` defaults to the term's script. With ``counterpart`` (the
    glossary's translation), its spans on the other side are found too.
    """
    lang = lang or term_lang(term)
    other = Lang.EN if lang is Lang.KO else Lang.KO
    lines: list[ConcordanceLine] = []
    if not term.strip():
        return lines
    docs = {Lang.KO: alignment.source, Lang.EN: alignment.target}
    for b, bead in enumerate(alignment.beads):
        ids = {Lang.KO: bead.src, Lang.EN: bead.tgt}
        texts = {side: [docs[side].sentences[i].text for i in ids[side]] for side in (Lang.KO, Lang.EN)}
        own = _side_spans(texts[lang], term, lang)
        if not own:
            continue
        theirs = _side_spans(texts[other], counterpart, other) if counterpart else ()
        spans = {lang: own, other: theirs}
        lines.append(
            ConcordanceLine(b, " ".join(texts[Lang.KO]), " ".join(texts[Lang.EN]), spans[Lang.KO], spans[Lang.EN])
        )
    return lines
