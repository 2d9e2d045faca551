"""Term inventories: each side's term candidates over an alignment, and the beads they occur in.

Candidates come from the sentence-level extractors in ``aligner.glossary.candidates``.
Fragments that (almost) never occur outside one longer candidate are dropped
("Industrial Revolution" inside "4th Industrial Revolution", "인공" inside
"인공지능"); see ``_fragments``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aligner.core.values import Alignment, Progress
from aligner.glossary.candidates import Mention, english_key, english_mentions, korean_mentions
from aligner.glossary.lexicon import looks_adjectival

NESTED_SHARE = 0.8  # a fragment: one extension covers this share of its uses...
NESTED_MIN_USES = 2  # ...and it is used at least this often (see ``_fragments``)
NESTED_MIN_USES_SPACED = 3  # Korean words separated by a space are more independent


@dataclass
class Inventory:
    """Term candidates of one side: spellings and the beads containing each key."""

    surfaces: dict[str, Counter[str]]
    beads: dict[str, set[int]]
    parts: dict[str, tuple[str, ...]]
    mentions: list[list[Mention]] = field(default_factory=list)  # kept mentions, per sentence
    proper: Counter[str] = field(default_factory=Counter)  # per key: mentions mostly of proper nouns (NNP)
    glosses: dict[str, set[str]] = field(default_factory=dict)  # per key: English keys the text gives it in brackets

    def surface(self, key: str) -> str:
        """The form used in the text: the most frequent spelling, shorter on ties."""
        counts = self.surfaces[key]
        return max(counts, key=lambda s: (counts[s], -len(s), s))


Extractor = Callable[[str], list[Mention]]


def _fragments(texts: Sequence[str], per_sentence: list[list[Mention]], korean: bool) -> set[str]:
    """Keys whose uses are (nearly) all inside one longer candidate.

    Both languages put the head last, so a candidate always preceded by the
    same modifier ("Industrial Revolution" in "4th Industrial Revolution",
    "지능" in "인공지능") is a fragment even if seen once (unless that modifier is
    a name or an adjective: "iFLYTEK voice recognition"); one always followed by
    the same word needs two uses ("big data" in a lone "big data projects" may
    be the term). Korean words apart from their neighbour by a space are more
    independent still and need ``NESTED_MIN_USES_SPACED`` uses.
    """
    uses: Counter[str] = Counter()
    covered: Counter[tuple[str, str]] = Counter()
    needs: dict[tuple[str, str], int] = {}
    for text, mentions in zip(texts, per_sentence, strict=True):
        for m in mentions:
            uses[m.key] += 1
            for other in mentions:
                if other.size != m.size + 1 or other.start > m.start or other.end < m.end:
                    continue
                left = other.start < m.start
                edge = text[m.start - 1] if left else text[m.end : m.end + 1]
                if korean and edge.isspace():
                    need = NESTED_MIN_USES_SPACED
                elif left and korean:
                    need = 1
                else:
                    need = NESTED_MIN_USES
                covered[(m.key, other.key)] += 1
                # One extension written now with, now without a space needs the stricter count.
                needs[(m.key, other.key)] = max(need, needs.get((m.key, other.key), 0))
    out: set[str] = set()
    for pair, n in covered.items():
        key = pair[0]
        if uses[key] >= needs[pair] and n >= NESTED_SHARE * uses[key]:
            out.add(key)
    return out


def _loose_modifier(longer: str, shorter: str) -> bool:
    """A name or an adjective before a phrase ("iFLYTEK voice recognition", "local anchor
    companies") does not by itself make the phrase a fragment."""
    first = longer.split(maxsplit=1)[0]
    return (first != first.lower() and shorter == shorter.lower()) or looks_adjectival(first)


def _inventory(
    texts: Sequence[str],
    bead_of: Sequence[int],
    extract: Extractor,
    korean: bool,
    progress: Progress | None,
    label: str,
) -> Inventory:
    per_sentence: list[list[Mention]] = []
    for i, text in enumerate(texts):
        per_sentence.append(extract(text))
        if progress and (i % 10 == 9 or i + 1 == len(texts)):
            progress(label, i + 1, len(texts))
    fragments = _fragments(texts, per_sentence, korean)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    beads: dict[str, set[int]] = defaultdict(set)
    parts: dict[str, tuple[str, ...]] = {}
    kept: list[list[Mention]] = []
    proper: Counter[str] = Counter()
    for i, mentions in enumerate(per_sentence):
        kept.append([m for m in mentions if m.key not in fragments])
        for m in kept[-1]:
            parts.setdefault(m.key, m.parts)
            if 2 * m.proper >= len(m.parts):
                proper[m.key] += 1
            # A sentence-initial capital says little about the usual spelling.
            surfaces[m.key][m.surface] += 0 if m.initial else 1
            beads[m.key].add(bead_of[i])
    glosses: dict[str, set[str]] = defaultdict(set)
    if korean:
        for text, mentions in zip(texts, kept, strict=True):
            for key, gloss in bracket_glosses(text, mentions):
                glosses[key].add(gloss)
    return Inventory(dict(surfaces), dict(beads), parts, kept, proper, dict(glosses))


_GLOSS = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9 .&'-]*?)\s*\)")


def bracket_glosses(text: str, mentions: Sequence[Mention]) -> list[tuple[str, str]]:
    """(Korean key, English key) for each term the text glosses in Latin brackets right after it:
    "정보통신기술(ICT)", "앱(app)" — the longest candidate ending at the bracket."""
    out = []
    for m in _GLOSS.finditer(text):
        before = [k for k in mentions if k.end == m.start() and not k.surface.isascii()]
        if before:
            longest = max(before, key=lambda k: k.end - k.start)
            out.append((longest.key, english_key(m.group(1).split())))
    return out


def bead_of_sentences(alignment: Alignment) -> tuple[list[int], list[int]]:
    """For each Korean and each English sentence, the index of its bead."""
    ko_bead = [0] * len(alignment.source)
    en_bead = [0] * len(alignment.target)
    for b, bead in enumerate(alignment.beads):
        for i in bead.src:
            ko_bead[i] = b
        for j in bead.tgt:
            en_bead[j] = b
    return ko_bead, en_bead


def inventories(alignment: Alignment, progress: Progress | None = None) -> tuple[Inventory, Inventory]:
    """Korean and English term candidates of an alignment."""
    ko_bead, en_bead = bead_of_sentences(alignment)
    ko = _inventory(alignment.source.texts, ko_bead, korean_mentions, True, progress, "Korean terms")
    en = _inventory(alignment.target.texts, en_bead, english_mentions, False, progress, "English terms")
    return ko, en
