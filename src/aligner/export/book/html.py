"""The book as one self-contained web page: the stylesheet inline, no script, no external request
(a Content-Security-Policy forbids any), readable at a phone's width."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from aligner.core.values import Lang
from aligner.export.book.options import Layout
from aligner.export.book.structure import Book
from aligner.export.book.xhtml import XHTML, XML_LANG, Renderer, book_uses, element, lang_attrs
from aligner.glossary.build import TermPair

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def html_text(book: Book, layout: Layout, css: str, terms: Sequence[TermPair] = ()) -> str:
    """The whole page."""
    uses = book_uses(book, terms) if terms else {}
    renderer = Renderer(book, layout, uses, lambda anchor: f"#{anchor}")
    head = element(
        "head", None,
        element("meta", {"charset": "utf-8"}),
        element("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        element("meta", {"http-equiv": "Content-Security-Policy", "content": POLICY}),
        element("meta", {"name": "generator", "content": "aligner"}),
        element("title", None, f"{book.title} · {book.titles[book.other]}"),
        element("style", None, css),
    )  # fmt: skip
    first = book.chapters[0].title if book.chapters else None
    opening = first is not None and first.lead == book.title  # the document's title: the page's heading
    header = element("header")
    if first is not None and opening:
        renderer.title(first, "h1", header)
    else:
        header.append(element("h1", lang_attrs(book.lead), book.title))
        if book.titles[book.other] != book.title:
            header.append(element("p", lang_attrs(book.other, **{"class": "subtitle"}), book.titles[book.other]))
    body = element("body", {"class": f"book web layout-{layout.value}"}, header)
    if len(book.chapters) > 1 or terms:
        items = element("ol")
        for chapter in book.chapters:
            link = element("a", {"href": f"#chapter-{chapter.number}"}, renderer.chapter_title(chapter))
            items.append(element("li", None, link))
        if terms:
            items.append(element("li", None, element("a", lang_attrs(Lang.EN, href="#glossary"), "Glossary")))
        body.append(element("nav", {"class": "toc"}, element("h2", lang_attrs(Lang.EN), "Contents"), items))
    main = element("main")
    for chapter in book.chapters:
        main.append(renderer.chapter(chapter, with_title=not (opening and chapter.number == 1)))
    body.append(main)
    if terms:
        body.append(renderer.glossary(terms))
    root = element("html", {"lang": book.lead.value}, head, body)
    for el in root.iter():
        el.attrib.pop(XML_LANG, None)  # xml:lang is XHTML's; an HTML page says lang
    text = etree.tostring(root, method="html", encoding="unicode")
    return "<!DOCTYPE html>\n" + text.replace(f' xmlns="{XHTML}"', "", 1) + "\n"
