"""A faiss index over both sides' sentence embeddings (cosine = inner product)."""

from __future__ import annotations

from dataclasses import dataclass

import faiss
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
        vecs = np.ascontiguousarray(np.vstack([ko, en]), dtype=np.float32)
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

    def scores(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the query with every Korean and every English sentence."""
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if len(self) == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        scores, rows = self._index.search(q, len(self))
        full = np.empty(len(self), dtype=np.float32)
        full[rows[0]] = scores[0]
        return full[: self.n_ko], full[self.n_ko :]
