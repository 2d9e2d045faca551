"""Two-pass sentence alignment of a Korean document with its English translation.

Pass 1 finds a coarse monotone path of 1-1 matches (plus skips) inside a wide
diagonal band, scored by margin-normalised cosine similarity of sentence
embeddings. Pass 2 re-aligns inside a narrow window around that path with
every bead shape up to 4-1/1-4 (and 2-2, 2-3, 3-2, 3-3), scoring spans by the
embedding of the concatenated sentences, a length prior fitted to this pair's
own character ratio, shared anchor tokens (numbers, Latin words) and paragraph
structure. The skip (1-0/0-1) threshold is calibrated per document from the
distribution of best-match similarities.

``align_arrays`` is array-in/array-out; ``align_documents`` embeds, aligns and
attaches a calibrated confidence to every bead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .confidence import bead_confidences
from .dp import band_cells, banded_dp
from .features import Encoder, SideArrays, SpanVectors, pair_arrays
from .model import Bead, Document, Progress, check_beads

FIRST_TYPES = np.array([[1, 1], [1, 0], [0, 1]], dtype=np.int64)
SECOND_TYPES = np.array(
    [[1, 1], [1, 0], [0, 1], [1, 2], [2, 1], [1, 3], [3, 1], [2, 2], [1, 4], [4, 1], [2, 3], [3, 2], [3, 3]],
    dtype=np.int64,
)
MAX_SPAN = 4


@dataclass(frozen=True)
class Params:
    """Scoring constants (fitted on dev gold plus synthetic perturbations)."""

    knn: int = 4  # neighbours for the margin normalisation
    first_band: int = 120  # minimum half width of the pass-1 band (sentences)
    first_band_frac: float = 0.08  # ... or this fraction of the longer side
    window: int = 4  # pass-2 half window around the pass-1 path
    margin_weight: float = 0.5  # weight of the neighbourhood (hubness) correction
    best_quantile: float = 0.75  # quantile of best-match scores = "typical true match"
    skip_alpha: float = 0.5  # threshold between typical unrelated (0) and typical match (1)
    len_clip: float = 4.5
    len_weight: float = 0.08
    anchor_weight: float = 0.15
    para_penalty: float = 0.05
    heading_penalty: float = 0.15
    merge_penalty: float = 0.02  # per extra sentence in a bead


DEFAULT_PARAMS = Params()


@dataclass(frozen=True, eq=False)
class DocStats:
    """Per-document calibration shared by both passes."""

    r_src: np.ndarray  # (N,) mean cosine of each source sentence to its k nearest targets
    r_tgt: np.ndarray  # (M,)
    threshold: float  # score at which a match is as good as skipping
    scale: float  # typical best match minus typical unrelated pair
    r_mean: float  # document mean of r_src/r_tgt
    log_ratio: float  # mean log(src chars / tgt chars) of matched pairs
    log_sd: float  # its spread


# --- bands ----------------------------------------------------------------------


def diagonal_band(n: int, m: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(n + 1, dtype=np.float64)
    centre = np.round(i * (m / n if n else 0.0)).astype(np.int64)
    lo = np.clip(centre - half, 0, m)
    hi = np.clip(centre + half, 0, m)
    lo[0] = 0
    hi[-1] = m
    return lo, hi


def path_band(path: np.ndarray, n: int, m: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows around a monotone path of cells, widened by ``w`` (Bertalign-style)."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(path[:-1], path[1:]):
        for i in range(i0, i1 + 1):
            lo[i] = min(lo[i], j0)
            hi[i] = max(hi[i], j1)
    idx = np.arange(n + 1)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # keep lo non-decreasing
    hi = np.maximum.accumulate(hi)
    lo_w = np.clip(lo[np.clip(idx - w, 0, n)] - w, 0, m)
    hi_w = np.clip(hi[np.clip(idx + w, 0, n)] + w, 0, m)
    return lo_w, hi_w


# --- similarity in a band -------------------------------------------------------------


def band_similarity(
    a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray, block: int = 256
) -> np.ndarray:
    """cos(a[i], b[j]) for cells (i+1, j+1) i.e. rows 1..N of a band over positions.

    Returns a flat array aligned with ``band_cells(lo[1:]-?...)``: here simply
    for each row i in 0..N-1 the columns lo[i]..hi[i] (0-based sentence ids).
    """
    widths = hi - lo + 1
    out = np.empty(int(widths.sum()), dtype=np.float32)
    pos = 0
    n = a.shape[0]
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        c0 = int(lo[r0:r1].min())
        c1 = int(hi[r0:r1].max()) + 1
        if c1 <= c0:
            continue
        sims = a[r0:r1] @ b[c0:c1].T
        for r in range(r0, r1):
            w = int(widths[r])
            if w > 0:
                out[pos : pos + w] = sims[r - r0, lo[r] - c0 : hi[r] - c0 + 1]
                pos += w
    return out


def knn_means(sim_rows: np.ndarray, widths: np.ndarray, k: int) -> np.ndarray:
    """Mean of the top-k values of each ragged row."""
    out = np.zeros(widths.shape[0], dtype=np.float64)
    pos = 0
    for r, w in enumerate(widths.tolist()):
        if w > 0:
            row = sim_rows[pos : pos + w]
            kk = min(k, w)
            out[r] = float(np.partition(row, w - kk)[w - kk :].mean())
        pos += w
    return out


def doc_stats(src: SideArrays, tgt: SideArrays, params: Params) -> tuple[DocStats, np.ndarray, np.ndarray, np.ndarray]:
    """Margin normalisers and skip threshold; also the pass-1 band and its sims."""
    n, m = len(src), len(tgt)
    half = max(params.first_band, int(params.first_band_frac * max(n, m)))
    lo, hi = diagonal_band(n, m, half)
    # sentence-level band: row i (0-based sentence) covers columns lo..hi-1 clipped
    slo = lo[:-1].copy()
    shi = np.minimum(hi[1:], m) - 1
    shi = np.maximum(shi, slo)
    sims = band_similarity(src.vecs, tgt.vecs, slo, shi) if n and m else np.zeros(0, np.float32)
    widths = (shi - slo + 1) if n and m else np.zeros(n, np.int64)
    r_src = knn_means(sims, widths, params.knn) if n and m else np.zeros(n)
    # column-wise: transpose band by computing the symmetric band for target rows
    tlo, thi = diagonal_band(m, n, half)
    ttlo = tlo[:-1].copy()
    tthi = np.maximum(np.minimum(thi[1:], n) - 1, ttlo)
    tsims = band_similarity(tgt.vecs, src.vecs, ttlo, tthi) if n and m else np.zeros(0, np.float32)
    r_tgt = knn_means(tsims, tthi - ttlo + 1, params.knn) if n and m else np.zeros(m)
    # skip threshold between the typical unrelated pair and the typical best match
    if n and m:
        rows = np.repeat(np.arange(n), widths)
        cols = np.arange(rows.shape[0]) - np.concatenate([[0], np.cumsum(widths)[:-1]])[rows] + slo[rows]
        r_mean = float(np.concatenate([r_src, r_tgt]).mean())
        marg = sims - params.margin_weight * (0.5 * (r_src[rows] + r_tgt[cols]) - r_mean)
        best_src = np.full(n, -1.0)
        np.maximum.at(best_src, rows, marg)
        best_tgt = np.full(m, -1.0)
        np.maximum.at(best_tgt, cols, marg)
        best = np.concatenate([best_src, best_tgt])
        mu0 = float(np.median(marg))
        mu1 = float(np.quantile(best, params.best_quantile))
        scale = max(mu1 - mu0, 0.05)
        threshold = mu0 + params.skip_alpha * scale
    else:
        r_mean, mu0, scale = 0.0, 0.0, 1.0
        threshold = 0.5
        marg = np.zeros(0)
    # length ratio from mutual best matches
    log_ratio, log_sd = _length_model(src, tgt, sims, slo, widths, marg if n and m else None, threshold)
    stats = DocStats(r_src=r_src, r_tgt=r_tgt, threshold=threshold, scale=scale, r_mean=r_mean, log_ratio=log_ratio, log_sd=log_sd)
    return stats, slo, shi, sims


def _length_model(
    src: SideArrays,
    tgt: SideArrays,
    sims: np.ndarray,
    slo: np.ndarray,
    widths: np.ndarray,
    marg: np.ndarray | None,
    threshold: float,
) -> tuple[float, float]:
    n, m = len(src), len(tgt)
    if not n or not m or marg is None:
        return 0.0, 0.5
    total = float(np.log(src.lengths.sum() / tgt.lengths.sum()))
    offsets = np.concatenate([[0], np.cumsum(widths)[:-1]])
    pairs = []
    for i in range(n):
        w = int(widths[i])
        if w <= 0:
            continue
        row = marg[offsets[i] : offsets[i] + w]
        k = int(np.argmax(row))
        if row[k] > threshold:
            pairs.append((i, int(slo[i]) + k))
    if len(pairs) < 5:
        return total, 0.5
    idx = np.array(pairs)
    lr = np.log(src.lengths[idx[:, 0]] / tgt.lengths[idx[:, 1]])
    med = float(np.median(lr))
    mad = float(np.median(np.abs(lr - med))) * 1.4826
    return med, float(np.clip(mad, 0.2, 0.8))


# --- bead scores -----------------------------------------------------------------------


def _span_mean(x: np.ndarray, starts: np.ndarray, k: int) -> np.ndarray:
    c = np.concatenate([[0.0], np.cumsum(x)])
    return (c[starts + k] - c[starts]) / k


def _span_sum(x: np.ndarray, starts: np.ndarray, k: int) -> np.ndarray:
    c = np.concatenate([[0.0], np.cumsum(x)])
    return c[starts + k] - c[starts]


def bead_scores(
    types: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    src: SideArrays,
    tgt: SideArrays,
    src_spans: SpanVectors,
    tgt_spans: SpanVectors,
    stats: DocStats,
    params: Params,
    *,
    with_parts: bool = False,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """scores[t, cell] for every bead type ending at every cell of the band."""
    rows, cols = band_cells(lo, hi)
    n_cells = rows.shape[0]
    scores = np.full((types.shape[0], n_cells), -1e9, dtype=np.float64)
    parts: dict[str, np.ndarray] = {}
    src_para_break = np.concatenate([[0], np.diff(src.paragraph) != 0]).astype(np.float64)
    tgt_para_break = np.concatenate([[0], np.diff(tgt.paragraph) != 0]).astype(np.float64)
    for t, (a, b) in enumerate(types.tolist()):
        ok = (rows >= a) & (cols >= b)
        if a == 0 or b == 0:
            scores[t, ok] = 0.0
            if a == 0:
                jj = cols[ok] - 1
                scores[t, ok] -= params.heading_penalty * 0.0 * tgt.heading[jj]
            continue
        idx = np.nonzero(ok)[0]
        si = rows[idx] - a
        tj = cols[idx] - b
        sv = src_spans.get(si, a)
        tv = tgt_spans.get(tj, b)
        cos = np.einsum("ij,ij->i", sv, tv).astype(np.float64)
        norm = 0.5 * (_span_mean(stats.r_src, si, a) + _span_mean(stats.r_tgt, tj, b))
        margin = cos - params.margin_weight * (norm - stats.r_mean)
        lr = np.log(_span_sum(src.lengths, si, a) / _span_sum(tgt.lengths, tj, b)) - stats.log_ratio
        len_score = np.maximum(-0.5 * (lr / stats.log_sd) ** 2, -params.len_clip)
        sa = src.anchors
        ta = tgt.anchors
        sanch = np.zeros((idx.shape[0], sa.shape[1]), dtype=np.float32)
        tanch = np.zeros_like(sanch)
        for d in range(a):
            sanch += sa[si + d]
        for d in range(b):
            tanch += ta[tj + d]
        inter = np.minimum(sanch, tanch).sum(axis=1)
        union = np.maximum(sanch, tanch).sum(axis=1)
        anchor = np.where(union > 0, inter / np.maximum(union, 1.0), 0.0)
        anchor_present = (sanch.sum(axis=1) > 0) & (tanch.sum(axis=1) > 0)
        anchor_score = np.where(anchor_present, anchor - 0.25, 0.0)
        breaks = 0.0
        for d in range(1, a):
            breaks = breaks + src_para_break[si + d]
        for d in range(1, b):
            breaks = breaks + tgt_para_break[tj + d]
        s = (
            (margin - stats.threshold) / stats.scale
            + params.len_weight * len_score
            + params.anchor_weight * anchor_score
            - params.para_penalty * breaks
            - params.merge_penalty * (a + b - 2)
        )
        # headings match headings
        sh = src.heading[si]
        th = tgt.heading[tj]
        s -= params.heading_penalty * (sh != th) * (a == 1 and b == 1)
        scores[t, idx] = s
        if with_parts:
            parts[f"cos{t}"] = cos
    return scores, parts


# --- passes ------------------------------------------------------------------------------


def _path_to_beads(path: np.ndarray, i0: int = 0, j0: int = 0) -> list[Bead]:
    beads = []
    for (a0, b0), (a1, b1) in zip(path[:-1].tolist(), path[1:].tolist()):
        beads.append(Bead(tuple(range(i0 + a0, i0 + a1)), tuple(range(j0 + b0, j0 + b1))))
    return beads


def _align_segment(
    src: SideArrays,
    tgt: SideArrays,
    i0: int,
    i1: int,
    j0: int,
    j1: int,
    src_spans: SpanVectors,
    tgt_spans: SpanVectors,
    stats: DocStats,
    params: Params,
) -> list[Bead]:
    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(i0, i1)] + [Bead((), (j,)) for j in range(j0, j1)]
    sub_src = _slice(src, i0, i1)
    sub_tgt = _slice(tgt, j0, j1)
    sub_stats = replace(stats, r_src=stats.r_src[i0:i1], r_tgt=stats.r_tgt[j0:j1])
    ss = _OffsetSpans(src_spans, i0)
    ts = _OffsetSpans(tgt_spans, j0)
    # pass 1: 1-1 and skips in a wide diagonal band
    half = max(params.first_band, int(params.first_band_frac * max(n, m)))
    lo, hi = diagonal_band(n, m, half)
    scores, _ = bead_scores(FIRST_TYPES, lo, hi, sub_src, sub_tgt, ss, ts, sub_stats, params)
    path = banded_dp(lo, hi, FIRST_TYPES, scores)
    # pass 2: all bead shapes in a window around the pass-1 path
    lo2, hi2 = path_band(path, n, m, params.window)
    _embed_needed(lo2, hi2, ss, ts, n, m)
    scores2, _ = bead_scores(SECOND_TYPES, lo2, hi2, sub_src, sub_tgt, ss, ts, sub_stats, params)
    path2 = banded_dp(lo2, hi2, SECOND_TYPES, scores2)
    return _path_to_beads(path2, i0, j0)


def _embed_needed(lo: np.ndarray, hi: np.ndarray, ss: _OffsetSpans, ts: _OffsetSpans, n: int, m: int) -> None:
    """Embed exactly the multi-sentence spans that fall inside the pass-2 window."""
    src_need: set[tuple[int, int]] = set()
    tgt_need: set[tuple[int, int]] = set()
    for i in range(n + 1):
        for k in range(2, MAX_SPAN + 1):
            if i - k >= 0:
                src_need.add((i - k, k))
    for j in range(m + 1):
        for k in range(2, MAX_SPAN + 1):
            if j - k >= 0:
                tgt_need.add((j - k, k))
    ss.embed(sorted(src_need))
    ts.embed(sorted(tgt_need))


class _OffsetSpans(SpanVectors):
    """View of a SpanVectors shifted by an offset (for constrained segments)."""

    def __init__(self, base: SpanVectors, offset: int) -> None:  # noqa: D107
        self._base = base
        self._offset = offset

    def get(self, starts: np.ndarray, k: int) -> np.ndarray:
        return self._base.get(starts + self._offset, k)

    def embed(self, spans: Sequence[tuple[int, int]], progress: Progress | None = None) -> None:
        self._base.embed([(s + self._offset, k) for s, k in spans], progress)


def _slice(side: SideArrays, a: int, b: int) -> SideArrays:
    return SideArrays(side.vecs[a:b], side.lengths[a:b], side.paragraph[a:b], side.heading[a:b], side.anchors[a:b])


def align_arrays(
    src: SideArrays,
    tgt: SideArrays,
    *,
    constraints: Sequence[Bead] = (),
    src_spans: SpanVectors | None = None,
    tgt_spans: SpanVectors | None = None,
    params: Params = DEFAULT_PARAMS,
) -> tuple[list[Bead], DocStats]:
    """Align two sides given as arrays; constraint beads are kept verbatim."""
    n, m = len(src), len(tgt)
    src_spans = src_spans or SpanVectors(src.vecs)
    tgt_spans = tgt_spans or SpanVectors(tgt.vecs)
    stats, _, _, _ = doc_stats(src, tgt, params)
    fixed = sorted((b for b in constraints if b.src or b.tgt), key=lambda b: (b.src[:1] or b.tgt[:1]))
    beads: list[Bead] = []
    i, j = 0, 0
    for c in fixed:
        ci = c.src[0] if c.src else None
        cj = c.tgt[0] if c.tgt else None
        # a constraint with an empty side sits at the current position on that side
        ni = ci if ci is not None else i
        nj = cj if cj is not None else j
        if ni < i or nj < j:
            raise ValueError(f"constraint {c.vecalign()} overlaps or is out of order")
        beads += _align_segment(src, tgt, i, ni, j, nj, src_spans, tgt_spans, stats, params)
        beads.append(Bead(c.src, c.tgt, 1.0, True))
        i = ni + len(c.src)
        j = nj + len(c.tgt)
    if i > n or j > m:
        raise ValueError("constraints run past the end of a document")
    beads += _align_segment(src, tgt, i, n, j, m, src_spans, tgt_spans, stats, params)
    return beads, stats


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
    beads, stats = align_arrays(s_arr, t_arr, constraints=constraints, src_spans=ss, tgt_spans=ts)
    beads = bead_confidences(beads, s_arr, t_arr, ss, ts, stats)
    out = tuple(beads)
    check_beads(out, len(src), len(tgt))
    return out
