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

Two small helpers for pairing live here too: ``sound_similarity`` (how alike
a Korean term sounds to an English one — transliterated names, loanwords) and
``looks_adjectival``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .korean import get_kiwi, kiwi_lock

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


# --------------------------------------------------------------------------- Korean

_KO_NOUN = frozenset({"NNG", "NNP"})
_KO_FOREIGN = frozenset({"SL", "SH"})
# Plural / distributive / positional suffixes end a term instead of joining it.
_KO_DETACHED_XSN = frozenset({"들", "별", "간", "상", "여", "씩", "째", "쯤", "경"})
_KO_ORDINAL_COUNTERS = frozenset({"차", "세대", "기", "호", "단계", "번째"})
# General-language nouns that never start, end or form a term on their own.
KO_STOP_NOUNS = frozenset(
    """관련 등 중 내 외 간 이후 이전 경우 측면 차원 대상 이상 이하 가운데 전반 현재 당시 최근 향후 이번
    기타 일부 다양 여러 각 전 본 해당 일환 자체 정도 부분 시점 주요 기존 우선 더 바로 직접 과정 결과 내용
    방안 방향 필요 가능 중요 통해 위해 대해 관해 따라 경우 사이 이외 자신 모두 모든 다수 소수 일 점 바 때
    함께 이때 그때 이제 무엇 이것 그것 여기 거기 지난 올해 작년 내년 기간 동안 이래 초기 말 초 후반 전후
    사례 현황 정책적 적극 수준 부문 분야 영역 기반 역할 측 만큼 대로 뿐 만 위 아래 앞 뒤 밖""".split()
)


@dataclass(frozen=True)
class _Unit:
    form: str
    start: int
    end: int
    kind: str  # "noun" | "foreign" | "number" | "ordinal"


@dataclass(frozen=True)
class Token:
    form: str
    tag: str  # base tag: "NNG", "VV", "JKS" …
    start: int
    end: int


@lru_cache(maxsize=16384)
def korean_tokens(text: str) -> tuple[Token, ...]:
    """kiwipiepy morphemes of ``text`` with character offsets (cached)."""
    if not text.strip():
        return ()
    kiwi = get_kiwi()
    with kiwi_lock:
        raw = list(kiwi.tokenize(text))
    return tuple(Token(str(t.form), str(t.tag).split("-")[0], int(t.start), int(t.start + t.len)) for t in raw)


def _korean_units(text: str) -> list[list[_Unit]]:
    """Runs of adjacent nominal units (whitespace allowed between them)."""
    runs: list[list[_Unit]] = []
    run: list[_Unit] = []
    prefix: tuple[str, int] | None = None  # pending XPN (form, start)

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
            if prefix is not None and prefix[1] + len(prefix[0]) == start:
                unit = _Unit(prefix[0] + form, prefix[1], end, kind)
            else:
                unit = _Unit(form, start, end, kind)
            prefix = None
            if run and text[run[-1].end : unit.start].strip():
                close()
            run.append(unit)
            continue
        prefix = None
        if tag == "NNB" and run and run[-1].kind == "number" and run[-1].end == start:
            last = run[-1]
            kind = "ordinal" if form in _KO_ORDINAL_COUNTERS else "measure"
            run[-1] = _Unit(last.form + form, last.start, end, kind)
            continue
        if tag == "XSN" and run and run[-1].end == start and run[-1].kind in ("noun", "foreign"):
            if form in _KO_DETACHED_XSN:
                close()
            else:
                last = run[-1]
                run[-1] = _Unit(last.form + form, last.start, end, last.kind)
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
                out.append(Mention(korean_key(surface), surface, start, end, len(units), parts=parts))
    return out


# --------------------------------------------------------------------------- English

EN_STOPWORDS = frozenset(
    """a an the this that these those its their his her our my your it they we you he she i me us them him
    itself themselves ourselves which who whom whose what where when why how and or but nor so yet as if
    than then also of in on at to for with by from into onto about over under between among through during
    before after above below up down out off around within without toward towards across against along via
    per upon beyond behind despite throughout is are was were be been being am has have had having do does
    did done will would shall should can could may might must not no all any some each every both either
    neither such other others another more most much many few fewer less least very only just even still
    already there here thus therefore however while whereas although though because since until unless
    whether too quite rather own same etc one two three four five six seven eight nine ten first second third
    last next further furthermore moreover meanwhile namely like unlike including include includes included
    well often always never sometimes now currently recently nearly almost about approximately around
    something anything everything nothing someone anyone everyone via e.g i.e vs among amongst whereby
    thereby hence else ever let lets let's get gets got make makes made making take takes took taken taking
    give gives gave given giving see seen seeing saw say says said become becomes became becoming seem
    seems seemed go goes went going come comes came coming put puts keep keeps kept yes onward onwards""".split()
)
# Capitalised multi-word names may continue through these ("Institute of X and Y").
_NAME_LINKS = frozenset({"of", "and", "for", "in", "on", "&", "de"})
# Verbs that are (almost) never nouns or noun modifiers; inflected forms are derived.
_VERB_LEMMAS = """accelerate accept achieve acquire act adapt add address adopt affect aim allow analyze analyse
    announce apply appear argue arise assess assist attempt attract attribute become begin believe belong
    boost bring build carry cause choose claim collaborate combine commission compete consider consist
    constitute construct contain continue contribute convert converge cope cover create deal decide decline
    define deliver depend derive describe design designate determine develop devote discuss drive emerge
    emphasize employ enable encourage enhance enjoy ensure enter establish estimate evaluate examine exist
    expand expect explain explore express facilitate find focus follow form formulate foster gain generate
    grow guide happen help highlight identify implement improve incorporate increase indicate induce inform
    intend introduce involve join lead learn leave lie look lose maintain manage meet mention mitigate
    move need note nurture obtain occur offer operate optimize own participate perform pioneer plan
    play pose possess predict prepare present prevent proceed produce promote propose prove provide pursue
    raise rank reach realize realise receive recognize reduce reflect regard relate release rely remain
    represent require respond result reveal review rush secure seek seem serve set share show solidify
    solve spur start strengthen strive struggle study submit succeed suggest suit summarize supply support
    suppose surge sustain take tend transform turn undergo understand unfold use utilize view want
    achieve become carry occupy conduct stand attain""".split()
_IRREGULAR_VERBS = """is are was were been being be has have had do does did done made went gone got given
    taken brought built began begun chose chosen drew drawn drove driven found grew grown held kept knew
    known led left lost met paid put ran read said saw seen sent set shown sought spent stood thought told
    took understood undergone underwent won wrote written seemed become became""".split()
# Nouns in -ly that are not adverbs.
_LY_NOUNS = frozenset(
    "supply family italy july assembly monopoly oligopoly anomaly ally rally reply apply early daily weekly "
    "monthly quarterly yearly friendly poly jelly belly bully holy".split()
)
_NOUNISH_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ship", "ure", "ogy", "ics")
_HYPHEN_HEADS = frozenset(
    "related based oriented led driven owned sized specific friendly centric focused intensive type level wide".split()
)
_DETERMINERS = frozenset("the a an its their this these those our his her your my each every".split())
_AUX = frozenset("will would can could should must may might shall to do does did".split())
_BE_HAVE = frozenset("is are was were be been being has have had am".split())

_WORD = re.compile(r"[$]?[A-Za-z0-9]+(?:[.\-&'’][A-Za-z0-9]+)*[%]?(?:['’]s?)?")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[$]?\d+(?:[.,]\d+)*[%]?$")


def _verb_forms(lemmas: Iterable[str]) -> frozenset[str]:
    forms: set[str] = set()
    for v in lemmas:
        forms.add(v)
        if v.endswith("y") and v[-2:-1] not in "aeiou":
            forms.update({v[:-1] + "ies", v[:-1] + "ied", v + "ing"})
        elif v.endswith("e"):
            forms.update({v + "s", v + "d", v[:-1] + "ing"})
        elif v.endswith(("s", "x", "z", "ch", "sh")):
            forms.update({v + "es", v + "ed", v + "ing"})
        else:
            forms.update({v + "s", v + "ed", v + "ing"})
    return frozenset(forms)


_VERBS = _verb_forms(_VERB_LEMMAS) | frozenset(_IRREGULAR_VERBS)
# -ing forms of the lemmas above that are nouns in practice ("manufacturing", "planning").
_ING_NOUNS = frozenset(
    "planning funding training marketing manufacturing processing housing building spending lending "
    "offering understanding driving learning setting meeting opening pricing sharing rating ranking "
    "networking engineering computing accounting programming".split()
)


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
    if lw.endswith("ses") and lw[:-2].endswith(("ys", "as", "es")):
        return w[:-2]
    if lw.endswith("s") and not lw.endswith(("ss", "'s")):
        return w[:-1]
    return w


def plural_forms(word: str) -> tuple[str, ...]:
    """``word`` and its regular plural spellings (lower-case)."""
    w = word.lower()
    out = {w}
    if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        out.add(w[:-1] + "ies")
    elif w.endswith("is") and len(w) > 3:
        out.add(w[:-2] + "es")
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        out.add(w + "es")
    else:
        out.add(w + "s")
    return tuple(sorted(out, key=len, reverse=True))


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
        if len(parts) > 1 and parts[-1].lower() in _HYPHEN_HEADS:
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
    if w[0].isupper() and not sentence_initial and lw not in _NAME_LINKS and w != "I":
        return "name"  # a capital inside a sentence marks a name ("Next Generation", "Ping An")
    if lw in EN_STOPWORDS:
        return "stop"
    if lw.endswith("ly") and lw not in _LY_NOUNS and w[0].islower():
        return "adverb"
    if lw in _VERBS and lw not in _ING_NOUNS:
        return "verb"
    if w[0].islower():
        p = prev.text.lower() if prev else ""
        p2 = prev2.text.lower() if prev2 else ""
        after_aux = p in _AUX or (p2 in _AUX and (p.endswith("ly") or p in ("not", "also")))
        after_be = p in _BE_HAVE or (p2 in _BE_HAVE and (p.endswith("ly") or p in ("not", "also")))
        if after_aux and not lw.endswith(_NOUNISH_SUFFIXES):
            return "verb"
        if after_be and lw.endswith(("ed", "en", "ing")):
            return "verb"
        if nxt is not None and nxt.text.lower() in _DETERMINERS and not tok.possessive:
            return "verb"
    if w[0].isupper():
        return "name"
    return "word"


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
        if lw in _NAME_LINKS and cur and cur[-1][1] == "name":
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
    if last.endswith("ed") and len(part) == 1:
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


# --------------------------------------------------------------------------- sound

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
_EN_SOUND_MAP = str.maketrans("zfvqrwy", "jpbklui")


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
    s = s.translate(_EN_SOUND_MAP)
    return re.sub(r"(.)\1+", r"\1", s)


def _ratio(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    full = SequenceMatcher(None, a, b, autojunk=False).ratio()
    skel = SequenceMatcher(None, re.sub("[aeiou]+", "a", a), re.sub("[aeiou]+", "a", b), autojunk=False)
    return (full + skel.ratio()) / 2


def sound_similarity(ko: str, en: str) -> float:
    """How alike a Korean term sounds to an English one (transliterated names and loanwords).

    1.0 for "베이징"/"Beijing" or "알리바바"/"Alibaba", about 0.9 for "광둥성"/"Guangdong
    Province", below 0.6 for unrelated words. Vowels count half (Korean renders
    foreign vowels loosely). A designator on either side ("시"/"City",
    "성"/"Province") is set aside; when only one side has it, or they differ,
    the similarity is scaled by ``DESIGNATOR_MISMATCH``.
    """
    k_name, k_des = ko.replace(" ", ""), ""
    for suffix in _DESIGNATORS:
        if k_name.endswith(suffix) and len(k_name) > len(suffix) + 1:
            k_name, k_des = k_name[: -len(suffix)], suffix
            break
    words = re.findall(r"[A-Za-z]+", en)
    e_des = ""
    if len(words) > 1 and words[-1].lower() in _EN_DESIGNATORS:
        e_des = words[-1].lower()
        words = words[:-1]
    k, e = _sound_key(k_name, korean=True), _sound_key("".join(words), korean=False)
    if min(len(k), len(e)) < 3:
        return 0.0
    score = _ratio(k, e)
    if (k_des or e_des) and e_des not in _DESIGNATORS.get(k_des, ()):
        score *= DESIGNATOR_MISMATCH
    return score


_ADJ_SUFFIXES = ("ous", "ive", "al", "ic", "ful", "able", "ible", "less", "ese", "ish", "ary")
_ADJ_SUFFIX_NOUNS = frozenset(
    """hospital capital signal proposal approval potential rental arrival material terminal portal journal
    individual professional principal animal rival festival survival interval total official traffic clinic
    logic music topic republic mechanic fabric critic characteristic initiative incentive executive
    representative objective alternative collective perspective directive narrative relative native motive
    archive drive library summary boundary salary dictionary commentary beneficiary subsidiary secretary
    anniversary itinerary glossary diary military sanctuary plant giant tenant consultant assistant agent
    student president resident client patient component department government management environment
    development investment agreement parliament equipment employment content talent event segment element
    statement treatment payment settlement establishment implementation""".split()
)


_PLAIN_ADJECTIVES = frozenset(
    """new old high low large small big great good bad main major minor long short recent current certain
    various several different similar important significant relevant specific general overall whole entire
    free full common real true national international domestic foreign own""".split()
)


def looks_adjectival(word: str) -> bool:
    """A heuristic: "autonomous", "artificial", "new" but not "hospital", "government"."""
    w = word.lower()
    if w in _PLAIN_ADJECTIVES:
        return True
    if not w.isalpha() or word[:1].isupper() or w in _ADJ_SUFFIX_NOUNS:
        return False
    if w.endswith(("ment", "ence", "ance", "ency", "ancy")):
        return False
    return w.endswith(_ADJ_SUFFIXES)
