"""The banded DP kernels vectorised with numpy, one band row at a time.

Same arrays in and out as ``aligner.align.dp_numba`` (see ``aligner.align.dp`` for the
band layout).  A row costs a few numpy calls per bead type, so these win on
documents of up to a few thousand sentences, where loading numba's compiled
kernels (about a second per process) would cost more than the whole DP.

Bead types with a source side (a >= 1) read earlier rows and are vectorised
over the row; the one same-row type, 0-1, is a max-plus prefix scan.
"""

from __future__ import annotations

import numpy as np

NEG = -1e30
_DEAD = NEG / 2  # anything below this is unreachable (NEG plus finite scores)


def supported(types: np.ndarray) -> bool:
    """True if every type without a source side is the 0-1 skip (all the aligner uses)."""
    return all(b == 1 for a, b in types.tolist() if a == 0)


def _scan(base: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``c[p] = max(base[p], c[p-1] + steps[p])`` for all p, and where the second term won.

    With ``P`` the prefix sums of ``steps``, ``c[p] = P[p] + max_{k<=p}(base[k] - P[k])``.
    """
    prefix = np.cumsum(steps)
    shifted = base - prefix
    best_before = np.maximum.accumulate(shifted)
    earlier = np.empty_like(best_before)
    earlier[0] = NEG
    earlier[1:] = best_before[:-1]
    won = (earlier > shifted) & (earlier > _DEAD)
    out = np.where(won, prefix + earlier, base)
    out[out < _DEAD] = NEG
    return out, won


def forward(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, ptr: np.ndarray,
) -> np.ndarray:
    """Best score of a path from (0, 0) to every cell; the last bead's type goes to ``ptr``."""
    n = lo.shape[0] - 1
    cost = np.full(ptr.shape[0], NEG, dtype=np.float64)
    pairs = types.tolist()
    scan_t = next((t for t, (a, _b) in enumerate(pairs) if a == 0), -1)
    for i in range(n + 1):
        lo_i, hi_i, s_i = int(lo[i]), int(hi[i]), int(start[i])
        width = hi_i - lo_i + 1
        best = np.full(width, NEG)
        best_t = np.full(width, -1, dtype=np.int8)
        if i == 0 and lo_i == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(pairs):
            pi = i - a
            if a == 0 or pi < 0:
                continue
            j0, j1 = max(lo_i, int(lo[pi]) + b, b), min(hi_i, int(hi[pi]) + b)
            if j0 > j1:
                continue
            p0 = int(start[pi]) + j0 - b - int(lo[pi])
            prev = cost[p0 : p0 + j1 - j0 + 1]
            gain = skip_src[i - 1] if b == 0 else scores[row[t], s_i + j0 - lo_i : s_i + j1 - lo_i + 1]
            value = prev + gain
            value[prev <= _DEAD] = NEG
            window = best[j0 - lo_i : j1 - lo_i + 1]
            better = value > window
            window[better] = value[better]
            best_t[j0 - lo_i : j1 - lo_i + 1][better] = t
        if scan_t >= 0 and width > 1:
            steps = np.zeros(width)
            steps[1:] = skip_tgt[lo_i:hi_i]  # the 0-1 bead into (i, j) skips target j - 1
            best, won = _scan(best, steps)
            best_t[won] = scan_t
        cost[s_i : s_i + width] = best
        ptr[s_i : s_i + width] = best_t
    return cost


def forward_rows(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, ptr: np.ndarray,
) -> float:
    """``forward``, returning only the best total (small problems keep every row)."""
    return float(forward(lo, hi, start, types, row, scores, skip_src, skip_tgt, ptr)[-1])


def backtrack(lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """Cells of the best path from (0, 0) to (N, M); empty if the band holds none."""
    n = lo.shape[0] - 1
    i, j = n, int(hi[n])
    pairs = types.tolist()
    out = [(i, j)]
    while i > 0 or j > 0:
        if j < lo[i] or j > hi[i]:
            return np.empty((0, 2), dtype=np.int64)
        t = int(ptr[start[i] + j - lo[i]])
        if t < 0:
            return np.empty((0, 2), dtype=np.int64)
        i, j = i - pairs[t][0], j - pairs[t][1]
        out.append((i, j))
    return np.array(out[::-1], dtype=np.int64)


def backward(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, n_cells: int,
) -> np.ndarray:
    """Best score of a path from every cell to (N, M)."""
    n = lo.shape[0] - 1
    cost = np.full(n_cells, NEG, dtype=np.float64)
    pairs = types.tolist()
    has_scan = any(a == 0 for a, _b in pairs)
    for i in range(n, -1, -1):
        lo_i, hi_i, s_i = int(lo[i]), int(hi[i]), int(start[i])
        width = hi_i - lo_i + 1
        best = np.full(width, NEG)
        if i == n:
            best[-1] = 0.0
        for t, (a, b) in enumerate(pairs):
            ni = i + a
            if a == 0 or ni > n:
                continue
            j0, j1 = max(lo_i, int(lo[ni]) - b), min(hi_i, int(hi[ni]) - b)
            if j0 > j1:
                continue
            c0 = int(start[ni]) + j0 + b - int(lo[ni])
            nxt = cost[c0 : c0 + j1 - j0 + 1]
            gain = skip_src[ni - 1] if b == 0 else scores[row[t], c0 : c0 + j1 - j0 + 1]
            value = nxt + gain
            value[nxt <= _DEAD] = NEG
            window = best[j0 - lo_i : j1 - lo_i + 1]
            np.maximum(window, value, out=window)
        if has_scan and width > 1:  # from (i, j) a 0-1 bead reaches (i, j + 1), skipping target j
            steps = np.zeros(width)
            steps[1:] = skip_tgt[lo_i:hi_i][::-1]
            reversed_best, _ = _scan(best[::-1].copy(), steps)
            best = reversed_best[::-1]
        cost[s_i : s_i + width] = best
    return cost


def _bead_values(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray, scores: np.ndarray,
    skip_src: np.ndarray, skip_tgt: np.ndarray, fwd: np.ndarray, bwd: np.ndarray, matches_only: bool,
) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per type: (type, cells, rows, cols, best total of a path using that bead) for every usable bead."""
    widths = hi - lo + 1
    rows = np.repeat(np.arange(lo.shape[0], dtype=np.int64), widths)
    cells = np.arange(rows.shape[0], dtype=np.int64)
    cols = cells - start[rows] + lo[rows]
    alive = bwd > _DEAD
    out = []
    for t, (a, b) in enumerate(types.tolist()):
        if matches_only and row[t] < 0:
            continue
        pi, pj = rows - a, cols - b
        ok = alive & (pi >= 0) & (pj >= 0)
        ok[ok] &= (pj[ok] >= lo[pi[ok]]) & (pj[ok] <= hi[pi[ok]])
        sel = np.nonzero(ok)[0]
        prev = fwd[start[pi[sel]] + pj[sel] - lo[pi[sel]]]
        keep = prev > _DEAD
        sel, prev = sel[keep], prev[keep]
        if b == 0:
            gain = skip_src[rows[sel] - 1]
        elif a == 0:
            gain = skip_tgt[cols[sel] - 1]
        else:
            gain = scores[row[t], sel].astype(np.float64)
        out.append((t, sel, rows[sel], cols[sel], prev + gain + bwd[sel]))
    return out


def marginals(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, fwd: np.ndarray, bwd: np.ndarray,
) -> np.ndarray:
    """Best total through each match bead (scores' shape)."""
    out = np.full(scores.shape, NEG, dtype=np.float64)
    none = np.zeros(0)
    for t, sel, _r, _c, value in _bead_values(lo, hi, start, types, row, scores, none, none, fwd, bwd, True):
        out[row[t], sel] = value
    return out


def _top_two(sentence: np.ndarray, value: np.ndarray, order: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """Per sentence the two best values and their bead ids (earliest bead first on ties)."""
    top = np.full((max(size, 1), 2), NEG)
    ids = np.full((max(size, 1), 2), -1, dtype=np.int64)
    if sentence.size == 0:
        return top, ids
    k = np.lexsort((order, -value, sentence))
    s, v, o = sentence[k], value[k], order[k]
    first = np.ones(s.shape[0], dtype=bool)
    first[1:] = s[1:] != s[:-1]
    top[s[first], 0], ids[s[first], 0] = v[first], o[first]
    second = np.zeros_like(first)
    second[1:] = first[:-1] & ~first[1:]
    top[s[second], 1], ids[s[second], 1] = v[second], o[second]
    return top, ids


def gaps(
    lo: np.ndarray, hi: np.ndarray, start: np.ndarray, types: np.ndarray, row: np.ndarray,
    scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray, fwd: np.ndarray, bwd: np.ndarray,
    path: np.ndarray,
) -> np.ndarray:
    """For each bead of ``path``: best total minus the best total of any path avoiding it (see dp_numba)."""
    n = lo.shape[0] - 1
    m = int(hi[n])
    n_cells = fwd.shape[0]
    side: dict[int, list[list[np.ndarray]]] = {0: [[], [], []], 1: [[], [], []]}
    beads = _bead_values(lo, hi, start, types, row, scores, skip_src, skip_tgt, fwd, bwd, False)
    for t, sel, rows, cols, value in beads:
        bead_id = t * n_cells + sel
        for axis, (ends, length) in enumerate(((rows, types[t, 0]), (cols, types[t, 1]))):
            for d in range(1, int(length) + 1):  # the bead covers sentences end - length .. end - 1
                side[axis][0].append(ends - d)
                side[axis][1].append(value)
                side[axis][2].append(bead_id)
    tops = []
    for axis, size in ((0, n), (1, m)):
        sentence, value, order = (np.concatenate(parts) if parts else np.zeros(0) for parts in side[axis])
        tops.append(_top_two(sentence.astype(np.int64), value, order.astype(np.int64), size))
    shapes = {(a, b): t for t, (a, b) in enumerate(types.tolist())}
    best = fwd[n_cells - 1]
    out = np.zeros(path.shape[0] - 1)
    for k, ((i0, j0), (i1, j1)) in enumerate(zip(path[:-1].tolist(), path[1:].tolist(), strict=True)):
        bead_id = shapes[(i1 - i0, j1 - j0)] * n_cells + int(start[i1]) + j1 - int(lo[i1])
        alt = NEG
        for (top, ids), (s0, s1) in zip(tops, ((i0, i1), (j0, j1)), strict=True):
            for s in range(s0, s1):
                alt = max(alt, top[s, 1] if ids[s, 0] == bead_id else top[s, 0])
        out[k] = best - alt if alt > NEG else 1e9
    return out
