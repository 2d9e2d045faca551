"""Term candidates: Korean noun compounds (kiwipiepy) and English noun phrases.

Both extractors return ``Mention`` values — one occurrence of a candidate term
in a sentence, with its character span, the surface form as written and a
normalised ``key`` that groups spelling variants:

- Korean: runs of nominal morphemes (NNG/NNP/SL/SH, numbers with ordinal
  counters, XPN/XSN affixes glued to their noun), every contiguous sub-run a
  candidate; the key drops whitespace, so "스마트 헬스케어" and "스마트헬스케어"
  are one term.
- English: a light, model-free noun-phrase chunker. Function words, known and
  context-detected verbs, adverbs and punctuation split a sentence into chunks
  of adjectives/nouns/names; capitalised names may span "of"/"and"/"for"/"in"
  ("National Health and Health Commission"). Every n-gram of a chunk is a
  candidate; the key is lower-cased, hyphens dropped, the last word singular.

The word lists both consult are ``aligner.glossary.lexicon``; how alike a Korean term
sounds to an English one is ``aligner.glossary.transliteration``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from aligner.glossary.lexicon import (
    AUX,
    BE_HAVE,
    DETERMINERS,
    EN_STOPWORDS,
    HYPHEN_HEADS,
    ING_NOUNS,
    KO_DETACHED_XSN,
    KO_ORDINAL_COUNTERS,
    KO_STOP_NOUNS,
    LY_NOUNS,
    NAME_LINKS,
    NOUN_VERBS,
    NOUNISH_SUFFIXES,
    PARTICIPLE_MODIFIERS,
    VERBS,
)
from aligner.segment.kiwi import korean_tokens

MAX_KO_UNITS = 8
MAX_EN_WORDS = 8  # capitalised names; common-noun phrases stop at MAX_EN_PHRASE
MAX_EN_PHRASE = 5


@dataclass(frozen=True)
class Mention:
    """One occurrence of a candidate term inside a sentence."""

    key: str
    surface: str
    start: int
    end: int
    size: int  # words / morpheme units
    initial: bool = False  # starts the sentence (its capital may be positional)
    parts: tuple[str, ...] = ()  # content units: Korean morpheme units, English words
    proper: int = 0  # units kiwipiepy tags as proper nouns (NNP), Korean only


# --------------------------------------------------------------------------- Korean

_KO_NOUN = frozenset({"NNG", "NNP"})
_KO_FOREIGN = frozenset({"SL", "SH"})


@dataclass(frozen=True)
class _Unit:
    form: str
    start: int
    end: int
    kind: str  # "noun" | "foreign" | "number" | "ordinal"
    proper: bool = False  # an NNP morpheme


def _korean_units(text: str) -> list[list[_Unit]]:
    """Runs of adjacent nominal units (whitespace allowed between them)."""
    runs: list[list[_Unit]] = []
    run: list[_Unit] = []
    prefix: tuple[str, int] | None = None  # pending XPN (form, start)
    hyphen = -1  # end of a hyphen glued to the last foreign unit ("I-" of "I-KOREA 4.0")

    def close() -> None:
        nonlocal run
        if run:
            runs.append(run)
        run = []

    for tok in korean_tokens(text):
        tag, form, start, end = tok.tag, tok.form, tok.start, tok.end
        if text[start:end] != form and tag not in _KO_NOUN:
            # Contracted morphemes (e.g. 하+ㄴ) have no surface of their own.
            close()
            prefix = None
            continue
        if tag == "XPN":
            close()
            prefix = (form, start)
            continue
        if tag in _KO_NOUN or tag in _KO_FOREIGN or tag == "SN":
            kind = "noun" if tag in _KO_NOUN else "foreign" if tag in _KO_FOREIGN else "number"
            proper = tag == "NNP"
            if prefix is not None and prefix[1] + len(prefix[0]) == start:
                unit = _Unit(prefix[0] + form, prefix[1], end, kind, proper)
            else:
                unit = _Unit(form, start, end, kind, proper)
            prefix = None
            if hyphen == start and kind in ("foreign", "number"):  # "I-KOREA", "COVID-19": one unit
                last = run[-1]
                run[-1] = _Unit(text[last.start : end], last.start, end, "foreign", last.proper)
                hyphen = -1
                continue
            hyphen = -1
            if run and text[run[-1].end : unit.start].strip():
                close()
            run.append(unit)
            continue
        prefix = None
        if tag == "SO" and form in "-‐" and run and run[-1].kind == "foreign" and run[-1].end == start:
            hyphen = end
            continue
        hyphen = -1
        if tag == "NNB" and run and run[-1].kind == "number" and run[-1].end == start:
            last = run[-1]
            kind = "ordinal" if form in KO_ORDINAL_COUNTERS else "measure"
            run[-1] = _Unit(last.form + form, last.start, end, kind)
            continue
        if tag == "XSN" and run and run[-1].end == start and run[-1].kind in ("noun", "foreign"):
            if form in KO_DETACHED_XSN:
                close()
            else:
                last = run[-1]
                run[-1] = _Unit(last.form + form, last.start, end, last.kind, last.proper)
            continue
        close()
    close()
    return runs


def _korean_ok(units: list[_Unit]) -> bool:
    first, last = units[0], units[-1]
    if not any(u.kind in ("noun", "foreign") for u in units):
        return False
    if any(u.kind == "measure" for u in units):
        return False
    if first.kind == "number" or last.kind in ("ordinal",):
        return False
    if last.kind == "number" and len(units) == 1:
        return False
    if first.form in KO_STOP_NOUNS or last.form in KO_STOP_NOUNS:
        return False
    if len(units) == 1:
        u = first
        if u.kind == "noun" and len(u.form) < 2:
            return False
        if u.kind == "foreign" and len(u.form) < 2 and not u.form.isupper():
            return False
    return True


def korean_key(surface: str) -> str:
    return re.sub(r"\s+", "", surface).lower()


def korean_mentions(text: str) -> list[Mention]:
    """Every nominal compound (and each of its sub-compounds) in ``text``."""
    out: list[Mention] = []
    for run in _korean_units(text):
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + MAX_KO_UNITS) + 1):
                units = run[i:j]
                if not _korean_ok(units):
                    continue
                start, end = units[0].start, units[-1].end
                surface = text[start:end]
                parts = tuple(u.form for u in units)
                proper = sum(u.proper for u in units)
                out.append(Mention(korean_key(surface), surface, start, end, len(units), parts=parts, proper=proper))
    return out


# --------------------------------------------------------------------------- English


_WORD = re.compile(r"[$]?[A-Za-z0-9]+(?:[.\-&'’][A-Za-z0-9]+)*[%]?(?:['’]s?)?")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[$]?\d+(?:[.,]\d+)*[%]?$")


_SES_PLURALS = frozenset({"gases", "biases", "buses", "atlases", "aliases", "canvases", "lenses", "statuses"})


def singular(word: str) -> str:
    """A light English singulariser for the head noun of a phrase."""
    w = word
    lw = w.lower()
    if len(lw) <= 3 or not lw.isalpha() or w.isupper():
        return w
    if lw.endswith(("ss", "us", "is", "ics", "news", "series", "species", "ous")):
        return w
    if lw.endswith("ies") and len(lw) > 4:
        return w[:-3] + ("y" if w[-1].islower() else "Y")
    if lw.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if lw.endswith("yses"):
        return w[:-2] + "is"  # analyses -> analysis
    if lw in _SES_PLURALS:
        return w[:-2]  # gases -> gas; most "-ses" are "-se" + s: cases, bases, purchases, releases
    if lw.endswith("s") and not lw.endswith(("ss", "'s")):
        return w[:-1]
    return w


def english_key(words: Iterable[str]) -> str:
    """Lower case, hyphens dropped, head noun singular: "Start-ups" -> "startup"."""
    items = [w.lower().replace("-", "") for w in words]
    if items:
        items[-1] = singular(items[-1]).lower()
    return " ".join(items)


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    possessive: bool  # "China's": a phrase ends here


def _english_tokens(text: str) -> list[_Tok | None]:
    """Words with offsets; ``None`` marks punctuation (a hard phrase boundary)."""
    out: list[_Tok | None] = []
    pos = 0
    for m in _WORD.finditer(text):
        gap = text[pos : m.start()]
        if gap.strip():
            out.append(None)
        word, start = m.group(), m.start()
        possessive = False
        if word.endswith(("'s", "’s")):
            word, possessive = word[:-2], True
        elif word.endswith(("'", "’")):
            word, possessive = word[:-1], True
        parts = word.split("-")
        if len(parts) > 1 and parts[-1].lower() in HYPHEN_HEADS:
            head = "-".join(parts[:-1])
            out.append(_Tok(head, start, start + len(head), False))
            out.append(None)
        elif word:
            out.append(_Tok(word, start, start + len(word), possessive))
        pos = m.end()
    return out


def english_words(text: str) -> list[tuple[int, int, str]]:
    """Words of ``text`` with offsets, as the extractor sees them ("China's" -> "China",
    "app-based" -> "app")."""
    return [(t.start, t.end, t.text) for t in _english_tokens(text) if t is not None]


def _role(tok: _Tok, prev: _Tok | None, prev2: _Tok | None, nxt: _Tok | None, sentence_initial: bool) -> str:
    """The role of a word: "stop", "verb", "adverb", "number", "ordinal", "name" or "word"."""
    w = tok.text
    lw = w.lower()
    if len(w) >= 2 and w.isupper() and w.isalpha():
        return "name"  # acronyms: IT, ICT, AI, US
    if _ORDINAL.match(w):
        return "ordinal"
    if _NUMBER.match(w) or re.fullmatch(r"\d+(?:\.\d+)+", w):
        return "number"
    if w[0].isupper() and not sentence_initial and lw not in NAME_LINKS and w != "I":
        return "name"  # a capital inside a sentence marks a name ("Next Generation", "Ping An")
    if lw in EN_STOPWORDS:
        return "stop"
    if lw.endswith("ly") and lw not in LY_NOUNS and w[0].islower():
        return "adverb"
    if lw in PARTICIPLE_MODIFIERS and _plain_noun(nxt):
        return "word"
    if (
        lw.endswith("ing")
        and lw not in ING_NOUNS
        and _plain_noun(prev)
        and (_plain_noun(nxt) or (nxt is not None and nxt.text.lower() in DETERMINERS))
    ):
        return "verb"  # a participle after its noun opens a clause: "an ecosystem encompassing companies"
    if (
        lw in NOUN_VERBS
        and prev is not None
        and (
            prev.possessive
            or prev.text.lower() in DETERMINERS
            or (
                _plain_noun(prev)
                and not _plain_noun(nxt)
                and (nxt is None or nxt.text.lower() not in DETERMINERS | {"to"})
            )
        )
    ):
        return "word"
    if lw in VERBS and lw not in ING_NOUNS:
        return "verb"
    if w[0].islower():
        p = prev.text.lower() if prev else ""
        p2 = prev2.text.lower() if prev2 else ""
        after_aux = p in AUX or (p2 in AUX and (p.endswith("ly") or p in ("not", "also")))
        after_be = p in BE_HAVE or (p2 in BE_HAVE and (p.endswith("ly") or p in ("not", "also")))
        if after_aux and not lw.endswith(NOUNISH_SUFFIXES):
            return "verb"
        if after_be and lw.endswith(("ed", "en", "ing")):
            return "verb"
        if nxt is not None and nxt.text.lower() in DETERMINERS and not tok.possessive:
            return "verb"
    if w[0].isupper():
        return "name"
    return "word"


def _plain_noun(tok: _Tok | None) -> bool:
    """A lower-case word that is neither a function word nor a known verb (a noun, most likely)."""
    if tok is None or not tok.text.isalpha() or not tok.text.islower():
        return False
    return tok.text not in EN_STOPWORDS and (tok.text not in VERBS or tok.text in ING_NOUNS | NOUN_VERBS)


def _chunks(text: str) -> list[list[tuple[_Tok, str]]]:
    toks = _english_tokens(text)
    chunks: list[list[tuple[_Tok, str]]] = []
    cur: list[tuple[_Tok, str]] = []
    roles: list[str | None] = []
    first = next((i for i, t in enumerate(toks) if t is not None), -1)
    for i, tok in enumerate(toks):
        if tok is None:
            roles.append(None)
            continue
        prev = toks[i - 1] if i >= 1 else None
        prev2 = toks[i - 2] if i >= 2 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        roles.append(_role(tok, prev, prev2, nxt, i == first))

    def close() -> None:
        nonlocal cur
        while cur and cur[-1][1] == "link":
            cur.pop()
        if cur:
            chunks.append(cur)
        cur = []

    for i, tok in enumerate(toks):
        role = roles[i]
        if tok is None or role is None:
            close()
            continue
        if role in ("word", "name", "number", "ordinal"):
            cur.append((tok, role))
            if tok.possessive:
                close()
            continue
        lw = tok.text.lower()
        if lw in NAME_LINKS and cur and cur[-1][1] == "name":
            nxt_role = roles[i + 1] if i + 1 < len(toks) else None
            names = sum(1 for _, r in cur if r == "name")
            links = sum(1 for _, r in cur if r == "link")
            if nxt_role == "name" and (lw not in ("and", "&") or names >= 2 or links >= 1):
                cur.append((tok, "link"))
                continue
        close()
    close()
    return chunks


def _english_ok(part: list[tuple[_Tok, str]]) -> bool:
    roles = [r for _, r in part]
    if roles[0] in ("link", "number") or roles[-1] in ("link", "ordinal"):
        return False
    if not any(r in ("word", "name") for r in roles):
        return False
    if roles[-1] == "number" and "name" not in roles:
        return False
    if len(part) > MAX_EN_PHRASE and "word" in roles:
        return False
    if "link" in roles and any(r == "word" for r in roles):
        return False  # links only join capitalised names
    last = part[-1][0].text.lower()
    if (last.endswith("ed") and len(part) == 1) or last in PARTICIPLE_MODIFIERS:
        return False
    return not (len(part) == 1 and len(part[0][0].text) < 2)


def english_mentions(text: str) -> list[Mention]:
    """Every noun-phrase n-gram of ``text`` (surface as written)."""
    out: list[Mention] = []
    first_word = _WORD.search(text)
    first_start = first_word.start() if first_word else -1
    for chunk in _chunks(text):
        for i in range(len(chunk)):
            for j in range(i + 1, min(len(chunk), i + MAX_EN_WORDS) + 1):
                part = chunk[i:j]
                if not _english_ok(part):
                    continue
                start, end = part[0][0].start, part[-1][0].end
                surface = text[start:end]
                key = english_key(t.text for t, _ in part)
                words = tuple(t.text for t, r in part if r != "link")
                out.append(Mention(key, surface, start, end, len(part), start == first_start, words))
    return out
