"""How alike a Korean term sounds to an English one: transliterated names and loanwords.

``romanize`` spells Hangul in Revised-Romanization-like letters;
``sound_similarity`` compares a Korean term's sound with an English term's
spelling ("베이징"/"Beijing", "광둥성"/"Guangdong Province").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()
# Korean designator suffixes and the English words that translate them.
_DESIGNATORS = {
    "성": ("province",),
    "시": ("city",),
    "현": ("county",),
    "구": ("district",),
    "주": ("state", "province"),
    "군": ("county",),
    "그룹": ("group",),
}
_EN_DESIGNATORS = frozenset(w for ws in _DESIGNATORS.values() for w in ws)
DESIGNATOR_MISMATCH = 0.9
CLIPPED = 0.9  # how much a Korean loanword sounding like the start of a long English word counts
_EN_SOUND_MAP = str.maketrans("zfvqrwy", "jpbklui")
_VOICING = str.maketrans("gdb", "ktp")  # Korean spells foreign g/k, d/t, b/p alike at a syllable's end


def romanize(text: str) -> str:
    """Revised-Romanization-like letters for Hangul syllables; Latin letters kept."""
    out: list[str] = []
    for ch in text:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3:
            o -= 0xAC00
            parts = (_INITIALS[o // 588], _MEDIALS[(o % 588) // 28], _FINALS[o % 28])
            out.append("".join(p for p in parts if p != "-"))
        elif ch.isascii() and ch.isalpha():
            out.append(ch.lower())
    return "".join(out)


@lru_cache(maxsize=65536)
def _sound_key(text: str, korean: bool) -> str:
    s = text.lower()
    if korean:
        s = romanize(s).replace("eu", "").replace("eo", "o").replace("ae", "e").replace("oe", "e")
        s = s.replace("ui", "i")
    else:
        s = re.sub(r"[^a-z]", "", s).replace("tech", "tek")
        for a, b in (("zh", "j"), ("ch", "j"), ("sh", "s"), ("ph", "p"), ("th", "t"), ("ck", "k"), ("x", "ks")):
            s = s.replace(a, b)
        s = re.sub(r"c(?=[eiy])", "s", s).replace("c", "k")
        s = re.sub(r"r(?![aeiou])", "", s)
    s = s.translate(_EN_SOUND_MAP).translate(_VOICING)
    return re.sub(r"(.)\1+", r"\1", s)


def _ratio(a: str, b: str, floor: float = 0.0) -> float:
    """The mean of the full and the vowel-skeleton matching ratios; below ``floor`` a cheap upper
    bound of it may be returned instead (from the lengths, then the letters shared: the glossary
    asks for thousands)."""
    from difflib import SequenceMatcher

    sa, sb = re.sub("[aeiou]+", "a", a), re.sub("[aeiou]+", "a", b)
    if floor > 0:
        bound = (_length_bound(a, b) + _length_bound(sa, sb)) / 2
        if bound < floor:
            return bound
        bound = (_letters_bound(a, b) + _letters_bound(sa, sb)) / 2
        if bound < floor:
            return bound
    full = SequenceMatcher(None, a, b, autojunk=False)
    skel = SequenceMatcher(None, sa, sb, autojunk=False)
    return (full.ratio() + skel.ratio()) / 2


def _letters_bound(a: str, b: str) -> float:
    """An upper bound of difflib's ratio from the letters shared, in any order (its ``quick_ratio``)."""
    total = len(a) + len(b)
    return 2.0 * sum((Counter(a) & Counter(b)).values()) / total if total else 1.0


def _length_bound(a: str, b: str) -> float:
    """An upper bound of difflib's ratio from the lengths alone (its ``real_quick_ratio``)."""
    total = len(a) + len(b)
    return 2.0 * min(len(a), len(b)) / total if total else 1.0


def sound_similarity(ko: str, en: str, floor: float = 0.0) -> float:
    """How alike a Korean term sounds to an English one (transliterated names and loanwords).

    1.0 for "베이징"/"Beijing" or "알리바바"/"Alibaba", about 0.9 for "광둥성"/"Guangdong
    Province", below 0.6 for unrelated words. Vowels count half (Korean renders
    foreign vowels loosely). A designator on either side ("시"/"City",
    "성"/"Province") is set aside; when only one side has it, or they differ,
    the similarity is scaled by ``DESIGNATOR_MISMATCH``. ``floor``: a caller that ignores any
    value below it may get a quicker, higher one there (still below ``floor``); at or above it
    the value is exact.
    """
    k_name, k_des = ko.replace(" ", ""), ""
    for suffix in _DESIGNATORS:
        if k_name.endswith(suffix) and len(k_name) > len(suffix) + 1:
            k_name, k_des = k_name[: -len(suffix)], suffix
            break
    words = re.findall(r"[A-Za-z]+", en)
    score = _designated(k_name, k_des, words, "", floor)
    if len(words) > 1 and words[-1].lower() in _EN_DESIGNATORS:  # "Guangdong Province"; but "smart city" / "스마트시티"
        score = max(score, _designated(k_name, k_des, words[:-1], words[-1].lower(), floor))
    return score


def _designated(k_name: str, k_des: str, words: list[str], e_des: str, floor: float) -> float:
    k, e = _sound_key(k_name, korean=True), _sound_key("".join(words), korean=False)
    if min(len(k), len(e)) < 3:
        return 0.0
    score = _ratio(k, e, floor)
    if len(words) == 1 and len(e) >= len(k) + 4:  # a clipped loanword: "인프라" / "infrastructure"
        score = max(score, CLIPPED * _ratio(k, e[: len(k)], floor / CLIPPED))
    if (k_des or e_des) and e_des not in _DESIGNATORS.get(k_des, ()):
        score *= DESIGNATOR_MISMATCH
    return score
