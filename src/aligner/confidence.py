"""Calibrated confidence of alignment beads (placeholder until fitted)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .model import Bead

if TYPE_CHECKING:
    from .align import Problem


def bead_confidences(prob: Problem, beads: Sequence[Bead]) -> list[Bead]:
    from .align import score_beads

    scores, _ = score_beads(prob, beads)
    out = []
    for b, s in zip(beads, scores):
        if b.confirmed:
            out.append(b)
        elif b.src and b.tgt:
            out.append(replace(b, confidence=float(1 / (1 + np.exp(-2 * s)))))
        else:
            out.append(replace(b, confidence=0.5))
    return out
