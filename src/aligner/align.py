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

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .confidence import confidence
from .dp import band_cells, banded_dp, max_marginals, path_gaps
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
FORCE = 1e6  # skip score that forces a user-confirmed omission


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
    prune_slack: float = 0.05  # embed spans whose beads come this close to the best path
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
    # rows must connect: a 1-1 step from row i-1 has to land inside row i
    lo[1:] = np.minimum(lo[1:], hi[:-1] + 1)
    return lo, hi


def path_band(path: np.ndarray, n: int, m: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows around a monotone path of cells, widened by ``w`` rows and columns."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(path[:-1].tolist(), path[1:].tolist(), strict=False):
        lo[i0 : i1 + 1] = np.minimum(lo[i0 : i1 + 1], j0)
        hi[i0 : i1 + 1] = np.maximum(hi[i0 : i1 + 1], j1)
    idx = np.arange(n + 1)
    lo_w = np.clip(lo[np.clip(idx - w, 0, n)] - w, 0, m)
    hi_w = np.clip(hi[np.clip(idx + w, 0, n)] + w, 0, m)
    return lo_w, hi_w


# --- per-document calibration ------------------------------------------------------------

BLOCK = 256


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


def doc_stats(src: SideArrays, tgt: SideArrays, params: Params = DEFAULT_PARAMS) -> DocStats:
    """Neighbourhood normalisers, skip threshold and length model of one pair.

    Works in row blocks of a diagonal band, so memory stays linear in length.
    """
    n, m = len(src), len(tgt)
    if not n or not m:
        return DocStats(np.zeros(n), np.zeros(m), 0.0, 0.5, 0.3, 0.0, 0.5)
    k = params.knn
    half = max(params.first_band, int(params.first_band_frac * max(n, m)))
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
    sample: list[np.ndarray] = []
    raw: list[np.ndarray] = []
    stride = max(1, int(n * (2 * half + 1) // 200_000))
    for r0, r1, c0, sims, mask in _band_blocks(src.vecs, tgt.vecs, slo, shi):
        c1 = c0 + sims.shape[1]
        marg = sims - params.margin_weight * (0.5 * (r_src[r0:r1, None] + r_tgt[None, c0:c1]) - r_mean)
        marg = np.where(mask, marg, -np.inf)
        arg_src[r0:r1] = c0 + np.argmax(marg, axis=1)
        best_src[r0:r1] = marg.max(axis=1)
        best_tgt[c0:c1] = np.maximum(best_tgt[c0:c1], marg.max(axis=0))
        sample.append(marg[mask][::stride])
        raw.append(sims[mask][::stride])
    best = np.concatenate([best_src, best_tgt[np.isfinite(best_tgt)]])
    mu0 = float(np.median(np.concatenate(sample)))
    mu1 = float(np.quantile(best, params.best_quantile))
    scale = max(mu1 - mu0, 0.05)
    threshold = mu0 + params.skip_alpha * scale

    # length model: each source sentence's best match, when it clears the threshold
    good = best_src > threshold
    log_ratio = float(np.log(src.lengths.sum() / tgt.lengths.sum()))
    log_sd = 0.5
    if good.sum() >= 5:
        lr = np.log(src.lengths[good] / tgt.lengths[arg_src[good]])
        log_ratio = float(np.median(lr))
        log_sd = float(np.clip(1.4826 * np.median(np.abs(lr - log_ratio)), 0.2, 0.8))
    noise = np.concatenate(raw)
    noise_mean = float(np.median(noise))
    noise_sd = max(1e-3, float(1.4826 * np.median(np.abs(noise - noise_mean))))
    return DocStats(r_src, r_tgt, r_mean, threshold, scale, log_ratio, log_sd, noise_mean, noise_sd)


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
    skip_src: np.ndarray  # per-sentence skip scores (FORCE for confirmed omissions)
    skip_tgt: np.ndarray


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


CHUNK = 16384


def bead_scores(
    prob: Problem, types: np.ndarray, lo: np.ndarray, hi: np.ndarray, i0: int = 0, j0: int = 0
) -> np.ndarray:
    """scores[k, cell] of the k-th match type ending at each band cell (grid offset i0, j0).

    Computed in chunks of rows so temporary memory stays bounded.
    """
    match = [(a, b) for a, b in types.tolist() if a and b]
    n_cells = int((hi - lo + 1).sum())
    scores = np.full((len(match), n_cells), -1e9, dtype=np.float32)
    widths = hi - lo + 1
    r0 = pos = 0
    while r0 < lo.shape[0]:
        r1 = r0 + 1
        cells = int(widths[r0])
        while r1 < lo.shape[0] and cells + widths[r1] <= CHUNK:
            cells += int(widths[r1])
            r1 += 1
        rows, cols = band_cells(lo, hi, r0, r1)
        for k, (a, b) in enumerate(match):
            ok = np.nonzero((rows >= a) & (cols >= b))[0]
            if ok.size:
                scores[k, pos + ok] = _pair_scores(prob, rows[ok] - a + i0, cols[ok] - b + j0, a, b)
        pos += cells
        r0 = r1
    return scores


def first_pass_scores(prob: Problem, lo: np.ndarray, hi: np.ndarray, i0: int, j0: int) -> np.ndarray:
    """1-1 scores of the pass-1 band from similarities alone (blocked matrix products)."""
    st, params = prob.stats, prob.params
    n = lo.shape[0] - 1
    scores = np.full((1, int((hi - lo + 1).sum())), -1e9, dtype=np.float32)
    start = np.concatenate([[0], np.cumsum(hi - lo + 1)[:-1]])
    for r0 in range(1, n + 1, BLOCK):
        r1 = min(n + 1, r0 + BLOCK)
        c0 = max(1, int(lo[r0:r1].min()))
        c1 = int(hi[r0:r1].max()) + 1
        if c1 <= c0:
            continue
        sims = prob.src.vecs[i0 + r0 - 1 : i0 + r1 - 1] @ prob.tgt.vecs[j0 + c0 - 1 : j0 + c1 - 1].T
        norm = 0.5 * (st.r_src[i0 + r0 - 1 : i0 + r1 - 1, None] + st.r_tgt[None, j0 + c0 - 1 : j0 + c1 - 1])
        block = (sims - params.margin_weight * (norm - st.r_mean) - st.threshold) / st.scale
        for r in range(r0, r1):
            a, b = max(int(lo[r]), 1), int(hi[r])
            if b >= a:
                scores[0, start[r] + a - lo[r] : start[r] + b - lo[r] + 1] = block[r - r0, a - c0 : b - c0 + 1]
    return scores


def match_z(prob: Problem, beads: Sequence[Bead]) -> np.ndarray:
    """(K, 2): each match bead's cosine, and its margin over its sentences' nearest
    neighbours, in noise standard deviations (zeros for skips)."""
    out = np.zeros((len(beads), 2))
    shapes: dict[tuple[int, int], list[int]] = {}
    for k, bead in enumerate(beads):
        if bead.src and bead.tgt:
            shapes.setdefault((len(bead.src), len(bead.tgt)), []).append(k)
    for (a, b), ks in shapes.items():
        si = np.array([beads[k].src[0] for k in ks])
        tj = np.array([beads[k].tgt[0] for k in ks])
        cos = np.einsum("ij,ij->i", prob.src_spans.get(si, a), prob.tgt_spans.get(tj, b))
        f = bead_features(si, tj, a, b, prob.src, prob.tgt, prob.src_spans, prob.tgt_spans, prob.stats)
        out[ks, 0] = (cos - prob.stats.noise_mean) / prob.stats.noise_sd
        out[ks, 1] = (cos - f.norm) / prob.stats.noise_sd
    return out


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
            si, tj = np.array([bead.src[0]]), np.array([bead.tgt[0]])
            out[k] = float(_pair_scores(prob, si, tj, len(bead.src), len(bead.tgt))[0])
    return out, feats


# --- passes ----------------------------------------------------------------------------------


def _path_to_beads(path: np.ndarray, i0: int, j0: int) -> list[Bead]:
    pts = path.tolist()
    return [
        Bead(tuple(range(i0 + a0, i0 + a1)), tuple(range(j0 + b0, j0 + b1)))
        for (a0, b0), (a1, b1) in itertools.pairwise(pts)
    ]


def _candidate_spans(
    prob: Problem, lo: np.ndarray, hi: np.ndarray, scores: np.ndarray, i0: int, j0: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Multi-sentence spans worth embedding exactly.

    A span matters only if some bead using it could lie on the best path once
    its approximate (mean-vector) score is replaced by the real one: its
    max-marginal (best total through it) is within ``prune_slack`` of the best.
    """
    n, m = lo.shape[0] - 1, int(hi[-1])
    marg, best = max_marginals(lo, hi, SECOND_TYPES, scores, prob.skip_src[i0 : i0 + n], prob.skip_tgt[j0 : j0 + m])
    rows, cols = band_cells(lo, hi)
    src: set[tuple[int, int]] = set()
    tgt: set[tuple[int, int]] = set()
    for k, (a, b) in enumerate(x for x in SECOND_TYPES.tolist() if x[0] and x[1]):
        if a + b <= 2:
            continue
        hit = np.nonzero(marg[k] >= best - prob.params.prune_slack)[0]
        for cell in hit.tolist():
            if a > 1:
                src.add((i0 + int(rows[cell]) - a, a))
            if b > 1:
                tgt.add((j0 + int(cols[cell]) - b, b))
    return sorted(src), sorted(tgt)


def align_segment(prob: Problem, i0: int, i1: int, j0: int, j1: int) -> tuple[list[Bead], np.ndarray]:
    """Align src[i0:i1] with tgt[j0:j1] (both passes); also each bead's score gap.

    The gap of a bead is how much lower the best alignment avoiding it scores:
    the raw evidence behind its confidence.
    """
    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(i0, i1)] + [Bead((), (j,)) for j in range(j0, j1)]
        return beads, np.full(len(beads), 1e9)
    params = prob.params
    half = max(params.first_band, int(params.first_band_frac * max(n, m)))
    lo, hi = diagonal_band(n, m, half)
    skip_src, skip_tgt = prob.skip_src[i0:i1], prob.skip_tgt[j0:j1]
    path = banded_dp(lo, hi, FIRST_TYPES, first_pass_scores(prob, lo, hi, i0, j0), skip_src, skip_tgt)
    lo2, hi2 = path_band(path, n, m, params.window)
    scores = bead_scores(prob, SECOND_TYPES, lo2, hi2, i0, j0)
    if prob.src_spans.can_embed or prob.tgt_spans.can_embed:
        src_need, tgt_need = _candidate_spans(prob, lo2, hi2, scores, i0, j0)
        prob.src_spans.embed(src_need)
        prob.tgt_spans.embed(tgt_need)
        if src_need or tgt_need:
            scores = bead_scores(prob, SECOND_TYPES, lo2, hi2, i0, j0)
    path2 = banded_dp(lo2, hi2, SECOND_TYPES, scores, skip_src, skip_tgt)
    gaps = path_gaps(lo2, hi2, SECOND_TYPES, scores, skip_src, skip_tgt, path2)
    return _path_to_beads(path2, i0, j0), gaps


def _free_segments(constraints: Sequence[Bead], n: int, m: int) -> list[tuple[int, int, int, int, Bead | None]]:
    """Rectangles between constraint matches: (i0, i1, j0, j1, constraint after it)."""
    fixed = sorted((b for b in constraints if b.src and b.tgt), key=lambda b: b.src[0])
    out: list[tuple[int, int, int, int, Bead | None]] = []
    i = j = 0
    for c in fixed:
        ci, cj = c.src[0], c.tgt[0]
        if ci < i or cj < j or c.src != tuple(range(ci, ci + len(c.src))) or c.tgt != tuple(range(cj, cj + len(c.tgt))):
            raise ValueError(f"constraint {c.vecalign()} overlaps another or is not contiguous")
        out.append((i, ci, j, cj, c))
        i, j = ci + len(c.src), cj + len(c.tgt)
    if i > n or j > m:
        raise ValueError("constraints run past the end of a document")
    out.append((i, n, j, m, None))
    return out


def _forced_skips(constraints: Sequence[Bead], n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Skip scores: 0, or a prize that forces a confirmed 1-0/0-1 bead."""
    skip_src, skip_tgt = np.zeros(n), np.zeros(m)
    for c in constraints:
        side, ids = (skip_tgt, c.tgt) if not c.src else (skip_src, c.src) if not c.tgt else (None, ())
        for k in ids:
            if side is None or not 0 <= k < side.shape[0]:
                raise ValueError(f"constraint {c.vecalign()} is outside the documents")
            side[k] = FORCE
    return skip_src, skip_tgt


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

    Returns the beads (each with its calibrated confidence) and the scoring
    problem, which ``score_beads`` can reuse.
    """
    n, m = len(src), len(tgt)
    segments = _free_segments(constraints, n, m)
    skip_src, skip_tgt = _forced_skips(constraints, n, m)
    prob = Problem(
        src, tgt, src_spans or SpanVectors(src.vecs), tgt_spans or SpanVectors(tgt.vecs),
        doc_stats(src, tgt, params), params, skip_src, skip_tgt,
    )
    beads: list[Bead] = []
    for i0, i1, j0, j1, c in segments:
        seg, gaps = align_segment(prob, i0, i1, j0, j1)
        z = match_z(prob, seg)
        for b, g, zz in zip(seg, gaps.tolist(), z.tolist(), strict=False):
            forced = (not b.tgt and skip_src[b.src[0]] >= FORCE) or (not b.src and skip_tgt[b.tgt[0]] >= FORCE)
            if forced:
                beads.append(replace(b, confidence=1.0, confirmed=True))
            else:
                beads.append(replace(b, confidence=confidence(b, g, zz[0], zz[1])))
        if c is not None:
            beads.append(replace(c, confidence=1.0, confirmed=True))
    return _regroup_omissions(beads, constraints), prob


def _regroup_omissions(beads: list[Bead], constraints: Sequence[Bead]) -> list[Bead]:
    """Put confirmed multi-sentence omissions back together as one bead each."""
    owner: dict[tuple[str, int], Bead] = {}
    for c in constraints:
        if not c.src or not c.tgt:
            for k in c.src:
                owner["s", k] = c
            for k in c.tgt:
                owner["t", k] = c
    if not owner:
        return beads
    out: list[Bead] = []
    done: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    for b in beads:
        key = ("s", b.src[0]) if b.src and not b.tgt else ("t", b.tgt[0]) if b.tgt and not b.src else None
        mine = owner.get(key) if key else None
        if mine is None:
            out.append(b)
        elif (mine.src, mine.tgt) not in done:
            done.add((mine.src, mine.tgt))
            out.append(replace(mine, confidence=1.0, confirmed=True))
    return out


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
    beads, _ = align_arrays(s_arr, t_arr, constraints=constraints, src_spans=ss, tgt_spans=ts)
    out = tuple(beads)
    check_beads(out, len(src), len(tgt))
    return out
