"""Parallel-text books (``aligner book``): structure, EPUB 3 validity (EPUBCheck), glossary links, CLI.

The browser side (phone and desktop widths, the learner layout) is in
``test_book_browser.py``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree, html

from aligner.core.errors import AlignerError
from aligner.core.values import Alignment, Bead, Document, Lang, Sentence
from aligner.export.book import BookFormat, BookOptions, Layout, Rest, build_structure, render_book
from aligner.export.book.links import first_uses
from aligner.glossary.build import TermPair, build_glossary
from aligner.session.workspace import Workspace

from .test_cli import run

EPUBCHECK_JAR = next((p for p in (Path("/usr/share/java/epubcheck.jar"),) if p.is_file()), None)
JAVA = shutil.which("java")
JAVA_QUICK = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
"""A short run: the quick compiler only and the simple collector start EPUBCheck about 4x sooner."""
needs_epubcheck = pytest.mark.skipif(
    EPUBCHECK_JAR is None or JAVA is None, reason="needs Debian epubcheck (apt-get install epubcheck)"
)

KO_CHAPTERS = """# 서울의 봄

서울의 봄은 짧다. 벚꽃은 사월 초에 핀다.

사람들은 한강 공원에 모인다. 아이들은 연을 날린다.

# 부산의 여름

부산의 여름은 덥고 습하다. 해운대 해수욕장은 피서객으로 붐빈다.

밤에는 광안대교에 불이 켜진다.
"""
EN_CHAPTERS = """# Spring in Seoul

Spring in Seoul is short. The cherry trees blossom in early April.

People gather in the Han River parks. Children fly kites.

# Summer in Busan

Summer in Busan is hot and humid. Haeundae Beach is crowded with holidaymakers.

At night the Gwangan Bridge lights up.
"""


def with_class(page: html.HtmlElement, name: str, tag: str = "*") -> list[html.HtmlElement]:
    """The elements of ``page`` whose class list holds ``name`` (lxml's cssselect needs another package)."""
    return list(page.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"))


@pytest.fixture(scope="module")
def docx_terms(docx_workspace: Workspace) -> list[TermPair]:
    """The DOCX pair's glossary (learning it takes a while: shared by the tests)."""
    return build_glossary(docx_workspace.alignment, docx_workspace.encoder)


def epubcheck(path: Path) -> subprocess.CompletedProcess[str]:
    assert JAVA is not None and EPUBCHECK_JAR is not None
    return subprocess.run([JAVA, *JAVA_QUICK, "-jar", str(EPUBCHECK_JAR), str(path)], capture_output=True, text=True,
                          timeout=300)  # fmt: skip


# ---------------------------------------------------------------- structure


def _doc(lang: Lang, texts: list[tuple[str, int, bool]]) -> Document:
    sentences, pos = [], 0
    for i, (text, paragraph, heading) in enumerate(texts):
        sentences.append(Sentence(i, text, pos, pos + len(text), paragraph, heading))
        pos += len(text) + 1
    return Document(lang, " ".join(t for t, _, _ in texts), tuple(sentences))


def _small_alignment() -> Alignment:
    ko = _doc(Lang.KO, [("제목", 0, True), ("하나.", 1, False), ("둘.", 1, False), ("셋.", 2, False),
                        ("넷.", 2, False)])  # fmt: skip
    en = _doc(Lang.EN, [("Title", 0, True), ("One and two.", 1, False), ("Extra.", 1, False), ("Three.", 2, False)])
    beads = (Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.95), Bead((), (2,), 0.3), Bead((3,), (3,), 0.4),
             Bead((4,), (), 0.2, confirmed=True))  # fmt: skip
    return Alignment(ko, en, beads)


def test_heading_starts_a_chapter_and_a_two_to_one_pair_stays_together() -> None:
    book = build_structure(_small_alignment(), BookOptions())
    assert len(book.chapters) == 1
    chapter = book.chapters[0]
    assert chapter.title is not None and (chapter.title.lead, chapter.title.other) == ("제목", "Title")
    assert [[p.bead for p in para] for para in chapter.paragraphs] == [[1, 2], [3, 4]]  # the 0-1 stays where it falls
    two_one = chapter.paragraphs[0][0]
    assert (two_one.lead, two_one.other, two_one.lead_ids) == ("하나. 둘.", "One and two.", (1, 2))


def test_lead_english_swaps_the_sides_and_takes_the_english_paragraphs() -> None:
    book = build_structure(_small_alignment(), BookOptions(lead=Lang.EN))
    assert book.lead is Lang.EN and book.titles[Lang.EN] == "Title"
    first = book.chapters[0].paragraphs[0]
    assert [(p.lead, p.other) for p in first] == [("One and two.", "하나. 둘."), ("Extra.", "")]
    # the 1-0 pair (Korean only) follows English paragraph 2's pair
    assert [(p.lead, p.other) for p in book.chapters[0].paragraphs[1]] == [("Three.", "셋."), ("", "넷.")]


def test_filters_leave_out_or_mark_the_rest() -> None:
    alignment = _small_alignment()
    omitted = build_structure(alignment, BookOptions(min_confidence=0.5))
    assert [p.bead for p in omitted.pairs] == [0, 1, 4]  # the heading is structure; 4 is confirmed
    assert omitted.left_out == 2
    marked = build_structure(alignment, BookOptions(min_confidence=0.5, rest=Rest.MARK))
    assert [p.bead for p in marked.pairs if p.unchecked] == [2, 3] and marked.left_out == 0
    confirmed = build_structure(alignment, BookOptions(confirmed_only=True))
    assert [p.bead for p in confirmed.pairs] == [0, 4]
    with pytest.raises(AlignerError):
        BookOptions(min_confidence=1.5)
    plain = replace(alignment.source, sentences=tuple(replace(x, heading=False) for x in alignment.source.sentences))
    nothing = replace(alignment, source=plain, beads=tuple(replace(b, confirmed=False) for b in alignment.beads))
    with pytest.raises(AlignerError, match="would be empty"):  # an EPUB with no page fails EPUBCheck
        render_book(nothing, BookOptions(confirmed_only=True))


def test_marked_and_unpaired_sentences_are_visible_in_the_page() -> None:
    data, _ = render_book(_small_alignment(), BookOptions(format=BookFormat.HTML, min_confidence=0.5, rest=Rest.MARK))
    page = html.fromstring(data.decode("utf-8"))
    assert [el.get("data-bead") for el in with_class(page, "unchecked") if el.get("data-bead")] == ["2", "3"]
    flags = [" ".join(el.text_content().split()) for el in with_class(page, "flag")]
    assert "no Korean" in flags and "no English" in flags and "unchecked 0.40" in flags


def test_first_uses_links_each_term_once_longest_first() -> None:
    texts = ["인공지능 기술과 데이터", "인공지능을 활용한 스마트시티", "the smart cities of China"]
    spans = first_uses(texts, ["인공지능", "스마트시티", "스마트"], Lang.KO)
    assert spans == [[(0, 4, 0)], [(10, 15, 1)], []]
    english = first_uses(["Smart city plans", "smart city, smart cityscape"], ["smart city", "city"], Lang.EN)
    assert english == [[(0, 10, 0)], []]  # "city" only inside the first use of "smart city"


# ---------------------------------------------------------------- real documents


def test_chapters_come_from_the_headings(chapters_workspace: Workspace) -> None:
    book = build_structure(chapters_workspace.alignment, BookOptions())
    assert [c.title.lead if c.title else None for c in book.chapters] == ["서울의 봄", "부산의 여름"]
    assert [c.title.other if c.title else None for c in book.chapters] == ["Spring in Seoul", "Summer in Busan"]
    assert [len(c.paragraphs) for c in book.chapters] == [2, 2]
    assert book.titles == {Lang.KO: "서울의 봄", Lang.EN: "Spring in Seoul"}
    english = build_structure(chapters_workspace.alignment, BookOptions(lead=Lang.EN))
    assert [c.title.lead if c.title else None for c in english.chapters] == ["Spring in Seoul", "Summer in Busan"]


def _epub_pages(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist()[0] == "mimetype" and z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        return {name: z.read(name) for name in z.namelist()}


def test_epub_has_a_chapter_per_heading_both_languages_and_every_sentence(chapters_workspace: Workspace) -> None:
    alignment = chapters_workspace.alignment
    data, _ = render_book(alignment, BookOptions(layout=Layout.SIDE_BY_SIDE))
    files = _epub_pages(data)
    opf = etree.fromstring(files["OEBPS/content.opf"])
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.xpath("//dc:language/text()", namespaces=ns) == ["ko", "en"]
    assert opf.xpath("//dc:title/text()", namespaces=ns) == ["서울의 봄", "Spring in Seoul"]
    nav = etree.fromstring(files["OEBPS/nav.xhtml"])
    assert nav.xpath("//*[local-name()='a']/text()") == ["서울의 봄", "부산의 여름"]
    ko_ids: list[int] = []
    en_ids: list[int] = []
    for name in ("OEBPS/chapter-001.xhtml", "OEBPS/chapter-002.xhtml"):
        page = etree.fromstring(files[name])
        for side in page.xpath("//*[@data-ids]"):
            ids = [int(i) for i in side.get("data-ids").split(",") if i]
            lang = side.get("lang")
            assert side.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
            (ko_ids if lang == "ko" else en_ids).extend(ids)
            document = alignment.source if lang == "ko" else alignment.target
            if ids:
                assert "".join(side.itertext()).strip() == " ".join(document.sentences[i].text for i in ids)
    assert ko_ids == list(range(len(alignment.source)))
    assert en_ids == list(range(len(alignment.target)))


@pytest.mark.slow
@needs_epubcheck
@pytest.mark.parametrize("layout", list(Layout))
def test_sample_books_pass_epubcheck(kiep_workspace: Workspace, tmp_path: Path, layout: Layout) -> None:
    data, book = render_book(kiep_workspace.alignment, BookOptions(layout=layout))
    path = tmp_path / f"kiep-{layout}.epub"
    path.write_bytes(data)
    done = epubcheck(path)
    assert done.returncode == 0 and "0 errors / 0 warnings" in done.stdout, done.stdout + done.stderr
    assert len(book.pairs) == len(kiep_workspace.alignment.beads)


@pytest.mark.slow
@needs_epubcheck
def test_real_format_book_with_glossary_and_chapters_passes_epubcheck(
    docx_workspace: Workspace, docx_terms: list[TermPair], chapters_workspace: Workspace, tmp_path: Path
) -> None:
    terms = docx_terms
    for name, ws, options in (
        ("docx", docx_workspace, BookOptions(layout=Layout.LEARNER, lead=Lang.EN, min_confidence=0.9, rest=Rest.MARK)),
        ("chapters", chapters_workspace, BookOptions(layout=Layout.INTERLEAVED)),
    ):
        data, _ = render_book(ws.alignment, options, terms if name == "docx" else ())
        path = tmp_path / f"{name}.epub"
        path.write_bytes(data)
        done = epubcheck(path)
        assert done.returncode == 0 and "0 errors / 0 warnings" in done.stdout, done.stdout + done.stderr
    files = _epub_pages(path.read_bytes())
    assert "OEBPS/chapter-002.xhtml" in files
    from aligner.export.book import stylesheet
    from aligner.export.book.epub import epub_bytes

    book = build_structure(docx_workspace.alignment, BookOptions(layout=Layout.SIDE_BY_SIDE))
    path.write_bytes(epub_bytes(book, Layout.SIDE_BY_SIDE, stylesheet(), terms, page_pairs=20))  # on 5 pages
    done = epubcheck(path)
    assert done.returncode == 0 and "0 errors / 0 warnings" in done.stdout, done.stdout + done.stderr


@pytest.mark.slow  # learns a glossary
def test_glossary_links_resolve_both_ways(docx_workspace: Workspace, docx_terms: list[TermPair]) -> None:
    from aligner.glossary.termhood import TermKind

    terms = docx_terms
    data, _ = render_book(docx_workspace.alignment, BookOptions(format=BookFormat.HTML), terms)
    page = html.fromstring(data.decode("utf-8"))
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    uses = with_class(page, "term", "a")
    assert len(uses) >= 10
    for use in uses:
        assert use.get("href")[1:] in ids  # the glossary entry
        entry = page.get_element_by_id(use.get("href")[1:])
        assert entry.get("lang") == "ko" and entry.text_content() in use.text_content()
    backs = with_class(page, "back", "a")
    assert backs and all(b.get("href")[1:] in ids for b in backs)
    kept = [t for t in terms if t.kind is not TermKind.GENERAL]
    assert len(page.xpath("//dl/dt")) == len(kept) < len(terms)


def test_web_page_is_self_contained(kiep_workspace: Workspace) -> None:
    data, _ = render_book(kiep_workspace.alignment, BookOptions(format=BookFormat.HTML, layout=Layout.LEARNER))
    text = data.decode("utf-8")
    page = html.fromstring(text)
    assert text.startswith("<!DOCTYPE html>")
    assert not page.xpath("//script | //link | //img | //iframe | //@src")
    assert all(not (a.get("href") or "#").startswith(("http:", "https:", "//")) for a in page.iter("a"))
    assert "Content-Security-Policy" in text and page.get("lang") == "ko"


# ---------------------------------------------------------------- command line


@pytest.mark.slow
def test_cli_writes_an_html_book_and_never_over_an_input(tmp_path: Path) -> None:
    ko, en = tmp_path / "seasons_ko.txt", tmp_path / "seasons_en.txt"
    ko.write_text(KO_CHAPTERS, encoding="utf-8")
    en.write_text(EN_CHAPTERS, encoding="utf-8")
    out = tmp_path / "seasons.html"
    res = run("book", str(ko), str(en), "-o", str(out), "--layout", "side-by-side", "--lead", "en")
    assert res.returncode == 0, res.stderr
    assert "2 chapters" in res.stderr
    page = html.fromstring(out.read_text(encoding="utf-8"))
    assert page.get("lang") == "en" and len(with_class(page, "side-by-side", "table")) == 4
    res = run("book", str(ko), str(en), "-o", str(ko))
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert ko.read_text(encoding="utf-8") == KO_CHAPTERS
    res = run("book", str(ko), str(en), "-o", str(out), "--min-confidence", "2")
    assert res.returncode != 0 and "between 0 and 1" in res.stderr
    res = run("book", str(ko), str(en), "-o", str(tmp_path / "book.pdf"))
    assert res.returncode == 1 and "name it .epub or .html" in res.stderr and not (tmp_path / "book.pdf").exists()
    res = run("book", str(ko), str(en), "-o", str(tmp_path / "book.pdf"), "--format", "epub")
    assert res.returncode == 0 and zipfile.is_zipfile(tmp_path / "book.pdf")


@pytest.mark.slow  # learns a glossary
def test_a_long_chapter_continues_on_further_pages_with_links_across_them(
    docx_workspace: Workspace, docx_terms: list[TermPair]
) -> None:
    from aligner.export.book import stylesheet
    from aligner.export.book.epub import epub_bytes

    alignment = docx_workspace.alignment
    terms = docx_terms
    book = build_structure(alignment, BookOptions())
    files = _epub_pages(epub_bytes(book, Layout.INTERLEAVED, stylesheet(), terms, page_pairs=20))
    opf = etree.fromstring(files["OEBPS/content.opf"])
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//opf:item", namespaces=ns)}
    spine = [hrefs[r.get("idref")] for r in opf.xpath("//opf:itemref", namespaces=ns)]
    chapters = [name for name in spine if name.startswith("chapter-")]
    assert chapters[:2] == ["chapter-001.xhtml", "chapter-001-02.xhtml"] and len(chapters) >= 4
    ko_ids, ids_in = [], {}
    for name in spine:
        page = etree.fromstring(files[f"OEBPS/{name}"])
        assert name == chapters[0] or not page.xpath("//*[contains(@class, 'title')]")  # the title once
        sides = page.xpath("//*[@lang='ko'][@data-ids]")
        ko_ids += [int(i) for el in sides for i in el.get("data-ids").split(",") if i]
        ids_in[name] = set(page.xpath("//@id"))
        pairs = page.xpath("//*[@data-bead][contains(@class, 'pair')]")
        assert len(pairs) <= 20 or len(page.xpath("//*[contains(@class, 'para')]")) == 1
    assert ko_ids == list(range(len(alignment.source)))
    links = [a.get("href") for name in chapters
             for a in etree.fromstring(files[f"OEBPS/{name}"]).xpath("//*[local-name()='a']")]  # fmt: skip
    backs = etree.fromstring(files["OEBPS/glossary.xhtml"]).xpath("//*[local-name()='a']/@href")
    assert links and backs
    for href in [*links, *backs]:
        page, anchor = href.split("#")
        assert anchor in ids_in[page], href
    assert {href.split("#")[0] for href in backs} - {chapters[0]}  # first uses on later pages too
