"""Alignment: quality on the dev gold (real model), invariants, constraints, swaps."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.align.arrays import anchor_tokens, synthetic_side
from aligner.align.documents import MAX_SPAN, Params, align_arrays, align_documents, diagonal_band
from aligner.align.dp import banded_dp, max_marginals, path_gaps, warm_up
from aligner.align.metrics import read_alignment, score
from aligner.core.values import Bead, Document, Lang, check_beads
from aligner.segment.sentences import segment
from tests.conftest import GOLD


def presplit(lines: list[str], lang: Lang) -> Document:
    return segment("\n".join(lines) + "\n", lang, presplit=True)


@pytest.fixture(scope="module")
def gold_lines() -> tuple[list[str], list[str], list[Bead]]:
    ko = (GOLD / "ko.txt").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "en.txt").read_text(encoding="utf-8").splitlines()
    return ko, en, read_alignment(GOLD / "gold.align")


@pytest.fixture(scope="module")
def gold_run(gold_lines, encoder):  # type: ignore[no-untyped-def]
    ko, en, gold = gold_lines
    src, tgt = presplit(ko, Lang.KO), presplit(en, Lang.EN)
    return src, tgt, gold, align_documents(src, tgt, encoder)


def assert_valid(beads: tuple[Bead, ...] | list[Bead], n: int, m: int) -> None:
    check_beads(tuple(beads), n, m)
    for b in beads:
        assert 0.0 <= b.confidence <= 1.0
        assert len(b.src) <= MAX_SPAN and len(b.tgt) <= MAX_SPAN


def test_gold_quality(gold_run) -> None:  # type: ignore[no-untyped-def]
    src, tgt, gold, beads = gold_run
    assert_valid(beads, len(src), len(tgt))
    s = score([gold], [beads])
    assert s.f1_strict >= 0.97, s
    assert s.omission_f1 >= 0.90, s


def test_constraints_are_kept(gold_lines, encoder) -> None:  # type: ignore[no-untyped-def]
    ko, en, _ = gold_lines
    src, tgt = presplit(ko, Lang.KO), presplit(en, Lang.EN)
    # a deliberately odd user decision is still honoured verbatim
    constraints = [
        Bead((10,), (13, 14), confirmed=True),
        Bead((40,), (), confirmed=True),
        Bead((), (60,), confirmed=True),
    ]
    beads = align_documents(src, tgt, encoder, constraints=constraints)
    assert_valid(beads, len(src), len(tgt))
    for c in constraints:
        kept = [b for b in beads if b.src == c.src and b.tgt == c.tgt]
        assert kept and kept[0].confirmed


def test_swapped_sentences_become_one_bead(gold_lines, encoder) -> None:  # type: ignore[no-untyped-def]
    ko, en, gold = gold_lines
    # gold has [20]:[23] [21]:[24]; translate them in swapped order
    assert Bead((20,), (23,)) in gold and Bead((21,), (24,)) in gold
    en2 = en[:]
    en2[23], en2[24] = en[24], en[23]
    src, tgt = presplit(ko, Lang.KO), presplit(en2, Lang.EN)
    beads = align_documents(src, tgt, encoder)
    assert_valid(beads, len(src), len(tgt))
    assert any(b.src == (20, 21) and b.tgt == (23, 24) for b in beads)


def test_dropped_translation_is_an_omission(gold_lines, encoder) -> None:  # type: ignore[no-untyped-def]
    ko, en, _ = gold_lines
    en2 = en[:20] + en[21:]  # [16]:[20] loses its English
    beads = align_documents(presplit(ko, Lang.KO), presplit(en2, Lang.EN), encoder)
    assert Bead((16,), ()) in [replace(b, confidence=1.0) for b in beads]


def test_anchor_tokens_cross_language() -> None:
    assert "#3" in anchor_tokens("제3장에서는 분석하였다.", Lang.KO)
    assert "#3" in anchor_tokens("In Chapter 3, we analyze", Lang.EN)
    assert {"#2017", "#11"} <= anchor_tokens("지난 2017년 11월에 발표", Lang.KO)
    assert {"#2017", "#11"} <= anchor_tokens("In November 2017 the government", Lang.EN)
    assert "i-korea" in anchor_tokens("I-KOREA 4.0을 발표", Lang.KO)


# --- the DP on arrays -------------------------------------------------------------------


def brute_force(scores: np.ndarray, types: np.ndarray, n: int, m: int) -> float:
    """Full-matrix DP over the same bead types (reference for tiny inputs)."""
    best = np.full((n + 1, m + 1), -np.inf)
    best[0, 0] = 0.0
    rows = [t for t in range(len(types)) if types[t][0] and types[t][1]]
    for i in range(n + 1):
        for j in range(m + 1):
            for t, (a, b) in enumerate(types.tolist()):
                if (i, j) == (0, 0) or i < a or j < b or best[i - a, j - b] == -np.inf:
                    continue
                s = 0.0 if t not in rows else scores[rows.index(t), i * (m + 1) + j]
                best[i, j] = max(best[i, j], best[i - a, j - b] + s)
    return float(best[n, m])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**31 - 1))
def test_banded_dp_matches_brute_force(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    types = np.array([[1, 1], [1, 0], [0, 1], [1, 2], [2, 1], [2, 2]])
    lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    scores = rng.normal(size=(4, (n + 1) * (m + 1)))
    path = banded_dp(lo, hi, types, scores, np.zeros(n), np.zeros(m))
    total = 0.0
    rows = {(1, 1): 0, (1, 2): 1, (2, 1): 2, (2, 2): 3}
    for (i0, j0), (i1, j1) in zip(path[:-1].tolist(), path[1:].tolist(), strict=False):
        shape = (i1 - i0, j1 - j0)
        assert shape in [tuple(t) for t in types.tolist()]
        if shape in rows:
            total += scores[rows[shape], i1 * (m + 1) + j1]
    assert total == pytest.approx(brute_force(scores, types, n, m))


def path_total(path: np.ndarray, lo: np.ndarray, hi: np.ndarray, types: np.ndarray, scores: np.ndarray,
               skip_src: np.ndarray, skip_tgt: np.ndarray) -> float:
    start = np.concatenate([[0], np.cumsum(hi - lo + 1)[:-1]])
    rows = {tuple(t): k for k, t in enumerate(x for x in types.tolist() if x[0] and x[1])}
    total = 0.0
    for (i0, j0), (i1, j1) in zip(path[:-1].tolist(), path[1:].tolist(), strict=False):
        shape = (i1 - i0, j1 - j0)
        if shape == (1, 0):
            total += skip_src[i0]
        elif shape == (0, 1):
            total += skip_tgt[j0]
        else:
            total += float(scores[rows[shape], start[i1] + j1 - lo[i1]])
    return total


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 14), st.integers(0, 14), st.integers(1, 6), st.booleans(), st.integers(0, 2**31 - 1))
def test_numpy_and_numba_kernels_agree(n: int, m: int, width: int, banded: bool, seed: int) -> None:
    """The two kernel sets (small documents / books) find equally good paths, marginals and gaps."""
    rng = np.random.default_rng(seed)
    types = np.array([[1, 1], [1, 0], [0, 1], [1, 2], [2, 1], [2, 2], [1, 3], [3, 1]])
    lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    if banded and n:
        centre = np.linspace(0, m, n + 1).round().astype(np.int64)
        lo = np.maximum.accumulate(np.maximum(0, centre - width))
        hi = np.maximum.accumulate(np.minimum(m, centre + width))
        lo[0], hi[-1] = 0, m
        lo[1:] = np.minimum(lo[1:], hi[:-1])  # neighbouring rows overlap: the band holds a path
    scores = rng.normal(size=(6, int((hi - lo + 1).sum()))).astype(np.float32)
    skip_src, skip_tgt = rng.normal(size=n) - 1, rng.normal(size=m) - 1
    args = (lo, hi, types, scores, skip_src, skip_tgt)
    fast, compiled = banded_dp(*args, backend="numpy"), banded_dp(*args, backend="numba")
    assert path_total(fast, *args) == pytest.approx(path_total(compiled, *args))
    marg_np, best_np = max_marginals(*args, backend="numpy")
    marg_nb, best_nb = max_marginals(*args, backend="numba")
    assert best_np == pytest.approx(best_nb) and best_np == pytest.approx(path_total(compiled, *args))
    assert np.allclose(marg_np, marg_nb)
    assert np.allclose(path_gaps(*args, compiled, backend="numpy"), path_gaps(*args, compiled, backend="numba"))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(1, 8), st.booleans(), st.integers(0, 2**31 - 1))
def test_pass_one_kernel_chooses_as_the_general_one(n: int, m: int, width: int, ties: bool, seed: int) -> None:
    """The compiled pass-1 loop (1-1, 1-0, 0-1 only) makes the general loop's choices, ties included."""
    from aligner.align import dp_numba
    from aligner.align.dp import _prep

    rng = np.random.default_rng(seed)
    lo, hi = diagonal_band(n, m, width)
    scores = rng.normal(size=(1, int((hi - lo + 1).sum()))).astype(np.float32)
    skip_src, skip_tgt = rng.normal(size=n) * 0.3 - 0.2, rng.normal(size=m) * 0.3 - 0.2
    if ties:
        scores, skip_src, skip_tgt = scores.round(), skip_src.round(), skip_tgt.round()
    lo, hi, start, types, row, scores, skip_src, skip_tgt = _prep(
        lo, hi, np.array([[1, 1], [1, 0], [0, 1]]), scores, skip_src, skip_tgt
    )
    general = np.full(scores.shape[1], -1, dtype=np.int8)
    special = general.copy()
    best = dp_numba.forward_rows(lo, hi, start, types, row, scores, skip_src, skip_tgt, general)
    assert dp_numba.forward_rows_one_one(lo, hi, start, scores, skip_src, skip_tgt, special) == best
    assert np.array_equal(general, special)


def test_indexed_dots_compiled_and_numpy_agree() -> None:
    from aligner.align import dots

    rng = np.random.default_rng(1)
    u, v = rng.normal(size=(30, 512)).astype(np.float32), rng.normal(size=(20, 512)).astype(np.float32)
    iu, iv = rng.integers(0, 30, dots.COMPILED_FROM), rng.integers(0, 20, dots.COMPILED_FROM)
    compiled = dots.indexed_dots(u, iu, v, iv)  # this many pairs load the compiled kernel
    assert np.allclose(compiled, np.einsum("ij,ij->i", u[iu], v[iv]), atol=1e-3)


def random_pair(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, 32)).astype(np.float32)
    b = rng.normal(size=(m, 32)).astype(np.float32)
    k = min(n, m)
    b[:k] += 2 * a[np.linspace(0, n - 1, k).astype(int)]  # some diagonal signal
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    return a, b


@st.composite
def problems(draw: st.DrawFn) -> tuple[int, int, int, list[Bead]]:
    n, m = draw(st.integers(0, 40)), draw(st.integers(0, 40))
    cons: list[Bead] = []
    i = j = 0
    for _ in range(draw(st.integers(0, 3))):
        i += draw(st.integers(0, 6))
        j += draw(st.integers(0, 6))
        a, b = draw(st.integers(0, 2)), draw(st.integers(0, 2))
        if a + b == 0 or i + a > n or j + b > m:
            break
        cons.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), confirmed=True))
        i, j = i + a, j + b
    return n, m, draw(st.integers(0, 2**31 - 1)), cons


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_arrays_give_valid_alignments(problem: tuple[int, int, int, list[Bead]]) -> None:
    n, m, seed, cons = problem
    warm_up()
    a, b = random_pair(n, m, seed) if n and m else (np.zeros((n, 32), np.float32), np.zeros((m, 32), np.float32))
    beads, _ = align_arrays(synthetic_side(a), synthetic_side(b), constraints=cons, params=Params(first_band=3))
    assert_valid(beads, n, m)
    for c in cons:
        assert any(x.src == c.src and x.tgt == c.tgt and x.confirmed for x in beads)


def test_diagonal_band_is_monotone_and_covers_ends() -> None:
    lo, hi = diagonal_band(50, 20, 3)
    assert lo[0] == 0 and hi[-1] == 20
    assert (np.diff(lo) >= 0).all() and (np.diff(hi) >= 0).all()


def test_synthetic_signal_is_recovered() -> None:
    rng = np.random.default_rng(1)
    a = rng.normal(size=(200, 64)).astype(np.float32)
    keep = np.ones(200, bool)
    keep[[10, 50, 51, 120]] = False
    b = a[keep] + 0.3 * rng.normal(size=(int(keep.sum()), 64)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    beads, _ = align_arrays(synthetic_side(a), synthetic_side(b))
    omitted = {b.src[0] for b in beads if not b.tgt}
    assert omitted == {10, 50, 51, 120}
