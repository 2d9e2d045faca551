"""How much of each side has no counterpart, inferred per document; the skip costs that follow.

A complete translation and a condensed brief need different skip (1-0/0-1)
costs: in the first a sentence without a counterpart is rare, and a weak match
or a regrouping (2-1, 1-2, 2-2) is the likely explanation of a poor 1-1; in the
second a third of the source may have no counterpart.  The evidence is the
pair's own length balance: the confident matches give the document's
characters-per-character ratio (``DocStats.log_ratio``, the median over matched
sentence pairs, so it is not moved by what is missing); the ratio of the two
sides' *totals* exceeds it by about ``-log(1 - missing share)`` of the longer
side.  A Korean text with a third of its content untranslated is about 40%
longer than its matched pairs' ratio predicts.

The estimated share ``p`` of a side sets its skip score (added to every
sentence's skip bead; the match scores are unchanged):
``-weight * max(0, logit(prior) - logit(max(p, floor)))``: no cost at or above
``prior`` (the omission rate the match scores are calibrated for), rising with
the log-odds as the evidence says the side is complete.

Length cannot see omissions on *both* sides that balance out.  So where it says
a side is complete, the aligner first runs pass 2 with free skips (an
omission-seeking probe, as the aligner was before) and counts its *lone* skips
(:func:`lone_null_steps`: a Korean and an English sentence skipped side by side are a
weak match as often as two omissions); each side's share is the larger of the
two estimates (:func:`refined`).  Array-in, array-out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Completeness:
    """Estimated share of each side without a counterpart, and the skip scores it gives."""

    missing_src: float
    missing_tgt: float
    skip_src: float  # score of a 1-0 bead (<= 0)
    skip_tgt: float  # score of a 0-1 bead (<= 0)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def missing_logit(share: float) -> float:
    """Log-odds of a missing share, kept finite (the evidence a skip bead's confidence uses)."""
    return _logit(min(max(share, 1e-3), 1.0 - 1e-3))


def missing_shares(total_log_ratio: float, matched_log_ratio: float, tolerance: float) -> tuple[float, float]:
    """(source, target) share without a counterpart from the length balance.

    ``total_log_ratio`` is log(source characters / target characters) of the
    whole documents, ``matched_log_ratio`` that of matched sentence pairs;
    an excess within ``tolerance`` (the estimate's own noise) counts as none.
    """
    excess = total_log_ratio - matched_log_ratio
    src = 1.0 - math.exp(-max(0.0, excess - tolerance))
    tgt = 1.0 - math.exp(-max(0.0, -excess - tolerance))
    return src, tgt


def skip_score(missing: float, prior: float, floor: float, weight: float) -> float:
    """Score of one skip bead on a side with the given missing share (0 at or above ``prior``)."""
    p = min(max(missing, floor), 1.0 - floor)
    return -weight * max(0.0, _logit(prior) - _logit(p))


def completeness(
    src_lengths: np.ndarray,
    tgt_lengths: np.ndarray,
    matched_log_ratio: float,
    matched_log_sd: float,
    n_matched: int,
    *,
    prior: float,
    floor: float,
    weight: float,
    min_tolerance: float = 0.0,
) -> Completeness:
    """Missing shares and skip scores of one pair.

    Without enough confident matches (fewer than 5) there is no length norm to
    compare with: both shares are taken as ``prior`` (skips cost nothing extra).
    """
    if n_matched < 5 or not src_lengths.size or not tgt_lengths.size:
        return Completeness(prior, prior, 0.0, 0.0)
    total = float(np.log(src_lengths.sum() / tgt_lengths.sum()))
    # the median of n_matched log ratios is uncertain by about 1.25 sd / sqrt(n)
    tolerance = max(min_tolerance, 1.25 * matched_log_sd / math.sqrt(n_matched))
    p_src, p_tgt = missing_shares(total, matched_log_ratio, tolerance)
    return Completeness(
        p_src, p_tgt, skip_score(p_src, prior, floor, weight), skip_score(p_tgt, prior, floor, weight)
    )


def lone_null_steps(path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks over the steps of a DP path: its source and target skips that are not next to a skip of
    the other side.

    A Korean and an English sentence skipped side by side are one weak match
    as often as two omissions; a skip on its own is the omission evidence.
    """
    steps = np.diff(np.asarray(path, dtype=np.int64), axis=0)
    is_src = (steps[:, 0] == 1) & (steps[:, 1] == 0)
    is_tgt = (steps[:, 0] == 0) & (steps[:, 1] == 1)
    before = np.zeros_like(is_src)
    after = np.zeros_like(is_src)
    before[1:] = True
    after[:-1] = True
    near_tgt = (np.roll(is_tgt, 1) & before) | (np.roll(is_tgt, -1) & after)
    near_src = (np.roll(is_src, 1) & before) | (np.roll(is_src, -1) & after)
    return is_src & ~near_tgt, is_tgt & ~near_src


def refined(
    comp: Completeness, lone_src: int, lone_tgt: int, n: int, m: int, *, prior: float, floor: float, weight: float,
    least: int = 1,
) -> Completeness:
    """Completeness after an omission-seeking probe alignment (skips free) found lone skips.

    Length cannot see omissions on both sides that balance out; the probe's
    lone skips can.  Each side's share is the larger of the two estimates.  Fewer
    than ``least`` lone skips are no evidence: in a short text one skip is already
    a share of several percent, and the probe's one skip is as often a sentence
    the translator split (a speech tag) that then confirms itself.
    """
    p_src = max(comp.missing_src, (lone_src if lone_src >= least else 0) / max(n, 1))
    p_tgt = max(comp.missing_tgt, (lone_tgt if lone_tgt >= least else 0) / max(m, 1))
    return Completeness(p_src, p_tgt, skip_score(p_src, prior, floor, weight), skip_score(p_tgt, prior, floor, weight))

