"""Passages: a matching sentence with its neighbours, and one passage per place.

Array-in, array-out.  A library's sentences are rows; ``paragraph`` gives each
row's paragraph (numbered across the whole library, so two documents never
share one) and ``heading`` marks headings.  A hit's passage is the sentence with
one neighbour on each side inside its paragraph; a heading's passage is the
heading and the sentences that follow it (the start of its section).
"""

from __future__ import annotations

import numpy as np

NEIGHBOURS = 1
"""Sentences taken on each side of the matching one (inside its paragraph)."""
AFTER_HEADING = 2
"""Sentences taken after a matching heading."""


def passage_spans(
    rows: np.ndarray, paragraph: np.ndarray, heading: np.ndarray, doc_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's passage as ``(first, last)`` rows, inclusive.

    ``paragraph``/``heading``/``doc_end`` are per library row; ``doc_end`` is one past
    the last row of the row's document (a passage never crosses documents).
    """
    rows = np.asarray(rows, dtype=np.int64)
    doc_end = doc_end[rows]
    first = rows.copy()
    last = rows.copy()
    n = len(paragraph)
    for _ in range(NEIGHBOURS):
        prev = np.maximum(first - 1, 0)
        grow = (first > 0) & (paragraph[prev] == paragraph[rows]) & ~heading[rows]
        first = np.where(grow, prev, first)
        nxt = np.minimum(last + 1, n - 1)
        grow = (last + 1 < doc_end) & (paragraph[nxt] == paragraph[rows]) & ~heading[rows]
        last = np.where(grow, nxt, last)
    is_heading = heading[rows]
    after = np.minimum(rows + AFTER_HEADING, doc_end - 1)
    last = np.where(is_heading, np.maximum(after, rows), last)
    return first, last


def one_per_place(
    rows: np.ndarray, scores: np.ndarray, place: np.ndarray, source: np.ndarray, k: int, per_source: int
) -> np.ndarray:
    """Indices into ``rows`` of the best hit of each place, best first, at most ``per_source``
    from one source while other sources have passages, and ``k`` in all.

    ``place`` and ``source`` are per library row (a paragraph, a document): five
    hits in one paragraph become one passage, and one document cannot fill the
    whole list while others have passages to offer.
    """
    order = np.argsort(-np.asarray(scores), kind="stable")
    seen: set[int] = set()
    taken: dict[int, int] = {}
    kept: list[int] = []
    waiting: list[int] = []  # best of their place, but their source had its share
    for i in order.tolist():
        row = int(rows[i])
        where, src = int(place[row]), int(source[row])
        if where in seen:
            continue
        seen.add(where)
        if taken.get(src, 0) >= per_source:
            waiting.append(i)
            continue
        taken[src] = taken.get(src, 0) + 1
        kept.append(i)
        if len(kept) >= k:
            break
    kept += waiting[: k - len(kept)]  # no other source had more: the list is filled all the same
    return np.asarray(kept, dtype=np.int64)
