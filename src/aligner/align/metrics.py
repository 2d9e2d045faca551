"""Alignment scoring: Vecalign's strict/lax P/R/F1 plus omission P/R/F1.

Definitions follow Vecalign's ``score.py`` (after Sennrich & Volk's lax/strict
measures), pooled over several gold/test pairs:

* precision is computed over the test beads (1-0/0-1 beads included): a test
  bead is a strict hit if it equals a gold bead; a lax hit if some source id of
  it is aligned in gold to some target id of it (or it is a strict hit);
* recall is the same computation with gold and test swapped, after dropping
  every 1-0/0-1 bead from both, so omissions never count on recall;
* omission P/R/F1 compare the sets of 1-0 and 0-1 beads exactly (a multi-id
  omission bead is split into single-sentence omissions first, since ``[3,4]:[]``
  and ``[3]:[] [4]:[]`` say the same thing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from aligner.core.budgets import MAX_LISTING_BYTES, read_input
from aligner.core.errors import InputError
from aligner.core.values import Bead

Pair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    omission_precision: float
    omission_recall: float
    omission_f1: float
    n_gold: int
    n_test: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _pairs(beads: Iterable[Bead | Pair]) -> list[Pair]:
    out: list[Pair] = []
    for b in beads:
        src, tgt = (b.src, b.tgt) if isinstance(b, Bead) else b
        if src or tgt:
            out.append((tuple(src), tuple(tgt)))
    return out


def _counts(gold: Sequence[Pair], test: Sequence[Pair]) -> tuple[int, int, int, int]:
    """(tp strict, fp strict, tp lax, fp lax) of ``test`` against ``gold``."""
    gold_set = set(gold)
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for g_src, g_tgt in gold_set:
        for s in g_src:
            src_to_tgt[s].update(g_tgt)
    tps = fps = tpl = fpl = 0
    for t_src, t_tgt in set(test):
        if (t_src, t_tgt) in gold_set:
            tps += 1
            tpl += 1
            continue
        fps += 1
        linked: set[int] = set()
        for s in t_src:
            linked |= src_to_tgt.get(s, set())
        if linked.intersection(t_tgt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _omissions(beads: Sequence[Pair]) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for src, tgt in beads:
        if not tgt:
            out |= {("src", i) for i in src}
        elif not src:
            out |= {("tgt", j) for j in tgt}
    return out


def score(
    golds: Sequence[Iterable[Bead | Pair]], tests: Sequence[Iterable[Bead | Pair]]
) -> Scores:
    """Pooled scores of several test alignments against their golds."""
    if len(golds) != len(tests):
        raise ValueError("need as many test alignments as gold alignments")
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    o_tp = o_test = o_gold = 0
    n_gold = n_test = 0
    for gold_beads, test_beads in zip(golds, tests, strict=False):
        gold = _pairs(gold_beads)
        test = _pairs(test_beads)
        n_gold += len(gold)
        n_test += len(test)
        for k, v in enumerate(_counts(gold, test)):
            p[k] += v
        gold_links = [b for b in gold if b[0] and b[1]]
        test_links = [b for b in test if b[0] and b[1]]
        for k, v in enumerate(_counts(test_links, gold_links)):
            r[k] += v
        og, ot = _omissions(gold), _omissions(test)
        o_tp += len(og & ot)
        o_gold += len(og)
        o_test += len(ot)
    ps, rs = _ratio(p[0], p[0] + p[1]), _ratio(r[0], r[0] + r[1])
    pl, rl = _ratio(p[2], p[2] + p[3]), _ratio(r[2], r[2] + r[3])
    if o_gold == 0 and o_test == 0:
        op = orc = of = 1.0
    else:
        op, orc = _ratio(o_tp, o_test), _ratio(o_tp, o_gold)
        of = _f1(op, orc)
    return Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl), op, orc, of, n_gold, n_test)


def read_alignment(path: str | Path) -> list[Bead]:
    """Read a Vecalign-format file (``[0,1]:[2]`` per line)."""
    try:
        text = read_input(path, MAX_LISTING_BYTES).decode("utf-8-sig")  # a BOM is allowed
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: not a UTF-8 alignment file (binary?); give Vecalign lines like [0,1]:[2]"
        ) from None
    beads = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            beads.append(Bead.parse(line))
        except ValueError:
            raise InputError(f"{path}:{n}: not an alignment line: {line.strip()[:60]!r}") from None
    return beads
