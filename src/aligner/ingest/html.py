"""HTML → the page's main content (trafilatura), as headings, paragraphs, list items and cells.

trafilatura drops navigation, sidebars, footers and boilerplate; its XML output is
walked into blocks.  If it finds no main content (a very short page), the whole
``<body>`` is walked instead (:mod:`aligner.ingest.markup`).
"""

from __future__ import annotations

import lxml.html
import trafilatura
from lxml import etree

from aligner.core.budgets import MAX_BOILERPLATE_TAGS, MAX_TEXT_BYTES, megabytes
from aligner.core.errors import InputError
from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.markup import walk_markup
from aligner.ingest.xml import check_tags, children, local


def read_html(data: bytes, name: str) -> Extracted:
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"{name}: {megabytes(len(data))} of HTML, more than aligner reads "
                         f"({megabytes(MAX_TEXT_BYTES)})")
    check_tags(data, name, "the page")
    builder = TextBuilder("html", name)
    xml = None
    if data.count(b"<") <= MAX_BOILERPLATE_TAGS:  # a bigger page (a book) is read whole, at 6x the speed
        xml = trafilatura.extract(
            data, output_format="xml", include_tables=True, include_comments=False, favor_precision=True,
            deduplicate=False,
        )  # fmt: skip
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        main = next(root.iterfind("main"), root)
        _walk(main, builder)
    else:
        try:
            page = lxml.html.document_fromstring(data)
        except (etree.ParserError, ValueError):
            raise InputError(f"{name}: damaged HTML file (cannot be parsed)") from None
        body = page.find("body")
        walk_markup(body if body is not None else page, builder, "¶")
    return _numbered(builder.build())


def _walk(el: etree._Element, builder: TextBuilder) -> None:
    for child in children(el):
        tag = local(child)
        text = " ".join(child.itertext())
        if tag == "head":
            level = (child.get("rend") or "h2").lstrip("h")
            builder.heading(text, "¶", int(level) if level.isdigit() else 2)
        elif tag in ("p", "item", "cell", "quote", "code"):
            if any(local(c) in ("p", "item", "list", "table") for c in children(child)):
                _walk(child, builder)
            else:
                builder.paragraph(text, "¶")
        else:
            _walk(child, builder)


def _numbered(got: Extracted) -> Extracted:
    """Label each block "¶ n" by its order in the extracted text."""
    locations: list[tuple[int, str]] = []
    pos = 0
    for k, block in enumerate(got.text.split("\n\n"), 1):
        locations.append((pos, f"¶ {k}"))
        pos += len(block) + 2
    return Extracted(got.text, got.format, tuple(locations))
