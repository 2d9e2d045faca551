"""An EPUB 3 package written with the standard library's zipfile and lxml (see docs/books.md for
why not ebooklib): ``mimetype`` first and stored, the container, the OPF package document with
the documents' titles and both languages, a navigation document, one XHTML page per chapter,
the glossary page and the stylesheet."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO

from lxml import etree

from aligner.core.values import Lang
from aligner.export.book.options import Layout
from aligner.export.book.structure import Book, BookPair, Chapter
from aligner.export.book.xhtml import EPUB_TYPE, XHTML, XML_LANG, Renderer, book_uses, element, lang_attrs
from aligner.glossary.build import TermPair

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
OPS = "http://www.idpf.org/2007/ops"
CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
    "</container>\n"
)
GLOSSARY_PAGE = "glossary.xhtml"
NAV_PAGE = "nav.xhtml"
STYLE = "style.css"


PAGE_PAIRS = 300
"""At most this many pairs per XHTML file (e-readers slow down on very large files), split between
paragraphs; a longer chapter continues on further pages."""


def chapter_page(number: int, part: int = 1) -> str:
    return f"chapter-{number:03d}.xhtml" if part == 1 else f"chapter-{number:03d}-{part:02d}.xhtml"


def chapter_parts(chapter: Chapter, limit: int = PAGE_PAIRS) -> list[tuple[str, Chapter]]:
    """The pages of ``chapter`` (file name, the part on it): its title on the first, whole paragraphs,
    at most ``limit`` pairs a page unless one paragraph alone is longer."""
    parts: list[list[tuple[BookPair, ...]]] = [[]]
    count = 0
    for paragraph in chapter.paragraphs:
        if parts[-1] and count + len(paragraph) > limit:
            parts.append([])
            count = 0
        parts[-1].append(paragraph)
        count += len(paragraph)
    return [(chapter_page(chapter.number, k + 1), replace(chapter, title=chapter.title if k == 0 else None,
                                                          paragraphs=tuple(part)))
            for k, part in enumerate(parts)]  # fmt: skip


def _xhtml_page(title: str, book: Book, body: etree._Element, epub_ns: bool = False) -> bytes:
    nsmap = {None: XHTML, "epub": OPS} if epub_ns else {None: XHTML}
    root = etree.Element(f"{{{XHTML}}}html", nsmap=nsmap)
    root.set("lang", book.lead.value)
    root.set(XML_LANG, book.lead.value)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    head.append(element("meta", {"charset": "utf-8"}))
    head.append(element("title", None, title))
    head.append(element("link", {"rel": "stylesheet", "type": "text/css", "href": STYLE}))
    root.append(body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>")


def _nav(book: Book, renderer: Renderer, has_glossary: bool) -> bytes:
    items = element("ol")
    for chapter in book.chapters:
        link = element("a", {"href": chapter_page(chapter.number)}, renderer.chapter_title(chapter))
        items.append(element("li", None, link))
    if has_glossary:
        items.append(element("li", None, element("a", lang_attrs(Lang.EN, href=GLOSSARY_PAGE), "Glossary")))
    nav = element("nav", {EPUB_TYPE: "toc", "id": "toc"}, element("h1", None, book.title), items)
    return _xhtml_page(book.title, book, element("body", None, nav), epub_ns=True)


def _opf(book: Book, pages: Sequence[str], identifier: str, modified: datetime) -> bytes:
    root = etree.Element(f"{{{OPF}}}package", nsmap={None: OPF})
    root.set("version", "3.0")
    root.set("unique-identifier", "uid")
    root.set(XML_LANG, book.lead.value)
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})

    def dc(name: str, text: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(metadata, f"{{{DC}}}{name}")
        el.text = text
        for key, value in attrs.items():
            el.set(XML_LANG if key == "lang" else key, value)
        return el

    def meta(text: str, **attrs: str) -> None:
        el = etree.SubElement(metadata, f"{{{OPF}}}meta")
        el.text = text
        for key, value in attrs.items():
            el.set(key, value)

    dc("identifier", identifier, id="uid")
    for lang in (book.lead, book.other):
        dc("title", book.titles[lang], id=f"title-{lang.value}", lang=lang.value)
    meta("main", refines=f"#title-{book.lead.value}", property="title-type")
    meta("parallel", refines=f"#title-{book.other.value}", property="title-type")
    for lang in (book.lead, book.other):
        dc("language", lang.value)
    meta(modified.strftime("%Y-%m-%dT%H:%M:%SZ"), property="dcterms:modified")
    etree.SubElement(metadata, f"{{{OPF}}}meta", name="generator", content="aligner")
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")

    def item(ident: str, href: str, media: str, properties: str = "") -> None:
        el = etree.SubElement(manifest, f"{{{OPF}}}item", id=ident, href=href)
        el.set("media-type", media)
        if properties:
            el.set("properties", properties)

    item("nav", NAV_PAGE, "application/xhtml+xml", "nav")
    item("css", STYLE, "text/css")
    spine = etree.SubElement(root, f"{{{OPF}}}spine")
    for n, page in enumerate(pages):
        item(f"page-{n + 1}", page, "application/xhtml+xml")
        etree.SubElement(spine, f"{{{OPF}}}itemref", idref=f"page-{n + 1}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def book_identifier(book: Book) -> str:
    """A stable identifier: the same documents and pairs give the same book id."""
    key = "\n".join([book.titles[book.lead], book.titles[book.other], *(f"{p.lead}\t{p.other}" for p in book.pairs)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'aligner-book:' + key)}"


def epub_bytes(
    book: Book,
    layout: Layout,
    css: str,
    terms: Sequence[TermPair] = (),
    modified: datetime | None = None,
    page_pairs: int = PAGE_PAIRS,
) -> bytes:
    """The whole EPUB file."""
    uses = book_uses(book, terms) if terms else {}
    pages_of = {c.number: chapter_parts(c, page_pairs) for c in book.chapters}
    page_of_bead = {p.bead: name for parts in pages_of.values() for name, part in parts
                    for p in ((part.title,) if part.title else ()) + part.pairs}  # fmt: skip
    anchors = {f"use-{t}": page_of_bead[bead] for bead, spans in uses.items() for _, _, t in spans}

    def href(anchor: str) -> str:
        page = GLOSSARY_PAGE if anchor.startswith("term-") else anchors.get(anchor, "")
        return f"{page}#{anchor}"

    renderer = Renderer(book, layout, uses, href)
    files: dict[str, bytes] = {}
    for chapter in book.chapters:
        for name, part in pages_of[chapter.number]:
            body = element("body", {"class": f"book layout-{layout.value}"}, renderer.chapter(part, heading="h1"))
            files[name] = _xhtml_page(renderer.chapter_title(chapter), book, body)
    if terms:
        body = element("body", {"class": "book"}, renderer.glossary(terms, heading="h1"))
        files[GLOSSARY_PAGE] = _xhtml_page("Glossary", book, body)
    pages = list(files)
    files[NAV_PAGE] = _nav(book, renderer, bool(terms))
    files[STYLE] = css.encode("utf-8")
    stamp = (modified or datetime.now(UTC)).astimezone(UTC)
    opf = _opf(book, pages, book_identifier(book), stamp)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", stamp.timetuple()[:6]), "application/epub+zip",
                   compress_type=zipfile.ZIP_STORED)  # fmt: skip
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in files.items():
            z.writestr(f"OEBPS/{name}", data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
