"""DOCX (Office Open XML) → paragraphs, headings, table cells and notes, read with lxml.

The body is walked in order: ``w:p`` paragraphs (heading when its style has an
outline level or a "Heading"/"Title" name), ``w:tbl`` cells each their own block,
content controls and text boxes descended into; deleted text, field codes and
headers/footers (separate parts) are left out; footnotes/endnotes go to the end.
"""

from __future__ import annotations

import re

from lxml import etree

from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.unzip import BoundedZip
from aligner.ingest.xml import attr, children, local, open_zip, parse_member

_HEADING_NAME_RE = re.compile(r"^(?:heading|제목)\s*(\d)$|^(title)$", re.IGNORECASE)
_SKIP = {"del", "instrText", "delText", "footnoteReference", "endnoteReference", "pPr", "rPr", "fldData"}


def _heading_styles(z: BoundedZip, name: str) -> dict[str, int]:
    if "word/styles.xml" not in z.namelist():
        return {}
    root = parse_member(z, "word/styles.xml", name, "DOCX")
    out: dict[str, int] = {}
    for style in root.iter("{*}style"):
        sid = attr(style, "styleId") or ""
        level = None
        for el in style.iter("{*}name", "{*}outlineLvl"):
            if local(el) == "outlineLvl":
                val = attr(el, "val") or ""
                level = int(val) + 1 if val.isdigit() and int(val) < 9 else level
            else:
                m = _HEADING_NAME_RE.match(attr(el, "val") or "")
                if m:
                    level = int(m.group(1)) if m.group(1) else 1
        if level is not None:
            out[sid] = level
    return out


def _text(el: etree._Element) -> str:
    parts: list[str] = []
    for node in el.iter():
        tag = local(node)
        if tag in _SKIP:
            continue
        if any(local(a) in ("del", "instrText") for a in node.iterancestors()):
            continue
        if tag == "t" and node.text:
            parts.append(node.text)
        elif tag in ("tab", "br", "cr"):
            parts.append(" ")
        elif tag == "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _notes(z: BoundedZip, member: str, name: str) -> dict[str, str]:
    if member not in z.namelist():
        return {}
    root = parse_member(z, member, name, "DOCX")
    out: dict[str, str] = {}
    for note in children(root):
        if attr(note, "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        out[attr(note, "id") or ""] = " ".join(_text(p) for p in note.iter("{*}p"))
    return out


def read_docx(data: bytes, name: str) -> Extracted:
    z = open_zip(data, name, "DOCX")
    root = parse_member(z, "word/document.xml", name, "DOCX")
    headings = _heading_styles(z, name)
    notes = {
        "footnoteReference": _notes(z, "word/footnotes.xml", name),
        "endnoteReference": _notes(z, "word/endnotes.xml", name),
    }
    builder = TextBuilder("docx", name)
    count = 0

    def paragraph(p: etree._Element) -> None:
        nonlocal count
        count += 1
        where = f"¶ {count}"
        style = next((attr(s, "val") for s in p.iterfind("{*}pPr/{*}pStyle")), None)
        outline = next((attr(s, "val") for s in p.iterfind("{*}pPr/{*}outlineLvl")), None)
        level = headings.get(style or "")
        if outline and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        text = _text(p)
        if level:
            builder.heading(text, where, level)
        else:
            builder.paragraph(text, where)
        for ref in p.iter("{*}footnoteReference", "{*}endnoteReference"):
            note = notes[local(ref)].get(attr(ref, "id") or "")
            if note:
                builder.note(note, where)

    def walk(el: etree._Element) -> None:
        for child in children(el):
            tag = local(child)
            if tag == "p":
                paragraph(child)
            elif tag == "tbl":
                for cell in child.iter("{*}tc"):
                    for p in children(cell):
                        if local(p) == "p":
                            paragraph(p)
            elif tag in ("sdt", "sdtContent", "customXml", "body", "txbxContent"):
                walk(child)

    body = next(root.iterfind("{*}body"), root)
    walk(body)
    return builder.build()
