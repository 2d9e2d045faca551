"""Cosines of many (source span, target span) pairs without copying a vector per pair.

A band of bead cells names the same few hundred span vectors again and again; gathering a
512-float copy of both vectors for every cell (and reading them back for the products) was the
largest cost of scoring a book-length band.  ``indexed_dots`` takes the distinct vectors once and
the index of each cell's pair, and computes the products from them: compiled (numba) when the
compiled kernels are loaded already or the batch is large, with numpy otherwise (numba's load costs
about a second that a short document should not pay).  Array-in, array-out.
"""

from __future__ import annotations

import sys

import numpy as np

COMPILED_FROM = 65536  # pairs in one call from which the compiled kernel is loaded if it is not yet


def indexed_dots(u: np.ndarray, iu: np.ndarray, v: np.ndarray, iv: np.ndarray) -> np.ndarray:
    """``out[c] = u[iu[c]] . v[iv[c]]`` for every c (float64)."""
    iu = np.ascontiguousarray(iu, dtype=np.int64)
    iv = np.ascontiguousarray(iv, dtype=np.int64)
    if "aligner.align.dp_numba" in sys.modules or iu.shape[0] >= COMPILED_FROM:
        from aligner.align.dp_numba import indexed_dots as compiled

        out = np.empty(iu.shape[0], dtype=np.float64)
        compiled(np.ascontiguousarray(u, dtype=np.float32), iu, np.ascontiguousarray(v, dtype=np.float32), iv, out)
        return out
    return np.einsum("ij,ij->i", u[iu], v[iv]).astype(np.float64)
