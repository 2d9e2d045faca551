"""Page furniture and line joining for paged layouts (PDF).

:func:`drop_running_lines` removes running headers/footers (a line near the top or
foot of a page whose text, digits aside, repeats there on another page) and
page numbers;
:func:`join_lines` joins a paragraph's lines, re-joining words hyphenated at a
line end.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_BAND = 2  # lines at the top and at the foot of a page that may be furniture
_PAGE_NUMBER_RE = re.compile(
    r"^[-–—(\[\s]*(?:(?:page|p\.|페이지)\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of)\s*\d{1,4})?[-–—)\]\s]*(?:쪽|페이지)?$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")
_FUZZY_RATIO = 0.8
_FUZZY_MIN = 8  # shorter lines are never matched fuzzily
_HYPHENS = "-\u00ad\u2010"


@dataclass(frozen=True)
class PageLine:
    text: str
    index: int


def _key(text: str) -> str:
    return _DIGITS_RE.sub("#", " ".join(text.split())).lower()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(text.strip()))


def drop_running_lines(pages: list[list[PageLine]], *, fuzzy: bool = False) -> list[list[int]]:
    """Indices of the lines to keep on each page.

    ``fuzzy`` (OCR'd pages, which read the same header a little differently on each page):
    lines that are nearly the same (:data:`_FUZZY_RATIO`) count as the same line."""
    counts: dict[tuple[str, str], int] = {}
    for page in pages:
        for band, lines in (("top", page[:_BAND]), ("foot", page[-_BAND:])):
            for key in {_key(ln.text) for ln in lines}:
                counts[(band, key)] = counts.get((band, key), 0) + 1
    if fuzzy:
        counts = _fuzzy_counts(counts)
    # Two pages are enough: a chapter's running head ("Chapter 4: …") repeats only on its pages.
    need = 2
    kept: list[list[int]] = []
    for page in pages:
        top = {ln.index for ln in page[:_BAND]}
        foot = {ln.index for ln in page[-_BAND:]}
        keep = []
        for ln in page:
            band = "top" if ln.index in top else "foot" if ln.index in foot else ""
            if band and (is_page_number(ln.text) or (len(pages) > 1 and counts.get((band, _key(ln.text)), 0) >= need)):
                continue
            keep.append(ln.index)
        kept.append(keep)
    return kept


def _fuzzy_counts(counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Each band line's count, plus those of the lines nearly the same as it in the same band."""
    out = dict(counts)
    keys = [k for k in counts if len(k[1]) >= _FUZZY_MIN]
    for i, (band, a) in enumerate(keys):
        for band2, b in keys[i + 1 :]:
            if band2 != band or abs(len(a) - len(b)) > (1 - _FUZZY_RATIO) * max(len(a), len(b)):
                continue
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if matcher.quick_ratio() >= _FUZZY_RATIO and matcher.ratio() >= _FUZZY_RATIO:
                out[(band, a)] += counts[(band, b)]
                out[(band, b)] += counts[(band, a)]
    return out


_WORD_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def vocabulary(lines: list[str]) -> frozenset[str]:
    """Lower-cased words and hyphenated compounds of a document, leaving out the
    fragments a line-end hyphen cut off (they need not be words on their own)."""
    words: set[str] = set()
    cut = False
    for line in lines:
        body = line.strip()
        if cut:  # the rest of a word hyphenated at the end of the line before
            body = body.split(" ", 1)[1] if " " in body else ""
        cut = body[-1:] in _HYPHENS
        if cut:
            body = body[:-1].rsplit(" ", 1)[0] if " " in body else ""
        words.update(w.lower() for w in _WORD_RE.findall(body))
    return frozenset(words)


def join_lines(
    lines: list[str], pages: list[int], words: frozenset[str] = frozenset(), tokens: frozenset[str] = frozenset()
) -> tuple[str, list[tuple[int, int]]]:
    """One paragraph from its lines; also ``(offset, page)`` where the page changes.

    A break inside a token (see :func:`_unbroken`), or where the document's ``tokens``
    show the two sides written together (:func:`_attached`), is joined without a space.  A word
    broken by a hyphen at a line end is re-joined ("develop-"+"ment") unless
    the document's ``words`` say it is a compound: the hyphenated form occurs
    elsewhere, or the joined form does not while a part is a word by itself
    ("in-"+"depth", "self-"+"driving")."""
    out = ""
    marks: list[tuple[int, int]] = []
    for k, line in enumerate(lines):
        line = line.strip()
        if k and pages[k] != pages[k - 1]:
            marks.append((len(out) + (0 if not out or _hyphenated(out, line) else 1), pages[k]))
        if not out:
            out = line
        elif _hyphenated(out, line):
            out = out[:-1] + ("-" if _compound(out[:-1], line, words) else "") + line
        elif _unbroken(out, line) or _attached(out, line, tokens):
            out = out.rstrip("\u00ad").replace("\u2010", "-") + line
        else:
            out = out.rstrip("\u00ad") + " " + line
    return out.replace("\u00ad", "").replace("\u2010", "-"), marks


def _compound(left: str, right: str, words: frozenset[str]) -> bool:
    a = _WORD_RE.findall(left)[-1:] or [""]
    b = _WORD_RE.findall(right)[:1] or [""]
    first, rest = a[0].lower(), b[0].lower()
    if f"{first}-{rest}" in words:
        return True
    if f"{first}{rest}" in words:
        return False
    return (first in words or rest in words) and len(first) >= 2 and len(rest) >= 3


def _attached(left: str, right: str, tokens: frozenset[str]) -> bool:
    """A break where Latin letters or digits meet Hangul ("IT|기업과") that the document
    writes without a space elsewhere ("IT기업 텐센트"): ``tokens`` are its space-separated words."""
    a, b = left[-1:], right[:1]
    if not ((a.isascii() and a.isalnum() and _is_hangul(b)) or (_is_hangul(a) and b.isascii() and b.isalnum())):
        return False
    head = left.rsplit(" ", 1)[-1] + right.split(" ", 1)[0][:2]
    return any(t.startswith(head) for t in tokens)


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def _unbroken(left: str, right: str) -> bool:
    """A line break inside a token, where no space was: between two digits ("2|025"),
    after a hyphen before a capital or digit ("I-|KOREA", "COVID-|19"), before a
    hyphen ("I|-KOREA")."""
    a, b = left[-1:], right[:1]
    if a.isdigit() and b.isdigit():
        return True
    if a in _HYPHENS and len(left) > 1 and left[-2].isalnum() and (b.isupper() or b.isdigit()):
        return True
    return b in _HYPHENS and a.isalnum() and len(right) > 1 and right[1].isalnum()


def _hyphenated(left: str, right: str) -> bool:
    """``left`` ends in a word broken by a hyphen that ``right`` continues in lower case."""
    return len(left) > 1 and left[-1] in _HYPHENS and left[-2].isalpha() and right[:1].islower()
