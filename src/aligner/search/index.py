"""A faiss index over both sides' sentence embeddings (cosine = inner product)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.core.values import Lang


@dataclass(frozen=True)
class IndexHit:
    lang: Lang
    sentence: int
    score: float


class SentenceIndex:
    """Exact inner-product search over L2-normalised vectors of both documents.

    Row ``r`` of the index is Korean sentence ``r`` for ``r < n_ko`` and English
    sentence ``r - n_ko`` otherwise.
    """

    def __init__(self, ko: np.ndarray, en: np.ndarray) -> None:
        if ko.shape[1:] != en.shape[1:]:
            raise ValueError("both sides must have the same embedding dimension")
        self.n_ko = int(ko.shape[0])
        self.n_en = int(en.shape[0])
        self.dim = int(ko.shape[1])
        import faiss  # here, not at import: the reader paints before faiss loads (in its worker)

        vecs = np.ascontiguousarray(np.vstack([ko, en]), dtype=np.float32)
        self._vecs = vecs
        self._index = faiss.IndexFlatIP(self.dim)
        if len(vecs):
            self._index.add(vecs)

    def __len__(self) -> int:
        return self.n_ko + self.n_en

    def _hit(self, row: int, score: float) -> IndexHit:
        if row < self.n_ko:
            return IndexHit(Lang.KO, row, score)
        return IndexHit(Lang.EN, row - self.n_ko, score)

    def search(self, query: np.ndarray, k: int = 10) -> list[IndexHit]:
        """The ``k`` nearest sentences of either language, best first."""
        if len(self) == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        scores, rows = self._index.search(q, min(k, len(self)))
        return [self._hit(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def top(self, query: np.ndarray, k: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """The ``k`` nearest sentences of either language as ``((ko ids, ko scores), (en ids, en scores))``."""
        if len(self) == 0 or k <= 0:
            empty = (np.zeros(0, np.int64), np.zeros(0, np.float32))
            return empty, empty
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        scores, rows = self._index.search(q, min(k, len(self)))
        keep = rows[0] >= 0
        rows_, scores_ = rows[0][keep].astype(np.int64), scores[0][keep]
        is_ko = rows_ < self.n_ko
        return (rows_[is_ko], scores_[is_ko]), (rows_[~is_ko] - self.n_ko, scores_[~is_ko])

    def cosines(self, query: np.ndarray, lang: Lang, ids: np.ndarray) -> np.ndarray:
        """Cosine of the query with the given sentences of one side (no search)."""
        rows = np.asarray(ids, dtype=np.int64) + (0 if lang is Lang.KO else self.n_ko)
        return self._vecs[rows] @ np.asarray(query, dtype=np.float32).reshape(-1)

    def scores(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the query with every Korean and every English sentence."""
        if len(self) == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        full = self._vecs @ np.asarray(query, dtype=np.float32).reshape(-1)
        return full[: self.n_ko], full[self.n_ko :]
