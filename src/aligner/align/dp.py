"""Banded dynamic programming over bead types (array-in, array-out, numba).

The search space is a ragged band: row ``i`` (source sentences consumed, 0..N)
holds target positions ``lo[i] .. hi[i]``; cell ``(i, j)`` is stored at flat
index ``start[i] + j - lo[i]``, so memory is linear in the number of cells.

Bead type ``t`` is ``types[t] = (a, b)``: ``a`` source and ``b`` target
sentences. A bead of type ``t`` *ending* at cell ``(i, j)`` covers source
sentences ``i-a .. i-1`` and target sentences ``j-b .. j-1``. Match types
(a, b >= 1) take their score from ``scores[row[t], cell]``; skip types use the
per-sentence skip scores ``skip_src[i-1]`` (1-0) or ``skip_tgt[j-1]`` (0-1).
The DP maximises the total score of a monotone path from (0, 0) to (N, M).

Two interchangeable kernel sets do the work: ``dp_numpy`` (vectorised by band
row, nothing to load) for documents of up to a few thousand sentences, and
``dp_numba`` (compiled, imported only when needed) for books.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

NEG = -1e30
ONE_ONE_TYPES = [[1, 1], [1, 0], [0, 1]]  # pass 1's bead types: the compiled kernels have a loop of their own for them
NUMPY_MAX_ROWS = 2000
NUMPY_MAX_CELLS = 1_000_000
"""Bands up to this size use the numpy kernels; larger ones pay numba's load (~1 s) once."""


def kernels(lo: np.ndarray, n_cells: int, types: np.ndarray, backend: str | None = None) -> ModuleType:
    """The kernel module for a band: ``backend`` "numpy" or "numba", or chosen by size."""
    from aligner.align import dp_numpy

    if backend is None:
        small = lo.shape[0] <= NUMPY_MAX_ROWS and n_cells <= NUMPY_MAX_CELLS
        backend = "numpy" if small and dp_numpy.supported(types) else "numba"
    if backend == "numpy":
        return dp_numpy
    from aligner.align import dp_numba

    return dp_numba


def band_start(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    widths = hi - lo + 1
    start = np.zeros(lo.shape[0], dtype=np.int64)
    np.cumsum(widths[:-1], out=start[1:])
    return start


def band_cells(lo: np.ndarray, hi: np.ndarray, r0: int = 0, r1: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of every cell of rows ``r0..r1-1``, in storage order."""
    r1 = lo.shape[0] if r1 is None else r1
    widths = hi[r0:r1] - lo[r0:r1] + 1
    rows = np.repeat(np.arange(r0, r1, dtype=np.int64), widths)
    offs = np.zeros(r1 - r0, dtype=np.int64)
    np.cumsum(widths[:-1], out=offs[1:])
    cols = np.arange(rows.shape[0], dtype=np.int64) - offs[rows - r0] + lo[rows]
    return rows, cols


def match_rows(types: np.ndarray) -> np.ndarray:
    """Row of ``scores`` used by each type (-1 for skip types)."""
    row = np.full(types.shape[0], -1, dtype=np.int64)
    k = 0
    for t in range(types.shape[0]):
        if types[t, 0] > 0 and types[t, 1] > 0:
            row[t] = k
            k += 1
    return row


def _prep(
    lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray
) -> tuple[np.ndarray, ...]:
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    hi = np.ascontiguousarray(hi, dtype=np.int64)
    types = np.ascontiguousarray(types, dtype=np.int64)
    if scores.dtype not in (np.float32, np.float64):
        scores = scores.astype(np.float64)
    return (
        lo, hi, band_start(lo, hi), types, match_rows(types), np.ascontiguousarray(scores),
        np.ascontiguousarray(skip_src, dtype=np.float64), np.ascontiguousarray(skip_tgt, dtype=np.float64),
    )


def banded_dp(
    lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray, skip_src: np.ndarray,
    skip_tgt: np.ndarray, backend: str | None = None,
) -> np.ndarray:
    """Best path as a (K, 2) array of cells from (0, 0) to (N, M).

    ``scores`` has one row per match type, in the order of ``types``.
    Raises ValueError when the band holds no path.
    """
    lo, hi, start, types, row, scores, skip_src, skip_tgt = _prep(lo, hi, types, scores, skip_src, skip_tgt)
    n_cells = int(start[-1] + hi[-1] - lo[-1] + 1)
    k = kernels(lo, n_cells, types, backend)
    ptr = np.full(n_cells, -1, dtype=np.int8)
    if hasattr(k, "forward_rows_one_one") and types.tolist() == ONE_ONE_TYPES and row[0] == 0:
        k.forward_rows_one_one(lo, hi, start, scores, skip_src, skip_tgt, ptr)
    else:
        k.forward_rows(lo, hi, start, types, row, scores, skip_src, skip_tgt, ptr)
    path: np.ndarray = k.backtrack(lo, hi, start, types, ptr)
    if path.shape[0] == 0:
        raise ValueError("no monotone path inside the band")
    return path


def _forward_backward(
    lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray, skip_src: np.ndarray,
    skip_tgt: np.ndarray, backend: str | None,
) -> tuple[ModuleType, tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    """The kernels, the prepared arrays, and the best scores from (0, 0) and to (N, M) of every cell."""
    prepared = _prep(lo, hi, types, scores, skip_src, skip_tgt)
    lo, hi, start, types, row, scores, skip_src, skip_tgt = prepared
    n_cells = int(start[-1] + hi[-1] - lo[-1] + 1)
    k = kernels(lo, n_cells, types, backend)
    ptr = np.full(n_cells, -1, dtype=np.int8)
    fwd = k.forward(lo, hi, start, types, row, scores, skip_src, skip_tgt, ptr)
    bwd = k.backward(lo, hi, start, types, row, scores, skip_src, skip_tgt, n_cells)
    return k, prepared, fwd, bwd


def max_marginals(
    lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray, skip_src: np.ndarray,
    skip_tgt: np.ndarray, backend: str | None = None,
) -> tuple[np.ndarray, float]:
    """Best total path score through each match bead (shape of ``scores``), and the best."""
    k, (lo, hi, start, types, row, scores, _, _), fwd, bwd = _forward_backward(
        lo, hi, types, scores, skip_src, skip_tgt, backend
    )
    marg: np.ndarray = k.marginals(lo, hi, start, types, row, scores, fwd, bwd)
    return marg, float(fwd[-1])


def path_gaps(
    lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray, skip_src: np.ndarray,
    skip_tgt: np.ndarray, path: np.ndarray, backend: str | None = None,
) -> np.ndarray:
    """How much worse (total score) the best path avoiding each bead of ``path`` is."""
    k, prepared, fwd, bwd = _forward_backward(lo, hi, types, scores, skip_src, skip_tgt, backend)
    path = np.ascontiguousarray(path, dtype=np.int64)
    out: np.ndarray = k.gaps(*prepared, fwd, bwd, path)
    return out


def warm_up() -> None:
    """Compile (or load the cached) numba kernels once: large documents use them."""
    lo = np.array([0, 0], dtype=np.int64)
    hi = np.array([1, 1], dtype=np.int64)
    types = np.array([[1, 1], [1, 0], [0, 1]], dtype=np.int64)
    zeros = np.zeros(1)
    scores = np.zeros((1, 4), dtype=np.float32)  # the aligner's score dtype
    max_marginals(lo, hi, types, scores, zeros, zeros, backend="numba")
    path = banded_dp(lo, hi, types, scores, zeros, zeros, backend="numba")
    path_gaps(lo, hi, types, scores, zeros, zeros, path, backend="numba")
