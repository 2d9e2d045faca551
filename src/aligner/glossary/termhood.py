"""Termhood: how term-like a glossary entry is, and what kind of entry it is.

A student learns most from the entries specific to the document: "시범사업" /
"pilot projects" rather than "서비스" / "services". Three kinds of evidence:

- general-language frequency (``general_zipf``): the Zipf frequency of the
  two terms in everyday Korean and English, from the word lists of
  ``wordfreq`` (they ship in its wheel; nothing is downloaded). A compound
  not listed as a whole is looked up by its parts (wordfreq's own rule:
  1/f = 1/f1 + 1/f2 …) and taken as ``PHRASE_FACTOR`` times rarer per extra
  part — "규제 완화" is much rarer than "규제";
- nesting, C-value style (``nesting``): the share of a term's uses that
  lie inside a longer term of the glossary. A term used (almost) only inside
  one or two longer ones (any longer ones for a general word) is a fragment
  and is left out ("테스트" in "테스트베드"); one often nested counts less than
  one used on its own;
- kind (``kind_of``): proper names (kiwipiepy's NNP tags, or a Korean term that
  sounds like its capitalised English and is rare in general Korean:
  "알리바바" / "Alibaba") are ``TermKind.NAME``; entries as common as everyday
  words are ``TermKind.GENERAL``; the rest are ``TermKind.TERM``.

``termhood`` turns these into the weight that ``TermPair.rank_score`` uses —
the one ranking of the glossary pane, the exports and the term picker.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from aligner.glossary.candidates import Mention
from aligner.glossary.inventory import Inventory
from aligner.glossary.lexicon import KO_REPORT_HEADS, KO_REPORT_MODIFIERS, ORGANISATION_HEADS
from aligner.segment.kiwi import korean_tokens

ZIPF_SPECIFIC = 3.6  # general-language Zipf frequency at or below which an entry is fully term-like...
ZIPF_COMMON = 5.6  # ...and at which it would weigh nothing (everyday words: "정부" 5.5, "the" 7.7)
TERMHOOD_FLOOR = 0.15  # the least weight an entry keeps
GENERAL_ZIPF = 4.4  # an entry at least this common in general language is a general word
NAME_FLOOR = 0.8  # names are specific to the document however common ("중국"): their least weight
PHRASE_FACTOR = 10.0  # a compound is taken as this much rarer per extra part than its parts combined
UNKNOWN_ZIPF = 1.0  # a part wordfreq does not list ("핑안", "iFLYTEK")
NESTED_SHARE = 0.8  # a term with this share of its uses inside longer glossary terms is a fragment...
FRAGMENT_CONTAINERS = 2  # ...if they are at most this many different terms (any number for a general word)
FRAGMENT_MIN_USES = 2  # ...and seen nested at least this often, or written glued to the longer term
NESTED_WEIGHT = 0.5  # a term nested in longer ones half its uses keeps 1 - 0.5 * 0.5 of its weight
REPORT_WEIGHT = 0.5  # weight kept by a compound of report writing ("발전 전략"; ``report_phrase``)
NAME_SOUND = 0.8  # sound similarity ("핑안"/"Ping An") that, with a capital, marks a transliterated name


_KO_SUFFIXES = frozenset({"XSN", "XSA", "XSV"})  # dropped for a lookup; a prefix (XPN: "신기술") is kept


class TermKind(Enum):
    """What a glossary entry is: a term of the field, a proper name, or a general word."""

    TERM = "term"
    NAME = "name"
    GENERAL = "general"


@lru_cache(maxsize=2)
def _frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return dict(get_frequency_dict(lang))


def _zipf(freq: float) -> float:
    return math.log10(freq * 1e9) if freq > 0 else UNKNOWN_ZIPF


def _lookup_words(part: str, lang: str, freqs: dict[str, float]) -> list[str]:
    """The words wordfreq lists for one part of a term: the part itself, else (Korean) its
    stem without affixes ("효과적" -> "효과", "경쟁력" -> "경쟁"), (English) its pieces
    between hyphens ("long-term" -> "long", "term")."""
    word = part.lower()
    if word in freqs:
        return [word]
    if lang == "ko":
        tokens = korean_tokens(part)
        stems = [t.form for t in tokens if t.tag not in _KO_SUFFIXES]
        return stems if len(stems) == 1 and len(tokens) > 1 else [word]
    return [w for w in re.split(r"[-'’]", word) if w] or [word]


def parts_zipf(parts: Sequence[str], lang: str) -> float:
    """The Zipf frequency of a term from its parts' (see the module docstring)."""
    freqs = _frequencies(lang)
    known = [w.lower() for w in parts if w.strip()]
    if not known:
        return UNKNOWN_ZIPF
    whole = "".join(known) if lang == "ko" else " ".join(known)
    if whole in freqs:
        return _zipf(freqs[whole])
    inverse = 0.0
    for part in known:
        for w in _lookup_words(part, lang, freqs):
            f = freqs.get(w) or freqs.get(re.sub(r"\d", "0", w))
            if not f:
                return UNKNOWN_ZIPF
            inverse += 1.0 / f
    return max(UNKNOWN_ZIPF, _zipf(1.0 / inverse) - math.log10(PHRASE_FACTOR) * (len(known) - 1))


def general_zipf(ko_parts: Sequence[str], en_words: Sequence[str]) -> float:
    """How common a Korean–English entry is in general language: the mean of both sides' Zipf frequency."""
    return (parts_zipf(ko_parts, "ko") + parts_zipf(en_words, "en")) / 2


def specificity(zipf: float) -> float:
    """Weight in [TERMHOOD_FLOOR, 1] of an entry ``zipf`` common in general language."""
    share = (ZIPF_COMMON - zipf) / (ZIPF_COMMON - ZIPF_SPECIFIC)
    return min(1.0, max(TERMHOOD_FLOOR, share))


@dataclass(frozen=True)
class Nesting:
    """How a term's uses sit inside longer terms: ``share`` of its uses nested, in ``containers`` distinct terms."""

    share: float = 0.0
    containers: int = 0
    proven: bool = True  # seen inside a longer term twice, or glued to it ("테스트" in "테스트베드"), or part of a name

    def fragment(self, kind: TermKind) -> bool:
        """(Almost) only ever used inside one or two longer terms ("테스트" in "테스트베드"), or
        inside any longer ones for a general word ("건강" in "국가위생건강위원회" and
        "건강의료"): not a term on its own. A term nested in many different longer terms
        is one itself ("ICT" in "ICT 기업", "ICT 제조", "ICT 산업" …); a name inside longer
        names is still a name ("항저우" in "항저우시", "베이징" in "베이징시")."""
        if kind is TermKind.NAME or self.share < NESTED_SHARE or not self.proven:
            return False
        return kind is TermKind.GENERAL or self.containers <= FRAGMENT_CONTAINERS

    @property
    def soft_weight(self) -> float:
        """C-value style: the nested uses count against the term, shared among its containers
        (a term nested in many different longer ones is a term itself: "인공지능")."""
        if not self.proven:
            return 1.0
        return 1.0 - NESTED_WEIGHT * self.share / max(1, self.containers)


def nesting(inv: Inventory, keys: set[str]) -> dict[str, Nesting]:
    """Per key of ``keys``: how its uses lie inside longer keys of ``keys`` in the same sentence."""
    uses: Counter[str] = Counter()
    nested: Counter[str] = Counter()
    containers: dict[str, set[str]] = defaultdict(set)
    proven: set[str] = set()  # nested in a form that shows it: glued to the longer term, or in a name
    for mentions in inv.mentions:
        mine = [m for m in mentions if m.key in keys]
        for m in mine:
            uses[m.key] += 1
            outer = [o for o in mine if o.key != m.key and _within(m, o)]
            if outer:
                nested[m.key] += 1
                containers[m.key] |= {o.key for o in outer if not any(_within(o, o2) for o2 in outer)}
                if any(_glued(m, o) or capitalised(o.surface) for o in outer):
                    proven.add(m.key)
    return {
        k: Nesting(nested[k] / uses[k], len(containers[k]), nested[k] >= FRAGMENT_MIN_USES or k in proven) for k in uses
    }


def _within(inner: Mention, outer: Mention) -> bool:
    """``inner`` lies inside ``outer`` and is shorter."""
    return outer.start <= inner.start and outer.end >= inner.end and outer.end - outer.start > inner.end - inner.start


def _glued(inner: Mention, outer: Mention) -> bool:
    """``inner`` is written together with what ``outer`` adds, no space between ("테스트" in "테스트베드"),
    or ``outer`` only adds a number ("I-KOREA" in "I-KOREA 4.0")."""
    at = inner.start - outer.start
    before = outer.surface[at - 1 : at] if at > 0 else ""
    after = outer.surface[at + inner.end - inner.start : at + inner.end - inner.start + 1]
    added = outer.surface[:at] + outer.surface[at + inner.end - inner.start :]
    return (
        bool(before and not before.isspace())
        or bool(after and not after.isspace())
        or bool(re.fullmatch(r"[\s\d.,-]+", added))
    )


def _organisation(en: str) -> bool:
    """A capitalised phrase headed by an institution noun ("National Health and Health Commission")."""
    words = en.split()
    return len(words) >= 2 and capitalised(en) and words[-1].lower() in ORGANISATION_HEADS


def capitalised(en: str) -> bool:
    """A name's spelling: every word capitalised, not a lone acronym ("Hangzhou City", not "ICT")."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'.&-]*", en) if w.lower() not in ("of", "and", "for", "the", "de")]
    if not words or (len(words) == 1 and words[0].isupper()):
        return False
    return all(w[0].isupper() for w in words)


def kind_of(*, proper_share: float, en: str, sound: float, ko_zipf: float, zipf: float) -> TermKind:
    """The kind of an entry.

    A name is written with capitals in English and is either tagged a proper
    noun by kiwipiepy in most of its Korean uses (``proper_share``), or sounds
    like its English (a transliteration, ``sound``) while rare in general
    Korean — "인터넷"/"Internet" sounds alike too, but is an everyday word. A
    capitalised phrase headed by an institution noun is an organisation's name.
    """
    if _organisation(en) or (
        capitalised(en) and (proper_share >= 0.5 or (sound >= NAME_SOUND and ko_zipf < GENERAL_ZIPF))
    ):
        return TermKind.NAME
    return TermKind.GENERAL if zipf >= GENERAL_ZIPF else TermKind.TERM


def termhood(kind: TermKind, zipf: float, ko: Nesting, en: Nesting, ko_parts: Sequence[str] = ()) -> float:
    """The weight of an entry in the ranking: specificity (names at least ``NAME_FLOOR``) times
    the nesting weight of its more nested side, less for the phrases of report writing
    (``report_phrase``); 0 for a fragment on both sides ("테스트"/"test" inside "테스트베드"/"test bed";
    "ICT" alone is a term though "ICT" is always in a longer phrase)."""
    if ko.fragment(kind) and en.fragment(kind):
        return 0.0
    weight = specificity(zipf)
    if kind is TermKind.NAME:
        weight = max(weight, NAME_FLOOR)
    elif report_phrase(ko_parts):
        weight *= REPORT_WEIGHT
    return weight * min(ko.soft_weight, en.soft_weight)


def report_phrase(parts: Sequence[str]) -> bool:
    """A compound of report writing: headed by its vocabulary ("발전 전략", "데이터 분석") or
    led by a generic modifier ("세부 기술", "제도적 환경"); see ``KO_REPORT_HEADS``."""
    if len(parts) < 2:
        return False
    return parts[-1] in KO_REPORT_HEADS or parts[0] in KO_REPORT_MODIFIERS or parts[0].endswith("적")
