"""Manual alignment edits: pure bead operations and undo/redo."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Lang, check_beads
from aligner.session import edits as edit
from aligner.session.edits import Beads, EditHistory


def beads_of(*pairs: tuple[tuple[int, ...], tuple[int, ...]], confidence: float = 0.5) -> Beads:
    return tuple(Bead(src, tgt, confidence) for src, tgt in pairs)


def ids(beads: Beads) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


# Korean 0..4, English 0..3
BASE = beads_of(((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3)))


def test_merge_with_next_and_previous() -> None:
    merged = edit.merge_with_next(BASE, 1)
    assert ids(merged) == [((0,), (0,)), ((1, 2, 3), (1,)), ((4,), (2, 3))]
    assert merged[1].confirmed and merged[1].confidence == 1.0
    assert merged[0] is BASE[0] and merged[0].confidence == 0.5  # untouched beads stay as they were
    assert edit.merge_with_previous(BASE, 2) == merged
    assert BASE == beads_of(((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3)))  # input unchanged


def test_merge_at_the_ends_is_refused() -> None:
    with pytest.raises(AlignerError, match="last bead"):
        edit.merge_with_next(BASE, 3)
    with pytest.raises(AlignerError, match="first bead"):
        edit.merge_with_previous(BASE, 0)
    with pytest.raises(AlignerError, match="no bead at position 9"):
        edit.merge_with_next(BASE, 9)
    with pytest.raises(AlignerError):
        edit.merge_with_next(BASE, -1)


def test_error_messages_are_one_line() -> None:
    for call in (
        lambda: edit.merge_with_next(BASE, 3),
        lambda: edit.split(BASE, 0, 0, 0),
        lambda: edit.move_target_to_next(BASE, 2),
        lambda: edit.mark_no_counterpart(BASE, 0, "src", 4),
    ):
        with pytest.raises(AlignerError) as info:
            call()
        assert "\n" not in str(info.value) and str(info.value)


def test_split_in_both_sides_and_into_omissions() -> None:
    split = edit.split(BASE, 3, 1, 1)
    assert ids(split)[3:] == [((4,), (2,)), ((), (3,))]
    assert all(b.confirmed and b.confidence == 1.0 for b in split[3:])
    two = edit.split(BASE, 1, 1, 1)
    assert ids(two)[1:3] == [((1,), (1,)), ((2,), ())]
    crossing = edit.split(BASE, 1, 1, 0)
    assert ids(crossing)[1:3] == [((1,), ()), ((2,), (1,))]


@pytest.mark.parametrize("cut", [(0, 0), (2, 1), (3, 0), (0, 2), (-1, 0)])
def test_bad_splits_are_refused(cut: tuple[int, int]) -> None:
    with pytest.raises(AlignerError, match="cannot split"):
        edit.split(BASE, 1, *cut)


def test_move_source_sentences_across_the_boundary() -> None:
    down = edit.move_source_to_next(BASE, 1)
    assert ids(down)[1:3] == [((1,), (1,)), ((2, 3), ())]
    assert down[1].confirmed  # the pair the user worked on
    assert down[2].edited and not down[2].confirmed and down[2].confidence == BASE[2].confidence  # nobody checked it
    up = edit.move_source_to_previous(BASE, 1)
    assert ids(up)[:2] == [((0, 1), (0,)), ((2,), (1,))]


def test_moving_the_only_sentence_removes_the_empty_bead() -> None:
    moved = edit.move_source_to_next(BASE, 2)  # bead 2 is 1-0
    assert ids(moved) == [((0,), (0,)), ((1, 2), (1,)), ((3, 4), (2, 3))]
    check_beads(moved, 5, 4)


def test_move_target_sentences_across_the_boundary() -> None:
    up = edit.move_target_to_previous(BASE, 3)
    assert ids(up)[2:] == [((3,), (2,)), ((4,), (3,))]
    down = edit.move_target_to_next(BASE, 1)
    assert ids(down)[1:3] == [((1, 2), ()), ((3,), (1,))]
    with pytest.raises(AlignerError, match="no English sentence"):
        edit.move_target_to_next(BASE, 2)
    with pytest.raises(AlignerError, match="first bead"):
        edit.move_target_to_previous(BASE, 0)
    with pytest.raises(AlignerError, match="last bead"):
        edit.move_target_to_next(BASE, 3)


def test_mark_no_counterpart_first_last_and_alone() -> None:
    first = edit.mark_no_counterpart(BASE, 1, "src", 1)
    assert ids(first)[1:3] == [((1,), ()), ((2,), (1,))]
    last = edit.mark_no_counterpart(BASE, 1, Lang.KO, 2)
    assert ids(last)[1:3] == [((1,), (1,)), ((2,), ())]
    english = edit.mark_no_counterpart(BASE, 3, "tgt", 3)
    assert ids(english)[3:] == [((4,), (2,)), ((), (3,))]
    only = edit.mark_no_counterpart(BASE, 0, Lang.EN, 0)
    assert ids(only)[:2] == [((), (0,)), ((0,), ())]
    already = edit.mark_no_counterpart(BASE, 2, "src", 3)
    assert ids(already) == ids(BASE) and already[2].confirmed
    for result in (first, last, english, only):
        check_beads(result, 5, 4)


def test_mark_no_counterpart_in_the_middle() -> None:
    beads = beads_of(((0, 1, 2), ()), ((3, 4, 5), (0, 1)))
    assert ids(edit.mark_no_counterpart(beads, 0, "src", 1)) == [
        ((0,), ()),
        ((1,), ()),
        ((2,), ()),
        ((3, 4, 5), (0, 1)),
    ]
    with pytest.raises(AlignerError, match="split the bead first"):
        edit.mark_no_counterpart(beads, 1, "src", 4)
    with pytest.raises(AlignerError, match="not in the selected bead"):
        edit.mark_no_counterpart(beads, 1, "src", 0)
    with pytest.raises(AlignerError, match="unknown side"):
        edit.mark_no_counterpart(beads, 1, "left", 3)


def test_confirm_keeps_confidence() -> None:
    confirmed = edit.confirm(BASE, 1)
    assert confirmed[1] == Bead((1, 2), (1,), 0.5, True)
    assert edit.confirm(confirmed, 1, False)[1] == BASE[1]


def test_bead_index_of() -> None:
    assert edit.bead_index_of(BASE, "src", 2) == 1
    assert edit.bead_index_of(BASE, Lang.EN, 3) == 3
    with pytest.raises(AlignerError):
        edit.bead_index_of(BASE, "tgt", 7)


def test_history_undo_redo_and_branching() -> None:
    history = EditHistory(BASE)
    assert not history.can_undo and not history.can_redo
    after_merge = history.apply(lambda b: edit.merge_with_next(b, 0))
    after_split = history.apply(lambda b: edit.split(b, 0, 1, 1))
    assert history.current == after_split and history.can_undo
    assert history.undo() == after_merge
    assert history.undo() == BASE
    assert not history.can_undo and history.can_redo
    assert history.redo() == after_merge
    branched = history.apply(lambda b: edit.confirm(b, 2))
    assert not history.can_redo and history.current == branched
    with pytest.raises(AlignerError, match="nothing to redo"):
        history.redo()


def test_history_ignores_failed_and_no_op_edits() -> None:
    history = EditHistory(BASE)
    with pytest.raises(AlignerError):
        history.apply(lambda b: edit.merge_with_next(b, 3))
    history.apply(lambda b: b)
    assert history.current == BASE and not history.can_undo
    with pytest.raises(AlignerError, match="nothing to undo"):
        history.undo()


def test_history_limit() -> None:
    history = EditHistory(BASE, limit=2)
    for i in range(4):
        history.apply(functools.partial(edit.confirm, i=i))
    history.undo()
    history.undo()
    assert not history.can_undo
    assert [b.confirmed for b in history.current] == [True, True, False, False]


# ---------------------------------------------------------------- properties


@st.composite
def alignments(draw: st.DrawFn) -> Beads:
    n_src = draw(st.integers(0, 9))
    n_tgt = draw(st.integers(0 if n_src else 1, 9))
    beads: list[Bead] = []
    i = j = 0
    while i < n_src or j < n_tgt:
        a = draw(st.integers(0, min(3, n_src - i)))
        b = draw(st.integers(0 if a else 1, min(3, n_tgt - j))) if j < n_tgt else 0
        if a == 0 and b == 0:
            a = 1
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), draw(st.floats(0, 1))))
        i, j = i + a, j + b
    return tuple(beads)


Op = Callable[[Beads], Beads]


@st.composite
def operations(draw: st.DrawFn) -> Op:
    kind = draw(st.sampled_from(["merge_next", "merge_prev", "split", "move", "detach", "confirm"]))
    k = draw(st.integers(0, 20))
    x, y = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    side = draw(st.sampled_from(["src", "tgt"]))

    def op(beads: Beads) -> Beads:
        i = k % len(beads)
        if kind == "merge_next":
            return edit.merge_with_next(beads, i)
        if kind == "merge_prev":
            return edit.merge_with_previous(beads, i)
        if kind == "split":
            return edit.split(beads, i, x, y)
        if kind == "move":
            name = f"move_{'source' if side == 'src' else 'target'}_to_{'next' if x % 2 else 'previous'}"
            mover: Callable[[Beads, int], Beads] = getattr(edit, name)
            return mover(beads, i)
        if kind == "detach":
            own = beads[i].src if side == "src" else beads[i].tgt
            return edit.mark_no_counterpart(beads, i, side, own[x % len(own)] if own else 0)
        return edit.confirm(beads, i, bool(x % 2))

    return op


def _counts(beads: Beads) -> tuple[int, int]:
    return sum(len(b.src) for b in beads), sum(len(b.tgt) for b in beads)


@settings(max_examples=300, deadline=None)
@given(alignments(), st.lists(operations(), max_size=12))
def test_random_edits_keep_every_sentence_once_in_order(start: Beads, ops: list[Op]) -> None:
    n_src, n_tgt = _counts(start)
    history = EditHistory(start)
    applied = 0
    for op in ops:
        before = history.current
        try:
            after = history.apply(op)
        except AlignerError:
            assert history.current == before
            continue
        check_beads(after, n_src, n_tgt)
        if after != before:
            applied += 1
    final = history.current
    for _ in range(applied):
        history.undo()
    assert history.current == start
    assert not history.can_undo
    for _ in range(applied):
        history.redo()
    assert history.current == final


@settings(max_examples=200, deadline=None)
@given(alignments(), operations())
def test_structural_edits_confirm_only_what_the_user_made(start: Beads, op: Op) -> None:
    try:
        after = op(start)
    except AlignerError:
        return
    changed = [b for b in after if b not in start]
    for b in changed:
        same_ids = [o for o in start if (o.src, o.tgt) == (b.src, b.tgt)]
        if same_ids:  # confirm() toggles the flag only; re-marking a lone sentence confirms it
            assert b.confidence == same_ids[0].confidence or (b.confirmed and b.confidence == 1.0)
        elif b.confirmed:  # a bead the user made
            assert b.confidence == 1.0 and b.edited
        else:  # a neighbour the edit changed: still to check, with the score it had
            assert b.edited and b.confidence in {o.confidence for o in start}
    assert sum(1 for b in changed if b.confirmed) <= 2  # a split's two halves at most


@settings(max_examples=200, deadline=None)
@given(alignments(), st.lists(operations(), max_size=12))
def test_saved_steps_restore_an_undo_history_that_leads_back(start: Beads, ops: list[Op]) -> None:
    """What the project file keeps (the undoable steps) rebuilds a history whose undos give every earlier state."""
    history = EditHistory(start)
    states = [start]
    for n, op in enumerate(ops):
        try:
            after = history.apply(op, f"step {n}")
        except AlignerError:
            continue
        if after != states[-1]:
            states.append(after)
    restored = EditHistory.from_steps(history.current, history.saved_steps(len(states)))
    for earlier in reversed(states[:-1]):
        assert restored.undo_label is not None
        assert restored.undo() == earlier
    assert not restored.can_undo


def test_saved_steps_that_do_not_fit_are_refused() -> None:
    history = EditHistory(BASE)
    history.apply(lambda b: edit.merge_with_next(b, 0), "merge pairs #1 and #2")
    steps = history.saved_steps()
    with pytest.raises(AlignerError, match="merge pairs #1 and #2"):
        EditHistory.from_steps(BASE, steps)  # the pairs the steps led to are not these


def test_the_saved_history_is_bounded_and_survives_the_project_file() -> None:
    from aligner.core.values import Document
    from aligner.session.history import SAVED_STEPS
    from aligner.session.project_format import ProjectFile

    def doc(lang: Lang, n: int) -> Document:
        from aligner.segment.sentences import segment

        return segment(" ".join(f"Sentence {k}." for k in range(n)), lang, presplit=False)

    ko, en = doc(Lang.EN, 5), doc(Lang.EN, 4)
    history = EditHistory(BASE)
    for k in range(SAVED_STEPS + 10):
        history.apply(functools.partial(edit.confirm, i=0, value=k % 2 == 0), f"step {k}")  # on, off, on…
    steps = history.saved_steps()
    assert len(steps) == SAVED_STEPS and steps[-1].label == f"step {SAVED_STEPS + 9}"
    project = ProjectFile.from_documents(ko, en, history.current, presplit=True, history=steps)
    again = ProjectFile.from_json(project.to_json())
    assert again.presplit is True and again.history == steps
    restored = EditHistory.from_steps(again.beads, again.history)
    for _ in range(SAVED_STEPS):
        restored.undo()
    assert not restored.can_undo
