"""(X)HTML element trees → blocks: headings, paragraphs, list items, table cells, notes.

Shared by the EPUB reader (whole chapters) and the HTML reader (its fallback when
main-content extraction finds nothing).  Navigation, scripts, styles and asides are
skipped; EPUB footnotes (``epub:type="footnote"``/``endnote``) go to the end as notes.
"""

from __future__ import annotations

from lxml import etree

from aligner.ingest.extracted import TextBuilder
from aligner.ingest.xml import attr, children, local

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "li", "dt", "dd", "td", "th", "blockquote", "figcaption", "caption", "pre", "address"}
_SKIP = {"script", "style", "nav", "head", "noscript", "template", "svg", "math", "button", "form", "select"}
_NOTE_TYPES = {"footnote", "endnote", "rearnote", "note", "footnotes", "endnotes", "rearnotes"}
_NOTE_REFS = {"noteref"}


def _is_note(el: etree._Element) -> bool:
    kinds = set((attr(el, "type") or "").split()) | set((attr(el, "role") or "").replace("doc-", "").split())
    return bool(kinds & _NOTE_TYPES) or (local(el) == "aside" and "footnote" in (attr(el, "class") or ""))


def inline_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in children(el):
        tag = local(child).lower()
        kinds = set((attr(child, "type") or "").split()) | set((attr(child, "role") or "").replace("doc-", "").split())
        if tag in _SKIP or kinds & _NOTE_REFS or (tag == "sup" and child.find(".//{*}a") is not None):
            pass  # a note mark
        elif tag == "br":
            parts.append(" ")
        else:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _has_blocks(el: etree._Element) -> bool:
    return any(
        local(d).lower() in _BLOCKS
        or local(d).lower() in _HEADINGS
        or local(d).lower() in ("div", "section", "table", "ul", "ol")
        for d in el.iterdescendants()
        if isinstance(d.tag, str)
    )


def walk_markup(root: etree._Element, builder: TextBuilder, where: str) -> None:
    """Emit the blocks under ``root`` in document order, all labelled ``where``."""
    for el in children(root):
        tag = local(el).lower()
        if tag in _SKIP:
            continue
        if _is_note(el):
            for p in el.iter():
                if (isinstance(p.tag, str) and local(p).lower() in ("p", "li")) or (p is el and not _has_blocks(el)):
                    builder.note(inline_text(p), where)
            continue
        if tag in _HEADINGS:
            builder.heading(inline_text(el), where, _HEADINGS[tag])
        elif tag in _BLOCKS and not _has_blocks(el):
            builder.paragraph(inline_text(el), where)
        elif tag == "aside":
            continue
        else:
            if (el.text or "").strip() and not _has_blocks(el):
                builder.paragraph(inline_text(el), where)
            else:
                walk_markup(el, builder, where)
