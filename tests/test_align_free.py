"""Free translations: no sentence called untranslated because the translator cut, glossed or commented.

Real model and kiwipiepy where a document is aligned (``tests/data/free-tale``, a tale
written for these tests); synthetic arrays where one mechanism is checked alone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from aligner.align.arrays import SideArrays, synthetic_side
from aligner.align.calibration import _stretch_log_ratios, increasing_run
from aligner.align.completeness import Completeness, refined
from aligner.align.costs import DEFAULT_PARAMS
from aligner.align.documents import align_arrays, align_documents
from aligner.align.units import bracket_units, continuations, speech_tags, to_sentences, to_units, uncut_units
from aligner.core.values import Bead, Lang
from aligner.segment.sentences import segment

TALE = Path(__file__).parent / "data" / "free-tale"


# --- the length model's anchors ------------------------------------------------------------


def test_increasing_run_is_the_longest_chain_not_the_first() -> None:
    values = np.array([9, 1, 2, 3, 10, 4, 5])
    run = increasing_run(values)
    assert run.tolist() == [1, 2, 3, 5, 6]
    assert increasing_run(np.array([], dtype=np.int64)).size == 0


def test_one_stray_early_anchor_does_not_hide_the_others() -> None:
    """The first confident match points at a late sentence (a repeated line, a title): the stretches
    must still run over the other anchors, so the length ratio is the text's (here 1:2)."""
    src_len, tgt_len = np.full(40, 10.0), np.full(40, 20.0)
    anchors = np.zeros(40, dtype=bool)
    anchors[::3] = True
    arg = np.arange(40)
    arg[0] = 38  # stray
    stretches = _stretch_log_ratios(src_len, tgt_len, anchors, arg, 3)
    assert stretches.size >= 5
    assert np.median(stretches) == pytest.approx(np.log(0.5))


# --- the probe's evidence ------------------------------------------------------------------


def test_a_single_lone_skip_of_the_probe_is_no_evidence_of_omissions() -> None:
    complete = refined(Completeness(0.0, 0.0, 0.0, 0.0), 0, 0, 27, 18, prior=0.1, floor=0.01, weight=0.1)
    one = refined(complete, 1, 1, 27, 18, prior=0.1, floor=0.01, weight=0.1, least=2)
    assert one == complete
    two = refined(complete, 2, 0, 27, 18, prior=0.1, floor=0.01, weight=0.1, least=2)
    assert two.missing_src == pytest.approx(2 / 27) and two.skip_src > complete.skip_src


# --- a short piece its neighbour takes in ----------------------------------------------------


def _unit(x: np.ndarray) -> np.ndarray:
    return np.asarray(x / np.linalg.norm(x, axis=-1, keepdims=True))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_short_fragment_joins_its_sentence_while_real_omissions_stay(seed: int) -> None:
    """Five whole sentences have no counterpart (so skips are cheap); one short piece (8 characters
    beside 100) renders part of its neighbour's English at a small cost in cosine.  It belongs in
    that bead; without the fragment rule it is a 1-0 bead."""
    rng = np.random.default_rng(seed)
    n, d = 60, 256
    tgt = _unit(rng.normal(size=(n, d)))
    src = _unit(tgt + 0.6 * _unit(rng.normal(size=(n, d))))
    rows: list[np.ndarray] = []
    lengths: list[float] = []
    omitted: list[int] = []
    fragment = -1
    for i in range(n):
        rows.append(src[i])
        lengths.append(100.0)
        if i in (10, 22, 35, 47, 55):
            omitted.append(len(rows))
            rows.append(_unit(rng.normal(size=d)))
            lengths.append(100.0)
        if i == 30:
            fragment = len(rows)
            rows.append(_unit(tgt[i] + 1.3 * _unit(rng.normal(size=d))))
            lengths.append(8.0)
    ko, en = synthetic_side(np.array(rows, dtype=np.float32), np.array(lengths)), synthetic_side(tgt)

    beads, _ = align_arrays(ko, en)
    skipped = {b.src[0] for b in beads if not b.tgt}
    assert skipped == set(omitted)
    assert any(fragment in b.src and b.tgt for b in beads)

    beads, _ = align_arrays(ko, en, params=replace(DEFAULT_PARAMS, fragment_cost=0.0))
    assert fragment in {b.src[0] for b in beads if not b.tgt}  # the case needs the rule


# --- sentences cut inside brackets -----------------------------------------------------------


def test_bracket_units() -> None:
    texts = [
        "옛날에 ‘방앗간’(곡식을 빻는 곳.",  # cut inside the bracket
        "요즘의 정미소) 주인이 살았어요.",
        "소녀가 웃었어요 :)",  # an emoticon closes nothing
        "(해피엔딩이에요 ㅎㅎ)",  # a note on the sentence before
        "(1) 첫째 항목이다.",  # a list item, not a note
        "제목(",  # a heading stays alone
        "괄호가 열린 채 끝나요 (",  # never closed within reach: alone
        "다음 문장.",
        "그 다음.",
        "또 다음.",
    ]
    paragraphs = [0, 0, 0, 0, 0, 1, 2, 2, 2, 2]
    headings = [False, False, False, False, False, True, False, False, False, False]
    units = bracket_units(texts, paragraphs, headings)
    assert units == [(0, 2), (2, 2), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1), (9, 1)]
    # never across a paragraph
    assert bracket_units(["가(나.", "다)라."], [0, 1], [False, False]) == [(0, 1), (1, 1)]
    # a note of three sentences joins the sentence it comments on
    note = ["이야기가 끝났어요.", "(보셨죠?", "줄거리가 없었지요.", "저도 당황했어요 ㅋㅋ)"]
    assert bracket_units(note, [0] * 4, [False] * 4) == [(0, 4)]


def test_speech_tags_are_short_reports_of_speech() -> None:
    texts = [
        "새끼 염소들이 합창했어요.",
        "소녀가 울면서 말했어요.",
        "고양이가 대답했다.",
        "“네 엄마.",
        "소녀는 바구니를 들고 언덕 위 작고 비뚤어진 집까지 천천히 올라가며 말했어요.",  # too long: a sentence
        "“그래,”라며 할머니가 말했어요.",  # a word or two quoted: the rest of the quotation is elsewhere
        "“오늘은 날씨가 정말 좋구나, 얘들아,”라며 엄마가 말했어요.",  # a quotation of its own
        "The miller answered.",
    ]
    assert speech_tags(texts).tolist() == [True, True, True, False, False, True, False, False]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_speech_tag_is_not_left_without_counterpart(seed: int) -> None:
    """A short Korean sentence the encoder matches with nothing: skipped on its own, kept in a bead
    (with its quotation's) once it is known to be a speech tag."""
    rng = np.random.default_rng(seed)
    n, d = 60, 256
    tgt = _unit(rng.normal(size=(n, d)))
    src = _unit(tgt + 0.6 * _unit(rng.normal(size=(n, d))))
    rows = np.concatenate([src[:30], _unit(rng.normal(size=(1, d))), src[30:]]).astype(np.float32)
    ko = synthetic_side(rows, np.array([100.0] * 30 + [15.0] + [100.0] * 30))
    en = synthetic_side(tgt)
    beads, _ = align_arrays(ko, en)
    assert Bead((30,), ()) in [replace(b, confidence=1.0) for b in beads]  # the case needs the rule
    beads, _ = align_arrays(replace(ko, speech_tag=np.arange(n + 1) == 30), en)
    assert all(b.tgt for b in beads) and any(30 in b.src for b in beads)


def test_continuations_open_with_a_narrative_connective() -> None:
    texts = [
        "그래서 엄마 염소는 울며 길을 나섰어요.",
        "그러자 얼음이 갈라졌어요.",
        "왜냐하면 왕비를 너무도 사랑했기 때문이에요.",  # "… because he loved the queen so much"
        "그래도 소녀는 웃었어요.",
        "따라서 정부는 규제를 완화했다.",  # a report's argument, not a story's next step
    ]
    assert continuations(texts).tolist() == [True, True, True, False, False]


def _continued(seed: int, inserted: int) -> tuple[SideArrays, SideArrays, int]:
    """English sentence 29 rendered as two Korean ones, the second weakly like it (the encoder sees
    little of it); ``inserted`` Korean sentences with no counterpart spread over the text."""
    rng = np.random.default_rng(seed)
    n, d = 60, 256
    tgt = _unit(rng.normal(size=(n, d)))
    src = _unit(tgt + 0.6 * _unit(rng.normal(size=(n, d))))
    rest = _unit(0.4 * tgt[29:30] + _unit(rng.normal(size=(1, d))))[0]
    rows, lengths = [*src[:30], rest, *src[30:]], [100.0] * 30 + [50.0] + [100.0] * 30
    for at in range(57, 0, -6)[:inserted]:
        rows.insert(at, _unit(rng.normal(size=(1, d)))[0])
        lengths.insert(at, 100.0)
    where = next(i for i, row in enumerate(rows) if row is rest)
    ko = synthetic_side(np.array(rows, dtype=np.float32), np.array(lengths))
    en = synthetic_side(tgt, np.array([150.0 if j == 29 else 100.0 for j in range(n)]))
    return replace(ko, continuation=np.arange(len(rows)) == where), en, where


@pytest.mark.parametrize("seed", [2, 3])
def test_a_continuation_joins_the_sentence_before_where_the_translation_is_complete(seed: int) -> None:
    ko, en, where = _continued(seed, 0)
    beads, _ = align_arrays(replace(ko, continuation=np.zeros(len(ko.lengths), dtype=bool)), en)
    assert Bead((where,), ()) in [replace(b, confidence=1.0) for b in beads]  # the case needs the rule
    beads, _ = align_arrays(ko, en)
    assert all(b.tgt for b in beads) and next(b for b in beads if where in b.src).src == (where - 1, where)


@pytest.mark.parametrize("seed", [1, 5])
def test_a_continuation_is_left_untranslated_where_the_side_misses_sentences(seed: int) -> None:
    """Where a seventh of the Korean has no counterpart (a brief), a continuation matched this
    weakly is one more omission, not a piece of its neighbour."""
    ko, en, where = _continued(seed, 10)
    ungated = replace(DEFAULT_PARAMS, continuation_missing=1.0)
    assert not any(where in b.src and not b.tgt for b in align_arrays(ko, en, params=ungated)[0])  # needs the gate
    beads, _ = align_arrays(ko, en)
    assert Bead((where,), ()) in [replace(b, confidence=1.0) for b in beads]
    assert sum(1 for b in beads if not b.tgt) == 11


def test_a_constraint_that_cuts_a_unit_splits_it_and_beads_map_back() -> None:
    units = [(0, 2), (2, 1), (3, 2)]
    cut = uncut_units(units, 0, [Bead((1,), (0,), confirmed=True)])
    assert cut == [(0, 1), (1, 1), (2, 1), (3, 2)]
    assert uncut_units(units, 0, [Bead((3, 4), (2,), confirmed=True)]) == units
    beads = [Bead((0, 1), (0,)), Bead((2,), ()), Bead((3, 4), (1, 2), confirmed=True)]
    tgt_units = [(0, 1), (1, 1), (2, 1)]
    as_units = to_units(beads, units, tgt_units)
    assert [(b.src, b.tgt) for b in as_units] == [((0,), (0,)), ((1,), ()), ((2,), (1, 2))]
    assert [b.confirmed for b in as_units] == [False, False, True]
    assert list(to_sentences(as_units, units, tgt_units)) == beads


# --- the whole pipeline, real model --------------------------------------------------------------


@pytest.fixture(scope="module")
def tale(encoder) -> tuple[tuple[Bead, ...], list[str]]:  # type: ignore[no-untyped-def]
    ko = segment((TALE / "ko.txt").read_text(encoding="utf-8"), Lang.KO, presplit=True)
    en = segment((TALE / "en.txt").read_text(encoding="utf-8"), Lang.EN, presplit=True)
    return align_documents(ko, en, encoder), ko.texts


def test_a_free_translation_of_a_short_tale_has_no_untranslated_sentence(tale) -> None:  # type: ignore[no-untyped-def]
    beads, ko = tale
    assert [b.vecalign() for b in beads if not (b.src and b.tgt)] == []
    assert len(ko) == sum(len(b.src) for b in beads)


@pytest.mark.parametrize(
    "piece, host",  # the start of each sentence
    [
        ("방앗간 주인이 한숨을 쉬며", '"강이 얼어서'),  # a speech tag
        ("요즘의 정미소)", "옛날에 딸 하나와"),  # the two halves of a gloss cut at its full stop
        ("이야기 처음에는 나오지 않아요)", "방앗간을 탐내던"),
        ("(해피엔딩이에요", "사람들은 그 고양이가"),  # a translator's note
    ],
)
def test_a_piece_is_in_the_bead_of_the_sentence_it_belongs_to(tale, piece: str, host: str) -> None:  # type: ignore[no-untyped-def]
    beads, ko = tale
    first = {prefix: next(i for i, text in enumerate(ko) if text.startswith(prefix)) for prefix in (piece, host)}
    bead = next(b for b in beads if first[piece] in b.src)
    assert first[host] in bead.src and bead.tgt
