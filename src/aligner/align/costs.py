"""Bead scores: how well a span of Korean sentences matches a span of English ones.

A bead's score combines the margin-normalised cosine of the spans' embeddings
(relative to the per-document calibration, ``aligner.align.calibration``), a length
prior, shared anchor tokens, paragraph and heading structure; an m-n bead
pays when one of its edge sentences dilutes the match (an omission absorbed).
A skip bead scores what the pair's completeness
says (``aligner.align.completeness``: 0 for briefs, below 0 for complete
translations). ``Params`` holds the constants of both alignment passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align.arrays import (
    BeadFeatures,
    DocStats,
    SideArrays,
    SpanVectors,
    bead_features,
    span_cosines,
    span_sum,
)
from aligner.align.dp import band_cells
from aligner.core.values import Bead

BLOCK = 256  # rows per blocked matrix product
CHUNK = 16384  # band cells scored at a time
LIVE_SCORE = 0.0  # m-n beads below the skip threshold are no candidates: no dilution computed


@dataclass(frozen=True)
class Params:
    """Scoring constants (tuned on the dev gold plus synthetic perturbations of it)."""

    knn: int = 8  # neighbours for the neighbourhood (hubness) normaliser
    margin_weight: float = 0.75  # weight of that correction
    first_band: int = 120  # minimum half width of the pass-1 band (sentences)
    first_band_frac: float = 0.08  # ... or this fraction of the longer side
    first_band_max: int = 1000  # ... but never wider: the band's cells, time and memory stay linear in length
    window: int = 4  # pass-2 half window around the pass-1 path
    best_quantile: float = 0.65  # quantile of best-match scores taken as "typical match"
    skip_alpha: float = 0.4  # skip threshold: 0 = typical unrelated pair, 1 = typical match
    len_weight: float = 0.0
    len_clip: float = 4.5
    anchor_shared: float = 0.3
    anchor_alone: float = 0.0
    para_penalty: float = 0.05
    para_step_penalty: float = 0.0  # a bead starting a paragraph on one side only (paragraphs that correspond)
    para_in_step: float = 0.7  # paragraphs correspond when beads start this share of them on both sides
    para_strong: float = 0.5  # paragraph penalties when they correspond
    heading_penalty: float = 0.3
    merge_penalty: float = 0.0  # per extra sentence in a bead
    prune_slack: float = 0.05  # embed spans whose beads come this close to the best path
    swap_penalty: float = 0.1  # a swapped pair scored as 2-2 costs this much
    missing_prior: float = 0.1  # share without counterpart the match scores are calibrated for
    missing_floor: float = 0.01  # the least share the length evidence can claim
    skip_weight: float = 0.1  # skip cost per log-odds of completeness below the prior
    stretch_matches: int = 3  # the length model's stretches run over this many mutual best matches
    length_tolerance: float = 0.15  # excess log length ratio that the length balance never reads as omissions
    probe_least: int = 2  # fewer lone skips than this in the probe are no evidence of omissions
    absorb_loss: float = 0.32  # noise SDs of cosine a neighbour loses taking in a probe's lone skip: an omission
    contain_weight: float = 2.0  # cost of an m-n bead per unit its best sub-bead matches better
    dilution_drop: float = 0.1  # a sub-bead this much better in cosine dilutes the bead whatever the lengths
    pair_margin: float = 0.15  # a 2-2 whose straight pairs beat its crossed ones by more is two 1-1 beads
    fragment_share: float = 0.24  # a skip this short beside the bead that would take it in ...
    fragment_loss: float = 0.75  # ... costing it fewer noise SDs of cosine is part of that bead:
    fragment_cost: float = 1.0  # its skip costs this much more
    continuation_missing: float = 0.05  # on a side missing at most this share, skipping a continuation ...
    continuation_cost: float = 0.2  # ... costs this much more

    def first_half_width(self, n: int, m: int) -> int:
        """Half width of the pass-1 band (also the calibration band) for n x m sentences."""
        return max(self.first_band, min(int(self.first_band_frac * max(n, m)), self.first_band_max))


DEFAULT_PARAMS = Params()


def combine(f: BeadFeatures, stats: DocStats, params: Params = DEFAULT_PARAMS) -> np.ndarray:
    """Score of each match bead (higher is better; a skip scores ``DocStats.skip_src/skip_tgt``)."""
    sem = (f.cos - params.margin_weight * (f.norm - stats.r_mean) - stats.threshold) / stats.scale
    length = np.maximum(-0.5 * (f.log_len / stats.log_sd) ** 2, -params.len_clip)
    return np.asarray(
        sem
        + params.len_weight * length
        + params.anchor_shared * np.minimum(f.anchors_shared, 3.0)
        - params.anchor_alone * np.minimum(f.anchors_alone, 3.0)
        - params.para_penalty * f.para_breaks
        - params.para_step_penalty * f.para_out_of_step
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
    if a + b >= 3 and prob.params.contain_weight:
        live = scores > LIVE_SCORE
        scores = scores - prob.params.contain_weight * _dilution(prob, si, tj, a, b, f.cos, live) / prob.stats.scale
    if (a, b) == (2, 2):
        scores = scores - prob.params.contain_weight * _two_pairs(prob, si, tj) / prob.stats.scale
        # two adjacent sentences translated in swapped order: score the 2-2 bead
        # as its two crossed 1-1 pairs when both are good matches
        x1 = _pair_scores(prob, si, tj + 1, 1, 1)
        x2 = _pair_scores(prob, si + 1, tj, 1, 1)
        crossed = np.where((x1 > 0) & (x2 > 0), x1 + x2 - prob.params.swap_penalty, -np.inf)
        scores = np.maximum(scores, crossed)
    return scores


def _two_pairs(prob: Problem, si: np.ndarray, tj: np.ndarray) -> np.ndarray:
    """How clearly a 2-2 bead is two 1-1 pairs (>= 0): by how much both straight pairs match better than
    either crossed pair, beyond ``Params.pair_margin``.  A weak 1-1 (a news lead behind its dateline,
    cosine 0.53) next to a strong one scores below zero alone and is otherwise merged with it: the
    2-2 matches like the strong pair, and no edge sentence dilutes it."""
    def one(s0: np.ndarray, t0: np.ndarray) -> np.ndarray:
        return span_cosines(prob.src_spans, s0, 1, prob.tgt_spans, t0, 1)

    straight = np.minimum(one(si, tj), one(si + 1, tj + 1))
    crossed = np.maximum(one(si, tj + 1), one(si + 1, tj))
    return np.asarray(np.maximum(straight - crossed - prob.params.pair_margin, 0.0))


def _log_len(prob: Problem, si: np.ndarray, tj: np.ndarray, a: int, b: int) -> np.ndarray:
    """|log length ratio| of spans, relative to the document's own ratio."""
    src = span_sum(prob.src.lengths, si, a)
    tgt = span_sum(prob.tgt.lengths, tj, b)
    return np.asarray(np.abs(np.log(src / tgt) - prob.stats.log_ratio))


def _dilution(
    prob: Problem, si: np.ndarray, tj: np.ndarray, a: int, b: int, cos: np.ndarray, live: np.ndarray
) -> np.ndarray:
    """How much better the bead matches without one of its edge sentences (>= 0).

    A sentence that belongs in a 2-1 or 1-2 bead adds meaning: the concatenation
    matches at least as well as the rest alone.  One (or one per side) whose removal both raises
    the cosine and brings the two sides' lengths closer to the document's ratio
    is more likely an omission next to a match than part of it.  (A clause split
    off a sentence may lower the cosine too, but removing it unbalances the lengths.)
    Computed only for the ``live`` beads (the others score too low to matter).
    """
    best = np.zeros(cos.shape)
    idx = np.nonzero(live)[0]
    if not idx.size:
        return best
    si, tj = si[idx], tj[idx]
    own = _log_len(prob, si, tj, a, b)
    subs: list[tuple[np.ndarray, np.ndarray, int, int]] = []
    if a > 1:
        subs += [(si + 1, tj, a - 1, b), (si, tj, a - 1, b)]
    if b > 1:
        subs += [(si, tj + 1, a, b - 1), (si, tj, a, b - 1)]
    if a > 1 and b > 1:  # one edge sentence off each side (a 2-2 hiding a 1-1 and two omissions)
        subs += [(si + ds, tj + dt, a - 1, b - 1) for ds in (0, 1) for dt in (0, 1)]
    drop = prob.params.dilution_drop
    for s0, t0, aa, bb in subs:
        sub = span_cosines(prob.src_spans, s0, aa, prob.tgt_spans, t0, bb)
        gain = sub - cos[idx]
        # a big loss of cosine dilutes whatever the lengths say; a small one only where they agree
        fits = (_log_len(prob, s0, t0, aa, bb) < own) | (gain > drop)
        gain = np.where(fits, gain, 0.0)
        best[idx] = np.maximum(best[idx], gain)
    return best


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


def rescore_spans(
    prob: Problem, types: np.ndarray, lo: np.ndarray, hi: np.ndarray, scores: np.ndarray,
    src_spans: Sequence[tuple[int, int]], tgt_spans: Sequence[tuple[int, int]], i0: int = 0, j0: int = 0,
) -> None:
    """Score again, in place, the cells of the beads made of the given (start, length) spans.

    After a few spans were embedded exactly, only the beads that use them change
    (up to the dilution of larger beads that hold them, which stays approximate).
    The band's rows are contiguous and move right monotonically (``lo``/``hi`` never decrease), so a
    column's rows are found by binary search; cells are scored ``CHUNK`` at a time.
    """
    start = np.concatenate([[0], np.cumsum(hi - lo + 1)[:-1]])
    n, m = lo.shape[0] - 1, int(hi[-1])
    src_arr = np.array(src_spans, dtype=np.int64).reshape(-1, 2)
    tgt_arr = np.array(tgt_spans, dtype=np.int64).reshape(-1, 2)
    match = [(a, b) for a, b in types.tolist() if a and b]
    for k, (a, b) in enumerate(match):
        r = src_arr[src_arr[:, 1] == a, 0] - i0 + a
        r = r[(r > 0) & (r <= n)]
        c_lo, c_hi = np.maximum(lo[r], b), hi[r]  # a source span: the cells of its end row
        c = tgt_arr[tgt_arr[:, 1] == b, 0] - j0 + b
        c = c[(c > 0) & (c <= m)]
        r_lo = np.maximum(np.searchsorted(hi, c, side="left"), a)  # a target span: the rows of its end column
        r_hi = np.searchsorted(lo, c, side="right") - 1
        rows = np.concatenate([np.repeat(r, np.maximum(c_hi - c_lo + 1, 0)), _ranges(r_lo, r_hi)])
        cols = np.concatenate([_ranges(c_lo, c_hi), np.repeat(c, np.maximum(r_hi - r_lo + 1, 0))])
        for x in range(0, rows.shape[0], CHUNK):
            rr, cc = rows[x : x + CHUNK], cols[x : x + CHUNK]
            scores[k, start[rr] + cc - lo[rr]] = _pair_scores(prob, rr - a + i0, cc - b + j0, a, b)


def _ranges(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The integers first[k]..last[k] of every k, one after another (empty where last < first)."""
    counts = np.maximum(last - first + 1, 0)
    if not counts.sum():
        return np.zeros(0, dtype=np.int64)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.asarray(np.repeat(first, counts) + offsets, dtype=np.int64)


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
        cos = span_cosines(prob.src_spans, si, a, prob.tgt_spans, tj, b)
        f = bead_features(si, tj, a, b, prob.src, prob.tgt, prob.src_spans, prob.tgt_spans, prob.stats)
        out[ks, 0] = (cos - prob.stats.noise_mean) / prob.stats.noise_sd
        out[ks, 1] = (cos - f.norm) / prob.stats.noise_sd
    return out


def score_beads(prob: Problem, beads: Sequence[Bead]) -> tuple[np.ndarray, list[BeadFeatures | None]]:
    """Score and features of given beads (skip beads: score 0 here, features None)."""
    out = np.zeros(len(beads))
    feats: list[BeadFeatures | None] = [None] * len(beads)
    for k, bead in enumerate(beads):
        if bead.src and bead.tgt:
            si, tj, a, b = np.array([bead.src[0]]), np.array([bead.tgt[0]]), len(bead.src), len(bead.tgt)
            feats[k] = bead_features(si, tj, a, b, prob.src, prob.tgt, prob.src_spans, prob.tgt_spans, prob.stats)
            out[k] = float(_pair_scores(prob, si, tj, a, b)[0])
    return out, feats
