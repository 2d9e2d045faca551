"""Cross-lingual search over an aligned pair: by meaning, exact text and word form.

``Searcher.search`` merges three kinds of match into one ranked list of
sentence hits, each labelled with the kinds that found it (shown to the user
as "meaning", "exact" and "word form"):

- semantic (meaning): faiss over both sides' embeddings, query in either
  language; a hit found only this way must come close to the best one
  (``NOISE_SPREAD``), so unrelated sentences do not pad the list;
- literal (exact): case-insensitive substring;
- concept (term): the query reaches one of the document's terms (exactly, as a
  word form, or by meaning: ``aligner.search.concepts``), and the sentence uses
  that term or, in the other language, the translation the pair's glossary gives
  it, so "telemedicine" finds the sentence with "원격진료" and "information and
  communication technology" the Korean ones with "정보통신기술" (only once the
  session hands the searcher a ``ConceptIndex``: ``with_concepts``);
- morpheme (word form): every content lemma of a Korean query (kiwipiepy)
  occurs among the sentence's lemmas, so "추진하다" finds "추진 중이다" and
  "추진하고"; every word stem of an English query (Snowball, the Porter2
  stemmer, via ``snowballstemmer``) occurs among the sentence's stems, so
  "smart city" finds "smart cities" and "develop" finds "developed".

Results are pairs (beads): each appears once, represented by its best-matching
sentence, so a Korean query surfaces the English of the pairs it finds.
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from aligner.core.values import Alignment, Lang
from aligner.embed.encoders import Encoder
from aligner.search.concepts import Concept, ConceptIndex, TermMatch, occurrences, squeeze
from aligner.search.hits import HitKind, SearchHit
from aligner.search.index import SentenceIndex
from aligner.search.lemma_cache import cached_lemmas
from aligner.segment.kiwi import lemmas, start_kiwi
from aligner.segment.token_cache import cached_tokens

LITERAL_BONUS = 0.5
MORPHEME_BONUS = 0.35
CONCEPT_BONUS = 0.3
"""A sentence using a term the query reached (or its translation) gains this, times the term's closeness."""
MIN_SEMANTIC = 0.25
NOISE_SPREAD = 0.12
"""A hit found by meaning alone is kept only within this cosine of the query's best hit."""
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=65536)
def english_stem(word: str) -> str:
    """The Snowball (Porter2) stem of one lower-case English word: "cities" -> "citi"."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def english_stems(text: str) -> frozenset[str]:
    return frozenset(english_stem(w.lower()) for w in _LATIN_WORD.findall(text))


def english_stem_sequence(text: str) -> tuple[str, ...]:
    """The stems of ``text``'s English words in order ("Internet hospitals" -> ("internet", "hospit"))."""
    return tuple(english_stem(w.lower()) for w in _LATIN_WORD.findall(text))


class Morphology:
    """The Korean side's lemma sets, built once (from the lemma cache where possible) and
    shared by every searcher over the same texts; thread-safe."""

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts
        self._lemmas: list[frozenset[str]] | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.analysed = 0
        """How many sentences kiwipiepy had to analyse (0 when the cache had them all)."""

    @property
    def ready(self) -> bool:
        """Lemmas built and the analyser started: a morpheme search costs no waiting."""
        return self._ready.is_set()

    def lemmas(self) -> list[frozenset[str]]:
        with self._lock:
            if self._lemmas is None:
                with cached_tokens(self.texts):  # analyses kept for the glossary too
                    self._lemmas, self.analysed = cached_lemmas(self.texts, lemmas)
            return self._lemmas

    def prepare(self) -> None:
        """Build the lemma sets and start the analyser for queries (seconds cold, kiwipiepy's start warm)."""
        self.lemmas()
        start_kiwi()  # now rather than on the first Korean query
        self._ready.set()


class Searcher:
    def __init__(self, alignment: Alignment, encoder: Encoder, ko_vecs: np.ndarray, en_vecs: np.ndarray):
        self.alignment = alignment
        self.encoder = encoder
        self.index = SentenceIndex(ko_vecs, en_vecs)
        self._texts = {Lang.KO: alignment.source.texts, Lang.EN: alignment.target.texts}
        self._lower = {lang: [t.casefold() for t in texts] for lang, texts in self._texts.items()}
        self.morphology = Morphology(tuple(self._texts[Lang.KO]))
        self._en_stems: list[frozenset[str]] = []  # filled on the first English query, shared by clones
        self._squeezed = {lang: [squeeze(t) for t in texts] for lang, texts in self._texts.items()}
        self._en_sequences = [english_stem_sequence(t) for t in self._texts[Lang.EN]]
        self.concepts: ConceptIndex | None = None
        """The document's terms and their translations (none until the glossary is learned)."""
        self._map_beads()

    def with_alignment(self, alignment: Alignment) -> Searcher:
        """A searcher for edited beads over the same texts: index and lemmas are reused."""
        if alignment.source.texts != self._texts[Lang.KO] or alignment.target.texts != self._texts[Lang.EN]:
            raise ValueError("with_alignment needs the same documents")
        clone = copy.copy(self)
        clone.alignment = alignment
        clone._map_beads()
        return clone

    def _map_beads(self) -> None:
        self.bead_of: dict[Lang, dict[int, int]] = {Lang.KO: {}, Lang.EN: {}}
        for b, bead in enumerate(self.alignment.beads):
            for i in bead.src:
                self.bead_of[Lang.KO][i] = b
            for j in bead.tgt:
                self.bead_of[Lang.EN][j] = b

    def concept_index(self, concepts: list[Concept]) -> ConceptIndex:
        """An index of the document's terms (the glossary's pairs and unpaired candidates), embedded
        with this searcher's encoder (cached vectors: the glossary embedded most of them already)."""
        entries = ConceptIndex.entries(concepts)
        dim = self.index.dim
        vecs = self.encoder.encode([t for t, _, _ in entries]) if entries else np.zeros((0, dim), np.float32)
        return ConceptIndex(entries, vecs, english_stem_sequence)

    def with_concepts(self, concepts: ConceptIndex | None) -> Searcher:
        """This searcher, looking queries up among ``concepts`` too (a clone: the index and lemmas are shared)."""
        clone = copy.copy(self)
        clone.concepts = concepts
        return clone

    def term_matches(self, query: str) -> list[TermMatch]:
        """The document's terms ``query`` reaches (none without a concept index)."""
        if self.concepts is None or not query.strip():
            return []
        return self.concepts.match(query, self._encode_query(query.strip()))

    def _encode_query(self, query: str) -> np.ndarray:
        by_query = getattr(self.encoder, "encode_query", None)
        if by_query is not None:
            return np.asarray(by_query(query))
        return self.encoder.encode([query])[0]

    def prepare(self) -> None:
        """Do the one-off work (Korean lemmas, starting kiwipiepy) before the first Korean query."""
        self.morphology.prepare()

    @property
    def morphemes_ready(self) -> bool:
        return self.morphology.ready

    def search(self, query: str, k: int = 10, *, morphemes: bool = True) -> list[SearchHit]:
        """The best ``k`` pairs for ``query``; ``morphemes=False`` skips word-form matching
        (the reader searches that way until ``morphemes_ready``, never waiting for kiwipiepy)."""
        query = query.strip()
        if not query:
            return []
        qvec = self._encode_query(query)
        needle = query.casefold()
        qlemmas = set(lemmas(query)) if morphemes and _HANGUL.search(query) else set()
        ko_lemmas = self.morphology.lemmas() if qlemmas else []
        qstems = english_stems(query)
        en_stems = self._english_stems() if qstems else []
        # A real top-k: the nearest sentences from faiss, plus every literal and
        # morpheme match (their cosines computed directly); only these can make the list.
        nearest = dict(zip((Lang.KO, Lang.EN), self.index.top(qvec, 4 * k + 8), strict=True))
        concept = self._concept_sentences(query, qvec)
        hits: list[SearchHit] = []
        for lang in (Lang.KO, Lang.EN):
            by_term = concept[lang]
            literal = {i for i, low in enumerate(self._lower[lang]) if needle in low}
            if lang is Lang.KO:
                morph = {i for i, lem in enumerate(ko_lemmas) if qlemmas <= lem} if qlemmas else set()
            else:
                morph = {i for i, st in enumerate(en_stems) if qstems <= st} if qstems else set()
            morph -= literal  # "word form": found as another form of the words, not as typed
            ids, cos = nearest[lang]
            semantic = dict(zip(ids.tolist(), cos.tolist(), strict=True))
            extra = np.array(sorted((literal | morph | by_term.keys()) - semantic.keys()), dtype=np.int64)
            if len(extra):
                semantic.update(zip(extra.tolist(), self.index.cosines(qvec, lang, extra).tolist(), strict=True))
            for i, score in semantic.items():
                kinds = [
                    kind
                    for kind, hit in (
                        (HitKind.SEMANTIC, score >= MIN_SEMANTIC),
                        (HitKind.LITERAL, i in literal),
                        (HitKind.MORPHEME, i in morph),
                        (HitKind.CONCEPT, i in by_term),
                    )
                    if hit
                ]
                if kinds:
                    terms = by_term.get(i, [])
                    total = score + LITERAL_BONUS * (i in literal) + MORPHEME_BONUS * (i in morph)
                    total += CONCEPT_BONUS * max((t.cosine for t in terms), default=0.0) * (i not in literal)
                    marks = (query, *(w for t in terms for w, _ in t.targets()))
                    hits.append(SearchHit(lang, i, self.bead_of[lang].get(i, -1), float(total), float(score),
                                          tuple(kinds), self._texts[lang][i], terms=tuple(t.label for t in terms),
                                          marks=tuple(dict.fromkeys(marks))))  # fmt: skip
        return [self._with_pair(h) for h in self._best_per_bead(_without_noise(hits))[:k]]

    def _concept_sentences(self, query: str, qvec: np.ndarray) -> dict[Lang, dict[int, list[TermMatch]]]:
        """Per side, the sentences using a term the query reached or its translation, with those terms."""
        out: dict[Lang, dict[int, list[TermMatch]]] = {Lang.KO: {}, Lang.EN: {}}
        if self.concepts is None:
            return out
        for match in self.concepts.match(query, qvec):
            for term, lang in match.targets():
                for i in occurrences(term, lang, self._squeezed[lang], self._en_sequences, english_stem_sequence):
                    out[lang].setdefault(i, []).append(match)
        return out

    def _english_stems(self) -> list[frozenset[str]]:
        if not self._en_stems:
            self._en_stems.extend(english_stems(t) for t in self._texts[Lang.EN])
        return self._en_stems

    def _with_pair(self, hit: SearchHit) -> SearchHit:
        if not 0 <= hit.bead < len(self.alignment.beads):
            return hit
        bead = self.alignment.beads[hit.bead]
        ko = " ".join(self._texts[Lang.KO][i] for i in bead.src)
        en = " ".join(self._texts[Lang.EN][j] for j in bead.tgt)
        return replace(hit, ko=ko, en=en)

    @staticmethod
    def _best_per_bead(hits: list[SearchHit]) -> list[SearchHit]:
        """One hit per pair: its best-scoring sentence, labelled with every kind that matched it."""
        hits.sort(key=lambda h: -h.score)
        best: dict[int, SearchHit] = {}
        kinds: dict[int, list[HitKind]] = {}
        terms: dict[int, dict[str, None]] = {}
        marks: dict[int, dict[str, None]] = {}
        for h in hits:
            best.setdefault(h.bead, h)
            seen = kinds.setdefault(h.bead, [])
            seen.extend(kind for kind in h.kinds if kind not in seen)
            terms.setdefault(h.bead, {}).update(dict.fromkeys(h.terms))
            marks.setdefault(h.bead, {}).update(dict.fromkeys(h.marks))
        order = list(HitKind)
        return [
            replace(h, kinds=tuple(sorted(kinds[b], key=order.index)), terms=tuple(terms[b]), marks=tuple(marks[b]))
            for b, h in best.items()
        ]


def _without_noise(hits: list[SearchHit]) -> list[SearchHit]:
    """Drop hits found by meaning alone far below the best hit's cosine (the long tail of
    sentences that are merely on the same topic)."""
    if not hits:
        return hits
    floor = max(h.semantic for h in hits) - NOISE_SPREAD
    return [h for h in hits if h.kinds != (HitKind.SEMANTIC,) or h.semantic >= floor]
