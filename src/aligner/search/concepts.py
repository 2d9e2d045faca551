"""Concept search: a query looked up among the document's own terms and their translations.

A sentence rarely uses the words of a query in the other language: "telemedicine"
is "원격진료" in the Korean text, "information and communication technology" is
"정보통신기술", and the English summary may render the Korean term differently
again.  The pair's glossary knows these correspondences.  ``ConceptIndex`` holds
the document's terms — every glossary entry (a Korean term with its English
translation) and the term candidates of each side that have no translation — with
one embedding per term, and ``match`` says which of them a query reaches:

- *exact*: the query is the term (case, spaces and hyphens ignored);
- *word form*: the same English stems or Korean spelling ("smart cities" is "smart city");
- *meaning*: the query's embedding is close to the term's (``TERM_MIN_COSINE``) and
  close to the best such term (``TERM_SPREAD``): "원격의료" reaches "원격진료".

The searcher then finds the sentences that use each reached term and, through the
glossary, its translation (``occurrences``).  Plain values and numpy: nothing here
knows the glossary package (the session builds an index from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.core.values import Lang

TERM_MIN_COSINE = 0.6
"""A query reaches a term by meaning when their embeddings are at least this close..."""
TERM_SPREAD = 0.08
"""...and within this of the query's closest term."""
MAX_TERMS = 4
"""At most this many terms are reached by meaning."""
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[0-9A-Za-z\uac00-\ud7a3]+")
StemFn = Callable[[str], tuple[str, ...]]
"""The English stemmer the searcher hands in: a text's word stems, in order."""


class TermHow:
    """How a query reached a term (the words the reader shows)."""

    EXACT = "exact"
    WORD_FORM = "word form"
    MEANING = "meaning"


@dataclass(frozen=True)
class Concept:
    """One term of the document: its Korean and English forms ("" where the glossary has none)."""

    ko: str
    en: str


@dataclass(frozen=True)
class TermMatch:
    """A document term a query reached, how, and the translation the glossary gives it."""

    term: str
    lang: Lang
    counterpart: str
    how: str
    cosine: float

    @property
    def pair(self) -> tuple[str, str]:
        """(Korean, English) forms ("" where none)."""
        return (self.term, self.counterpart) if self.lang is Lang.KO else (self.counterpart, self.term)

    @property
    def label(self) -> str:
        """"정보통신기술 ⇄ ICT technology" (Korean first) or the term alone when it has no translation."""
        return " ⇄ ".join(side for side in self.pair if side)

    def targets(self) -> list[tuple[str, Lang]]:
        """The term on its side and its translation on the other (what sentences are searched for)."""
        other = Lang.EN if self.lang is Lang.KO else Lang.KO
        out = [(self.term, self.lang)]
        if self.counterpart:
            out.append((self.counterpart, other))
        return out


def squeeze(text: str) -> str:
    """Case, spaces and punctuation ignored: "Smart-City" and "smart city" are "smartcity"."""
    return "".join(_WORD.findall(text.casefold()))


def lang_of(text: str) -> Lang:
    return Lang.KO if _HANGUL.search(text) else Lang.EN


class ConceptIndex:
    """The document's terms with their translations and embeddings (one row per term)."""

    def __init__(self, terms: Sequence[tuple[str, Lang, str]], vectors: np.ndarray, stem: StemFn) -> None:
        if len(terms) != len(vectors):
            raise ValueError("one vector per term")
        self.terms = tuple(terms)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self._stem = stem
        self._squeezed = [squeeze(t) for t, _, _ in self.terms]
        self._stems = [stem(t) if lang is Lang.EN else () for t, lang, _ in self.terms]

    @staticmethod
    def entries(concepts: Sequence[Concept]) -> list[tuple[str, Lang, str]]:
        """Each distinct term once, as (term, its language, its translation): a glossary entry
        gives both of its sides; a term without translation only itself."""
        out: dict[tuple[str, Lang], str] = {}
        for c in concepts:
            for term, lang, counterpart in ((c.ko, Lang.KO, c.en), (c.en, Lang.EN, c.ko)):
                if term.strip() and not out.get((term, lang)):
                    out[(term, lang)] = counterpart
        return [(term, lang, counterpart) for (term, lang), counterpart in out.items()]

    def __len__(self) -> int:
        return len(self.terms)

    def match(self, query: str, qvec: np.ndarray) -> list[TermMatch]:
        """The terms ``query`` reaches (exact and word-form ones first, then by meaning)."""
        query = query.strip()
        if not query or not self.terms:
            return []
        q_squeezed, q_stems = squeeze(query), self._stem(query)
        cos = self.vectors @ np.asarray(qvec, dtype=np.float32).reshape(-1)
        found: dict[int, str] = {}
        for i, (_, lang, _) in enumerate(self.terms):
            if self._squeezed[i] == q_squeezed:
                found[i] = TermHow.EXACT
            elif lang is Lang.EN and q_stems and self._stems[i] == q_stems:
                found[i] = TermHow.WORD_FORM
        best = float(cos.max()) if len(cos) else 0.0
        near = [i for i in np.argsort(-cos).tolist()[:MAX_TERMS] if cos[i] >= max(TERM_MIN_COSINE, best - TERM_SPREAD)]
        for i in near:
            found.setdefault(i, TermHow.MEANING)
        order = {TermHow.EXACT: 0, TermHow.WORD_FORM: 1, TermHow.MEANING: 2}
        out: dict[tuple[str, str], TermMatch] = {}  # one glossary entry once, though reached by both sides
        for i, how in sorted(found.items(), key=lambda item: (order[item[1]], -cos[item[0]])):
            match = TermMatch(self.terms[i][0], self.terms[i][1], self.terms[i][2], how, float(cos[i]))
            out.setdefault(match.pair, match)
        return list(out.values())


def occurrences(
    term: str, lang: Lang, squeezed: Sequence[str], stems: Sequence[tuple[str, ...]], stem: StemFn
) -> set[int]:
    """The sentences of one side that use ``term``: Korean by its spelling with spaces ignored
    ("온라인진료" is "온라인 진료"), English by its words' stems in a row ("Internet hospital"
    finds "Internet hospitals"). ``squeezed``: each sentence through :func:`squeeze`;
    ``stems``: each English sentence's stems in order."""
    if lang is Lang.KO:
        key = squeeze(term)
        return {i for i, text in enumerate(squeezed) if key and key in text} if key else set()
    wanted = stem(term)
    n = len(wanted)
    if not n:
        return set()
    return {
        i for i, words in enumerate(stems)
        if any(words[s : s + n] == wanted for s in range(len(words) - n + 1))
    }  # fmt: skip
