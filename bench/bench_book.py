"""Parallel-text books: how the EPUB is written, ours (zipfile + lxml) against ebooklib, same pages.

Both package the very same XHTML chapter pages (``aligner.export.book``'s
renderer) for the bundled sample and for a long book (the sample repeated to
about 1,700 pairs in 20 chapters): time to build the EPUB in memory (best of
N), its size, EPUBCheck's verdict (when Debian's ``epubcheck`` is installed)
and whether each side's ``lang``/``xml:lang`` and the ``<details>`` of the
learner layout reach the e-reader unchanged.

Prints markdown.  Usage: python bench/bench_book.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bench_formats import best  # noqa: E402 - run as a script from bench/

from aligner.core.values import Alignment, Bead, Document, Sentence  # noqa: E402
from aligner.export.book import BookOptions, Layout, build_structure, stylesheet  # noqa: E402
from aligner.export.book.epub import chapter_page, epub_bytes  # noqa: E402
from aligner.export.book.structure import Book  # noqa: E402
from aligner.export.book.xhtml import Renderer, element  # noqa: E402

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def repeated(alignment: Alignment, times: int) -> Alignment:
    """The alignment ``times`` over, each copy a chapter under a heading pair of its own."""

    def doc(d: Document, heading: str) -> tuple[Document, int]:
        sentences: list[Sentence] = []
        for k in range(times):
            base = len(sentences)
            sentences.append(Sentence(base, f"{heading} {k + 1}", 0, 0, 10_000 * k, heading=True))
            for s in d.sentences:
                sentences.append(replace(s, index=len(sentences), paragraph=10_000 * k + s.paragraph + 1))
        return replace(d, sentences=tuple(sentences), path=None), len(d.sentences) + 1

    ko, ko_step = doc(alignment.source, "제")
    en, en_step = doc(alignment.target, "Part")
    beads = []
    for k in range(times):
        beads.append(Bead((k * ko_step,), (k * en_step,), 1.0))
        beads += [Bead(tuple(k * ko_step + 1 + i for i in b.src), tuple(k * en_step + 1 + j for j in b.tgt),
                       b.confidence) for b in alignment.beads]  # fmt: skip
    return Alignment(ko, en, tuple(beads))


def ours(book: Book, layout: Layout) -> bytes:
    return epub_bytes(book, layout, stylesheet())


def with_ebooklib(book: Book, layout: Layout) -> bytes:
    from ebooklib import epub

    renderer = Renderer(book, layout, {}, lambda anchor: f"#{anchor}")
    out = epub.EpubBook()
    out.set_identifier("urn:uuid:00000000-0000-0000-0000-000000000000")
    out.set_title(book.title)
    out.set_language(book.lead.value)
    out.add_metadata("DC", "language", book.other.value)
    css = epub.EpubItem(uid="css", file_name="style.css", media_type="text/css", content=stylesheet())
    out.add_item(css)
    chapters = []
    for chapter in book.chapters:
        page = epub.EpubHtml(title=renderer.chapter_title(chapter), file_name=chapter_page(chapter.number),
                             lang=book.lead.value)  # fmt: skip
        body = element("body", {"class": f"book layout-{layout.value}"}, renderer.chapter(chapter, heading="h1"))
        page.content = etree.tostring(element("html", None, element("head"), body), encoding="unicode")
        page.add_item(css)
        out.add_item(page)
        chapters.append(page)
    out.toc = chapters
    out.add_item(epub.EpubNcx())
    out.add_item(epub.EpubNav())
    out.spine = ["nav", *chapters]
    buffer = io.BytesIO()
    epub.write_epub(buffer, out)
    return buffer.getvalue()


def check(data: bytes) -> str:
    if not EPUBCHECK.is_file() or not shutil.which("java"):
        return "(epubcheck not installed)"
    with tempfile.NamedTemporaryFile(suffix=".epub") as fh:
        fh.write(data)
        fh.flush()
        done = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(EPUBCHECK), fh.name],
                              capture_output=True, text=True, timeout=600)  # fmt: skip
    found = re.search(r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings", done.stdout + done.stderr)
    return f"{found[2]} errors, {found[3]} warnings" if found else "no verdict"


def kept(data: bytes) -> str:
    """Whether the first chapter still says each side's language and keeps the learner's details."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = next(n for n in z.namelist() if n.endswith("chapter-001.xhtml"))
        page = z.read(name).decode("utf-8")
    langs = 'xml:lang="en"' in page and 'lang="en"' in page
    return ("lang+xml:lang per side" if langs else "lang lost") + (", details kept" if "<details" in page else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from aligner.session.workspace import open_pair

    ws = open_pair(ROOT / "data" / "kiep_ko.txt", ROOT / "data" / "kiep_en.txt")
    print("## Parallel-text books: writing the EPUB\n")
    print("| book | writer | build ms | ratio | size KB | EPUBCheck | what the e-reader gets |")
    print("|---|---|---:|---:|---:|---|---|")
    for label, alignment in (("sample (85 pairs)", ws.alignment), ("long (20 chapters)", repeated(ws.alignment, 20))):
        book = build_structure(alignment, BookOptions(layout=Layout.LEARNER))
        results = {}
        for name, writer in (("zipfile + lxml (ours)", ours), ("ebooklib 0.20", with_ebooklib)):
            try:
                data = writer(book, Layout.LEARNER)
            except ImportError:
                continue
            results[name] = (best(lambda w=writer, b=book: w(b, Layout.LEARNER), args.repeat), data)
        base = results["zipfile + lxml (ours)"][0]
        for name, (seconds, data) in results.items():
            print(f"| {label} | {name} | {seconds * 1000:.0f} | {seconds / base:.2f} | {len(data) / 1024:.0f} "
                  f"| {check(data)} | {kept(data)} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
