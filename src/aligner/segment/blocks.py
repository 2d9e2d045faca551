"""Paragraph structure of a normalised text: lines → blocks, with PDF-extraction repair.

A *block* is a run of lines that is read as one piece of prose (a paragraph) or
one heading/list item.  Blocks are built from blank-line separated paragraphs;
a paragraph is cut into several blocks at markdown hard breaks (two trailing
spaces), markdown headings and lines that start with a list/heading marker.
Then paragraphs broken at a page end mid-sentence are joined back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MD_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MARKER_RE = re.compile(
    r"""^(?:
        [-*+•·‣◦▪▫■□▶▷►○●◎◆◇※→✓✔]\s
      | \d{1,3}(?:\.\d{1,3})*[.)]\s
      | \(\d{1,3}\)\s | [①-⑳]
      | [가-하][.)]\s | \([가-하]\)\s
      | [IVXLC]{1,6}\.\s | [A-Za-z][.)]\s
      | 제\s?\d+\s?[장절편부관항조]
      | (?:Chapter|CHAPTER|Part|PART|Section|SECTION|Appendix|APPENDIX)\s+[\dIVXLCA-Z]
    )""",
    re.VERBOSE,
)
_HEADING_PATTERN_RE = re.compile(
    r"""^(?:
        제\s?\d+\s?[장절편부]
      | (?:Chapter|CHAPTER|Part|PART|Appendix|APPENDIX)\s+[\dIVXLCA-Z]+\b
      | [IVXLC]{1,6}\.\s+\S
      | \d{1,2}(?:\.\d{1,2})*\.?\s+\S
      | [가-하]\.\s+\S
      | \(\d{1,2}\)\s+\S
      | 부\s?록 | 요\s?약 | 서\s?론 | 결\s?론 | 참고\s?문헌
    )""",
    re.VERBOSE,
)
# Characters that may end a sentence (after stripping closing quotes/brackets).
_TERMINAL = set(".!?。！？…:;")
_CLOSERS = "\"'”’)]}»」』）"
_OPEN_END_RE = re.compile(r"[\w,\-–(]$")
_INNER_BOUNDARY_RE = re.compile(r"[.!?。][\"'”’)]*\s+\S")
_PAGE_NUMBER_RE = re.compile(
    r"^[-–—(\[\s]*(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-–—)\]\s]*$", re.IGNORECASE
)
_KO_OPEN_ENDINGS = set("을를은는이가의에로와과고며서면나도만께게여")
_HEADING_MAX_CHARS = 120
_HEADING_MAX_WORDS = 16


@dataclass(frozen=True)
class Line:
    start: int  # offsets into the normalised text, whitespace and '#' marker stripped
    end: int
    md_heading: bool = False
    hard_break: bool = False  # markdown "two trailing spaces" line break


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]
    heading: bool


def scan_lines(text: str, *, markdown: bool = True) -> list[list[Line]]:
    """Blank-line separated paragraphs of stripped, non-empty lines."""
    paragraphs: list[list[Line]] = []
    current: list[Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        raw = text[pos:nl]
        stripped = raw.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
                current = []
        else:
            lead = len(raw) - len(raw.lstrip())
            a, b = pos + lead, pos + lead + len(stripped)
            hard = raw.endswith("  ")
            md = False
            if markdown and stripped.startswith("#"):
                m = _MD_HEADING_RE.match(stripped)
                if m and m.group(2):
                    a = a + m.start(2)
                    b = a + len(m.group(2))
                    md = True
            current.append(Line(a, b, md, hard))
        pos = nl + 1
    if current:
        paragraphs.append(current)
    return paragraphs


def _starts_item(text: str, line: Line) -> bool:
    return line.md_heading or bool(_MARKER_RE.match(text[line.start : line.end]))


def split_blocks(text: str, paragraph: list[Line]) -> list[list[Line]]:
    """Cut one paragraph into blocks at hard breaks, headings and list items."""
    blocks: list[list[Line]] = []
    for line in paragraph:
        if blocks:
            prev = blocks[-1][-1]
            if not (prev.hard_break or prev.md_heading or _starts_item(text, line)):
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def block_text(text: str, lines: list[Line] | tuple[Line, ...]) -> str:
    return " ".join(text[ln.start : ln.end] for ln in lines)


def looks_like_heading(text: str, lines: list[Line] | tuple[Line, ...], *, alone: bool) -> bool:
    """Markdown heading, "제3장 …"/"Chapter 3"/"I. Introduction" line, or a short
    line with no terminal punctuation standing alone as a paragraph."""
    if any(ln.md_heading for ln in lines):
        return True
    if len(lines) != 1:
        return False
    s = block_text(text, lines)
    if len(s) > _HEADING_MAX_CHARS or len(s.split()) > _HEADING_MAX_WORDS:
        return False
    last = s.rstrip(_CLOSERS)[-1:] or s[-1]
    if last in _TERMINAL or last in "다요":  # Korean sentence-final endings
        return False
    if _HEADING_PATTERN_RE.match(s):
        return True
    return alone and any(ch.isalpha() for ch in s) and not _INNER_BOUNDARY_RE.search(s)


def _continues(text: str, a: list[Line], b: list[Line]) -> bool:
    """Is paragraph-block ``b`` the rest of a sentence cut off at the end of ``a``?"""
    if a[-1].md_heading or b[0].md_heading or a[-1].hard_break:
        return False
    if _starts_item(text, b[0]):
        return False
    tail = text[a[-1].start : a[-1].end]
    head = text[b[0].start : b[0].end]
    if not _OPEN_END_RE.search(tail):
        return False
    whole = block_text(text, a)
    if _HEADING_PATTERN_RE.match(whole) and len(a) == 1:
        return False
    first = head[0]
    if first.islower():
        return True
    # Upper-case / Hangul continuation: only after a long prose paragraph
    # (a heading or caption is short and has no sentence boundary inside).
    if len(whole) >= 100 and _INNER_BOUNDARY_RE.search(whole):
        return first.isalnum() or first in "\"'“‘("
    if _is_hangul(tail[-1]) and _is_hangul(first):
        # Korean sentence running over a page break: cut after a particle or
        # connective ending, or a long paragraph not ending in 다/요.
        return tail[-1] in _KO_OPEN_ENDINGS or (len(whole) >= 60 and tail[-1] not in "다요")
    return False


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def _is_page_number(text: str, para: list[Line]) -> bool:
    return len(para) == 1 and bool(_PAGE_NUMBER_RE.match(text[para[0].start : para[0].end]))


def build_blocks(text: str, *, markdown: bool = True, repair: bool = True) -> list[Block]:
    """All blocks of a normalised text, page-break repaired, headings marked.

    A page-number-only paragraph ("12", "- 12 -", "Page 3 of 9") sitting inside a
    sentence broken at the page end is dropped (its source stays inside the
    repaired sentence's span).  ``repair=False`` (text a format reader extracted,
    whose paragraph breaks are real) takes every paragraph as it is.
    """
    paragraphs = scan_lines(text, markdown=markdown)
    if not repair:
        return [
            Block(tuple(part), looks_like_heading(text, part, alone=len(parts) == 1))
            for para in paragraphs
            for parts in [split_blocks(text, para)]
            for part in parts
        ]
    blocks: list[tuple[list[Line], bool]] = []  # (lines, alone-in-paragraph)
    k = 0
    while k < len(paragraphs):
        para = paragraphs[k]
        k += 1
        if (
            blocks
            and k < len(paragraphs)
            and _is_page_number(text, para)
            and _continues(text, blocks[-1][0], split_blocks(text, paragraphs[k])[0])
        ):
            para = paragraphs[k]
            k += 1
        parts = split_blocks(text, para)
        if blocks and _continues(text, blocks[-1][0], parts[0]):
            prev_lines, _ = blocks.pop()
            parts[0] = prev_lines + parts[0]
            for j, part in enumerate(parts):
                blocks.append((part, False if j == 0 else len(parts) == 1))
            continue
        for part in parts:
            blocks.append((part, len(parts) == 1))
    return [Block(tuple(ls), looks_like_heading(text, ls, alone=alone)) for ls, alone in blocks]
