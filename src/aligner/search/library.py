"""A library: many documents, Korean and English, searched together as passages.

The documents are not translations of each other: nothing is aligned.  Every
sentence of every document is a row of one vector index
(:mod:`aligner.search.library_index`); a query finds rows the way pair search
finds sentences (:mod:`aligner.search.searcher`) — by meaning (the multilingual
embedding, so a Korean query reaches English passages and the reverse), exact
text and word form (Korean lemmas, English Snowball stems) — and each row found
becomes its passage (:mod:`aligner.search.passages`), one per place, labelled
by its document.

``related`` is the reader's question: given a pair's vector, the best passages
of the other documents.

Reading the documents from disk and caching them per document is the session's
work (:mod:`aligner.session.library`); this module takes documents and vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

import numpy as np

from aligner.core.values import Document, Lang
from aligner.embed.encoders import Encoder
from aligner.ingest.extracted import location_of
from aligner.search.hits import HitKind, Passage
from aligner.search.library_index import IndexKind, VectorIndex
from aligner.search.passages import one_per_place, passage_spans
from aligner.search.searcher import LITERAL_BONUS, MIN_SEMANTIC, MORPHEME_BONUS, NOISE_SPREAD
from aligner.search.text_index import HANGUL, LemmaFn, TextIndex, kiwi_lemmas, kiwi_query_lemmas

_PASSAGE_KINDS = (HitKind.SEMANTIC, HitKind.LITERAL, HitKind.MORPHEME)  # how a library passage can match

HEADING_DISCOUNT = 0.1
"""Taken off a heading's score: a short title embeds as its whole topic and would otherwise outrank
the sentences that say something about it (its passage still shows the start of its section)."""
TERM_BONUS = 0.2
"""Added in ``related`` to a sentence that holds one of the pair's glossary terms."""
COMMON_TERM = 0.02
"""A term in more than this share of the library's sentences does not count in ``related``."""
PER_SOURCE = 3
"""At most this many passages of one document while other documents have some to offer."""


class Library:
    """Documents and their sentence vectors (one L2-normalised row per sentence), searchable."""

    def __init__(
        self,
        documents: Sequence[Document],
        vectors: Sequence[np.ndarray] | None,
        encoder: Encoder,
        *,
        kind: IndexKind | None = None,
        index: VectorIndex | None = None,
        korean_lemmas: LemmaFn = kiwi_lemmas,
        query_lemmas: Callable[[str], Iterable[str]] = kiwi_query_lemmas,
    ) -> None:
        """``vectors``: one array per document, indexed here; or None with ``index``, built before
        over the same documents' vectors in this order (the session keeps large ones in the cache)."""
        if vectors is None:
            if index is None:
                raise ValueError("vectors or a built index")
        elif len(documents) != len(vectors) or any(len(d) != len(v) for d, v in zip(documents, vectors, strict=True)):
            raise ValueError("one vector per sentence of each document")
        self.documents = tuple(documents)
        self.encoder = encoder
        sizes = np.array([len(d) for d in documents], dtype=np.int64)
        self._start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        n = int(self._start[-1])
        self._doc = np.repeat(np.arange(len(documents), dtype=np.int32), sizes)
        self._korean = np.repeat(np.array([d.lang is Lang.KO for d in documents], dtype=bool), sizes)
        self._n_korean = int(self._korean.sum())
        self._heading = np.fromiter((s.heading for d in documents for s in d.sentences), dtype=bool, count=n)
        paragraphs = np.fromiter((s.paragraph for d in documents for s in d.sentences), dtype=np.int64, count=n)
        tops = np.array([max((s.paragraph for s in d.sentences), default=0) + 1 for d in documents], np.int64)
        para_base = np.concatenate([[0], np.cumsum(tops)[:-1]]).astype(np.int64)
        self._paragraph = paragraphs + para_base[self._doc] if n else paragraphs
        """Paragraph of each row, numbered across the library (two documents never share one)."""
        self._doc_end = self._start[1:][self._doc] if n else np.zeros(0, np.int64)
        self._place = self._paragraph.copy()
        """Where a hit is, for "one passage per place": its paragraph; a heading's is the paragraph
        it opens (its passage runs into it)."""
        if n:
            nxt = np.minimum(np.arange(n) + 1, self._doc_end - 1)
            opens = self._heading & (nxt > np.arange(n))
            self._place[opens] = self._paragraph[nxt[opens]]
        if vectors is None:
            assert index is not None
            if len(index) != n:
                raise ValueError(f"the index holds {len(index)} rows for {n} sentences")
            self.index = index
        else:
            dim = int(vectors[0].shape[1]) if len(vectors) and vectors[0].ndim == 2 else int(encoder.dim)
            stacked = np.vstack(list(vectors)) if n else np.zeros((0, dim), np.float32)
            self.index = VectorIndex(stacked, kind)
            del stacked
        self.text = TextIndex(
            [s.text for d in documents for s in d.sentences], self._korean,
            korean_lemmas=korean_lemmas, query_lemmas=query_lemmas,
            spans=[(int(a), int(b)) for a, b in zip(self._start[:-1], self._start[1:], strict=True)],
        )  # fmt: skip
        """Exact and word-form matching (their indexes are built on first use or by ``prepare``)."""

    # ------------------------------------------------------------------ rows

    def __len__(self) -> int:
        """Sentences in the library."""
        return int(self._start[-1])

    def _where(self, row: int) -> tuple[Document, int]:
        d = int(self._doc[row])
        return self.documents[d], row - int(self._start[d])

    def rows_of(self, path: str | Path) -> range:
        """The rows of the document read from ``path`` (empty if it is not in the library)."""
        target = _resolved(path)
        for d, doc in enumerate(self.documents):
            if doc.path is not None and _resolved(doc.path) == target:
                return range(int(self._start[d]), int(self._start[d + 1]))
        return range(0)

    def document_of(self, path: str) -> Document | None:
        """The document a passage's ``path`` names."""
        return next((d for d in self.documents if (d.path or "(text)") == path), None)

    # ------------------------------------------------------------------ word forms

    def word_forms_ready(self, lang: Lang) -> bool:
        return self.text.ready(lang)

    def prepare(self, langs: Iterable[Lang] = (Lang.KO, Lang.EN)) -> None:
        """Build the exact and word-form indexes now (Korean: kiwipiepy, from the lemma cache when warm)."""
        self.text.prepare(langs)

    # ------------------------------------------------------------------ search

    def _encode(self, query: str) -> np.ndarray:
        by_query = getattr(self.encoder, "encode_query", None)
        vec = by_query(query) if by_query is not None else self.encoder.encode([query])[0]
        return np.asarray(vec, dtype=np.float32).reshape(-1)

    def search(
        self, query: str, k: int = 10, *, morphemes: bool = True, translations: Sequence[tuple[str, str]] = ()
    ) -> list[Passage]:
        """The best ``k`` passages for ``query`` (either language), one per place, labelled by
        document and by how they matched.  ``morphemes=False`` uses word forms only where
        they are prepared already (never waits for kiwipiepy).  ``translations``: (a term of the
        query, its translation) from a glossary; sentences holding a translation as typed count
        as exact matches, labelled with the entry that found them."""
        query = query.strip()
        if not query or len(self) == 0:
            return []
        qvec = self._encode(query)
        near_rows, near_cos = self.index.search(qvec, 16 * k + 64)
        literal = self.text.exact(query)
        via: dict[int, str] = {}
        for term, translation in translations:
            for row in self.text.exact(translation).tolist():
                via.setdefault(row, f"{term} → {translation}")
        literal = np.union1d(literal, np.fromiter(via, dtype=np.int64, count=len(via)))
        morph = np.setdiff1d(self.text.word_forms(query, ready_only=not morphemes), literal)
        rows = np.union1d(np.union1d(near_rows, literal), morph)
        cos = self._cosines(qvec, rows, near_rows, near_cos)
        is_literal = np.isin(rows, literal)
        is_morph = np.isin(rows, morph)
        is_semantic = cos >= MIN_SEMANTIC
        total = cos + LITERAL_BONUS * is_literal + MORPHEME_BONUS * is_morph - HEADING_DISCOUNT * self._heading[rows]
        found = is_semantic | is_literal | is_morph
        # Meaning alone must come close to the best hit in the same language (cross-lingual
        # cosines run lower): no padding with the merely on-topic.
        korean = self._korean[rows]
        for side in (korean, ~korean):
            if (found & side).any():
                floor = float(cos[found & side].max()) - NOISE_SPREAD
                found &= ~side | is_literal | is_morph | (cos >= floor)
        keep = np.flatnonzero(found)
        chosen = keep[one_per_place(rows[keep], total[keep], self._place, self._doc, k, PER_SOURCE)]
        kinds = [
            tuple(kind for kind, hit in zip(_PASSAGE_KINDS, flags, strict=True) if hit)
            for flags in zip(is_semantic[chosen], is_literal[chosen], is_morph[chosen], strict=True)
        ]
        found_via = [via.get(row, "") if not self.text.holds(row, query) else "" for row in rows[chosen].tolist()]
        return self._passages(rows[chosen], total[chosen], cos[chosen], kinds, found_via)

    def related(
        self,
        vector: np.ndarray,
        k: int = 5,
        *,
        exclude: Iterable[str | Path] = (),
        min_score: float = MIN_SEMANTIC,
        terms: Sequence[str] = (),
        own_texts: Collection[str] = (),
    ) -> list[Passage]:
        """The ``k`` passages nearest ``vector`` (a sentence or pair embedding), one per place,
        from the documents other than ``exclude`` (paths: the pair's own documents), and never a
        sentence that is one of ``own_texts`` word for word (the pair's own sentences: another copy
        of its documents, a PDF of the same text, is no further reading).

        ``terms`` (the pair's glossary terms, either language): sentences holding one as typed
        gain :data:`TERM_BONUS` and are labelled with it, unless the term is everywhere in the
        library (in more than :data:`COMMON_TERM` of its sentences in the term's language, and five:
        it says nothing about the pair)."""
        if len(self) == 0:
            return []
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vec))
        if not norm:
            return []
        vec = vec / norm
        banned = np.zeros(len(self.documents), dtype=bool)
        for path in exclude:
            span = self.rows_of(path)
            if len(span):
                banned[self._doc[span.start]] = True
        wanted = 8 * k + 32
        while True:
            rows, cos = self.index.search(vec, wanted)
            keep = ~banned[self._doc[rows]] & (cos >= min_score)
            if keep.sum() >= 4 * k or wanted >= len(self) or len(rows) < wanted:
                break
            wanted *= 4
        rows, cos = rows[keep], cos[keep]
        named: dict[int, str] = {}
        for term in terms:
            found = self.text.exact(term)
            same_language = self._n_korean if HANGUL.search(term) else len(self) - self._n_korean
            if len(found) > COMMON_TERM * same_language + 5:
                continue
            for row in found[~banned[self._doc[found]]].tolist():
                named.setdefault(row, term)
        if named:
            extra = np.setdiff1d(np.fromiter(named, dtype=np.int64, count=len(named)), rows)
            rows = np.concatenate([rows, extra])
            cos = np.concatenate([cos, self.index.vectors(extra) @ vec])
        if own_texts:
            texts = self.text.texts
            other = np.fromiter((texts[row] not in own_texts for row in rows.tolist()), dtype=bool, count=len(rows))
            rows, cos = rows[other], cos[other]
        is_named = np.fromiter((row in named for row in rows.tolist()), dtype=bool, count=len(rows))
        score = cos + TERM_BONUS * is_named - HEADING_DISCOUNT * self._heading[rows]
        chosen = one_per_place(rows, score, self._place, self._doc, k, PER_SOURCE)
        kinds: list[tuple[HitKind, ...]] = [
            (HitKind.SEMANTIC, HitKind.LITERAL) if is_named[i] and cos[i] >= min_score
            else (HitKind.LITERAL,) if is_named[i] else (HitKind.SEMANTIC,)
            for i in chosen.tolist()
        ]  # fmt: skip
        via = [named.get(row, "") for row in rows[chosen].tolist()]
        return self._passages(rows[chosen], score[chosen], cos[chosen], kinds, via)

    def _cosines(self, qvec: np.ndarray, rows: np.ndarray, near_rows: np.ndarray, near_cos: np.ndarray) -> np.ndarray:
        """The query's cosine with each of ``rows``: from the index search where it has it, computed for the rest."""
        order = np.argsort(near_rows)
        ranked_rows, ranked_cos = near_rows[order], near_cos[order]
        at = np.minimum(np.searchsorted(ranked_rows, rows), max(len(ranked_rows) - 1, 0))
        known = (ranked_rows[at] == rows) if len(ranked_rows) else np.zeros(len(rows), dtype=bool)
        out = np.empty(len(rows), dtype=np.float32)
        out[known] = ranked_cos[at[known]]
        missing = ~known
        if missing.any():
            out[missing] = self.index.vectors(rows[missing]) @ qvec
        return out

    def _passages(
        self,
        rows: np.ndarray,
        scores: np.ndarray,
        cos: np.ndarray,
        kinds: list[tuple[HitKind, ...]],
        via: Sequence[str] = (),
    ) -> list[Passage]:
        first, last = passage_spans(rows, self._paragraph, self._heading, self._doc_end)
        out: list[Passage] = []
        for row, lo, hi, score, semantic, how, entry in zip(
            rows.tolist(), first.tolist(), last.tolist(), scores.tolist(), cos.tolist(), kinds,
            via or [""] * len(rows), strict=True,
        ):  # fmt: skip
            doc, i = self._where(row)
            base = row - i
            sentences = doc.sentences[lo - base : hi - base + 1]
            sentence = doc.sentences[i]
            where = location_of(doc, sentence) or f"¶ {sentence.paragraph + 1}"
            out.append(Passage(
                path=doc.path or "(text)", lang=doc.lang, sentence=i, first=lo - base, last=hi - base,
                text=" ".join(s.text for s in sentences), matched=sentence.text, location=where,
                score=float(score), semantic=float(semantic), kinds=how, via=entry,
            ))  # fmt: skip
        return out


def _resolved(path: str | Path) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError):
        return Path(path)
