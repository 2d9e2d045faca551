"""Completeness: no invented omissions on complete or free translations, real ones still found.

The documents are the development sets of ``bench/devsets.py``, generated at
run time from the KIEP gold with fixed seeds (complete translation, loose
paraphrase, regrouped "free" translation, condensed brief, noisy translation);
each set's gold follows from its edits.  Real model (the ``encoder`` fixture).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligner.align.completeness import completeness, missing_shares, skip_score
from aligner.align.documents import align_documents
from aligner.align.metrics import score
from aligner.core.values import Lang
from aligner.segment.sentences import segment
from bench.devsets import DevSet, complete_units, dev_sets, read_gold, rebuild, units

Pair = tuple[tuple[int, ...], tuple[int, ...]]


@pytest.fixture(scope="module")
def sets() -> dict[str, DevSet]:
    return {d.name: d for d in dev_sets()}


def align(d_ko: list[str], d_en: list[str], encoder) -> list[Pair]:  # type: ignore[no-untyped-def]
    src = segment("\n".join(d_ko) + "\n", Lang.KO, presplit=True)
    tgt = segment("\n".join(d_en) + "\n", Lang.EN, presplit=True)
    return [(b.src, b.tgt) for b in align_documents(src, tgt, encoder)]


def nulls(beads: list[Pair]) -> set[tuple[str, int]]:
    return {("ko", i) for s, t in beads if not t for i in s} | {("en", j) for s, t in beads if not s for j in t}


@pytest.mark.parametrize(
    "name", ["complete", "loose-0", "loose-1", "loose-2", "loose-3", "free-0", "free-1", "free-2", "free-3", "free-4"]
)
def test_complete_and_free_translations_get_no_invented_omissions(sets, encoder, name) -> None:  # type: ignore[no-untyped-def]
    d = sets[name]
    assert d.omissions == 0  # every sentence of both sides has a counterpart
    beads = align(d.ko, d.en, encoder)
    false_nulls = nulls(beads) - nulls(d.gold)
    assert len(false_nulls) <= max(1, math.floor(0.01 * (len(d.ko) + len(d.en)))), sorted(false_nulls)
    assert score([d.gold], [beads]).f1_strict >= (0.95 if d.kind == "complete" else 0.8)


@pytest.mark.parametrize("name", ["brief-0", "brief-1", "brief-2", "brief-3", "brief-4"])
def test_brief_omissions_are_still_found(sets, encoder, name) -> None:  # type: ignore[no-untyped-def]
    d = sets[name]
    assert d.omissions >= 19
    s = score([d.gold], [align(d.ko, d.en, encoder)])
    assert s.omission_recall >= 0.9, s
    assert s.omission_precision >= 0.9, s


@pytest.mark.parametrize("name", ["noisy-0", "noisy-1"])
def test_omissions_on_both_sides_of_a_full_translation_are_found(sets, encoder, name) -> None:  # type: ignore[no-untyped-def]
    d = sets[name]
    s = score([d.gold], [align(d.ko, d.en, encoder)])
    assert s.omission_recall >= 0.8, s
    assert s.omission_precision >= 0.9, s
    assert s.f1_strict >= 0.95, s


def test_swapped_adjacent_sentences_in_a_complete_translation_are_2_2_beads(encoder) -> None:  # type: ignore[no-untyped-def]
    us = complete_units(units(*read_gold()))
    swapped: list[int] = []
    k = 3
    while k + 1 < len(us):  # swap the English of every ~12th pair of adjacent 1-1 units
        a, b = us[k], us[k + 1]
        if len(a[0]) == len(a[1]) == len(b[0]) == len(b[1]) == 1:
            us[k], us[k + 1] = (a[0] + b[0], b[1] + a[1]), ([], [])
            swapped.append(k)
            k += 12
        else:
            k += 1
    us = [u for u in us if u[0] or u[1]]
    ko, en, gold = rebuild(us)
    two_two = [g for g in gold if len(g[0]) == 2 and len(g[1]) == 2]
    assert len(two_two) == len(swapped) >= 5
    beads = align(ko, en, encoder)
    assert not nulls(beads)
    found = set(beads)
    assert sum(g in found for g in two_two) >= len(two_two) - 1, [g for g in two_two if g not in found]


# --- the estimate itself (arrays, no model) --------------------------------------------------


def test_missing_shares_follow_the_length_balance() -> None:
    assert missing_shares(0.0, 0.0, 0.01) == (0.0, 0.0)
    src, tgt = missing_shares(math.log(1 / 0.7), 0.0, 0.0)  # 30% of the source untranslated
    assert src == pytest.approx(0.3) and tgt == 0.0
    src, tgt = missing_shares(-math.log(1 / 0.8), 0.0, 0.0)  # 20% of the target has no source
    assert src == 0.0 and tgt == pytest.approx(0.2)
    assert missing_shares(0.05, 0.0, 0.06) == (0.0, 0.0)  # within the estimate's noise


def test_skip_cost_is_zero_for_briefs_and_grows_with_completeness() -> None:
    costs = [skip_score(p, 0.1, 0.01, 0.1) for p in (0.5, 0.1, 0.05, 0.02, 0.01, 0.0)]
    assert costs[0] == costs[1] == 0.0
    assert costs == sorted(costs, reverse=True) and costs[-1] == costs[-2] < 0


def test_completeness_from_lengths() -> None:
    rng = np.random.default_rng(0)
    tgt = rng.uniform(50, 200, 100)
    src = tgt * 0.4 * np.exp(rng.normal(0, 0.2, 100))  # Korean: ~0.4 characters per English one
    full = completeness(src, tgt, math.log(0.4), 0.2, 90, prior=0.1, floor=0.01, weight=0.1)
    assert full.missing_src < 0.05 and full.missing_tgt < 0.05 and full.skip_src < 0 and full.skip_tgt < 0
    longer = np.concatenate([src, src[:40]])  # 40 more Korean sentences, untranslated
    brief = completeness(longer, tgt, math.log(0.4), 0.2, 90, prior=0.1, floor=0.01, weight=0.1)
    assert brief.missing_src > 0.2 and brief.skip_src == 0.0 and brief.skip_tgt < 0
    unknown = completeness(src, tgt, 0.0, 0.5, 3, prior=0.1, floor=0.01, weight=0.1)
    assert (unknown.skip_src, unknown.skip_tgt) == (0.0, 0.0)  # no confident matches: no norm



def test_lone_nulls_leave_out_skips_side_by_side() -> None:
    from aligner.align.completeness import lone_null_steps

    def lone_nulls(path: np.ndarray) -> tuple[int, int]:
        src, tgt = lone_null_steps(path)
        return int(src.sum()), int(tgt.sum())

    # steps: 1-1, 1-0 (lone), 1-1, 1-0 + 0-1 (side by side: a weak match), 1-1, 0-1 (lone), 1-1
    steps = [(1, 1), (1, 0), (1, 1), (1, 0), (0, 1), (1, 1), (0, 1), (1, 1)]
    path = np.cumsum(np.array([(0, 0), *steps]), axis=0)
    assert lone_nulls(path) == (1, 1)
    assert lone_nulls(np.array([[0, 0], [1, 1]])) == (0, 0)


# --- free translations: one sentence rendered as several ---------------------------------------


@pytest.fixture(scope="module")
def split_sets_() -> dict[str, DevSet]:
    from bench.devsets import split_sets

    return {d.name: d for d in split_sets()}


@pytest.mark.parametrize("name", ["split-1", "split-2"])
def test_a_sentence_rendered_as_several_is_one_bead_not_a_match_and_omissions(  # type: ignore[no-untyped-def]
    split_sets_, name, encoder
) -> None:
    """The Korean renders many English sentences in two to five sentences (cut at its clauses),
    as a free literary translation does; every sentence has a counterpart.  The pieces must be
    grouped with their English sentence, not left as "no counterpart" beside a 1-1 of one piece."""
    d = split_sets_[name]
    beads = align(d.ko, d.en, encoder)
    assert len(nulls(beads)) <= 2, sorted(nulls(beads))
    s = score([d.gold], [beads])
    assert s.f1_lax >= 0.98, s
    assert s.f1_strict >= 0.8, s


def _with_paragraphs(lines: list[str], breaks: set[int]) -> str:
    return "".join(("\n" if i in breaks else "") + line + "\n" for i, line in enumerate(lines))


def test_corresponding_paragraphs_keep_every_bead_inside_one(split_sets_, encoder) -> None:  # type: ignore[no-untyped-def]
    """Both documents mark paragraphs (every fourth gold unit) and they correspond: no bead
    crosses a paragraph boundary, and the alignment is at least as good as without them."""
    d = split_sets_["split-2"]
    ko_breaks = {g[0][0] for k, g in enumerate(d.gold) if k and k % 4 == 0}
    en_breaks = {g[1][0] for k, g in enumerate(d.gold) if k and k % 4 == 0}
    src = segment(_with_paragraphs(d.ko, ko_breaks), Lang.KO, presplit=True)
    tgt = segment(_with_paragraphs(d.en, en_breaks), Lang.EN, presplit=True)
    assert len(src) == len(d.ko) and len(tgt) == len(d.en)
    beads = [(b.src, b.tgt) for b in align_documents(src, tgt, encoder)]
    for s_ids, t_ids in beads:
        assert len({src.sentences[i].paragraph for i in s_ids}) <= 1, (s_ids, t_ids)
        assert len({tgt.sentences[j].paragraph for j in t_ids}) <= 1, (s_ids, t_ids)
    plain = score([d.gold], [align(d.ko, d.en, encoder)])
    marked = score([d.gold], [beads])
    assert marked.f1_strict >= plain.f1_strict
    assert len(nulls(beads)) <= 1


def test_paragraphs_that_do_not_correspond_lose_nothing(sets, encoder) -> None:  # type: ignore[no-untyped-def]
    """A brief whose paragraphs are cut elsewhere than the report's (a reflowed text): the
    paragraph marks must not force beads; the omissions are still found as without them."""
    d = sets["brief-1"]
    src = segment(_with_paragraphs(d.ko, set(range(5, len(d.ko), 7))), Lang.KO, presplit=True)
    tgt = segment(_with_paragraphs(d.en, set(range(3, len(d.en), 4))), Lang.EN, presplit=True)
    beads = [(b.src, b.tgt) for b in align_documents(src, tgt, encoder)]
    plain = score([d.gold], [align(d.ko, d.en, encoder)])
    marked = score([d.gold], [beads])
    assert marked.f1_strict >= plain.f1_strict - 0.02, (marked, plain)
    assert marked.omission_f1 >= plain.omission_f1 - 0.02, (marked, plain)


def test_omissions_are_found_whatever_the_models_cosine_scale(sets: dict[str, DevSet]) -> None:
    """The probe's absorption threshold is in noise SDs: with e5-small (cosines about five times
    closer together than use-m3's) a threshold in raw cosine counted no omission at all."""
    from aligner.embed.encoders import load_encoder

    d = sets["kiep-gold"]
    got = score([d.gold], [align(d.ko, d.en, load_encoder("e5-small-q4"))])
    assert got.omission_f1 >= 0.8, got
