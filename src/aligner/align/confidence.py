"""Calibrated confidence of alignment beads.

The evidence for a bead is its *gap* -- how much lower (in the aligner's score
units) the best alignment that does not contain the bead scores -- and, for a
match, *z*: its cosine in standard deviations above the document's typical
(unrelated) sentence pair. A logistic map per bead kind turns them into the
probability that the bead is right.
The constants below were fitted by ``bench/fit_confidence.py`` (see there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from enum import StrEnum

from aligner.core.values import Bead

LOW_CONFIDENCE = 0.5
"""Below this a match is not a confident pair: unconfirmed ones are flagged as suspicious."""
HIGH_CONFIDENCE = 0.8
"""At or above this a match is very likely right (calibrated: >= 97% on the dev gold)."""


class ConfidenceBand(StrEnum):
    """How far a bead's confidence can be trusted, as the reader and the review show it."""

    LOW = "low"
    UNSURE = "unsure"
    HIGH = "high"

    @classmethod
    def of(cls, confidence: float) -> ConfidenceBand:
        if confidence < LOW_CONFIDENCE:
            return cls.LOW
        return cls.HIGH if confidence >= HIGH_CONFIDENCE else cls.UNSURE

OCR_DOUBT_CAP = 0.75
"""The most a pair may be trusted whose text OCR read with low confidence: the "check" band, so
the reader's ``n``/``N`` and the review list visit it."""


def cap_doubtful(beads: Sequence[Bead], src: AbstractSet[int], tgt: AbstractSet[int]) -> tuple[Bead, ...]:
    """``beads`` with the confidence of those holding a doubtful sentence (``src``/``tgt`` ids:
    text OCR was unsure of) lowered to at most :data:`OCR_DOUBT_CAP`; confirmed beads are kept."""
    if not src and not tgt:
        return tuple(beads)
    return tuple(
        replace(b, confidence=min(b.confidence, OCR_DOUBT_CAP))
        if not b.confirmed and (any(i in src for i in b.src) or any(j in tgt for j in b.tgt))
        else b
        for b in beads
    )


# (intercept, slope) of the logistic map per bead kind; fitted, see module doc
COEF: dict[str, tuple[float, ...]] = {
    "1-1": (-2.06, 1.54, 0.32, 1.842),
    "m-n": (-2.91, 1.159, -0.132, 2.331),
    "skip": (2.067, 3.523, -0.617, 0.741),  # bench/fit_skip_confidence.py
}
GAP_CAP = 2.0
Z_MIN, Z_MAX = -5.0, 15.0


def bead_kind(bead: Bead) -> str:
    if not bead.src or not bead.tgt:
        return "skip"
    return "1-1" if len(bead.src) == 1 and len(bead.tgt) == 1 else "m-n"


def features(bead: Bead, gap: float, z: float, zm: float) -> tuple[float, ...]:
    """Inputs of the logistic map: bias, capped gap, and for matches z and zm (clipped)."""
    g = min(max(gap, 0.0), GAP_CAP)
    if not bead.src or not bead.tgt:  # z: what absorbing the skip costs; zm: log-odds its side misses text
        return 1.0, g, min(max(z, Z_MIN), Z_MAX), zm
    return 1.0, g, min(max(z, Z_MIN), Z_MAX), min(max(zm, Z_MIN), Z_MAX)


def confidence(bead: Bead, gap: float, z: float = 0.0, zm: float = 0.0) -> float:
    """Probability that ``bead`` is right from its score gap and, for a match,
    its cosine ``z`` and neighbourhood margin ``zm`` (both in noise SDs); for a
    skip, ``z`` is the cosine a neighbouring bead would lose by taking it in (in
    noise SDs) and ``zm`` the log-odds that its side has sentences without counterpart
    (``aligner.align.completeness``): a skip in a complete translation is most likely a split
    sentence, not an omission."""
    x = features(bead, gap, z, zm)
    logit = sum(c * v for c, v in zip(COEF[bead_kind(bead)], x, strict=False))
    return 1.0 / (1.0 + math.exp(-logit))


RELATED_MARGIN = 0.3
RELATED_SLOPE = 4.0

RELATED_FLOOR = 0.5
"""Below this relatedness the two documents look unrelated: every match's confidence is scaled down."""


def related_reach(n: int, m: int, first_band: int) -> int:
    """Candidates per sentence that ``relatedness`` assumes for an n x m pair: the narrowest pass-1 band.

    A monotone path through unrelated text cannot take each sentence's best partner in a band
    thousands wide (consecutive matches move forward together), so the noise maximum does not grow
    with the documents' length.  Measured: the median match z of 30 unrelated pairs of Grimm tales
    is 2.1-2.9, and 2.6 for 4,400 unrelated sentences aligned in a band of 705; free translations
    (Grimm tales) have 2.3-4.4, KIEP 4.2-4.5.  With the band's width instead, a book-length free
    translation (20,000 sentences, band 2,001) read as unrelated and lost every confident pair.
    """
    return min(max(n, m), 2 * first_band + 1)


MUTUAL_SHARE = 0.185
"""Share of the shorter side's sentences whose mutual best match the alignment keeps in one bead, at
which two documents are as likely related as not (measured: 0.07-0.14 for 30 pairs of unrelated
Grimm tales, 0.24-0.75 for the 60 tales with their free translation)."""
MUTUAL_SLOPE = 30.0
MUTUAL_MIN = 20
"""Sentences the shorter side needs before that share means anything (six unrelated sentences can
put three mutual best matches on the path by chance)."""


def relatedness(match_z: list[float], candidates: int, mutual_share: float = 0.0, sentences: int = 0) -> float:
    """How likely the two documents are translations at all.

    Two pieces of evidence, either of which suffices.  The matches' cosines: between unrelated
    documents every sentence still has a best partner, whose cosine is the maximum of its
    ``candidates`` noise draws: at most about ``sqrt(2 ln candidates)`` noise SDs; translations put
    the typical (median) match above that.  A free translation's matches are weaker (one sentence
    rendered as three), but its mutual best matches still line up along the alignment: the share of
    the shorter side's ``sentences`` whose mutual best match lies inside one bead
    (``mutual_share``) is what tells it from unrelated text, once there are ``MUTUAL_MIN``
    sentences.  When neither says related, no bead deserves a confident score, however clear its gap.
    """
    if not match_z:
        return 0.0
    noise_max = math.sqrt(2.0 * math.log(max(candidates, 2)))
    excess = float(sorted(match_z)[len(match_z) // 2]) - noise_max - RELATED_MARGIN
    by_cosine = 1.0 / (1.0 + math.exp(-RELATED_SLOPE * excess))
    if sentences < MUTUAL_MIN:
        return by_cosine
    return max(by_cosine, 1.0 / (1.0 + math.exp(-MUTUAL_SLOPE * (mutual_share - MUTUAL_SHARE))))
