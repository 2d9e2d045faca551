"""Rule-based English sentence splitter (linear time, offsets into its input).

A boundary is a run of ``.``/``!``/``?``/``…`` (plus closing quotes/brackets)
followed by whitespace and something that can start a sentence.  A ``.`` is not
a boundary after a known abbreviation (``Mr.``, ``e.g.``, ``Fig.``), a single
initial (``J. Smith``), a list enumerator at the start of a sentence (``1.``,
``IV.``) or an initialism like ``U.S.`` — unless, for the ambiguous ones
(``U.S.``, ``etc.``, ``Inc.``), the next word is a typical sentence opener.
"""

from __future__ import annotations

import re

# Never sentence-final (titles, Latin, reference words that take a number/name).
_ABBREV = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt rev fr hon gov gen col lt sgt capt cmdr adm maj pres
    sen rep amb supt messrs mme mlle
    e.g eg i.e ie cf viz vs v al approx ca ref refs
    fig figs tab no nos vol vols pp p para paras sec secs ch chap art arts eq eqs ed eds
    op loc ibid id trans dept univ assn est
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    """.split()
)
# Sentence-final only if the next word opens a sentence.
_AMBIGUOUS = frozenset("etc inc ltd co corp bros plc llc a.m p.m am pm jr sr".split())
_OPENERS = frozenset(
    """
    the a an this that these those there it its he she they we i you his her their our
    in on at for from by with as if when while after before since although though because
    however but and or so yet also moreover furthermore meanwhile therefore thus hence
    then first second third finally last next other some many most all each both such
    what which who where why how one two three no not yes according to despite during
    under over among between without within into through unlike like given based
    """.split()
)
_ROMAN_RE = re.compile(r"^[IVXLCivxlc]{1,6}$")
_CANDIDATE_RE = re.compile(r"(?:\.{2,}|…+|[.!?]+)[\"'”’)\]}»」』]*(?=\s+(\S))")
_WORD_BEFORE_RE = re.compile(r"([\w.\-&']*)$")
_FIRST_WORD_RE = re.compile(r"[\"'“‘(\[]*([\w'’-]+)")
_LABEL_RE = re.compile(
    r"^(?:fig(?:ure)?|table|tab|chart|box|exhibit|panel|appendix|annex|chapter|section|part|article|step)\.?$",
    re.IGNORECASE,
)
_NUMBERING_RE = re.compile(r"^\d+(?:\.\d+)+$")
_SENT_START = re.compile(r"[\"'“‘(\[«「『]*[A-Z0-9\u00c0-\u00de\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]")
_CAMEL_START = re.compile(r"[a-z]{1,2}[A-Z][a-z]")  # "iPhone", "eBay", "iOS" opening a sentence
_LOOKBACK = 40


def _is_boundary(text: str, m: re.Match[str], sent_start: int) -> bool:
    punct = m.group(0)
    after = m.end()
    nxt = text[after : after + _LOOKBACK + 8].lstrip()
    if not _SENT_START.match(nxt) and not _CAMEL_START.match(nxt):
        return False
    if punct[0] in "!?…" or punct.startswith(".."):
        return True
    if not punct.startswith("."):
        return True
    closed = len(punct.rstrip("\"'”’)]}»」』")) < len(punct)  # '…end." Then' closes a quote
    before = _WORD_BEFORE_RE.search(text, max(sent_start, m.start() - _LOOKBACK), m.start())
    word = before.group(1) if before else ""
    if closed or not word:
        return True
    bare = word.rstrip(".")
    low = bare.lower()
    fm = _FIRST_WORD_RE.match(nxt)
    next_word = fm.group(1).lower() if fm else ""
    if low in _ABBREV or low.replace(".", "") in _ABBREV:
        return False
    if low in _AMBIGUOUS or low.replace(".", "") in _AMBIGUOUS:
        return next_word in _OPENERS
    lead = text[sent_start : m.start() - len(word)].strip()
    # Enumerator or caption label at the start of a sentence: "1. Introduction",
    # "IV. Results", "Figure 3. Internet users in China", "Table 2.1. Summary".
    if (bare.isdigit() or _ROMAN_RE.match(bare) or _NUMBERING_RE.match(bare)) and (
        not lead or _LABEL_RE.match(lead)
    ):
        return False
    if len(bare) == 1 and bare.isalpha() and bare.isupper():
        return False  # initial: "J. Smith", "Plan B." is rare
    if "." in bare and all(len(p) <= 2 for p in bare.split(".")):
        return next_word in _OPENERS  # initialism: "U.S.", "U.K.", "Ph.D."
    return True


def split_en(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE_RE.finditer(text):
        if m.start() < start:
            continue
        if _is_boundary(text, m, start):
            spans.append((start, m.end()))
            start = m.end()
    spans.append((start, len(text)))
    return [t for t in (_trim(text, a, b) for a, b in spans) if t is not None]


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None
