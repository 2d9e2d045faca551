"""Phrases built on a term of the glossary: they weigh less than the term (``phrases_weighed``).

A learner learns "인터넷융합" / "Internet convergence" and the words around it, not each
phrase built of them ("인터넷융합 전략" / "Internet convergence strategy"). Used by
``aligner.glossary.build`` on its chosen entries.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from aligner.glossary.candidates import korean_key, singular
from aligner.glossary.termhood import NESTED_SHARE, Nesting, TermKind, capitalised

if TYPE_CHECKING:
    from aligner.glossary.build import TermPair

PHRASE_WEIGHT = 0.5  # termhood kept by a phrase built on another term of the glossary


def phrases_weighed(entries: list[TermPair], ko_nested: dict[str, Nesting]) -> list[TermPair]:
    """Entries built on another term of the glossary, on both sides, weigh ``PHRASE_WEIGHT``
    of their termhood: a learner learns the term and the words around it, not each phrase
    built of them. Two kinds:

    - the term before a new head ("인터넷융합 전략" / "Internet convergence strategy" on
      "인터넷융합" / "Internet convergence"); a modifier before a term ("산업 생태계") makes
      a narrower term, and a name ("National Next Generation AI Open Innovation Platform")
      stays one;
    - a term seen once, inside this entry ("동부 연해지역" / "eastern coastal region" on
      "연해지역" / "coastal region"): one use cannot tell which of the two is the term
      (``Nesting.proven``), and the shorter one serves more sentences.
    """
    cores = [(c, ko_nested.get(korean_key(c.ko), Nesting())) for c in entries if c.kind is not TermKind.GENERAL]
    out = []
    for t in entries:
        if any(c.ko in t.ko and _phrase_on(t, c, n) for c, n in cores):
            t = replace(t, termhood=round(t.termhood * PHRASE_WEIGHT, 4))
        out.append(t)
    return out


def _phrase_on(entry: TermPair, core: TermPair, core_nesting: Nesting) -> bool:
    at = entry.ko.find(core.ko)
    if at < 0 or core is entry or not _inside(core.en, entry.en):
        return False
    new_head = entry.ko[at + len(core.ko) : at + len(core.ko) + 1] == " "
    if new_head and core.kind is TermKind.TERM and not capitalised(entry.en):
        return True
    return core_nesting.share >= NESTED_SHARE and not core_nesting.proven


def _inside(inner_en: str, en: str) -> bool:
    """``en`` has the words of ``inner_en`` in a row, and more."""
    words, inner = _words(en), _words(inner_en)
    return len(words) > len(inner) and any(words[i : i + len(inner)] == inner for i in range(len(words)))


def _words(en: str) -> list[str]:
    return [singular(w).lower() for w in en.lower().replace("-", " ").split()]
