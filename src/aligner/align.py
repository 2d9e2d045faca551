"""Two-pass sentence alignment of a Korean document with its English translation.

Pass 1 finds a coarse monotone path of 1-1 matches (plus skips) inside a wide
diagonal band from sentence-embedding similarities. Pass 2 re-aligns inside a
narrow window around that path with every bead shape up to 4-1/1-4 (and 2-2,
2-3, 3-2, 3-3), scoring spans by the embedding of the concatenated sentences
(embedded only for the spans the window needs), a length prior fitted to this
pair's own character ratio, shared anchor tokens (numbers, Latin words),
paragraph and heading structure. The skip (1-0/0-1) threshold is calibrated per
document between the typical unrelated pair and the typical best match.

``align_arrays`` is array-in/array-out; ``align_documents`` embeds, aligns and
attaches a calibrated confidence to every bead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .confidence import bead_confidences
from .dp import band_cells, banded_dp, max_marginals
from .features import (
    BeadFeatures,
    DocStats,
    Encoder,
    SideArrays,
    SpanVectors,
    bead_features,
    pair_arrays,
)
from .model import Bead, Document, Progress, check_beads

FIRST_TYPES = np.array([[1, 1], [1, 0], [0, 1]], dtype=np.int64)
SECOND_TYPES = np.array(
    [[1, 1], [1, 0], [0, 1], [1, 2], [2, 1], [1, 3], [3, 1], [2, 2], [1, 4], [4, 1], [2, 3], [3, 2], [3, 3]],
    dtype=np.int64,
)
MAX_SPAN = 4


@dataclass(frozen=True)
class Params:
    """Scoring constants (tuned on the dev gold plus synthetic perturbations of it)."""

    knn: int = 8  # neighbours for the neighbourhood (hubness) normaliser
    margin_weight: float = 0.75  # weight of that correction
    first_band: int = 120  # minimum half width of the pass-1 band (sentences)
    first_band_frac: float = 0.08  # ... or this fraction of the longer side
    window: int = 4  # pass-2 half window around the pass-1 path
    best_quantile: float = 0.65  # quantile of best-match scores taken as "typical match"
    skip_alpha: float = 0.4  # skip threshold: 0 = typical unrelated pair, 1 = typical match
    len_weight: float = 0.0
    len_clip: float = 4.5
    anchor_shared: float = 0.3
    anchor_alone: float = 0.0
    para_penalty: float = 0.05
    heading_penalty: float = 0.3
    merge_penalty: float = 0.0  # per extra sentence in a bead
    prune_slack: float = 0.3  # embed spans whose beads come this close to the best path
    swap_penalty: float = 0.1  # a swapped pair scored as 2-2 costs this much


DEFAULT_PARAMS = Params()


# --- bands ----------------------------------------------------------------------------


def diagonal_band(n: int, m: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows 0..n of a band of half width ``half`` around the diagonal of an n x m grid."""
    i = np.arange(n + 1, dtype=np.float64)
    centre = np.round(i * (m / n if n else 0.0)).astype(np.int64)
    lo = np.clip(centre - half, 0, m)
    hi = np.clip(centre + half, 0, m)
    lo[0] = 0
    hi[-1] = m
    return lo, hi


def path_band(path: np.ndarray, n: int, m: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows around a monotone path of cells, widened by ``w`` rows and columns."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(path[:-1].tolist(), path[1:].tolist()):
        lo[i0 : i1 + 1] = np.minimum(lo[i0 : i1 + 1], j0)
        hi[i0 : i1 + 1] = np.maximum(hi[i0 : i1 + 1], j1)
    idx = np.arange(n + 1)
    lo_w = np.clip(lo[np.clip(idx - w, 0, n)] - w, 0, m)
    hi_w = np.clip(hi[np.clip(idx + w, 0, n)] + w, 0, m)
    return lo_w, hi_w


# --- per-document calibration ------------------------------------------------------------


def band_similarity(a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray, block: int = 256) -> np.ndarray:
    """Flat cos(a[i], b[j]) for each row i and columns lo[i]..hi[i] (inclusive)."""
    widths = hi - lo + 1
    out = np.empty(int(widths.sum()), dtype=np.float32)
    pos = 0
    for r0 in range(0, a.shape[0], block):
        r1 = min(a.shape[0], r0 + block)
        c0 = int(lo[r0:r1].min())
        c1 = int(hi[r0:r1].max()) + 1
        sims = a[r0:r1] @ b[c0:c1].T
        for r in range(r0, r1):
            w = int(widths[r])
            out[pos : pos + w] = sims[r - r0, lo[r] - c0 : hi[r] - c0 + 1]
            pos += w
    return out


def _topk_means(flat: np.ndarray, widths: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros(widths.shape[0], dtype=np.float64)
    pos = 0
    for r, w in enumerate(widths.tolist()):
        kk = min(k, w)
        out[r] = float(np.partition(flat[pos : pos + w], w - kk)[w - kk :].mean())
        pos += w
    return out


def _sentence_band(n: int, m: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = diagonal_band(n, m, half)
    slo = np.minimum(lo[:-1], m - 1)
    shi = np.maximum(np.minimum(hi[1:], m) - 1, slo)
    return slo, shi


def doc_stats(src: SideArrays, tgt: SideArrays, params: Params = DEFAULT_PARAMS) -> DocStats:
    """Neighbourhood normalisers, skip threshold and length model of one pair."""
    n, m = len(src), len(tgt)
    if not n or not m:
        return DocStats(np.zeros(n), np.zeros(m), 0.0, 0.5, 0.3, 0.0, 0.5)
    half = max(params.first_band, int(params.first_band_frac * max(n, m)))
    slo, shi = _sentence_band(n, m, half)
    widths = shi - slo + 1
    sims = band_similarity(src.vecs, tgt.vecs, slo, shi)
    r_src = _topk_means(sims, widths, params.knn)
    tlo, thi = _sentence_band(m, n, half)
    tsims = band_similarity(tgt.vecs, src.vecs, tlo, thi)
    r_tgt = _topk_means(tsims, thi - tlo + 1, params.knn)
    r_mean = float(np.concatenate([r_src, r_tgt]).mean())

    rows = np.repeat(np.arange(n), widths)
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]])
    cols = np.arange(rows.shape[0]) - starts[rows] + slo[rows]
    marg = sims - params.margin_weight * (0.5 * (r_src[rows] + r_tgt[cols]) - r_mean)
    best_src = np.full(n, -np.inf)
    np.maximum.at(best_src, rows, marg)
    best_tgt = np.full(m, -np.inf)
    np.maximum.at(best_tgt, cols, marg)
    best = np.concatenate([best_src, best_tgt])
    mu0 = float(np.median(marg))
    mu1 = float(np.quantile(best, params.best_quantile))
    scale = max(mu1 - mu0, 0.05)
    threshold = mu0 + params.skip_alpha * scale

    # length model from each source sentence's best match when it clears the threshold
    arg = np.zeros(n, dtype=np.int64)
    for i in range(n):
        row = marg[starts[i] : starts[i] + widths[i]]
        arg[i] = slo[i] + int(np.argmax(row))
    good = best_src > threshold
    log_ratio = float(np.log(src.lengths.sum() / tgt.lengths.sum()))
    log_sd = 0.5
    if good.sum() >= 5:
        lr = np.log(src.lengths[good] / tgt.lengths[arg[good]])
        log_ratio = float(np.median(lr))
        log_sd = float(np.clip(1.4826 * np.median(np.abs(lr - log_ratio)), 0.2, 0.8))
    return DocStats(r_src, r_tgt, r_mean, threshold, scale, log_ratio, log_sd)


# --- bead scores ---------------------------------------------------------------------------


def combine(f: BeadFeatures, stats: DocStats, params: Params = DEFAULT_PARAMS) -> np.ndarray:
    """Score of each bead (higher is better; a skip bead scores 0)."""
    sem = (f.cos - params.margin_weight * (f.norm - stats.r_mean) - stats.threshold) / stats.scale
    length = np.maximum(-0.5 * (f.log_len / stats.log_sd) ** 2, -params.len_clip)
    return np.asarray(
        sem
        + params.len_weight * length
        + params.anchor_shared * np.minimum(f.anchors_shared, 3.0)
        - params.anchor_alone * np.minimum(f.anchors_alone, 3.0)
        - params.para_penalty * f.para_breaks
        - params.heading_penalty * f.heading_mismatch
        - params.merge_penalty * (f.a + f.b - 2)
    )


@dataclass(frozen=True, eq=False)
class Problem:
    """Everything the scorer needs for one document pair."""

    src: SideArrays
    tgt: SideArrays
    src_spans: SpanVectors
    tgt_spans: SpanVectors
    stats: DocStats
    params: Params


def _pair_scores(prob: Problem, si: np.ndarray, tj: np.ndarray, a: int, b: int) -> np.ndarray:
    f = bead_features(si, tj, a, b, prob.src, prob.tgt, prob.src_spans, prob.tgt_spans, prob.stats)
    scores = combine(f, prob.stats, prob.params)
    if (a, b) == (2, 2):
        # two adjacent sentences translated in swapped order: score the 2-2 bead
        # as its two crossed 1-1 pairs when both are good matches
        x1 = _pair_scores(prob, si, tj + 1, 1, 1)
        x2 = _pair_scores(prob, si + 1, tj, 1, 1)
        crossed = np.where((x1 > 0) & (x2 > 0), x1 + x2 - prob.params.swap_penalty, -np.inf)
        scores = np.maximum(scores, crossed)
    return scores


def bead_scores(
    prob: Problem, types: np.ndarray, lo: np.ndarray, hi: np.ndarray, i0: int = 0, j0: int = 0
) -> np.ndarray:
    """scores[t, cell] of each bead type ending at each band cell (grid offset i0, j0)."""
    rows, cols = band_cells(lo, hi)
    scores = np.full((types.shape[0], rows.shape[0]), -1e9, dtype=np.float64)
    for t, (a, b) in enumerate(types.tolist()):
        ok = np.nonzero((rows >= a) & (cols >= b))[0]
        if a == 0 or b == 0:
            scores[t, ok] = 0.0
            continue
        scores[t, ok] = _pair_scores(prob, rows[ok] - a + i0, cols[ok] - b + j0, a, b)
    return scores


def score_beads(prob: Problem, beads: Sequence[Bead]) -> tuple[np.ndarray, list[BeadFeatures | None]]:
    """Score and features of given beads (skip beads: score 0, features None)."""
    out = np.zeros(len(beads))
    feats: list[BeadFeatures | None] = [None] * len(beads)
    for k, bead in enumerate(beads):
        if bead.src and bead.tgt:
            f = bead_features(
                np.array([bead.src[0]]), np.array([bead.tgt[0]]), len(bead.src), len(bead.tgt),
                prob.src, prob.tgt, prob.src_spans, prob.tgt_spans, prob.stats,
            )
            feats[k] = f
            out[k] = float(_pair_scores(prob, np.array([bead.src[0]]), np.array([bead.tgt[0]]), len(bead.src), len(bead.tgt))[0])
    return out, feats


# --- passes ----------------------------------------------------------------------------------


def _path_to_beads(path: np.ndarray, i0: int, j0: int) -> list[Bead]:
    pts = path.tolist()
    return [
        Bead(tuple(range(i0 + a0, i0 + a1)), tuple(range(j0 + b0, j0 + b1)))
        for (a0, b0), (a1, b1) in zip(pts[:-1], pts[1:])
    ]


def _candidate_spans(
    prob: Problem, lo: np.ndarray, hi: np.ndarray, scores: np.ndarray, i0: int, j0: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Multi-sentence spans worth embedding exactly.

    A span matters only if some bead using it could lie on the best path once
    its approximate (mean-vector) score is replaced by the real one: its
    max-marginal (best total through it) is within ``prune_slack`` of the best.
    """
    marg, best = max_marginals(lo, hi, SECOND_TYPES, scores)
    rows, cols = band_cells(lo, hi)
    src: set[tuple[int, int]] = set()
    tgt: set[tuple[int, int]] = set()
    for t, (a, b) in enumerate(SECOND_TYPES.tolist()):
        if a + b <= 2 or a == 0 or b == 0:
            continue
        hit = np.nonzero(marg[t] >= best - prob.params.prune_slack)[0]
        for cell in hit.tolist():
            if a > 1:
                src.add((i0 + int(rows[cell]) - a, a))
            if b > 1:
                tgt.add((j0 + int(cols[cell]) - b, b))
    return sorted(src), sorted(tgt)


def align_segment(prob: Problem, i0: int, i1: int, j0: int, j1: int) -> list[Bead]:
    """Align src[i0:i1] with tgt[j0:j1] (both passes)."""
    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(i0, i1)] + [Bead((), (j,)) for j in range(j0, j1)]
    params = prob.params
    half = max(params.first_band, int(params.first_band_frac * max(n, m)))
    lo, hi = diagonal_band(n, m, half)
    path = banded_dp(lo, hi, FIRST_TYPES, bead_scores(prob, FIRST_TYPES, lo, hi, i0, j0))
    lo2, hi2 = path_band(path, n, m, params.window)
    scores = bead_scores(prob, SECOND_TYPES, lo2, hi2, i0, j0)
    if prob.src_spans.can_embed or prob.tgt_spans.can_embed:
        src_need, tgt_need = _candidate_spans(prob, lo2, hi2, scores, i0, j0)
        prob.src_spans.embed(src_need)
        prob.tgt_spans.embed(tgt_need)
        if src_need or tgt_need:
            scores = bead_scores(prob, SECOND_TYPES, lo2, hi2, i0, j0)
    path2 = banded_dp(lo2, hi2, SECOND_TYPES, scores)
    return _path_to_beads(path2, i0, j0)


def _free_segments(constraints: Sequence[Bead], n: int, m: int) -> list[tuple[int, int, int, int, Bead | None]]:
    """Rectangles between constraint beads: (i0, i1, j0, j1, constraint after it)."""
    fixed = sorted((b for b in constraints if b.src or b.tgt), key=lambda b: (b.src[:1] or (-1,), b.tgt[:1] or (-1,)))
    out: list[tuple[int, int, int, int, Bead | None]] = []
    i = j = 0
    for c in fixed:
        ci = c.src[0] if c.src else i
        cj = c.tgt[0] if c.tgt else j
        if ci < i or cj < j or list(c.src) != list(range(ci, ci + len(c.src))) or list(c.tgt) != list(range(cj, cj + len(c.tgt))):
            raise ValueError(f"constraint {c.vecalign()} overlaps another or is not contiguous")
        out.append((i, ci, j, cj, c))
        i, j = ci + len(c.src), cj + len(c.tgt)
    if i > n or j > m:
        raise ValueError("constraints run past the end of a document")
    out.append((i, n, j, m, None))
    return out


def align_arrays(
    src: SideArrays,
    tgt: SideArrays,
    *,
    constraints: Sequence[Bead] = (),
    src_spans: SpanVectors | None = None,
    tgt_spans: SpanVectors | None = None,
    params: Params = DEFAULT_PARAMS,
) -> tuple[list[Bead], Problem]:
    """Align two sides given as arrays; constraint beads are kept verbatim (confirmed).

    Returns the beads (confidence not yet set) and the scoring problem, which
    ``score_beads`` and the confidence model reuse.
    """
    prob = Problem(
        src, tgt, src_spans or SpanVectors(src.vecs), tgt_spans or SpanVectors(tgt.vecs), doc_stats(src, tgt, params), params
    )
    beads: list[Bead] = []
    for i0, i1, j0, j1, c in _free_segments(constraints, len(src), len(tgt)):
        beads += align_segment(prob, i0, i1, j0, j1)
        if c is not None:
            beads.append(replace(c, confidence=1.0, confirmed=True))
    return beads, prob


def align_documents(
    src: Document,
    tgt: Document,
    encoder: Encoder,
    *,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
) -> tuple[Bead, ...]:
    """Align Korean ``src`` with English ``tgt``; every bead gets a confidence."""
    s_arr, t_arr = pair_arrays(src, tgt, encoder, progress)
    ss = SpanVectors(s_arr.vecs, src.texts, encoder)
    ts = SpanVectors(t_arr.vecs, tgt.texts, encoder)
    beads, prob = align_arrays(s_arr, t_arr, constraints=constraints, src_spans=ss, tgt_spans=ts)
    out = tuple(bead_confidences(prob, beads))
    check_beads(out, len(src), len(tgt))
    return out
