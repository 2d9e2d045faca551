"""ODT (OpenDocument Text) → paragraphs, headings, list items, table cells and notes (lxml).

``text:h`` are headings; ``text:p`` paragraphs; lists, sections and tables are
descended into (each table cell paragraph its own block); ``text:note`` bodies go
to the end as notes; tracked deletions and headers/footers (in styles.xml) are left out.
"""

from __future__ import annotations

from lxml import etree

from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.xml import attr, children, local, open_zip, parse_member

_CONTAINERS = {
    "text",
    "body",
    "section",
    "list",
    "list-item",
    "list-header",
    "table",
    "table-row",
    "table-cell",
    "table-header-rows",
    "table-rows",
    "index-body",
    "frame",
    "text-box",
    "deletion-skip",
}
_SKIP = {"tracked-changes", "sequence-decls", "variable-decls", "user-field-decls", "table-of-content", "forms"}


def _text(el: etree._Element, notes: list[str]) -> str:
    parts: list[str] = [el.text or ""]
    for child in children(el):
        tag = local(child)
        if tag == "note":
            body = next((b for b in children(child) if local(b) == "note-body"), None)
            if body is not None:
                notes.append(" ".join(_text(p, notes) for p in body.iter("{*}p", "{*}h")))
        elif tag == "s":
            parts.append(" " * int(attr(child, "c") or "1"))
        elif tag in ("tab", "line-break"):
            parts.append(" ")
        elif tag in (
            "span",
            "a",
            "bookmark-ref",
            "reference-ref",
            "ruby",
            "ruby-base",
            "meta",
            "date",
            "time",
            "page-number",
            "sequence",
            "title",
            "subject",
            "author-name",
            "chapter",
        ):
            parts.append(_text(child, notes))
        parts.append(child.tail or "")
    return "".join(parts)


def read_odt(data: bytes, name: str) -> Extracted:
    z = open_zip(data, name, "ODT")
    root = parse_member(z, "content.xml", name, "ODT")
    builder = TextBuilder("odt", name)
    count = 0

    def walk(el: etree._Element) -> None:
        nonlocal count
        for child in children(el):
            tag = local(child)
            if tag in ("p", "h"):
                count += 1
                where = f"¶ {count}"
                notes: list[str] = []
                text = _text(child, notes)
                if tag == "h":
                    builder.heading(text, where, int(attr(child, "outline-level") or "1"))
                else:
                    builder.paragraph(text, where)
                for note in notes:
                    builder.note(note, where)
            elif tag in _CONTAINERS and tag not in _SKIP:
                walk(child)

    body = next(root.iterfind("{*}body/{*}text"), None)
    walk(body if body is not None else root)
    return builder.build()
