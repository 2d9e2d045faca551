"""Per-document calibration: neighbourhood normalisers, skip threshold, length model, skip costs.

The skip (1-0/0-1) threshold is calibrated per document between the typical
unrelated pair and the typical best match, inside the same diagonal band the
first alignment pass searches; everything works in row blocks of that band, so
memory stays linear in document length. How much of each side lacks a
counterpart, and so what a skip costs, is ``aligner.align.completeness``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import numpy as np

from aligner.align.arrays import DocStats, SideArrays
from aligner.align.completeness import completeness
from aligner.align.costs import BLOCK, DEFAULT_PARAMS, Params


def diagonal_band(n: int, m: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows 0..n of a band of half width ``half`` around the diagonal of an n x m grid."""
    i = np.arange(n + 1, dtype=np.float64)
    centre = np.round(i * (m / n if n else 0.0)).astype(np.int64)
    lo = np.clip(centre - half, 0, m)
    hi = np.clip(centre + half, 0, m)
    lo[0] = 0
    hi[-1] = m
    # rows must connect: a 1-1 step from row i-1 has to land inside row i
    lo[1:] = np.minimum(lo[1:], hi[:-1] + 1)
    return lo, hi


def _sentence_band(n: int, m: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    """For each source sentence, the inclusive range of target sentences near the diagonal."""
    lo, hi = diagonal_band(n, m, half)
    slo = np.minimum(lo[:-1], m - 1)
    shi = np.maximum(np.minimum(hi[1:], m) - 1, slo)
    return slo, shi


def _band_blocks(
    a: np.ndarray, b: np.ndarray, slo: np.ndarray, shi: np.ndarray
) -> Iterator[tuple[int, int, int, np.ndarray, np.ndarray]]:
    """Row blocks (r0, r1, c0, sims, mask) of the band; sims is a dense block, mask marks band cells."""
    for r0 in range(0, a.shape[0], BLOCK):
        r1 = min(a.shape[0], r0 + BLOCK)
        c0 = int(slo[r0:r1].min())
        c1 = int(shi[r0:r1].max()) + 1
        sims = a[r0:r1] @ b[c0:c1].T
        cols = np.arange(c0, c1)
        mask = (cols[None, :] >= slo[r0:r1, None]) & (cols[None, :] <= shi[r0:r1, None])
        yield r0, r1, c0, sims, mask


def increasing_run(values: np.ndarray) -> np.ndarray:
    """Indices of a longest strictly increasing subsequence of ``values`` (patience sorting, O(k log k)).

    The anchors of the length model must run forward on both sides; keeping the
    longest such chain, not the first one found, stops one stray early match to a
    late sentence from hiding every anchor after it.
    """
    tails: list[int] = []  # tails[L]: index ending the best increasing run of length L + 1
    tail_values: list[int] = []
    back = np.full(values.shape[0], -1, dtype=np.int64)
    for k, v in enumerate(values.tolist()):
        pos = bisect.bisect_left(tail_values, v)
        if pos:
            back[k] = tails[pos - 1]
        if pos == len(tails):
            tails.append(k)
            tail_values.append(v)
        else:
            tails[pos] = k
            tail_values[pos] = v
    out: list[int] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        out.append(k)
        k = int(back[k])
    return np.array(out[::-1], dtype=np.int64)


def _stretch_log_ratios(
    src_len: np.ndarray, tgt_len: np.ndarray, anchors: np.ndarray, arg_src: np.ndarray, span: int
) -> np.ndarray:
    """Log length ratios of the stretches from each anchor (``anchors``: a mask of source sentences
    whose best match ``arg_src`` is mutual and confident) to the ``span``-th next one.

    Sentences between two such anchors (split sentences, regroupings) count
    with the stretch they lie in, so a free translation's ratio is that of its
    text, not that of its best-matching sentence pairs.
    """
    idx = np.nonzero(anchors)[0]
    a = idx[increasing_run(arg_src[idx])]
    if a.shape[0] < 2:
        return np.zeros(0)
    b = arg_src[a]
    cs = np.concatenate([[0.0], np.cumsum(src_len)])
    ct = np.concatenate([[0.0], np.cumsum(tgt_len)])
    w = min(span, a.shape[0] - 1)
    return np.asarray(np.log((cs[a[w:]] - cs[a[:-w]]) / (ct[b[w:]] - ct[b[:-w]])))


def doc_stats(src: SideArrays, tgt: SideArrays, params: Params = DEFAULT_PARAMS) -> DocStats:
    """Neighbourhood normalisers, skip threshold and length model of one pair.

    Works in row blocks of a diagonal band, so memory stays linear in length.
    """
    n, m = len(src), len(tgt)
    if not n or not m:
        return DocStats(np.zeros(n), np.zeros(m), 0.0, 0.5, 0.3, 0.0, 0.5)
    k = params.knn
    half = params.first_half_width(n, m)
    slo, shi = _sentence_band(n, m, half)
    r_src = np.zeros(n)
    col_top = np.full((m, k), -np.inf)
    for r0, r1, c0, sims, mask in _band_blocks(src.vecs, tgt.vecs, slo, shi):
        x = np.where(mask, sims, -np.inf)
        kk = min(k, x.shape[1])
        top = np.partition(x, x.shape[1] - kk, axis=1)[:, x.shape[1] - kk :]
        fin = np.isfinite(top)
        r_src[r0:r1] = np.where(fin, top, 0.0).sum(axis=1) / np.maximum(fin.sum(axis=1), 1)
        c1 = c0 + x.shape[1]
        both = np.concatenate([col_top[c0:c1], x.T], axis=1)
        col_top[c0:c1] = np.partition(both, both.shape[1] - k, axis=1)[:, both.shape[1] - k :]
    finite = np.isfinite(col_top)
    r_tgt = np.where(finite, col_top, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    r_mean = float(np.concatenate([r_src, r_tgt]).mean())

    best_src = np.full(n, -np.inf)
    arg_src = np.zeros(n, dtype=np.int64)
    best_tgt = np.full(m, -np.inf)
    arg_tgt = np.zeros(m, dtype=np.int64)
    sample: list[np.ndarray] = []
    raw: list[np.ndarray] = []
    stride = max(1, int(n * (2 * half + 1) // 200_000))
    for r0, r1, c0, sims, mask in _band_blocks(src.vecs, tgt.vecs, slo, shi):
        c1 = c0 + sims.shape[1]
        marg = sims - params.margin_weight * (0.5 * (r_src[r0:r1, None] + r_tgt[None, c0:c1]) - r_mean)
        marg = np.where(mask, marg, -np.inf)
        arg_src[r0:r1] = c0 + np.argmax(marg, axis=1)
        best_src[r0:r1] = marg.max(axis=1)
        col_best = marg.max(axis=0)
        better = col_best > best_tgt[c0:c1]
        arg_tgt[c0:c1] = np.where(better, r0 + np.argmax(marg, axis=0), arg_tgt[c0:c1])
        best_tgt[c0:c1] = np.maximum(best_tgt[c0:c1], col_best)
        sample.append(marg[mask][::stride].copy())  # a copy: a strided view would keep every cell alive
        raw.append(sims[mask][::stride].copy())
    best = np.concatenate([best_src, best_tgt[np.isfinite(best_tgt)]])
    mu0 = float(np.median(np.concatenate(sample)))
    mu1 = float(np.quantile(best, params.best_quantile))
    scale = max(mu1 - mu0, 0.05)
    threshold = mu0 + params.skip_alpha * scale

    # length model: each source sentence's best match, when it clears the threshold
    good = best_src > threshold
    mutual = np.isfinite(best_src) & (arg_tgt[arg_src] == np.arange(n))  # each other's best match in the band
    log_ratio = float(np.log(src.lengths.sum() / tgt.lengths.sum()))
    log_sd = 0.5
    if good.sum() >= 5:
        lr = np.log(src.lengths[good] / tgt.lengths[arg_src[good]])
        log_ratio = float(np.median(lr))
        log_sd = float(np.clip(1.4826 * np.median(np.abs(lr - log_ratio)), 0.2, 0.8))
        # the length balance of whole stretches between mutual best matches: in a free
        # translation a sentence's best match is often a longer sentence it renders only part of
        stretches = _stretch_log_ratios(src.lengths, tgt.lengths, good & mutual, arg_src, params.stretch_matches)
        if stretches.size >= 5:
            log_ratio = float(np.median(stretches))
    noise = np.concatenate(raw)
    noise_mean = float(np.median(noise))
    noise_sd = max(1e-3, float(1.4826 * np.median(np.abs(noise - noise_mean))))
    comp = completeness(
        src.lengths, tgt.lengths, log_ratio, log_sd, int(good.sum()),
        prior=params.missing_prior, floor=params.missing_floor, weight=params.skip_weight,
        min_tolerance=params.length_tolerance,
    )
    mutual_src = np.nonzero(mutual)[0]
    return DocStats(
        r_src, r_tgt, r_mean, threshold, scale, log_ratio, log_sd, noise_mean, noise_sd,
        comp.missing_src, comp.missing_tgt, comp.skip_src, comp.skip_tgt,
        np.stack([mutual_src, arg_src[mutual_src]], axis=1),
    )
