"""Exact and word-form matching over a library's sentences, through inverted indexes.

Pair search scans every sentence for each query (a few hundred sentences); a
library of a million cannot: scanning its text for one rare word takes longer
than the whole query may.  So both kinds of match go through postings (the
rows holding a word), built once:

- **exact** (:meth:`TextIndex.exact`): the query's rarest word must begin a word
  of the sentence (Korean particles and English inflections follow the word:
  "인터넷" begins "인터넷은", "platform" begins "platforms"); the rows holding
  it are then checked for the whole query as typed (case-insensitive).  A
  fragment inside a word ("ternet", "시티" of "스마트시티") is not an exact
  match here; the word forms and the meaning still find such sentences.
- **word form** (:meth:`TextIndex.word_forms`): every content lemma of a Korean
  query (kiwipiepy) is among the sentence's lemmas; every Snowball stem of an
  English query is among the sentence's stems.

A word that begins too many different words ("a", "중") does not narrow the
search and is not used as a filter; a query whose words are all like that has no
exact matches.  Matches beyond :data:`MAX_MATCHES` are sampled evenly across the
library (such a query's words say little; its meaning ranks the rest).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from aligner.core.values import Lang
from aligner.search.searcher import english_stems

MAX_MATCHES = 500
"""Exact and word-form matches kept per query at most."""
MAX_PREFIX_WORDS = 512
"""A query word that begins more different words than this does not narrow the exact search."""
_WORD = re.compile(r"\w+")
HANGUL = re.compile(r"[\uac00-\ud7a3]")

LemmaFn = Callable[[Sequence[str]], list[frozenset[str]]]
"""Korean sentences → their content lemma sets."""


def kiwi_lemmas(texts: Sequence[str]) -> list[frozenset[str]]:
    from aligner.search.lemma_cache import cached_lemmas
    from aligner.segment.kiwi import lemmas

    return cached_lemmas(texts, lemmas)[0]


def kiwi_query_lemmas(text: str) -> Iterable[str]:
    from aligner.segment.kiwi import lemmas

    return lemmas(text)


def sample(rows: np.ndarray, keep: int) -> np.ndarray:
    """At most ``keep`` of ``rows``, evenly spread (every document keeps its share)."""
    if len(rows) <= keep:
        return rows
    return rows[np.linspace(0, len(rows) - 1, keep).astype(np.int64)]


def _postings(words_per_row: Iterable[tuple[int, Iterable[str]]]) -> dict[str, np.ndarray]:
    lists: dict[str, list[int]] = {}
    for row, words in words_per_row:
        for word in words:
            lists.setdefault(word, []).append(row)
    return {word: np.asarray(rows, dtype=np.int32) for word, rows in lists.items()}


class TextIndex:
    """Postings over ``texts`` (one per library row, ``korean[row]`` saying its document's language);
    each index is built on first use or by :meth:`prepare`, once, thread-safely."""

    def __init__(
        self,
        texts: Sequence[str],
        korean: np.ndarray,
        *,
        korean_lemmas: LemmaFn = kiwi_lemmas,
        query_lemmas: Callable[[str], Iterable[str]] = kiwi_query_lemmas,
        spans: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.texts = texts
        self.korean = korean
        self._korean_lemmas = korean_lemmas
        self._query_lemmas = query_lemmas
        self._spans = spans or [(0, len(texts))]
        """Row ranges of the documents: Korean lemmas are looked up per document (their cache is)."""
        self._vocabulary: list[str] | None = None
        self._word_rows: list[np.ndarray] = []
        self._sizes = np.zeros(1, np.int64)
        self._forms: dict[Lang, dict[str, np.ndarray]] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ building

    def ready(self, lang: Lang) -> bool:
        """Word forms of ``lang`` indexed: a search using them costs no waiting."""
        return lang in self._forms

    def prepare(self, langs: Iterable[Lang] = (Lang.KO, Lang.EN)) -> None:
        """Build the word index and each language's word forms now (Korean: kiwipiepy, started too)."""
        self._words()
        for lang in langs:
            self._word_forms(lang)
            if lang is Lang.KO:
                self._query_lemmas("한국어")  # starts kiwipiepy now rather than on the first Korean query

    def _words(self) -> tuple[list[str], list[np.ndarray], np.ndarray]:
        """The sorted vocabulary, each word's rows, and the running total of their sizes."""
        with self._lock:
            if self._vocabulary is None:
                postings = _postings((row, set(_WORD.findall(t.casefold()))) for row, t in enumerate(self.texts))
                self._vocabulary = sorted(postings)
                self._word_rows = [postings[w] for w in self._vocabulary]
                lengths = np.fromiter((len(r) for r in self._word_rows), dtype=np.int64, count=len(self._word_rows))
                self._sizes = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            return self._vocabulary, self._word_rows, self._sizes

    def _word_forms(self, lang: Lang) -> dict[str, np.ndarray]:
        with self._lock:
            found = self._forms.get(lang)
            if found is None:
                found = self._forms[lang] = self._build_forms(lang)
            return found

    def _build_forms(self, lang: Lang) -> dict[str, np.ndarray]:
        def rows() -> Iterable[tuple[int, Iterable[str]]]:
            for start, stop in self._spans:
                if start == stop or bool(self.korean[start]) != (lang is Lang.KO):
                    continue
                texts = self.texts[start:stop]
                forms = self._korean_lemmas(texts) if lang is Lang.KO else [english_stems(t) for t in texts]
                yield from enumerate(forms, start)

        return _postings(rows())

    # ------------------------------------------------------------------ matching

    def exact(self, needle: str) -> np.ndarray:
        """Rows whose text holds ``needle`` (case-insensitive), found through its words; sorted."""
        needle = needle.casefold().strip()
        words = _WORD.findall(needle)
        if not words:
            return np.zeros(0, np.int64)
        vocabulary, word_rows, sizes = self._words()
        best: tuple[int, int, int] | None = None  # (postings, lo, hi) of the rarest query word
        for word in set(words):
            lo = bisect.bisect_left(vocabulary, word)
            hi = bisect.bisect_left(vocabulary, word + "\U0010ffff", lo)
            if hi - lo > MAX_PREFIX_WORDS:
                continue
            total = int(sizes[hi] - sizes[lo])
            if best is None or total < best[0]:
                best = (total, lo, hi)
        if best is None or best[0] == 0:
            return np.zeros(0, np.int64)
        _, lo, hi = best  # the other words are checked with the whole query, on these rows only
        rows = word_rows[lo] if hi - lo == 1 else np.concatenate(word_rows[lo:hi])
        rows = np.unique(sample(rows, 2 * MAX_MATCHES))  # (sampled before sorting: the lists are sorted each)
        texts = self.texts
        if needle == needle.upper():  # nothing to fold (Korean, digits): no copy of each text
            hits = [r for r in rows.tolist() if needle in texts[r]]
        else:
            hits = [r for r in rows.tolist() if needle in texts[r].casefold()]
        return np.asarray(hits, dtype=np.int64)

    def holds(self, row: int, needle: str) -> bool:
        """Whether row ``row`` holds ``needle`` as typed (case-insensitive)."""
        return needle.casefold().strip() in self.texts[row].casefold()

    def word_forms(self, query: str, *, ready_only: bool = False) -> np.ndarray:
        """Rows holding every content lemma (Korean query) or stem (English query) of ``query``; sorted.
        ``ready_only``: none while that language's forms are not indexed yet (never waits)."""
        lang = Lang.KO if HANGUL.search(query) else Lang.EN
        if ready_only and not self.ready(lang):  # (before the query's lemmas: they may start kiwipiepy)
            return np.zeros(0, np.int64)
        words = frozenset(self._query_lemmas(query)) if lang is Lang.KO else english_stems(query)
        if not words:
            return np.zeros(0, np.int64)
        postings = self._word_forms(lang)
        lists = sorted((postings.get(w, np.zeros(0, np.int32)) for w in words), key=len)
        rows = lists[0]
        for more in lists[1:]:
            if not len(rows):
                break
            rows = np.intersect1d(rows, more, assume_unique=True)
        return sample(rows.astype(np.int64), MAX_MATCHES)
