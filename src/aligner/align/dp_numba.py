"""The banded DP kernels compiled with numba (large problems; see ``aligner.align.dp``).

Importing this module imports numba and loads (or compiles) the kernels: about
a second the first time in a process, which ``aligner.align.dp`` spends only on
problems too large for its numpy kernels.
"""

from __future__ import annotations

import numba as nb
import numpy as np

NEG = -1e30


@nb.njit(cache=True)
def _bead_score(
    t: int, i: int, j: int, cell: int, types: np.ndarray, row: np.ndarray, scores: np.ndarray,
    skip_src: np.ndarray, skip_tgt: np.ndarray,
) -> float:
    if types[t, 1] == 0:
        return skip_src[i - 1]
    if types[t, 0] == 0:
        return skip_tgt[j - 1]
    return scores[row[t], cell]


@nb.njit(cache=True)
def forward(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, ptr: np.ndarray,
) -> np.ndarray:
    n = lo.shape[0] - 1
    cost = np.full(ptr.shape[0], NEG, dtype=np.float64)
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
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = cost[start[pi] + pj - lo[pi]]
                if prev <= NEG:
                    continue
                s = prev + _bead_score(t, i, j, cell, types, row, scores, skip_src, skip_tgt)
                if s > best:
                    best = s
                    best_t = t
            cost[cell] = best
            ptr[cell] = best_t
    return cost


@nb.njit(cache=True)
def forward_rows(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, ptr: np.ndarray,
) -> float:
    """``_forward`` keeping only the last rows of costs (all a path needs); returns the best total.

    Memory is ``ptr`` (one byte a cell) plus a few rows, not eight bytes a cell.
    """
    n = lo.shape[0] - 1
    depth = 1
    for t in range(types.shape[0]):
        depth = max(depth, types[t, 0] + 1)
    width = 1
    for i in range(n + 1):
        width = max(width, hi[i] - lo[i] + 1)
    cost = np.full((depth, width), NEG, dtype=np.float64)
    for i in range(n + 1):
        r = i % depth
        cost[r, :] = NEG
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                cost[r, 0] = 0.0
                continue
            cell = start[i] + j - lo[i]
            best = NEG
            best_t = -1
            for t in range(types.shape[0]):
                pi = i - types[t, 0]
                pj = j - types[t, 1]
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = cost[pi % depth, pj - lo[pi]]
                if prev <= NEG:
                    continue
                s = prev + _bead_score(t, i, j, cell, types, row, scores, skip_src, skip_tgt)
                if s > best:
                    best = s
                    best_t = t
            cost[r, j - lo[i]] = best
            ptr[cell] = best_t
    return float(cost[n % depth, hi[n] - lo[n]])


@nb.njit(cache=True)
def backtrack(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    n = lo.shape[0] - 1
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
def backward(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, n_cells: int,
) -> np.ndarray:
    n = lo.shape[0] - 1
    m = hi[n]
    cost = np.full(n_cells, NEG, dtype=np.float64)
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
                cell = start[ni] + nj - lo[ni]
                nxt = cost[cell]
                if nxt <= NEG:
                    continue
                s = nxt + _bead_score(t, ni, nj, cell, types, row, scores, skip_src, skip_tgt)
                if s > best:
                    best = s
            cost[start[i] + j - lo[i]] = best
    return cost


@nb.njit(cache=True)
def marginals(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, fwd: np.ndarray, bwd: np.ndarray,
) -> np.ndarray:
    """Best total through each match bead (scores' shape)."""
    n = lo.shape[0] - 1
    out = np.full(scores.shape, NEG, dtype=np.float64)
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            cell = start[i] + j - lo[i]
            if bwd[cell] <= NEG:
                continue
            for t in range(types.shape[0]):
                if row[t] < 0:
                    continue
                pi = i - types[t, 0]
                pj = j - types[t, 1]
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = fwd[start[pi] + pj - lo[pi]]
                if prev > NEG:
                    out[row[t], cell] = prev + scores[row[t], cell] + bwd[cell]
    return out


@nb.njit(cache=True)
def _keep_top_two(top: np.ndarray, ids: np.ndarray, s: int, v: float, bid: int) -> None:
    """Offer bead ``bid`` with total ``v`` to sentence ``s``'s two best (strictly better only)."""
    if v > top[s, 0]:
        top[s, 1] = top[s, 0]
        ids[s, 1] = ids[s, 0]
        top[s, 0] = v
        ids[s, 0] = bid
    elif v > top[s, 1]:
        top[s, 1] = v
        ids[s, 1] = bid


@nb.njit(cache=True)
def gaps(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, fwd: np.ndarray, bwd: np.ndarray,
    path: np.ndarray,
) -> np.ndarray:
    """For each bead of ``path``: best total minus the best total of any path avoiding it.

    A path avoids bead B iff it covers one of B's sentences with another bead, so
    the best such path is the best max-marginal among beads sharing a sentence
    with B (kept as the top two per sentence, by bead id, per side).
    """
    n = lo.shape[0] - 1
    m = hi[n]
    top_s = np.full((max(n, 1), 2), NEG)
    id_s = np.full((max(n, 1), 2), -1, dtype=np.int64)
    top_t = np.full((max(m, 1), 2), NEG)
    id_t = np.full((max(m, 1), 2), -1, dtype=np.int64)
    n_cells = fwd.shape[0]
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            cell = start[i] + j - lo[i]
            if bwd[cell] <= NEG:
                continue
            for t in range(types.shape[0]):
                a = types[t, 0]
                b = types[t, 1]
                pi = i - a
                pj = j - b
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = fwd[start[pi] + pj - lo[pi]]
                if prev <= NEG:
                    continue
                v = prev + _bead_score(t, i, j, cell, types, row, scores, skip_src, skip_tgt) + bwd[cell]
                bid = t * n_cells + cell
                for s in range(pi, i):
                    _keep_top_two(top_s, id_s, s, v, bid)
                for s in range(pj, j):
                    _keep_top_two(top_t, id_t, s, v, bid)
    best = fwd[n_cells - 1]
    out = np.zeros(path.shape[0] - 1)
    for k in range(path.shape[0] - 1):
        i0 = path[k, 0]
        j0 = path[k, 1]
        i1 = path[k + 1, 0]
        j1 = path[k + 1, 1]
        t_b = -1
        for t in range(types.shape[0]):
            if types[t, 0] == i1 - i0 and types[t, 1] == j1 - j0:
                t_b = t
        bid = t_b * n_cells + start[i1] + j1 - lo[i1]
        alt = NEG
        for s in range(i0, i1):
            v = top_s[s, 1] if id_s[s, 0] == bid else top_s[s, 0]
            alt = max(alt, v)
        for s in range(j0, j1):
            v = top_t[s, 1] if id_t[s, 0] == bid else top_t[s, 0]
            alt = max(alt, v)
        out[k] = best - alt if alt > NEG else 1e9
    return out


@nb.njit(cache=True, fastmath=True)
def indexed_dots(u: np.ndarray, iu: np.ndarray, v: np.ndarray, iv: np.ndarray, out: np.ndarray) -> None:
    """``out[c] = u[iu[c]] . v[iv[c]]`` (``aligner.align.dots``)."""
    dim = u.shape[1]
    for c in range(iu.shape[0]):
        a = iu[c]
        b = iv[c]
        s = np.float32(0.0)
        for k in range(dim):
            s += u[a, k] * v[b, k]
        out[c] = s


@nb.njit(cache=True)
def forward_rows_one_one(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, scores: np.ndarray, skip_src: np.ndarray,
    skip_tgt: np.ndarray, ptr: np.ndarray,
) -> float:
    """``forward_rows`` for the pass-1 types exactly ``((1, 1), (1, 0), (0, 1))`` (1-1 scores in row 0).

    The pass-1 band of a book holds tens of millions of cells: written out for its three bead types
    (same choices, same ties: the first best type wins) it runs several times faster than the
    general loop over types.
    """
    n = lo.shape[0] - 1
    width = 1
    for i in range(n + 1):
        width = max(width, hi[i] - lo[i] + 1)
    prev = np.full(width, NEG, dtype=np.float64)
    cur = np.full(width, NEG, dtype=np.float64)
    for i in range(n + 1):
        li = lo[i]
        for x in range(hi[i] - li + 1):
            cur[x] = NEG
        for j in range(li, hi[i] + 1):
            cell = start[i] + j - li
            if i == 0 and j == 0:
                cur[0] = 0.0
                continue
            best = NEG
            best_t = -1
            if i > 0:
                lp, hp = lo[i - 1], hi[i - 1]
                if j >= 1 and lp <= j - 1 <= hp:
                    p = prev[j - 1 - lp]
                    if p > NEG:
                        s = p + scores[0, cell]
                        if s > best:
                            best = s
                            best_t = 0
                if lp <= j <= hp:
                    p = prev[j - lp]
                    if p > NEG:
                        s = p + skip_src[i - 1]
                        if s > best:
                            best = s
                            best_t = 1
            if j >= 1 and j - 1 >= li:
                p = cur[j - 1 - li]
                if p > NEG:
                    s = p + skip_tgt[j - 1]
                    if s > best:
                        best = s
                        best_t = 2
            cur[j - li] = best
            ptr[cell] = best_t
        prev, cur = cur, prev
    return float(prev[hi[n] - lo[n]])
