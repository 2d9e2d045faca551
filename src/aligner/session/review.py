"""The one suspicion model: how far each pair can be trusted, and the order to check them in.

Every pair is in one of three bands, from its calibrated confidence and the
thresholds of :mod:`aligner.align.confidence` (defined there once):

- **suspicious** — confidence below ``LOW_CONFIDENCE``: probably wrong;
- **check** — ``LOW_CONFIDENCE`` up to ``HIGH_CONFIDENCE``: may be wrong;
  a sentence with no counterpart (1-0/0-1) is never better than this;
- **confident** — at or above ``HIGH_CONFIDENCE`` (≥ 97% right on the dev gold).

A pair the user confirmed or made by an edit is out of review; an edited pair
is shown as "edited", never as a confidence the aligner did not give.  A pair an
edit only changed (a neighbour a sentence moved into) is edited but unconfirmed:
it is in the check band until the user confirms it.  The
reader, its review list and ``aligner review`` all show and order pairs by
this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from aligner.align.confidence import HIGH_CONFIDENCE, LOW_CONFIDENCE, ConfidenceBand
from aligner.core.values import Bead


class Band(StrEnum):
    """A pair's band as the user sees it (most to least trustworthy)."""

    CONFIDENT = "confident"
    CHECK = "check"
    SUSPICIOUS = "suspicious"


_FROM_CONFIDENCE = {ConfidenceBand.HIGH: Band.CONFIDENT, ConfidenceBand.UNSURE: Band.CHECK,
                    ConfidenceBand.LOW: Band.SUSPICIOUS}  # fmt: skip
_RANK = {Band.SUSPICIOUS: 2, Band.CHECK: 1, Band.CONFIDENT: 0}
REVIEW_BANDS = frozenset({Band.SUSPICIOUS, Band.CHECK})
"""The bands ``n``/``N`` and the review list visit."""

BAND_RULES = {
    Band.SUSPICIOUS: f"confidence below {LOW_CONFIDENCE:.2f}",
    Band.CHECK: f"confidence {LOW_CONFIDENCE:.2f}–{HIGH_CONFIDENCE:.2f}, a sentence with no counterpart, "
    "or changed by an edit beside it",
    Band.CONFIDENT: f"confidence {HIGH_CONFIDENCE:.2f} or more",
}
"""Why a pair is in its band, in words (the help and the ``C`` notice say this)."""


def band(bead: Bead) -> Band:
    """The band of ``bead`` from its confidence (an omission, or a pair an edit changed
    and nobody confirmed since, is at best ``check``)."""
    found = _FROM_CONFIDENCE[ConfidenceBand.of(bead.confidence)]
    unchecked_edit = bead.edited and not bead.confirmed
    if (not bead.src or not bead.tgt or unchecked_edit) and found is Band.CONFIDENT:
        return Band.CHECK
    return found


def needs_review(bead: Bead) -> bool:
    """Unconfirmed and in a lower band (suspicious or check)."""
    return not bead.confirmed and band(bead) in REVIEW_BANDS


def is_suspicious(bead: Bead) -> bool:
    """Unconfirmed and in the suspicious band."""
    return not bead.confirmed and band(bead) is Band.SUSPICIOUS


def status_label(bead: Bead) -> str:
    """What the reader shows for a pair: "edited", "confirmed 0.93", "check 0.64" or, for a
    pair an edit beside it changed, "edited, check"."""
    if bead.edited:
        return "edited" if bead.confirmed else f"edited, {band(bead)}"
    if bead.confirmed:
        return f"confirmed {bead.confidence:.2f}"
    return f"{band(bead)} {bead.confidence:.2f}"


@dataclass(frozen=True)
class ReviewItem:
    position: int  # index of the bead in the alignment
    bead: Bead
    suspicion: float
    """Band rank plus (1 - confidence): sorting by it descending is sorting by band, then displayed score."""

    @property
    def band(self) -> Band:
        return band(self.bead)


def suspicion(bead: Bead) -> float:
    return _RANK[band(bead)] + (1.0 - bead.confidence)


def review_order(beads: Sequence[Bead], limit: int | None = None) -> list[ReviewItem]:
    """Unconfirmed beads: suspicious, then check, then confident; lowest confidence first
    within a band (stable in document order)."""
    items = [ReviewItem(k, b, suspicion(b)) for k, b in enumerate(beads) if not b.confirmed]
    items.sort(key=lambda it: (-_RANK[band(it.bead)], it.bead.confidence, it.position))
    return items if limit is None else items[:limit]


@dataclass(frozen=True)
class BandCounts:
    """How many unconfirmed pairs are in each band, and how many are confirmed."""

    confident: int
    check: int
    suspicious: int
    confirmed: int

    @property
    def to_review(self) -> int:
        return self.check + self.suspicious


def band_counts(beads: Sequence[Bead]) -> BandCounts:
    counts = dict.fromkeys(Band, 0)
    for b in beads:
        if not b.confirmed:
            counts[band(b)] += 1
    return BandCounts(counts[Band.CONFIDENT], counts[Band.CHECK], counts[Band.SUSPICIOUS],
                      sum(1 for b in beads if b.confirmed))  # fmt: skip


def confirm_high_report(confirmed: int, after: Sequence[Bead]) -> str:
    """What ``C`` (confirm every confident pair) did and what it left, and why."""
    left = band_counts(after)
    text = f"confirmed {confirmed} confident pairs ({BAND_RULES[Band.CONFIDENT]})"
    if not left.to_review:
        return text + "; none left to check"
    parts = []
    if left.check:
        parts.append(f"{left.check} to check ({BAND_RULES[Band.CHECK]})")
    if left.suspicious:
        parts.append(f"{left.suspicious} suspicious ({BAND_RULES[Band.SUSPICIOUS]})")
    return text + f"; left {left.to_review} unconfirmed: " + ", ".join(parts) + " — press n to visit them"
