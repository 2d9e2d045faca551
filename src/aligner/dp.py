"""Banded dynamic programming over bead types (array-in, array-out, numba).

The search space is a ragged band: row ``i`` (source sentences consumed, 0..N)
holds target positions ``lo[i] .. hi[i]``; cell ``(i, j)`` is stored at flat
index ``start[i] + j - lo[i]``. Memory is linear in the number of cells.
``scores[t, cell]`` is the score of a bead of type ``t`` (``types[t] = (a, b)``)
that *ends* at cell ``(i, j)``: source sentences ``i-a .. i-1`` with target
sentences ``j-b .. j-1``. The DP maximises the total score of a monotone path
from ``(0, 0)`` to ``(N, M)``.
"""

from __future__ import annotations

import numba as nb
import numpy as np

NEG = -1e30


@nb.njit(cache=True)
def _dp_kernel(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    n = lo.shape[0] - 1
    n_cells = scores.shape[1]
    cost = np.full(n_cells, NEG, dtype=np.float64)
    ptr = np.full(n_cells, -1, dtype=np.int8)
    if lo[0] == 0:
        cost[start[0]] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            cell = start[i] + j - lo[i]
            if i == 0 and j == 0:
                continue
            best = NEG
            best_t = -1
            for t in range(types.shape[0]):
                pi = i - types[t, 0]
                pj = j - types[t, 1]
                if pi < 0 or pj < 0:
                    continue
                if pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = cost[start[pi] + pj - lo[pi]]
                if prev <= NEG:
                    continue
                s = prev + scores[t, cell]
                if s > best:
                    best = s
                    best_t = t
            cost[cell] = best
            ptr[cell] = best_t
    # backtrack
    m = hi[n]
    out = np.empty((n + m + 1, 2), dtype=np.int64)
    k = 0
    i = n
    j = m
    while i > 0 or j > 0:
        if j < lo[i] or j > hi[i]:
            return out[:0]
        t = ptr[start[i] + j - lo[i]]
        if t < 0:
            return out[:0]
        out[k, 0] = i
        out[k, 1] = j
        k += 1
        i -= types[t, 0]
        j -= types[t, 1]
    out[k, 0] = 0
    out[k, 1] = 0
    k += 1
    return out[:k][::-1].copy()


@nb.njit(cache=True)
def _forward(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, scores: np.ndarray) -> np.ndarray:
    n = lo.shape[0] - 1
    cost = np.full(scores.shape[1], NEG, dtype=np.float64)
    if lo[0] == 0:
        cost[start[0]] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            best = NEG
            for t in range(types.shape[0]):
                pi = i - types[t, 0]
                pj = j - types[t, 1]
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = cost[start[pi] + pj - lo[pi]]
                if prev > NEG and prev + scores[t, start[i] + j - lo[i]] > best:
                    best = prev + scores[t, start[i] + j - lo[i]]
            cost[start[i] + j - lo[i]] = best
    return cost


@nb.njit(cache=True)
def _backward(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, scores: np.ndarray) -> np.ndarray:
    n = lo.shape[0] - 1
    m = hi[n]
    cost = np.full(scores.shape[1], NEG, dtype=np.float64)
    if hi[n] == m:
        cost[start[n] + m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        for j in range(hi[i], lo[i] - 1, -1):
            if i == n and j == m:
                continue
            best = NEG
            for t in range(types.shape[0]):
                ni = i + types[t, 0]
                nj = j + types[t, 1]
                if ni > n or nj < lo[ni] or nj > hi[ni]:
                    continue
                nxt = cost[start[ni] + nj - lo[ni]]
                cell = start[ni] + nj - lo[ni]
                if nxt > NEG and nxt + scores[t, cell] > best:
                    best = nxt + scores[t, cell]
            cost[start[i] + j - lo[i]] = best
    return cost


@nb.njit(cache=True)
def _marginals(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, scores: np.ndarray, fwd: np.ndarray, bwd: np.ndarray
) -> np.ndarray:
    n = lo.shape[0] - 1
    out = np.full(scores.shape, NEG, dtype=np.float64)
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            cell = start[i] + j - lo[i]
            if bwd[cell] <= NEG:
                continue
            for t in range(types.shape[0]):
                pi = i - types[t, 0]
                pj = j - types[t, 1]
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = fwd[start[pi] + pj - lo[pi]]
                if prev > NEG:
                    out[t, cell] = prev + scores[t, cell] + bwd[cell]
    return out


def max_marginals(lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, float]:
    """Best total path score through each (bead type, end cell), and the best overall."""
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    hi = np.ascontiguousarray(hi, dtype=np.int64)
    types = np.ascontiguousarray(types, dtype=np.int64)
    scores = np.ascontiguousarray(scores, dtype=np.float64)
    start = band_start(lo, hi)
    fwd = _forward(lo, hi, start, types, scores)
    bwd = _backward(lo, hi, start, types, scores)
    best = float(fwd[start[-1] + hi[-1] - lo[-1]])
    return _marginals(lo, hi, start, types, scores, fwd, bwd), best


def band_start(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    widths = hi - lo + 1
    start = np.zeros(lo.shape[0], dtype=np.int64)
    np.cumsum(widths[:-1], out=start[1:])
    return start


def band_cells(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column index of every cell of the band, in storage order."""
    widths = hi - lo + 1
    rows = np.repeat(np.arange(lo.shape[0], dtype=np.int64), widths)
    start = band_start(lo, hi)
    cols = np.arange(rows.shape[0], dtype=np.int64) - start[rows] + lo[rows]
    return rows, cols


def banded_dp(
    lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """Best path as (K, 2) array of cells from (0, 0) to (N, M).

    Raises ValueError when no path exists inside the band.
    """
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    hi = np.ascontiguousarray(hi, dtype=np.int64)
    start = band_start(lo, hi)
    path = _dp_kernel(lo, hi, start, np.ascontiguousarray(types, dtype=np.int64), np.ascontiguousarray(scores, dtype=np.float64))
    if path.shape[0] == 0:
        raise ValueError("no monotone path inside the band")
    return path


def warm_up() -> None:
    """Compile (or load the cached) kernel once."""
    lo = np.array([0, 0], dtype=np.int64)
    hi = np.array([1, 1], dtype=np.int64)
    types = np.array([[1, 1], [1, 0], [0, 1]], dtype=np.int64)
    banded_dp(lo, hi, types, np.zeros((3, 4)))
