"""The book's pages as XHTML element trees, one layout at a time (shared by the EPUB and the web page).

Every pair carries ``data-bead`` (its index in the alignment) and each side
``lang`` (plus ``xml:lang`` in XHTML) and ``data-ids`` (its sentence ids), so
readers pick the right fonts and hyphenation per side and tests can read the
order back from the DOM.  The lead language always comes first in the markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from aligner.core.values import Lang
from aligner.export.book.links import Span, first_uses
from aligner.export.book.options import Layout
from aligner.export.book.structure import Book, BookPair, Chapter
from aligner.glossary.build import TermPair

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
LANGUAGE_NAMES = {Lang.KO: "Korean", Lang.EN: "English"}

Href = Callable[[str], str]
"""From an element id (``term-3``, ``use-3``) to a link to it from another page."""


def element(tag: str, attrs: Mapping[str, str] | None = None, *children: etree._Element | str | None) -> etree._Element:
    """An XHTML element with attributes and children (strings become text)."""
    el = etree.Element(f"{{{XHTML}}}{tag}", nsmap={None: XHTML})
    for key, value in (attrs or {}).items():
        el.set(key, value)
    for child in children:
        append(el, child)
    return el


def append(parent: etree._Element, child: etree._Element | str | None) -> None:
    if child is None:
        return
    if isinstance(child, str):
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + child
        else:
            parent.text = (parent.text or "") + child
    else:
        parent.append(child)


def lang_attrs(lang: Lang, **attrs: str) -> dict[str, str]:
    return {"lang": lang.value, XML_LANG: lang.value, **attrs}


@dataclass(frozen=True)
class Renderer:
    book: Book
    layout: Layout
    uses: Mapping[int, Sequence[Span]]  # bead -> first uses of glossary terms in its lead text
    href: Href

    # ------------------------------------------------------------------ pieces

    def _lead_text(self, pair: BookPair, parent: etree._Element) -> etree._Element:
        """``pair``'s lead text into ``parent``, its first uses of glossary terms as links."""
        text, pos = pair.lead, 0
        for start, end, term in self.uses.get(pair.bead, ()):
            append(parent, text[pos:start])
            append(parent, element("a", {"class": "term", "id": f"use-{term}", "href": self.href(f"term-{term}")},
                                   text[start:end]))  # fmt: skip
            pos = end
        append(parent, text[pos:])
        return parent

    def _missing(self, lang: Lang) -> etree._Element:
        return element("span", {"class": "flag"}, f"no {LANGUAGE_NAMES[lang]}")

    def _flag(self, pair: BookPair) -> etree._Element | None:
        if not pair.unchecked:
            return None
        return element("span", lang_attrs(Lang.EN, **{"class": "flag unchecked"}), f"unchecked {pair.confidence:.2f}")

    def _side(self, tag: str, pair: BookPair, lead: bool, extra: str = "") -> etree._Element:
        lang = self.book.lead if lead else self.book.other
        ids = pair.lead_ids if lead else pair.other_ids
        classes = " ".join(c for c in ("lead" if lead else "other", "missing" if not ids else "", extra) if c)
        el = element(tag, lang_attrs(lang, **{"class": classes, "data-ids": ",".join(map(str, ids))}))
        if not ids:
            append(el, self._missing(lang))
        elif lead:
            self._lead_text(pair, el)
        else:
            append(el, pair.other)
        return el

    def _pair_attrs(self, pair: BookPair, classes: str) -> dict[str, str]:
        extra = " unchecked" if pair.unchecked else ""
        alone = " alone" if not (pair.lead_ids and pair.other_ids) else ""
        return {"class": f"{classes}{extra}{alone}", "id": f"pair-{pair.bead}", "data-bead": str(pair.bead)}

    # ------------------------------------------------------------------ layouts

    def _interleaved(self, paragraph: Sequence[BookPair]) -> etree._Element:
        div = element("div", {"class": "para interleaved"})
        for pair in paragraph:
            lead = self._side("p", pair, True)
            append(lead, self._flag(pair))
            div.append(element("div", self._pair_attrs(pair, "pair"), lead, self._side("p", pair, False)))
        return div

    def _side_by_side(self, paragraph: Sequence[BookPair]) -> etree._Element:
        body = element("tbody")
        for pair in paragraph:
            lead = self._side("td", pair, True)
            append(lead, self._flag(pair))
            body.append(element("tr", self._pair_attrs(pair, "pair"), lead, self._side("td", pair, False)))
        return element("table", {"class": "para side-by-side"}, body)

    def _learner(self, paragraph: Sequence[BookPair]) -> etree._Element:
        div = element("div", {"class": "para learner"})
        for pair in paragraph:
            if not pair.other_ids:  # nothing to reveal: the sentence plainly, marked
                lead = self._side("p", pair, True)
                append(lead, " ")
                append(lead, self._missing(self.book.other))
                append(lead, self._flag(pair))
                div.append(element("div", self._pair_attrs(pair, "pair"), lead))
                continue
            summary = self._side("summary", pair, True)
            append(summary, self._flag(pair))
            div.append(element("details", self._pair_attrs(pair, "pair"), summary, self._side("p", pair, False)))
        return div

    def paragraph(self, paragraph: Sequence[BookPair]) -> etree._Element:
        render = {Layout.INTERLEAVED: self._interleaved, Layout.SIDE_BY_SIDE: self._side_by_side,
                  Layout.LEARNER: self._learner}[self.layout]  # fmt: skip
        return render(paragraph)

    # ------------------------------------------------------------------ chapters

    def chapter_title(self, chapter: Chapter) -> str:
        return chapter.title.lead if chapter.title and chapter.title.lead else self.book.title

    def title(self, title: BookPair, heading: str, parent: etree._Element) -> None:
        """A heading pair into ``parent``: the lead side as the heading, the counterpart under it."""
        parent.append(element(heading, self._pair_attrs(title, "title"), self._side("span", title, True)))
        if title.other_ids:
            parent.append(self._side("p", title, False, "subtitle"))

    def chapter(self, chapter: Chapter, heading: str = "h2", with_title: bool = True) -> etree._Element:
        section = element("section", {"class": "chapter", "id": f"chapter-{chapter.number}"})
        if chapter.title is not None and with_title:
            self.title(chapter.title, heading, section)
        for paragraph in chapter.paragraphs:
            section.append(self.paragraph(paragraph))
        return section

    def glossary(self, terms: Sequence[TermPair], heading: str = "h2") -> etree._Element:
        lead, other = self.book.lead, self.book.other
        section = element("section", {"class": "glossary", "id": "glossary"},
                          element(heading, lang_attrs(Lang.EN), "Glossary"))  # fmt: skip
        entries = element("dl", {"class": "glossary"})
        used = {t for spans in self.uses.values() for _, _, t in spans}
        for n, term in enumerate(terms):
            lead_text, other_text = (term.ko, term.en) if lead is Lang.KO else (term.en, term.ko)
            dt = element("dt", lang_attrs(lead, id=f"term-{n}"), lead_text)
            back = element("a", lang_attrs(Lang.EN, **{"class": "back", "href": self.href(f"use-{n}")}), "first use")
            dd = element("dd", lang_attrs(other), other_text, " ", element("span", {"class": "kind"}, term.kind.value))
            entries.append(dt)
            if n in used:
                append(dd, " · ")
                dd.append(back)
            entries.append(dd)
        section.append(entries)
        return section


def book_uses(book: Book, terms: Sequence[TermPair]) -> dict[int, list[Span]]:
    """Each pair's first uses of ``terms`` in the lead language (by bead)."""
    pairs = book.pairs
    words = [t.ko if book.lead is Lang.KO else t.en for t in terms]
    spans = first_uses([p.lead for p in pairs], words, book.lead)
    return {p.bead: s for p, s in zip(pairs, spans, strict=True) if s}
