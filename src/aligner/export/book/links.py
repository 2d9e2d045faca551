"""Where each glossary term is first used in the book's lead-language text (array-in, array-out)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from aligner.core.values import Lang

Span = tuple[int, int, int]
"""(start, end, term index) of a term's first use inside one text."""


def first_uses(texts: Sequence[str], terms: Sequence[str], lang: Lang) -> list[list[Span]]:
    """For each of ``texts`` (in reading order), the spans where a term of ``terms`` occurs for
    the first time in the whole sequence, in text order and never overlapping.

    Korean terms match anywhere (particles attach to them: 인공지능을); English terms match
    whole words, ignoring case.  At one position the longest term wins.
    """
    spans: list[list[Span]] = [[] for _ in texts]
    order = sorted((i for i, t in enumerate(terms) if t.strip()), key=lambda i: -len(terms[i]))
    if not order:
        return spans
    index = {(terms[i].casefold() if lang is Lang.EN else terms[i]): i for i in reversed(order)}
    alternation = "|".join(re.escape(terms[i]) for i in order)
    pattern = re.compile(rf"\b(?:{alternation})\b" if lang is Lang.EN else f"(?:{alternation})",
                         re.IGNORECASE if lang is Lang.EN else 0)  # fmt: skip
    used: set[int] = set()
    for n, text in enumerate(texts):
        for match in pattern.finditer(text):
            key = match.group(0).casefold() if lang is Lang.EN else match.group(0)
            term = index.get(key)
            if term is not None and term not in used:
                used.add(term)
                spans[n].append((match.start(), match.end(), term))
        if len(used) == len(order):
            break
    return spans
