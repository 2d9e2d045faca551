"""Review order: the beads a person should check first.

Most suspicious first: lowest confidence, with omissions (1-0/0-1) and
multi-sentence beads slightly ahead of 1-1 beads of the same confidence, and
user-confirmed beads never listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aligner.align.confidence import LOW_CONFIDENCE
from aligner.core.values import Bead, BeadKind

# Small tie-breaking nudges: at equal confidence an omission or an m-n bead is
# the likelier error (their priors are lower than a 1-1's).
_NUDGE = {BeadKind.OMITTED_TARGET: 0.02, BeadKind.OMITTED_SOURCE: 0.02}
_MULTI_NUDGE = 0.01


@dataclass(frozen=True)
class ReviewItem:
    position: int  # index of the bead in the alignment
    bead: Bead
    suspicion: float  # 1 - confidence plus tie-breaking nudges


def suspicion(bead: Bead) -> float:
    s = 1.0 - bead.confidence + _NUDGE.get(bead.kind, 0.0)
    if bead.kind is BeadKind.MATCH and (len(bead.src) > 1 or len(bead.tgt) > 1):
        s += _MULTI_NUDGE
    return s


def review_order(beads: Sequence[Bead], limit: int | None = None) -> list[ReviewItem]:
    """Unconfirmed beads, most suspicious first (stable in document order)."""
    items = [ReviewItem(k, b, suspicion(b)) for k, b in enumerate(beads) if not b.confirmed]
    items.sort(key=lambda it: (-it.suspicion, it.position))
    return items if limit is None else items[:limit]


def is_suspicious(bead: Bead, threshold: float = LOW_CONFIDENCE) -> bool:
    """Unconfirmed and either an omission or below the confidence threshold."""
    return not bead.confirmed and (not bead.src or not bead.tgt or bead.confidence < threshold)
