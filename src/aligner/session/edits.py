"""Manual corrections to an alignment: pure functions over a tuple of beads.

Every operation returns a new tuple (the input is never modified) that still
covers every sentence exactly once, in order.  The bead the user worked on (the
merged pair, both halves of a split, the selected pair a sentence leaves, the
sentence marked as having no counterpart) is marked ``confirmed`` and ``edited``
(confidence 1.0), since the user made it.  A neighbour an edit only changed (the
pair a moved sentence joins, the rest of a pair a sentence was detached from) is
marked ``edited`` but not confirmed, and keeps its score: nobody has checked it
yet, so it stays in review.  Impossible edits raise :class:`AlignerError` with a
one-line message and change nothing.  Undo and redo are
:class:`aligner.session.history.EditHistory`.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Lang, check_beads
from aligner.session.history import Beads, EditHistory, EditOp

__all__ = ["Beads", "EditHistory", "EditOp"]  # and the operations below

_SIDE_NAMES = {Lang.KO: "Korean", Lang.EN: "English"}


def _user_bead(src: Sequence[int], tgt: Sequence[int]) -> Bead:
    """A bead the user made: confirmed."""
    return Bead(tuple(src), tuple(tgt), confidence=1.0, confirmed=True, edited=True)


def _touched(bead: Bead, src: Sequence[int], tgt: Sequence[int]) -> Bead:
    """A bead an edit changed beside the one the user worked on: edited, not confirmed, its score kept."""
    return Bead(tuple(src), tuple(tgt), confidence=bead.confidence, confirmed=False, edited=True)


def _side(side: Lang | str) -> Lang:
    """A side is a :class:`Lang`; the spellings "src"/"source" and "tgt"/"target" are accepted too."""
    value = side.value if isinstance(side, Lang) else side
    if value in ("src", "ko", "source"):
        return Lang.KO
    if value in ("tgt", "en", "target"):
        return Lang.EN
    raise AlignerError(f"unknown side {side!r} (use 'ko' or 'en')")


def _ids(bead: Bead, side: Lang) -> tuple[int, ...]:
    return bead.src if side is Lang.KO else bead.tgt


def _with_ids(bead: Bead, side: Lang, ids: Sequence[int], *, mine: bool = True) -> Bead:
    """``bead`` with ``side``'s sentences replaced: the user's bead, or (``mine=False``) a touched neighbour."""
    src, tgt = (ids, bead.tgt) if side is Lang.KO else (bead.src, ids)
    return _user_bead(src, tgt) if mine else _touched(bead, src, tgt)


def _check_index(beads: Beads, i: int) -> None:
    if not 0 <= i < len(beads):
        raise AlignerError(f"no bead at position {i} (the alignment has {len(beads)} beads)")


def _validated(before: Beads, after: Sequence[Bead]) -> Beads:
    """Check ``after`` covers the same sentences as ``before``, exactly once and in order."""
    result = tuple(after)
    n_src = sum(len(b.src) for b in before)
    n_tgt = sum(len(b.tgt) for b in before)
    try:
        check_beads(result, n_src, n_tgt)
    except ValueError as err:
        raise AlignerError(f"edit rejected: {err}") from err
    return result


def _replace(beads: Beads, start: int, stop: int, new: Sequence[Bead]) -> Beads:
    return _validated(beads, beads[:start] + tuple(b for b in new if b.src or b.tgt) + beads[stop:])


def bead_index_of(beads: Beads, side: Lang | str, sentence_id: int) -> int:
    """Position of the bead holding sentence ``sentence_id`` of ``side``."""
    which = _side(side)
    for position, bead in enumerate(beads):
        if sentence_id in _ids(bead, which):
            return position
    raise AlignerError(f"no {_SIDE_NAMES[which]} sentence {sentence_id} in the alignment")


def merge_with_next(beads: Beads, i: int) -> Beads:
    """Merge bead ``i`` and bead ``i + 1`` into one bead."""
    _check_index(beads, i)
    if i == len(beads) - 1:
        raise AlignerError("cannot merge: this is the last bead, there is no next bead")
    a, b = beads[i], beads[i + 1]
    return _replace(beads, i, i + 2, [_user_bead(a.src + b.src, a.tgt + b.tgt)])


def merge_with_previous(beads: Beads, i: int) -> Beads:
    """Merge bead ``i`` into bead ``i - 1``."""
    _check_index(beads, i)
    if i == 0:
        raise AlignerError("cannot merge: this is the first bead, there is no previous bead")
    return merge_with_next(beads, i - 1)


def split(beads: Beads, i: int, src_cut: int, tgt_cut: int) -> Beads:
    """Split bead ``i`` into ``(src[:src_cut], tgt[:tgt_cut])`` and the rest.

    A cut that leaves one side of a half empty yields a 1-0/0-1 style bead;
    a cut that leaves a whole half empty is refused.
    """
    _check_index(beads, i)
    bead = beads[i]
    if not 0 <= src_cut <= len(bead.src) or not 0 <= tgt_cut <= len(bead.tgt):
        raise AlignerError(
            f"cannot split: cut ({src_cut}, {tgt_cut}) is outside a {len(bead.src)}-{len(bead.tgt)} bead"
        )
    first = (bead.src[:src_cut], bead.tgt[:tgt_cut])
    second = (bead.src[src_cut:], bead.tgt[tgt_cut:])
    if not (first[0] or first[1]) or not (second[0] or second[1]):
        raise AlignerError("cannot split: one of the two parts would be empty")
    return _replace(beads, i, i + 1, [_user_bead(*first), _user_bead(*second)])


def _move_to_next(beads: Beads, i: int, side: Lang) -> Beads:
    _check_index(beads, i)
    ids = _ids(beads[i], side)
    if not ids:
        raise AlignerError(f"cannot move: this bead has no {_SIDE_NAMES[side]} sentence")
    if i == len(beads) - 1:
        raise AlignerError("cannot move: this is the last bead, there is no next bead")
    nxt = beads[i + 1]
    mine = _with_ids(beads[i], side, ids[:-1], mine=len(ids) > 1)  # left with no sentence on a side: to check
    moved = [mine, _with_ids(nxt, side, ids[-1:] + _ids(nxt, side), mine=False)]
    return _replace(beads, i, i + 2, moved)


def _move_to_previous(beads: Beads, i: int, side: Lang) -> Beads:
    _check_index(beads, i)
    ids = _ids(beads[i], side)
    if not ids:
        raise AlignerError(f"cannot move: this bead has no {_SIDE_NAMES[side]} sentence")
    if i == 0:
        raise AlignerError("cannot move: this is the first bead, there is no previous bead")
    prev = beads[i - 1]
    mine = _with_ids(beads[i], side, ids[1:], mine=len(ids) > 1)
    moved = [_with_ids(prev, side, _ids(prev, side) + ids[:1], mine=False), mine]
    return _replace(beads, i - 1, i + 1, moved)


def move_source_to_next(beads: Beads, i: int) -> Beads:
    """Move the last Korean sentence of bead ``i`` to the start of bead ``i + 1``.

    A bead left with no sentence at all disappears.
    """
    return _move_to_next(beads, i, Lang.KO)


def move_source_to_previous(beads: Beads, i: int) -> Beads:
    """Move the first Korean sentence of bead ``i`` to the end of bead ``i - 1``."""
    return _move_to_previous(beads, i, Lang.KO)


def move_target_to_next(beads: Beads, i: int) -> Beads:
    """Move the last English sentence of bead ``i`` to the start of bead ``i + 1``."""
    return _move_to_next(beads, i, Lang.EN)


def move_target_to_previous(beads: Beads, i: int) -> Beads:
    """Move the first English sentence of bead ``i`` to the end of bead ``i - 1``."""
    return _move_to_previous(beads, i, Lang.EN)


def mark_no_counterpart(beads: Beads, i: int, side: Lang | str, sentence_id: int) -> Beads:
    """Detach one sentence of bead ``i`` into its own 1-0 (Korean) or 0-1 (English) bead.

    The sentence must be the first or last of its side in the bead, unless the
    other side of the bead is empty (otherwise the other side's sentences would
    have to be split at a guessed point: split the bead first).
    """
    _check_index(beads, i)
    which = _side(side)
    bead = beads[i]
    ids = _ids(bead, which)
    if sentence_id not in ids:
        raise AlignerError(f"{_SIDE_NAMES[which]} sentence {sentence_id} is not in the selected bead")
    alone = _user_bead([sentence_id], []) if which is Lang.KO else _user_bead([], [sentence_id])
    rest = [k for k in ids if k != sentence_id]
    other = _ids(bead, Lang.EN if which is Lang.KO else Lang.KO)
    if not rest and not other:  # already on its own: just confirm it
        return _replace(beads, i, i + 1, [alone])
    k = ids.index(sentence_id)
    if k == 0:
        new = [alone, _with_ids(bead, which, rest, mine=False)]
    elif k == len(ids) - 1:
        new = [_with_ids(bead, which, rest, mine=False), alone]
    elif not other:
        new = [_with_ids(bead, which, ids[:k], mine=False), alone, _with_ids(bead, which, ids[k + 1 :], mine=False)]
    else:
        raise AlignerError("cannot detach a sentence from the middle of a bead; split the bead first")
    return _replace(beads, i, i + 1, new)


def confirm(beads: Beads, i: int, value: bool = True) -> Beads:
    """Set the confirmed flag of bead ``i`` (its confidence is kept)."""
    _check_index(beads, i)
    b = beads[i]
    return _validated(beads, (*beads[:i], Bead(b.src, b.tgt, b.confidence, value, b.edited), *beads[i + 1 :]))
