"""Calibrated confidence of alignment beads (placeholder until fitted)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from .model import Bead


def bead_confidences(beads: Sequence[Bead], src: Any, tgt: Any, ss: Any, ts: Any, stats: Any) -> list[Bead]:
    out = []
    for b in beads:
        if b.confirmed:
            out.append(b)
            continue
        if b.src and b.tgt:
            sv = ss.get(np.array([b.src[0]]), len(b.src))[0]
            tv = ts.get(np.array([b.tgt[0]]), len(b.tgt))[0]
            cos = float(sv @ tv)
            conf = float(1 / (1 + np.exp(-12 * (cos - 0.45))))
        else:
            conf = 0.5
        out.append(replace(b, confidence=conf))
    return out
