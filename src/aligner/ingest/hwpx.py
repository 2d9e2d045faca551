"""HWPX (KS X 6101 / OWPML, Hancom Office) → paragraphs, table cells and notes (lxml).

The sections ``Contents/section*.xml`` are read in number order; each ``hp:p``'s own
runs give its text (``hp:t``, tabs and line breaks as spaces); tables inside it
become one block per cell paragraph, text boxes and captions their own blocks,
footnotes/endnotes go to the end; headers, footers and page numbers are left out.
"""

from __future__ import annotations

import re

from lxml import etree

from aligner.core.errors import InputError
from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.xml import children, local, open_zip, parse_member

_SECTION_RE = re.compile(r"^Contents/section(\d+)\.xml$", re.IGNORECASE)
_SKIP = {"header", "footer", "pageNum", "pageHiding", "masterPage", "secPr", "colPr", "fieldEnd", "bookmark"}
_NOTES = {"footNote", "endNote"}
_NESTED = {"tbl", "drawText", "caption", "subList"}


def read_hwpx(data: bytes, name: str) -> Extracted:
    z = open_zip(data, name, "HWPX")
    sections = sorted(((int(m.group(1)), n) for n in z.namelist() if (m := _SECTION_RE.match(n))), key=lambda t: t[0])
    if not sections:
        raise InputError(f"{name}: damaged HWPX file (no Contents/section*.xml); re-save it in Hancom Office")
    builder = TextBuilder("hwpx", name)
    for number, member in sections:
        root = parse_member(z, member, name, "HWPX")
        _Walker(builder, number + 1).block_list(root)
    return builder.build()


class _Walker:
    def __init__(self, builder: TextBuilder, section: int) -> None:
        self.builder = builder
        self.section = section
        self.count = 0

    def block_list(self, el: etree._Element, note: bool = False) -> None:
        for child in children(el):
            tag = local(child)
            if tag == "p":
                self.paragraph(child, note)
            elif tag not in _SKIP and tag not in ("run", "t"):
                self.block_list(child, note)

    def paragraph(self, p: etree._Element, note: bool) -> None:
        self.count += 1
        where = f"§ {self.section} ¶ {self.count}"
        parts: list[str] = []
        nested: list[tuple[etree._Element, bool]] = []
        for run in children(p):
            if local(run) != "run":
                continue
            for item in children(run):
                tag = local(item)
                if tag == "t":
                    parts.append(_t_text(item))
                elif tag in _NOTES:
                    nested.append((item, True))
                elif tag in _SKIP or (tag == "ctrl" and _only_skipped(item)):
                    continue
                else:
                    nested.append((item, note))
        text = "".join(parts)
        if note:
            self.builder.note(text, where)
        else:
            self.builder.paragraph(text, where)
        for item, is_note in nested:
            self.block_list(item, is_note)


def _only_skipped(ctrl: etree._Element) -> bool:
    return all(local(c) in _SKIP for c in children(ctrl))


def _t_text(t: etree._Element) -> str:
    parts = [t.text or ""]
    for child in children(t):
        if local(child) in ("tab", "lineBreak", "nbSpace", "fwSpace"):
            parts.append(" ")
        elif local(child) == "hyphen":
            parts.append("-")
        parts.append(child.tail or "")
    return "".join(parts)
