"""Two-pass sentence alignment of a Korean document with its English translation.

Pass 1 finds a coarse monotone path of 1-1 matches (plus skips) inside a wide
diagonal band from sentence-embedding similarities. Pass 2 re-aligns inside a
narrow window around that path with every bead shape up to 6-1/1-6 (and 2-2,
2-3, 3-2, 3-3), scoring spans by the embedding of the concatenated sentences
(embedded only for the spans the window needs), a length prior fitted to this
pair's own character ratio, shared anchor tokens (numbers, Latin words),
paragraph and heading structure. The match threshold is calibrated per
document between the typical unrelated pair and the typical best match; what a
skip (1-0/0-1) costs follows from how complete each side looks
(``aligner.align.completeness``: the length balance of the pair, then the lone
skips of an omission-seeking probe of pass 2), so a complete translation does
not get invented omissions and a condensed brief keeps its real ones.  A skip
left that is a short piece its neighbour takes in at little cost (a speech tag,
a clause the translator split off) is made part of that bead (:func:`_fragments`),
a sentence cut inside brackets is aligned as one unit, and a Korean speech tag
("소녀가 대답했어요.") costs as much to skip (``aligner.align.units``).

``align_arrays`` is array-in/array-out; ``align_documents`` embeds, aligns and
attaches a calibrated confidence to every bead. The per-document calibration is
``aligner.align.calibration``, the bead scores ``aligner.align.costs``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from aligner.align.arrays import Encoder, SideArrays, SpanVectors, pair_arrays, paragraphs_in_step, span_cosines
from aligner.align.calibration import diagonal_band, doc_stats
from aligner.align.completeness import Completeness, lone_null_steps, missing_logit, refined
from aligner.align.confidence import RELATED_FLOOR, cap_doubtful, confidence, related_reach, relatedness
from aligner.align.costs import (
    DEFAULT_PARAMS,
    Params,
    Problem,
    bead_scores,
    first_pass_scores,
    match_z,
    rescore_spans,
)
from aligner.align.dp import ONE_ONE_TYPES, band_cells, banded_dp, max_marginals, path_gaps
from aligner.align.units import (
    bracket_units,
    split_notes,
    to_sentences,
    to_units,
    uncut_units,
    unit_document,
    unit_vectors,
)
from aligner.core.values import Bead, Document, Progress, check_beads
from aligner.ingest.extracted import doubtful_sentences

FIRST_TYPES = np.array(ONE_ONE_TYPES, dtype=np.int64)
SECOND_TYPES = np.array(
    [[1, 1], [1, 0], [0, 1], [1, 2], [2, 1], [1, 3], [3, 1], [2, 2], [1, 4], [4, 1], [2, 3], [3, 2], [3, 3],
     [1, 5], [5, 1], [1, 6], [6, 1]],
    dtype=np.int64,
)
MAX_SPAN = 6  # sentences on one side of a bead (SECOND_TYPES)
PROGRESS_STEPS_FROM = 2000  # segments of this many sentences report progress between their steps
FORCE = 1e6  # skip score that forces a user-confirmed omission
CONFIDENCE_DIGITS = 4


# --- bands ----------------------------------------------------------------------------


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


def align_segment(
    prob: Problem, i0: int, i1: int, j0: int, j1: int, tick: Callable[[float], None] | None = None
) -> tuple[list[Bead], np.ndarray, np.ndarray, Completeness]:
    """Align src[i0:i1] with tgt[j0:j1] (both passes); each bead's score gap and absorption loss, and
    the segment's completeness (``aligner.align.completeness``).

    The gap of a bead is how much lower the best alignment avoiding it scores:
    the raw evidence behind its confidence; a skip's absorption loss
    (:func:`absorption_losses`) is the evidence that it really has no counterpart.  ``tick(fraction)`` is called
    between the steps (a progress report, and the point where a cancelled
    caller's callback can stop the work).
    """
    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(i0, i1)] + [Bead((), (j,)) for j in range(j0, j1)]
        return beads, np.full(len(beads), 1e9), np.full(len(beads), np.inf), Completeness(1.0, 1.0, 0.0, 0.0)
    params = prob.params
    half = params.first_half_width(n, m)
    lo, hi = diagonal_band(n, m, half)
    skip_src, skip_tgt = prob.skip_src[i0:i1], prob.skip_tgt[j0:j1]
    first = first_pass_scores(prob, lo, hi, i0, j0)
    if tick is not None:
        tick(0.1)
    path = banded_dp(lo, hi, FIRST_TYPES, first, skip_src, skip_tgt)
    del first
    if tick is not None:
        tick(0.4)
    lo2, hi2 = path_band(path, n, m, params.window)
    scores = bead_scores(prob, SECOND_TYPES, lo2, hi2, i0, j0)
    if tick is not None:
        tick(0.6)
    if prob.src_spans.can_embed or prob.tgt_spans.can_embed:  # embed the spans that matter, score again
        src_need, tgt_need = _candidate_spans(prob, lo2, hi2, scores, i0, j0)
        src_need, tgt_need = prob.src_spans.missing(src_need), prob.tgt_spans.missing(tgt_need)
        prob.src_spans.embed(src_need)
        prob.tgt_spans.embed(tgt_need)
        rescore_spans(prob, SECOND_TYPES, lo2, hi2, scores, src_need, tgt_need, i0, j0)
    skip_src, skip_tgt, comp = _settle_skips(prob, lo2, hi2, scores, skip_src, skip_tgt, i0, j0)
    if tick is not None:
        tick(0.8)
    path2 = banded_dp(lo2, hi2, SECOND_TYPES, scores, skip_src, skip_tgt)
    # the beads that would take in each skip are now scored exactly: align again if any was new
    got = absorption_losses(prob, path2, i0, j0)
    if got.src_new or got.tgt_new:
        rescore_spans(prob, SECOND_TYPES, lo2, hi2, scores, got.src_new, got.tgt_new, i0, j0)
        path2 = banded_dp(lo2, hi2, SECOND_TYPES, scores, skip_src, skip_tgt)
        got = absorption_losses(prob, path2, i0, j0)
    frag_src, frag_tgt = _fragments(prob, path2, got)
    if frag_src.size or frag_tgt.size:  # a short piece its neighbour takes in at little cost: part of that bead
        skip_src = _costlier(skip_src, frag_src, params.fragment_cost)
        skip_tgt = _costlier(skip_tgt, frag_tgt, params.fragment_cost)
        path2 = banded_dp(lo2, hi2, SECOND_TYPES, scores, skip_src, skip_tgt)
        got = absorption_losses(prob, path2, i0, j0)
    gaps = path_gaps(lo2, hi2, SECOND_TYPES, scores, skip_src, skip_tgt, path2)
    return _path_to_beads(path2, i0, j0), gaps, got.losses, comp


def _costlier(skip: np.ndarray, ids: np.ndarray, cost: float) -> np.ndarray:
    """Skip scores with those of sentences ``ids`` lowered by ``cost`` (forced skips stay forced)."""
    out = skip.copy()
    out[ids] = np.where(out[ids] >= FORCE, out[ids], out[ids] - cost)
    return out


def _fragments(prob: Problem, path: np.ndarray, got: Absorption) -> tuple[np.ndarray, np.ndarray]:
    """Segment-relative (source, target) sentences of the path's skips that read as part of a neighbour.

    A free translation splits a sentence: a speech tag ("she answered"), a clause,
    a translator's gloss.  Such a piece is short beside the bead that would take it
    in (``Params.fragment_share`` of its length at most) and costs that bead little
    cosine (``Params.fragment_loss`` noise SDs); an omitted sentence is neither.
    """
    short = (got.shares <= prob.params.fragment_share) & (got.losses < prob.params.fragment_loss * prob.stats.noise_sd)
    src: list[int] = []
    tgt: list[int] = []
    for k in np.nonzero(short)[0].tolist():
        i, j, a, b = _steps(path[k : k + 2], 0, 0)[0]
        src += list(range(i, i + a))
        tgt += list(range(j, j + b))
    return np.array(src, dtype=np.int64), np.array(tgt, dtype=np.int64)


def _steps(path: np.ndarray, i0: int, j0: int) -> list[tuple[int, int, int, int]]:
    """A path's beads as (first source sentence, first target sentence, a, b), in document ids."""
    pts = np.asarray(path, dtype=np.int64).tolist()
    return [(a0 + i0, b0 + j0, a1 - a0, b1 - b0) for (a0, b0), (a1, b1) in itertools.pairwise(pts)]


def _absorbing(steps: Sequence[tuple[int, int, int, int]], k: int) -> list[tuple[int, int, int, int, int]]:
    """Match beads that could take in the skip ``steps[k]``: (neighbour step, i, j, a, b).

    The nearest match bead on each side, widened over the skip (and over any
    skips of the same side between them), while it stays within ``MAX_SPAN``.
    """
    i, j, a, b = steps[k]
    out: list[tuple[int, int, int, int, int]] = []
    for direction in (-1, 1):
        nb = k + direction
        while 0 <= nb < len(steps) and not (steps[nb][2] and steps[nb][3]):
            if (steps[nb][2] > 0) != (a > 0):  # a skip of the other side between them
                nb = -1
                break
            nb += direction
        if not 0 <= nb < len(steps):
            continue
        ni, nj, na, nb_ = steps[nb]
        lo_i, hi_i = min(i, ni), max(i + a, ni + na)
        lo_j, hi_j = min(j, nj), max(j + b, nj + nb_)
        if hi_i - lo_i <= MAX_SPAN and hi_j - lo_j <= MAX_SPAN:
            out.append((nb, lo_i, lo_j, hi_i - lo_i, hi_j - lo_j))
    return out


def _cosines(prob: Problem, beads: Sequence[tuple[int, int, int, int]]) -> np.ndarray:
    """Cosine of each (i, j, a, b) bead's span vectors, computed one bead shape at a time."""
    out = np.zeros(len(beads))
    shapes: dict[tuple[int, int], list[int]] = {}
    for k, (_, _, a, b) in enumerate(beads):
        shapes.setdefault((a, b), []).append(k)
    for (a, b), ks in shapes.items():
        si = np.array([beads[k][0] for k in ks])
        tj = np.array([beads[k][1] for k in ks])
        out[ks] = span_cosines(prob.src_spans, si, a, prob.tgt_spans, tj, b)
    return out


Spans = list[tuple[int, int]]


@dataclass(frozen=True, eq=False)
class Absorption:
    """Per step of a path: what taking each skip into a neighbouring match bead costs."""

    losses: np.ndarray  # cosine the cheapest neighbour loses (inf: none can; 0 for match steps)
    shares: np.ndarray  # the skip's share of that grown bead's length on its side (1 where none)
    src_new: Spans  # the spans embedded to know it
    tgt_new: Spans


def absorption_losses(
    prob: Problem, path: np.ndarray, i0: int, j0: int, only: np.ndarray | None = None
) -> Absorption:
    """Per step of ``path``: the cosine a neighbouring match bead loses by taking in that skip,
    the skip's share of that bead's length, and the (source, target) spans this embedded to know it.

    A sentence that renders part of its neighbour's counterpart (a free
    translation's split sentence) joins that bead at little cost in cosine, or
    even raises it; an omitted sentence dilutes it.  ``inf`` where no
    neighbour can take the skip in (or for skips ``only`` leaves out); 0 for match steps.
    The beads on both sides of each comparison are embedded exactly: the pruning of
    :func:`_candidate_spans` judges a span by the mean of its sentence vectors, which
    undervalues a short fragment ("he said") joined to the sentence it belongs with.
    """
    steps = _steps(path, i0, j0)
    losses = np.array([0.0 if a and b else np.inf for _, _, a, b in steps])
    shares = np.ones(len(steps))
    owner: list[int] = []
    before: list[tuple[int, int, int, int]] = []
    after: list[tuple[int, int, int, int]] = []
    for k, (_, _, a, b) in enumerate(steps):
        if (a and b) or (only is not None and not only[k]):
            continue
        for nb, mi, mj, ma, mb in _absorbing(steps, k):
            owner.append(k)
            before.append(steps[nb])
            after.append((mi, mj, ma, mb))
    src_new = prob.src_spans.missing([(i, a) for i, _, a, _ in before + after])
    tgt_new = prob.tgt_spans.missing([(j, b) for _, j, _, b in before + after])
    prob.src_spans.embed(src_new)
    prob.tgt_spans.embed(tgt_new)
    if owner:
        loss = _cosines(prob, before) - _cosines(prob, after)
        grown = _added_shares(prob, before, after)
        for k, x, share in zip(owner, loss.tolist(), grown.tolist(), strict=True):
            if x < losses[k]:
                losses[k], shares[k] = x, share
    return Absorption(losses, shares, src_new, tgt_new)


def _added_shares(
    prob: Problem, before: Sequence[tuple[int, int, int, int]], after: Sequence[tuple[int, int, int, int]]
) -> np.ndarray:
    """For each bead grown from ``before`` to ``after`` (on one side), the share of its length on that
    side that is new (the skip, and any skips of the same side it had to take in on the way)."""
    out = np.ones(len(before))
    for k, ((i, j, a, b), (gi, gj, ga, gb)) in enumerate(zip(before, after, strict=True)):
        if ga > a:
            lengths, kept, grown = prob.src.lengths, (i, a), (gi, ga)
        else:
            lengths, kept, grown = prob.tgt.lengths, (j, b), (gj, gb)
        total = float(lengths[grown[0] : grown[0] + grown[1]].sum())
        out[k] = (total - float(lengths[kept[0] : kept[0] + kept[1]].sum())) / max(total, 1.0)
    return out


def _unabsorbed(
    prob: Problem, path: np.ndarray, lo: np.ndarray, hi: np.ndarray, scores: np.ndarray, i0: int, j0: int
) -> tuple[int, int]:
    """(source, target) lone skips of a probe path that no neighbouring match bead can absorb
    without losing at least ``Params.absorb_loss`` noise SDs of cosine (:func:`absorption_losses`).

    The spans this embeds are scored again in ``scores`` (in place) for the final pass.
    """
    lone_src, lone_tgt = lone_null_steps(path)
    got = absorption_losses(prob, path, i0, j0, only=lone_src | lone_tgt)
    if got.src_new or got.tgt_new:
        rescore_spans(prob, SECOND_TYPES, lo, hi, scores, got.src_new, got.tgt_new, i0, j0)
    keep = got.losses >= prob.params.absorb_loss * prob.stats.noise_sd  # in noise SDs: cosines differ by model
    return int((lone_src & keep).sum()), int((lone_tgt & keep).sum())


def _settle_skips(
    prob: Problem, lo: np.ndarray, hi: np.ndarray, scores: np.ndarray, skip_src: np.ndarray, skip_tgt: np.ndarray,
    i0: int, j0: int,
) -> tuple[np.ndarray, np.ndarray, Completeness]:
    """This segment's skip scores for the final pass.

    When the length balance says a side is complete, an omission-seeking probe
    (skips free) is run first: its lone skips are evidence of omissions that
    the length balance cannot see, and lower the skip cost again
    (``aligner.align.completeness``).  Skipping a speech tag costs ``Params.fragment_cost``
    more; where the side looks complete, skipping a continuation ``Params.continuation_cost`` more
    (``aligner.align.units``).
    """
    params, st = prob.params, prob.stats
    comp = Completeness(st.missing_src, st.missing_tgt, st.skip_src, st.skip_tgt)
    if st.skip_src < 0 or st.skip_tgt < 0:
        free_src = np.where(skip_src >= FORCE, skip_src, 0.0)
        free_tgt = np.where(skip_tgt >= FORCE, skip_tgt, 0.0)
        probe = banded_dp(lo, hi, SECOND_TYPES, scores, free_src, free_tgt)
        lone_src, lone_tgt = _unabsorbed(prob, probe, lo, hi, scores, i0, j0)
        comp = refined(comp, lone_src, lone_tgt, skip_src.shape[0], skip_tgt.shape[0],
                       prior=params.missing_prior, floor=params.missing_floor, weight=params.skip_weight,
                       least=params.probe_least)
    extra_src = _piece_costs(prob.src, i0, skip_src.shape[0], comp.missing_src, params)
    extra_tgt = _piece_costs(prob.tgt, j0, skip_tgt.shape[0], comp.missing_tgt, params)
    skip_src = np.where(skip_src >= FORCE, skip_src, comp.skip_src - extra_src)
    skip_tgt = np.where(skip_tgt >= FORCE, skip_tgt, comp.skip_tgt - extra_tgt)
    return skip_src, skip_tgt, comp


def _piece_costs(side: SideArrays, start: int, n: int, missing: float, params: Params) -> np.ndarray:
    """What skipping each sentence costs more: a speech tag is a piece of the bead of its quotation;
    where the side looks complete, a continuation ("그래서 …") is the rest of the sentence before."""
    tags = side.speech_tag[start : start + n]
    out = params.fragment_cost * tags
    if missing <= params.continuation_missing:
        out = out + params.continuation_cost * (side.continuation[start : start + n] & ~tags)
    return np.asarray(out, dtype=np.float64)


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
    progress: Progress | None = None,
) -> tuple[list[Bead], Problem]:
    """Align two sides given as arrays; constraint beads are kept verbatim (confirmed).

    Returns the beads (each with its calibrated confidence) and the scoring
    problem, which ``aligner.align.costs.score_beads`` can reuse.  ``progress``
    hears ``("aligning", sentences done, n + m)`` between the steps.
    """
    n, m = len(src), len(tgt)
    segments = _free_segments(constraints, n, m)
    skip_src, skip_tgt = _forced_skips(constraints, n, m)
    skipped = {(c.src, c.tgt): c for c in constraints if not c.src or not c.tgt}  # confirmed omissions
    total = n + m
    if progress is not None:
        progress("aligning", 0, total)
    stats = doc_stats(src, tgt, params)
    # every unconfirmed skip costs what this pair's completeness says (forced ones stay forced)
    skip_src = np.where(skip_src >= FORCE, skip_src, stats.skip_src)
    skip_tgt = np.where(skip_tgt >= FORCE, skip_tgt, stats.skip_tgt)
    prob = Problem(
        src, tgt, src_spans or SpanVectors(src.vecs), tgt_spans or SpanVectors(tgt.vecs),
        stats, params, skip_src, skip_tgt,
    )
    beads, zs = _align_segments(prob, segments, skipped, "aligning", progress)
    if params.para_step_penalty == 0 and _paragraphs_correspond(src, tgt, beads, params):
        # both documents mark paragraphs and they correspond: align again keeping beads inside them
        strong = replace(params, para_penalty=params.para_strong, para_step_penalty=params.para_strong)
        prob = replace(prob, params=strong)
        beads, zs = _align_segments(prob, segments, skipped, "aligning paragraphs", progress)
    related = relatedness(
        zs, related_reach(n, m, params.first_band), mutual_on_path(prob.stats.mutual, beads, n, m), min(n, m)
    )
    if related < RELATED_FLOOR:  # unrelated documents: no pair is confidently a translation
        beads = [
            replace(b, confidence=b.confidence * related) if b.src and b.tgt and not b.confirmed else b for b in beads
        ]
    # four decimals: a calibrated probability has no more, and the float noise of batched embedding
    # (spans embedded in another order or read back from the cache) must not make two runs differ
    beads = [b if b.confirmed else replace(b, confidence=round(b.confidence, CONFIDENCE_DIGITS)) for b in beads]
    return _regroup_omissions(beads, constraints), prob


def mutual_on_path(mutual: np.ndarray, beads: Sequence[Bead], n: int, m: int) -> float:
    """Share of the shorter side's sentences whose mutual best match (``(i, j)`` rows) lies inside one
    match bead: the evidence of relatedness that a free translation's weak cosines do not hide."""
    if not mutual.shape[0] or not min(n, m):
        return 0.0
    bead_of_src = np.full(n, -1, dtype=np.int64)
    bead_of_tgt = np.full(m, -2, dtype=np.int64)
    for k, b in enumerate(beads):
        if b.src and b.tgt:
            bead_of_src[list(b.src)] = k
            bead_of_tgt[list(b.tgt)] = k
    return float(np.count_nonzero(bead_of_src[mutual[:, 0]] == bead_of_tgt[mutual[:, 1]]) / min(n, m))


def _paragraphs_correspond(src: SideArrays, tgt: SideArrays, beads: Sequence[Bead], params: Params) -> bool:
    """Whether beads start most paragraphs of both sides together (see ``paragraphs_in_step``)."""
    if np.unique(src.paragraph).size < 2 or np.unique(tgt.paragraph).size < 2:
        return False
    starts = [(b.src[0], b.tgt[0]) for b in beads if b.src and b.tgt]
    return paragraphs_in_step(src.paragraph, tgt.paragraph, starts) >= params.para_in_step


def _align_segments(
    prob: Problem,
    segments: Sequence[tuple[int, int, int, int, Bead | None]],
    skipped: dict[tuple[tuple[int, ...], tuple[int, ...]], Bead],
    stage: str,
    progress: Progress | None,
) -> tuple[list[Bead], list[float]]:
    """Align every free segment between the constraints; the beads and the z of each match."""
    skip_src, skip_tgt = prob.skip_src, prob.skip_tgt
    total = len(prob.src) + len(prob.tgt)
    beads: list[Bead] = []
    zs: list[float] = []
    done = 0
    for i0, i1, j0, j1, c in segments:
        size = i1 - i0 + j1 - j0
        tick = None
        if progress is not None and size >= PROGRESS_STEPS_FROM:
            tick = _ticker(progress, stage, done, size, total)
        seg, gaps, losses, comp = align_segment(prob, i0, i1, j0, j1, tick)
        z = match_z(prob, seg)
        for k, b in enumerate(seg):  # a skip's evidence: what absorbing it costs, how incomplete its side is
            if not (b.src and b.tgt):
                z[k] = losses[k] / prob.stats.noise_sd, missing_logit(comp.missing_src if b.src else comp.missing_tgt)
        for b, g, zz in zip(seg, gaps.tolist(), z.tolist(), strict=False):
            forced = (not b.tgt and skip_src[b.src[0]] >= FORCE) or (not b.src and skip_tgt[b.tgt[0]] >= FORCE)
            if forced:  # a confirmed omission: its own bead, with the score it had
                beads.append(_kept(skipped.get((b.src, b.tgt), b)))
            else:
                beads.append(replace(b, confidence=confidence(b, g, zz[0], zz[1])))
                if b.src and b.tgt:
                    zs.append(zz[0])
        if c is not None:
            beads.append(_kept(c))
        done += size + (len(c.src) + len(c.tgt) if c is not None else 0)
        if progress is not None and (size >= PROGRESS_STEPS_FROM or c is None):
            progress(stage, done, total)
    return beads, zs


def _ticker(progress: Progress, stage: str, done: int, size: int, total: int) -> Callable[[float], None]:
    def tick(fraction: float) -> None:
        progress(stage, done + int(fraction * size), total)

    return tick


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
            out.append(_kept(mine))
    return out


def _kept(constraint: Bead) -> Bead:
    """A constraint as the alignment keeps it: confirmed, with the score (and edited mark) it had."""
    return replace(constraint, confirmed=True)


def align_documents(
    src: Document,
    tgt: Document,
    encoder: Encoder,
    *,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Bead, ...]:
    """Align Korean ``src`` with English ``tgt``; every bead gets a confidence.

    ``vectors`` are the two sides' sentence embeddings when the caller has them already.
    A sentence cut inside brackets is aligned as one unit with the rest of it (``aligner.align.units``).
    """
    su = uncut_units(_units(src), 0, constraints)
    tu = uncut_units(_units(tgt), 1, constraints)
    if any(size > 1 for _, size in su + tu):
        usrc, utgt = unit_document(src, su), unit_document(tgt, tu)
        if vectors is not None:
            vectors = unit_vectors(vectors[0], su, usrc, encoder), unit_vectors(vectors[1], tu, utgt, encoder)
        found = _align(usrc, utgt, encoder, to_units(constraints, su, tu), progress, vectors)
        beads = to_sentences(found, su, tu)
    else:
        beads = tuple(_align(src, tgt, encoder, constraints, progress, vectors))
    beads = split_notes(beads, src.texts, tgt.texts)
    out = cap_doubtful(beads, doubtful_sentences(src), doubtful_sentences(tgt))  # low-confidence OCR: check it
    check_beads(out, len(src), len(tgt))
    return out


def _units(doc: Document) -> list[tuple[int, int]]:
    return bracket_units(doc.texts, [s.paragraph for s in doc.sentences], [s.heading for s in doc.sentences])


def _align(
    src: Document, tgt: Document, encoder: Encoder, constraints: Sequence[Bead], progress: Progress | None,
    vectors: tuple[np.ndarray, np.ndarray] | None,
) -> list[Bead]:
    s_arr, t_arr = pair_arrays(src, tgt, encoder, progress, vectors)
    ss = SpanVectors(s_arr.vecs, src.texts, encoder)
    ts = SpanVectors(t_arr.vecs, tgt.texts, encoder)
    return align_arrays(s_arr, t_arr, constraints=constraints, src_spans=ss, tgt_spans=ts, progress=progress)[0]
