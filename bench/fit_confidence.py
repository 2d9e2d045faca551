#!/usr/bin/env python3
"""Fit the confidence constants in ``aligner/confidence.py`` (run by hand, prints them).

    python bench/fit_confidence.py

Honest fitting, not on the dev gold itself: the fitting set is made of
*synthetic perturbations* of the KIEP gold (English sentences dropped, Korean
sentences dropped, adjacent translations swapped, adjacent sentences merged,
the English condensed, and several of these at once at higher rates), plus
Korean text paired with unrelated English prose (a licence text shipped in
site-packages) whose every match is wrong. Each perturbation's gold follows
from the edit. The aligner runs on every set; each output bead is labelled
right/wrong against that gold and a logistic regression per bead kind
(1-1, m-n, skip) on (gap, z, zm) gives the constants. The dev gold is then
used only to *check* calibration (tests/test_confidence.py).
"""

from __future__ import annotations

import glob
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_align import GOLD, Memo  # noqa: E402

from aligner import align as A  # noqa: E402
from aligner.align.arrays import SpanVectors, pair_arrays  # noqa: E402
from aligner.align.confidence import bead_kind, features  # noqa: E402
from aligner.align.metrics import read_alignment  # noqa: E402
from aligner.core.values import Bead, Lang  # noqa: E402
from aligner.embed.encoders import load_encoder  # noqa: E402
from aligner.segment.sentences import segment  # noqa: E402

KO = (GOLD / "ko.txt").read_text(encoding="utf-8").splitlines()
EN = (GOLD / "en.txt").read_text(encoding="utf-8").splitlines()
GOLD_BEADS = read_alignment(GOLD / "gold.align")
Units = list[tuple[list[str], list[str]]]


def units() -> Units:
    return [([KO[i] for i in b.src], [EN[j] for j in b.tgt]) for b in GOLD_BEADS]


def rebuild(us: Units) -> tuple[list[str], list[str], list[Bead]]:
    ko: list[str] = []
    en: list[str] = []
    gold: list[Bead] = []
    for ks, es in us:
        if not es and len(ks) > 1:  # omissions are single-sentence beads
            for k in ks:
                gold.append(Bead((len(ko),), ()))
                ko.append(k)
            continue
        gold.append(Bead(tuple(range(len(ko), len(ko) + len(ks))), tuple(range(len(en), len(en) + len(es)))))
        ko += ks
        en += es
    return ko, en, [b for b in gold if b.src or b.tgt]


def perturb(seed: int, rate: float) -> tuple[list[str], list[str], list[Bead]]:
    """Swaps, merges, dropped and inserted English sentences, at ``rate``."""
    rng = random.Random(seed)
    bt = units()
    out: Units = []
    i = 0
    while i < len(bt):
        ks, es = bt[i]
        nxt = bt[i + 1] if i + 1 < len(bt) else None
        pair = len(ks) == len(es) == 1 and nxt is not None and len(nxt[0]) == len(nxt[1]) == 1
        r = rng.random()
        if pair and nxt and r < rate * 0.3:
            out.append((ks + nxt[0], nxt[1] + es))  # swapped translation order -> 2-2
            i += 2
            continue
        if pair and nxt and r < rate * 0.6:
            out.append((ks + nxt[0], [es[0] + " " + nxt[1][0]]))  # merged English -> 2-1
            i += 2
            continue
        if es and r < rate:
            es = es[:]
            es.pop(rng.randrange(len(es)))  # dropped English
        if len(ks) == 1 and es and rng.random() < rate * 0.3:
            out.append(([], es))  # dropped Korean -> 0-1 each
            i += 1
            continue
        out.append((ks, es))
        if es and rng.random() < rate * 0.3:
            out.append(([], [EN[rng.randrange(len(EN))]]))  # inserted English from elsewhere
        i += 1
    flat: Units = []
    for ks, es in out:
        flat += [([], [e]) for e in es] if not ks else [(ks, es)]
    return rebuild(flat)


def datasets() -> list[tuple[str, list[str], list[str], list[Bead]]]:
    ds = [(f"perturb{s}", *perturb(1000 + s, 0.1 + 0.03 * s)) for s in range(12)]
    licence = glob.glob(str(ROOT / ".venv/lib/python3*/site-packages/translate_toolkit-*/licenses/COPYING"))
    if licence:
        prose = segment(Path(licence[0]).read_text(encoding="utf-8"), Lang.EN).texts[40:]
        for s in range(3):
            ko, en = KO[s * 10 : s * 10 + 50], prose[s * 20 : s * 20 + 60]
            ds.append((f"unrelated{s}", ko, en, [Bead((i,), ()) for i in range(len(ko))]))
    return ds


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def main() -> None:
    enc = Memo(load_encoder("use-m3"))
    rows: dict[str, list[tuple[Any, ...]]] = {"1-1": [], "m-n": [], "skip": []}
    seen: list[tuple[Bead, float, float, float]] = []
    orig = A.confidence

    def spy(b: Bead, gap: float, z: float = 0.0, zm: float = 0.0) -> float:
        seen.append((b, gap, z, zm))
        return orig(b, gap, z, zm)

    A.confidence = spy  # type: ignore[assignment]
    for name, ko, en, gold in datasets():
        seen.clear()
        src = segment("\n".join(ko) + "\n", Lang.KO, presplit=True)
        tgt = segment("\n".join(en) + "\n", Lang.EN, presplit=True)
        s, t = pair_arrays(src, tgt, enc)
        ss, ts = SpanVectors(s.vecs, src.texts, enc), SpanVectors(t.vecs, tgt.texts, enc)
        A.align_arrays(s, t, src_spans=ss, tgt_spans=ts)
        right = {(b.src, b.tgt) for b in gold}
        for b, gap, z, zm in seen:
            if name.startswith("unrelated") and not (b.src and b.tgt):
                continue  # only its (wrong) matches are informative
            rows[bead_kind(b)].append((*features(b, gap, z, zm), (b.src, b.tgt) in right))
    for kind, data in rows.items():
        arr = np.array(data, dtype=float)
        x, y = arr[:, :-1], arr[:, -1]
        w = logistic(x, y)
        print(f'    "{kind}": {tuple(round(float(v), 3) for v in w)},  # n={len(y)}, wrong={int((1 - y).sum())}')


if __name__ == "__main__":
    main()
