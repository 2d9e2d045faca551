"""Confidence: a probability, monotone in the evidence, calibrated on the dev gold."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align.confidence import RELATED_FLOOR, confidence, related_reach, relatedness
from aligner.align.costs import DEFAULT_PARAMS
from aligner.align.documents import align_documents, mutual_on_path
from aligner.align.metrics import read_alignment
from aligner.core.values import Bead, Lang
from aligner.segment.sentences import segment
from aligner.session.review import review_order
from tests.conftest import GOLD


@pytest.mark.parametrize("bead", [Bead((0,), (0,)), Bead((0, 1), (0,)), Bead((0,), ()), Bead((), (0,))])
def test_probability_and_monotone_in_gap(bead: Bead) -> None:
    values = [confidence(bead, g, 5.0, 2.0) for g in (0.0, 0.1, 0.3, 0.6, 1.0, 3.0)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values == sorted(values)
    assert confidence(bead, -5.0, 0.0, 0.0) == confidence(bead, 0.0, 0.0, 0.0)  # clipped


def test_stronger_margin_more_confident() -> None:
    b = Bead((0,), (0,))
    assert confidence(b, 0.2, 5.0, 0.5) < confidence(b, 0.2, 5.0, 3.0)


@pytest.fixture(scope="module")
def gold_beads(encoder):  # type: ignore[no-untyped-def]
    ko = segment((GOLD / "ko.txt").read_text(encoding="utf-8"), Lang.KO, presplit=True)
    en_lines = (GOLD / "en.txt").read_text(encoding="utf-8").splitlines()
    gold = {(b.src, b.tgt) for b in read_alignment(GOLD / "gold.align")}
    en = segment("\n".join(en_lines) + "\n", Lang.EN, presplit=True)
    beads = align_documents(ko, en, encoder)
    return beads, np.array([(b.src, b.tgt) in gold for b in beads])


def test_calibrated_on_gold(gold_beads) -> None:  # type: ignore[no-untyped-def]
    beads, right = gold_beads
    conf = np.array([b.confidence for b in beads])
    high = conf >= 0.8
    assert high.sum() >= 0.8 * len(beads)
    assert right[high].mean() >= 0.97
    if (~right).any():
        assert np.median(conf[~right]) < np.median(conf[right])


def test_review_lists_wrong_beads_first(gold_beads) -> None:  # type: ignore[no-untyped-def]
    beads, right = gold_beads
    order = review_order(beads)
    assert len(order) == len(beads)
    wrong_positions = {k for k, ok in enumerate(right) if not ok}
    top = {it.position for it in order[: max(5, len(wrong_positions))]}
    assert wrong_positions <= top
    assert [it.suspicion for it in order] == sorted((it.suspicion for it in order), reverse=True)


def test_relatedness_separates_translations_from_unrelated_text_at_any_length() -> None:
    def reach(n: int) -> int:  # the candidates relatedness assumes for an n x n pair
        return related_reach(n, n, DEFAULT_PARAMS.first_band)

    translation = [4.6, 5.1, 3.9, 4.4, 2.0, 4.8]  # match z of translated sentences (KIEP: median 4.6)
    chance = [2.5, 3.1, 2.6, 1.2, 0.9, 2.6]  # best partners in an unrelated text (a diary vs KIEP)
    for n in (10, 84, 1_000, 10_000, 100_000):
        assert relatedness(translation, reach(n)) > 0.5, n
    assert relatedness(chance, reach(84)) < 0.2
    assert relatedness([], reach(84)) == 0.0


def test_a_free_translation_is_related_at_any_length_by_its_mutual_best_matches() -> None:
    # match z of a free literary translation (the Grimm book: median 3.0): by the cosines alone the
    # whole book once read as unrelated and every pair lost its confidence
    free = [3.2, 3.0, 2.4, 2.6, 4.1, 3.7, 2.9]
    band = DEFAULT_PARAMS.first_band
    book = related_reach(20_116, 10_722, band)
    assert relatedness(free, book) < RELATED_FLOOR
    # ... but its mutual best matches lie along the alignment (Grimm book: 42% of the English sentences)
    assert relatedness(free, book, mutual_share=0.42, sentences=10_722) > 0.95
    # unrelated text puts few there (unrelated tales: 0.03-0.18), and six sentences prove nothing
    assert relatedness(free, book, mutual_share=0.1, sentences=10_722) < 0.2
    assert relatedness(free, related_reach(6, 84, band), mutual_share=0.5, sentences=6) < RELATED_FLOOR


def test_mutual_best_matches_count_only_inside_one_match_bead() -> None:
    beads = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ()), Bead((4,), (2,))]
    mutual = np.array([[0, 0], [2, 1], [3, 2], [4, 2]])  # (3, 2) crosses beads: not counted
    assert mutual_on_path(mutual, beads, 5, 3) == 1.0
    assert mutual_on_path(mutual[2:3], beads, 5, 3) == 0.0
