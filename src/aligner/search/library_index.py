"""The library's vector index: faiss, its type chosen by the library's size.

Measured in ``bench/bench_related.py`` (``docs/related.md``): an exact
``IndexFlatIP`` scan costs time in proportion to the library (0.35-0.5 s per
query at a million 512-d vectors on two shared cores: five times the budget);
``IndexIVFFlat`` (about sqrt(n) lists, 16 searched) answers in milliseconds
at a million with recall@10 near 1 against the exact search; 8-bit codes save
three quarters of the memory for a little recall; HNSW answers faster still
but builds several times slower (minutes for a million on two cores).
So: exact up to :data:`EXACT_UP_TO` vectors, IVF above.

Vectors are L2-normalised: inner product is cosine.

A built index can be written and read back (:meth:`VectorIndex.save`,
:meth:`VectorIndex.load`): the session keeps the trained ones in the cache, so
a large library opened again does not train and fill its IVF lists again.
:func:`index_parameters` names everything a build depends on besides the vectors.
"""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

EXACT_UP_TO = 30_000
"""Libraries up to this many sentences are searched exactly (IndexFlatIP)."""
NPROBE = 16
"""Inverted lists searched per query in the IVF index."""
TRAIN_SAMPLE = 40
"""Training vectors per inverted list (faiss warns below 39): k-means on a sample, not on everything."""
TRAIN_ITERATIONS = 10
"""k-means iterations (faiss's default, 25, costs 2.5 times the build for no recall measured here)."""


class IndexKind(StrEnum):
    """The faiss index types the bench compares."""

    FLAT = "flat"
    """IndexFlatIP: exact, float32."""
    FLAT_FP16 = "flat-fp16"
    """IndexScalarQuantizer fp16: exact scan over half-precision vectors (half the memory)."""
    IVF = "ivf"
    """IndexIVFFlat: inverted lists over a k-means coarse quantiser."""
    IVF_SQ8 = "ivf-sq8"
    """IndexIVFScalarQuantizer 8-bit: inverted lists, a quarter of the memory."""
    HNSW = "hnsw"
    """IndexHNSWFlat (M=32): a proximity graph."""


_FAISS_TYPES = {
    IndexKind.FLAT: "IndexFlatIP",
    IndexKind.FLAT_FP16: "IndexScalarQuantizer",
    IndexKind.IVF: "IndexIVFFlat",
    IndexKind.IVF_SQ8: "IndexIVFScalarQuantizer",
    IndexKind.HNSW: "IndexHNSWFlat",
}
HNSW_M = 32
HNSW_EF_SEARCH = 64
BUILT = frozenset({IndexKind.IVF, IndexKind.IVF_SQ8, IndexKind.HNSW})
"""The kinds whose build is more than copying the vectors (k-means training and list assignment,
or a graph): worth keeping once built."""


def kind_for(n: int) -> IndexKind:
    """The index type the library uses for ``n`` vectors."""
    return IndexKind.FLAT if n <= EXACT_UP_TO else IndexKind.IVF


def n_lists(n: int) -> int:
    """Inverted lists for ``n`` vectors: about sqrt(n) (1,000 at a million), each trained on
    :data:`TRAIN_SAMPLE` vectors."""
    return max(1, min(int(math.sqrt(n)), n // TRAIN_SAMPLE))


def index_parameters(kind: IndexKind, n: int, seed: int = 0) -> str:
    """Everything the index built over ``n`` vectors depends on besides the vectors themselves
    (for a cache key: a change of any of these constants, or of faiss, is a different index)."""
    import faiss

    return (
        f"{kind.value} n={n} lists={n_lists(n)} nprobe={NPROBE} train={TRAIN_SAMPLE} iter={TRAIN_ITERATIONS} "
        f"seed={seed} hnsw={HNSW_M}/{HNSW_EF_SEARCH} faiss={faiss.__version__}"
    )


class VectorIndex:
    """Nearest rows by inner product over ``vectors`` (n × d, L2-normalised float32)."""

    def __init__(self, vectors: np.ndarray, kind: IndexKind | None = None, *, seed: int = 0) -> None:
        import faiss  # not at import: the reader paints before faiss loads

        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        n, dim = vecs.shape
        self.kind = kind or kind_for(n)
        self.size = n
        metric = faiss.METRIC_INNER_PRODUCT
        index: Any  # the faiss type differs by kind (and its stubs know no common base with these methods)
        if self.kind is IndexKind.FLAT:
            index = faiss.IndexFlatIP(dim)
        elif self.kind is IndexKind.FLAT_FP16:
            index = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_fp16, metric)
        elif self.kind is IndexKind.HNSW:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, metric)
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            lists = n_lists(n)
            quantiser = faiss.IndexFlatIP(dim)
            if self.kind is IndexKind.IVF:
                index = faiss.IndexIVFFlat(quantiser, dim, lists, metric)
            else:
                index = faiss.IndexIVFScalarQuantizer(quantiser, dim, lists, faiss.ScalarQuantizer.QT_8bit, metric)
            index.cp.niter = TRAIN_ITERATIONS
            rng = np.random.default_rng(seed)
            sample = vecs[rng.choice(n, size=min(n, lists * TRAIN_SAMPLE), replace=False)] if n else vecs
            index.train(sample)
            index.nprobe = min(NPROBE, lists)
            self._quantiser = quantiser  # the IVF index does not own it
        if n:
            index.add(vecs)
        if self.kind in (IndexKind.IVF, IndexKind.IVF_SQ8):
            index.make_direct_map()  # so rows can be read back (``vectors``)
        self._adopt(index)

    def _adopt(self, index: Any) -> None:
        import faiss

        self._index = index
        self._flat: np.ndarray | None = None
        n, dim = int(index.ntotal), int(index.d)
        if self.kind is IndexKind.FLAT and n:  # a view of the index's own float32 copy, not another copy
            self._flat = faiss.rev_swig_ptr(index.get_xb(), n * dim).reshape(n, dim)

    @classmethod
    def load(cls, path: str | Path, kind: IndexKind) -> VectorIndex:
        """The index :meth:`save` wrote to ``path``; ValueError if it is not a ``kind`` index
        by inner product, RuntimeError (faiss's) if the file cannot be read."""
        import faiss

        index: Any = faiss.read_index(str(path))  # downcast by faiss to its real type
        if type(index).__name__ != _FAISS_TYPES[kind] or index.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise ValueError(f"{path}: a {type(index).__name__} index, not {kind.value}")
        if kind in (IndexKind.IVF, IndexKind.IVF_SQ8) and index.direct_map.type == 0:  # DirectMap.NoMap
            index.make_direct_map()  # faiss writes it, but rows must be readable whatever wrote the file
        self = cls.__new__(cls)
        self.kind = kind
        self.size = int(index.ntotal)
        self._adopt(index)
        return self

    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (faiss's own format; the caller makes it atomic)."""
        import faiss

        faiss.write_index(self._index, str(path))

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return self.size

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows (int64) and their inner products, best first."""
        if self.size == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        q = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
        scores, rows = self._index.search(q, min(k, self.size))
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows`` (as the index holds them: exact for the flat index,
        reconstructed from 8-bit or half-precision codes for those)."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._flat is not None:
            return self._flat[rows]
        if not len(rows):
            return np.zeros((0, self._index.d), np.float32)
        return np.asarray(self._index.reconstruct_batch(rows), dtype=np.float32)
