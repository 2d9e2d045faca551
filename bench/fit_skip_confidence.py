#!/usr/bin/env python3
"""Fit the skip (1-0/0-1) confidence constants in ``aligner/align/confidence.py`` (by hand; prints them).

    python bench/fit_skip_confidence.py

A skip's evidence is its score gap, the cosine a neighbouring bead would lose by taking it in
(in noise SDs) and the log-odds that its side misses text.  Labelled skips come from two kinds
of translation, weighted equally: the KIEP development sets (``bench/devsets.py``: briefs and
noisy documents, whose skips are mostly right) and the free literary translation of
``../shared/dev/grimm`` (complete, so every skip is wrong; development material that is not
shipped: the fit refuses to run without it).  A logistic regression gives the constants, then the
share of right skips per confidence band of each kind.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from devsets import dev_sets  # noqa: E402

from aligner.align import documents as D  # noqa: E402
from aligner.align.arrays import SpanVectors, pair_arrays  # noqa: E402
from aligner.align.confidence import features  # noqa: E402
from aligner.core.values import Bead, Document, Lang  # noqa: E402
from aligner.embed.vector_cache import cached_encoder  # noqa: E402
from aligner.segment.sentences import segment  # noqa: E402

GRIMM = ROOT.parent / "shared" / "dev" / "grimm"
KIEP_SHARE = float(sys.argv[1]) if len(sys.argv) > 1 else 0.75  # of the fitting weight: the briefs and noisy sets


def skips(enc: Any, ko: Document, en: Document) -> list[tuple[Bead, tuple[float, ...]]]:
    """Every skip bead of one alignment with its confidence features."""
    seen: list[tuple[Bead, tuple[float, ...]]] = []
    real = D.confidence

    def spy(b: Bead, g: float, z: float = 0.0, zm: float = 0.0) -> float:
        if not (b.src and b.tgt):
            seen.append((b, features(b, g, z, zm)))
        return real(b, g, z, zm)

    D.confidence = spy  # type: ignore[assignment]
    try:
        s, t = pair_arrays(ko, en, enc)
        D.align_arrays(s, t, src_spans=SpanVectors(s.vecs, ko.texts, enc), tgt_spans=SpanVectors(t.vecs, en.texts, enc))
    finally:
        D.confidence = real
    return seen


def main() -> int:
    if not GRIMM.is_dir():
        raise SystemExit(f"{GRIMM} is absent: the skip constants need a complete free translation to fit")
    enc = cached_encoder()
    x: list[tuple[float, ...]] = []
    y: list[float] = []
    kind: list[str] = []

    def add(ko: Document, en: Document, right: Callable[[Bead], bool], name: str) -> None:
        for b, f in skips(enc, ko, en):
            x.append(f)
            y.append(1.0 if right(b) else 0.0)
            kind.append(name)

    for ds in dev_sets():
        gold = set(ds.gold)
        ko = segment("\n".join(ds.ko) + "\n", Lang.KO, presplit=True)
        en = segment("\n".join(ds.en) + "\n", Lang.EN, presplit=True)
        add(ko, en, lambda b, gold=gold: (b.src, b.tgt) in gold, "kiep")  # type: ignore[misc]
    for tale in sorted(p for p in GRIMM.iterdir() if p.is_dir()):
        ko = segment((tale / "ko.txt").read_text(encoding="utf-8"), Lang.KO, presplit=True)
        en = segment((tale / "en.txt").read_text(encoding="utf-8"), Lang.EN, presplit=True)
        add(ko, en, lambda b: False, "grimm")
    X, Y, K = np.array(x), np.array(y), np.array(kind)
    share = KIEP_SHARE
    n_kiep, n_grimm = max(int((K == "kiep").sum()), 1), max(int((K == "grimm").sum()), 1)
    weight = np.where(K == "kiep", share / n_kiep, (1 - share) / n_grimm) * len(Y)
    w = np.zeros(X.shape[1])
    for _ in range(50):  # Newton steps of a weighted logistic regression (lightly regularised)
        p = 1.0 / (1.0 + np.exp(-X @ w))
        hess = (X * (weight * p * (1 - p))[:, None]).T @ X + 1e-3 * np.eye(w.size)
        w = w + np.linalg.solve(hess, X.T @ (weight * (Y - p)))
    print("skip coefficients (bias, gap, absorption loss z, missing log-odds):", tuple(round(float(c), 3) for c in w))
    p = 1.0 / (1.0 + np.exp(-X @ w))
    for lo, hi in ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01)):
        for name in ("kiep", "grimm"):
            m = (p >= lo) & (p < hi) & (K == name)
            share = f"{Y[m].mean():.3f}" if m.any() else "-"
            print(f"confidence [{lo:.1f}, {hi:.1f}) {name}: {int(m.sum())} skips, right {share}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
