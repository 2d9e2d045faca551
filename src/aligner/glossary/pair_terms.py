"""The glossary entries of one aligned pair: what "look up a term of this pair" offers.

``pair_terms(alignment, bead, glossary)`` lists the entries of ``glossary``
(terms and names; general words are left out) whose Korean term occurs on
the pair's Korean side or whose English term occurs on its English side —
found as the concordance finds them, so the entry picked opens on this pair.
Only whole terms: an entry whose every occurrence in the pair lies inside a
longer listed entry on the same side is left out ("스마트" inside
"스마트시티"). Entries found in Korean come first in text order, then those
found only in English; the glossary's own order (``TermPair.rank_score``)
breaks ties. Each entry appears once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aligner.core.values import Alignment, Lang
from aligner.glossary.build import TermPair
from aligner.glossary.concordance import Span, spans_of
from aligner.glossary.termhood import TermKind

LOOKUP_KINDS = frozenset({TermKind.TERM, TermKind.NAME})


@dataclass(frozen=True)
class TermChoice:
    """One glossary entry found in a pair: ``text`` in ``lang`` (the side its concordance
    searches), ``counterpart`` its translation on the other side."""

    text: str
    lang: Lang
    counterpart: str
    kind: TermKind
    position: int  # where it starts in its side's text (sentences joined by a space)
    confidence: float = 1.0
    """The glossary entry's confidence (how sure the translation is)."""
    trusted: bool = True
    """Sure enough to teach a learner (``TermPair.trusted``)."""

    @property
    def phrase(self) -> bool:
        """A compound or phrase of several words, else a single word."""
        return len(self.text.split()) > 1 or (self.lang is Lang.KO and len(self.text) > 4)


def norm(text: str) -> str:
    """Spaces and case ignored: "스마트 시티" is "스마트시티", "Smart City" is "smart city" less the space."""
    return "".join(text.split()).casefold()


def _may_occur(sentences: Sequence[str], term: str, lang: Lang) -> bool:
    """A cheap test before the morpheme-aware one: the spelling without spaces (Korean), the
    first word's first letters (English: plurals and hyphens vary) occur at all."""
    text = " ".join(sentences).casefold()
    if lang is Lang.KO:
        return norm(term) in "".join(text.split())
    first = term.split()[0].casefold() if term.split() else ""
    return first[:3] in text


def _side_spans(sentences: Sequence[str], term: str, lang: Lang) -> list[Span]:
    if not _may_occur(sentences, term, lang):
        return []
    out: list[Span] = []
    offset = 0
    for text in sentences:
        out += [(offset + a, offset + b) for a, b in spans_of(text, term, lang)]
        offset += len(text) + 1
    return out


def _whole(found: dict[int, list[Span]]) -> dict[int, list[Span]]:
    """Drop the entries whose every span lies inside a longer span of another entry."""
    out: dict[int, list[Span]] = {}

    def inside(i: int, a: int, b: int) -> bool:
        return any(j != i and any(c <= a and b <= d and d - c > b - a for c, d in s) for j, s in found.items())

    for i, spans in found.items():
        free = [(a, b) for a, b in spans if not inside(i, a, b)]
        if free:
            out[i] = free
    return out


def pair_terms(
    alignment: Alignment, index: int, glossary: Sequence[TermPair], *, trusted_only: bool = False
) -> list[TermChoice]:
    """The whole terms and names of ``glossary`` found in bead ``index`` (see the module docstring);
    ``trusted_only``: only entries sure enough of their translation to teach (``TermPair.trusted``)."""
    bead = alignment.beads[index]
    ko_text = [alignment.source.sentences[i].text for i in bead.src]
    en_text = [alignment.target.sentences[j].text for j in bead.tgt]
    entries = [p for p in glossary if p.kind in LOOKUP_KINDS and (p.trusted or not trusted_only)]
    ko_found = _whole({i: s for i, p in enumerate(entries) if (s := _side_spans(ko_text, p.ko, Lang.KO))})
    en_found = _whole({i: s for i, p in enumerate(entries) if (s := _side_spans(en_text, p.en, Lang.EN))})
    seen: set[str] = set()
    out: list[TermChoice] = []
    for found, lang in ((ko_found, Lang.KO), (en_found, Lang.EN)):
        side: list[TermChoice] = []
        for i, spans in sorted(found.items(), key=lambda item: (min(item[1]), item[0])):
            p = entries[i]
            text, counterpart = (p.ko, p.en) if lang is Lang.KO else (p.en, p.ko)
            if i in ko_found and lang is Lang.EN:
                continue  # already offered by its Korean term
            key = f"{lang.value}:{norm(text)}"
            if key in seen:
                continue
            seen.add(key)
            side.append(TermChoice(text, lang, counterpart, p.kind, min(spans)[0], p.confidence, p.trusted))
        out += side
    return out


def filter_terms(choices: Sequence[TermChoice], query: str) -> list[TermChoice]:
    """The choices whose term or translation contains ``query`` (spaces and case ignored):
    exact matches first, then in order."""
    q = norm(query)
    matching = [c for c in choices if q in norm(c.text) or q in norm(c.counterpart)]
    return sorted(matching, key=lambda c: q not in (norm(c.text), norm(c.counterpart)))
