"""PDF text layer → clean paragraphs (pypdfium2).

Per page, characters are grouped into lines with their boxes and font sizes; then
running headers/footers and page numbers are removed (:mod:`aligner.ingest.pages`),
lines are joined into paragraphs by line spacing, indentation and short last lines,
larger-type lines become headings, small-type lines at a page foot that start with a
number become notes, superscript note marks are dropped, hyphenation and the spaces
extraction invents before Korean particles or between scripts are repaired.

A page with no text layer but an image (a scan) is rendered and read by OCR
(:mod:`aligner.ingest.ocr`); its lines go through the same layout pass, so a PDF
that mixes text pages and scanned pages reads each page the right way.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import re
import statistics
from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from aligner.core.errors import InputError
from aligner.core.values import Progress
from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.ocr import OCR_DPI, OcrLine, OcrMode, ocr_mode, recognise_pages
from aligner.ingest.pages import PageLine, drop_running_lines, join_lines, vocabulary
from aligner.ingest.spacing import fix_spacing, is_hangul

if TYPE_CHECKING:
    from PIL.Image import Image

_ERR_PASSWORD = 4
_ERR_SECURITY = 5
# A generated space narrower than this (between advance boxes) where Hangul meets
# Latin/digits is the producer's Asian–Western autospacing, not a space in the text.
_SCRIPT_GAP_EM = 0.26
_HEADING_RATIO = 1.2
_NOTE_RATIO = 0.95
_CELL_GAP_EM = 3.0  # a gap this wide inside a line separates table cells
# Letter spacing (a producer spreading a justified line's syllables apart, or a tracked
# style): the gap between two characters with no space between them.  Above this, a
# line is letter-spaced, and a space PDFium generated there is a word space only when
# its gap is wider than the line's letter spacing by at least _WORD_SPACE_EM.
_LETTER_SPACED_EM = 0.05
_WORD_SPACE_EM = 0.15
_SAMPLE_EVERY = 8  # a line's type size is sampled every this many characters
_SPACING_SAMPLES = 3  # its letter spacing from this many neighbours (the line's first ones not boxed anyway)
_SUPERSCRIPT_RATIO = 0.75
_PARA_GAP_RATIO = 1.35
_NOTE_MARK_RE = re.compile(r"^(?:\d{1,3}|[*†‡]+)[.)]?\s+")
_TERMINAL = '.!?。"”’)』」:'
_OCR_SIZE_SNAP = 0.2
"""OCR'd lines whose type size is this close to the body size are body size (word heights vary)."""
_OCR_MAX_SIDE = 7000
"""The longest side, in pixels, a scanned page is rendered at for OCR (A3 at 300 dpi is 4961)."""
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Line:
    text: str
    top: float
    bottom: float
    left: float
    right: float
    size: float
    doubtful: tuple[tuple[int, int], ...] = ()
    """Spans of ``text`` that OCR read with low confidence."""


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if err.err_code == _ERR_PASSWORD:
            raise InputError(f"{name}: the PDF is password-protected; remove the password and try again") from None
        if err.err_code == _ERR_SECURITY:
            raise InputError(
                f"{name}: the PDF is DRM-protected (unsupported security handler); export an unprotected copy"
            ) from None
        raise InputError(f"{name}: damaged or truncated PDF (cannot be opened); re-download or re-export it") from None


def read_pdf(data: bytes, name: str, *, progress: Progress | None = None, ocr: OcrMode | None = None) -> Extracted:
    """The PDF's paragraphs; PDFium extracts the text layer in a child process with a memory limit
    (:mod:`.pdf_child`); pages with no text but an image are scans, read by OCR (:mod:`.ocr`)."""
    from aligner.ingest.pdf_child import page_lines_bounded

    pages = [[_Line(*line) for line in page] for page in page_lines_bounded(data, name)]
    scans: list[int] = []
    if any(not page for page in pages):
        doc = open_pdf(data, name)
        try:
            scans = [i for i, page in enumerate(pages) if not page and _has_image(doc, i)]
            if scans:
                for i, lines in _read_scans(data, doc, scans, name, progress, ocr_mode(ocr)).items():
                    pages[i] = lines
        finally:
            doc.close()
    if not pages:
        raise InputError(f"{name}: the PDF has no pages")
    if not any(line.text.strip() for page in pages for line in page):
        if scans:
            raise InputError(f"{name}: OCR found no text on the PDF's scanned pages (a blank or unreadable scan?)")
        raise InputError(f"{name}: the PDF has no text layer and no scanned page; nothing to read")
    return build(pages, name, ocr=bool(scans))


def _has_image(doc: pdfium.PdfDocument, index: int) -> bool:
    page = doc[index]
    try:
        return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))
    finally:
        page.close()


def _read_scans(
    data: bytes, doc: pdfium.PdfDocument, scans: Sequence[int], name: str, progress: Progress | None, mode: OcrMode
) -> dict[int, list[_Line]]:
    """The scanned pages' lines, by OCR (none, with a warning, when OCR is off and other pages have text)."""
    if mode is OcrMode.OFF:
        if len(scans) == len(doc):
            raise InputError(
                f"{name}: the PDF has no text layer (a scan) and OCR is off (--no-ocr); allow OCR to read it"
            )
        listed = ", ".join(str(i + 1) for i in scans)
        log.warning("%s: page(s) %s are scans without text; left out because OCR is off (--no-ocr)", name, listed)
        return {}

    def render(index: int) -> tuple[Image, float]:
        page = doc[index]
        try:
            scale = min(OCR_DPI / 72, _OCR_MAX_SIDE / max(page.get_size()))  # a poster is not rendered at 300 dpi
            return page.render(scale=scale, grayscale=True).to_pil(), 72 * scale
        finally:
            page.close()

    read = recognise_pages(data, scans, render, name, progress=progress, mode=mode)
    return ocr_lines(read)


def ocr_lines(read: dict[int, list[OcrLine]]) -> dict[int, list[_Line]]:
    """OCR'd lines as the layout pass takes them; sizes near the body size snapped to it
    (a word's box height is not a type size: it varies with the letters in it)."""
    sizes = [ln.size for lines in read.values() for ln in lines if len(ln.text) >= 20]
    body = statistics.median(sizes) if sizes else 0.0
    out: dict[int, list[_Line]] = {}
    for page, lines in read.items():
        out[page] = [
            _Line(
                ln.text, ln.top, ln.bottom, ln.left, ln.right,
                body if abs(ln.size - body) < _OCR_SIZE_SNAP * body else ln.size, ln.doubtful,
            )
            for ln in lines
        ]  # fmt: skip
    return out


def page_lines(data: bytes, name: str) -> list[list[tuple[str, float, float, float, float, float]]]:
    """Every page's lines as plain tuples (what the child process sends back)."""
    doc = open_pdf(data, name)
    try:
        return [[astuple(line) for line in _page_lines(doc, i, name)] for i in range(len(doc))]
    finally:
        doc.close()


def _page_lines(doc: pdfium.PdfDocument, index: int, name: str) -> list[_Line]:
    try:
        page = doc[index]
        textpage = page.get_textpage()
    except pdfium.PdfiumError:
        raise InputError(f"{name}: page {index + 1} of the PDF is damaged; re-download or re-export it") from None
    try:
        return _lines(textpage)
    finally:
        textpage.close()
        page.close()


def _lines(tp: pdfium.PdfTextPage) -> list[_Line]:
    """The page's lines in PDFium's reading order, with advance ("loose") boxes.

    Boxes and font sizes are asked of PDFium only where they decide something (the
    characters around spaces, line ends, after a hyphen, digits, and a sample for the
    line's type size): each call is a ctypes round trip.
    """
    n = tp.count_chars()
    raw = tp.raw
    text = tp.get_text_range()
    if len(text) != n:  # characters outside the BMP: fall back to one call per character
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFF) for i in range(n))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    out: list[_Line] = []
    chars: list[str] = []
    sizes: list[float] = []
    top = bottom = left = right = 0.0
    line_max = 0.0
    pending_space = False
    after_hyphen = False
    last: tuple[float, float, float, float] | None = None  # left, top, right, bottom of the last boxed char
    last_char = ""
    last_index = -2
    spacing = 0.0  # the letter spacing of the last line measured (em)
    spaces: list[tuple[int, float]] = []  # (position in chars, gap in em) of each space put in
    tight: list[float] = []  # gaps (em) between sampled neighbours with no space between them

    def flush() -> None:
        nonlocal pending_space, last, last_char, line_max, spacing
        if chars:
            spacing = _drop_letter_spacing(chars, spaces, tight, spacing)
        line = "".join(chars).strip()
        if line and sizes:
            out.append(_Line(line, top, bottom, left, right, statistics.median(sizes)))
        chars.clear()
        sizes.clear()
        spaces.clear()
        tight.clear()
        pending_space, last, last_char, line_max = False, None, "", 0.0

    for i, ch in enumerate(text):
        if ch in "\r\n":
            flush()
            continue
        if ch in " \t\u00a0":
            pending_space = pending_space or bool(chars)
            continue
        if ch in "\x02\u00ad\ufffe":
            # PDFium's mark for a drawn hyphen it takes for a line-end one: a hyphen
            # inside a line, a possible hyphenation at a line end (see join_lines).
            ch = "\u2010"
        elif ch == "\uffff" or ch < " ":
            continue
        nxt = text[i + 1] if i + 1 < n else "\n"
        need_box = not chars or pending_space or after_hyphen or nxt in " \t\u00a0\r\n" or ch == "\u2010"
        sample = len(chars) % _SAMPLE_EVERY == 0 or len(tight) < _SPACING_SAMPLES  # the first few: always
        if not (need_box or ch.isdigit() or sample):
            chars.append(ch)
            last_char = ch
            continue
        size = float(pdfium_c.FPDFText_GetFontSize(raw, i)) or 1.0
        if ch.isdigit() and chars and size < _SUPERSCRIPT_RATIO * line_max:
            continue  # a superscript note mark glued to the text
        sizes.append(size)
        line_max = max(line_max, size)
        measure = len(tight) < _SPACING_SAMPLES and not need_box and chars and text[i - 1] not in " \t\u00a0"
        if measure:  # a sample of this line's letter spacing
            pdfium_c.FPDFText_GetLooseCharBox(raw, i - 1, rect_ref)
            before = float(rect.right)
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect_ref)
            tight.append((float(rect.left) - before) / max(size, 1.0))
        if need_box or not sizes:
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect_ref)
            box = (float(rect.left), float(rect.top), float(rect.right), float(rect.bottom))
            if after_hyphen and last is not None and box[1] < last[3] + 0.2 * size:
                flush()  # PDFium joined two lines at a line-end hyphen: split them again
                sizes.append(size)
                line_max = size
            if last is not None and last_index == i - 1:  # neighbours with no space: the letter spacing
                tight.append((box[0] - last[2]) / max(size, 1.0))
            if pending_space and last is not None:
                gap = (box[0] - last[2]) / max(size, 1.0)
                boundary = is_hangul(ch) != is_hangul(last_char)
                if gap > _CELL_GAP_EM:
                    chars.append("\t")
                elif not (boundary and gap < _SCRIPT_GAP_EM):
                    spaces.append((len(chars), gap))
                    chars.append(" ")
            if last is None:
                left, top, right, bottom = box
            else:
                left, top, right, bottom = min(left, box[0]), max(top, box[1]), max(right, box[2]), min(bottom, box[3])
            last, last_index = box, i
        pending_space = False
        after_hyphen = ch == "\u2010"
        chars.append(ch)
        last_char = ch
    flush()
    return _merge_split_lines(out)


def _drop_letter_spacing(
    chars: list[str], spaces: list[tuple[int, float]], tight: list[float], before: float
) -> float:
    """In a letter-spaced line, blank the spaces PDFium generated between spread-out characters
    ("차 원 에 서" → "차원에서"): those no wider than the line's own letter spacing plus a word space.

    A line too short to measure, but letter-spaced where it was measured, takes the letter
    spacing ``before`` of the line above (a paragraph's last line); returns this line's, for the next one.
    """
    if len(tight) >= _SPACING_SAMPLES:
        spacing = statistics.median(tight)
    else:
        spacing = before if tight and min(tight) > _LETTER_SPACED_EM else 0.0
    if spacing > _LETTER_SPACED_EM:
        for position, gap in spaces:
            if gap < spacing + _WORD_SPACE_EM:
                chars[position] = ""
    return spacing


def _merge_split_lines(lines: list[_Line]) -> list[_Line]:
    """Rejoin pieces of one visual line that extraction cut apart (e.g. at a superscript)."""
    out: list[_Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev and abs(prev.bottom - ln.bottom) < 0.3 * prev.size and ln.left >= prev.right - 1:
            gap = (ln.left - prev.right) / max(prev.size, 1.0)
            sep = "\t" if gap > _CELL_GAP_EM else " " if gap > _SCRIPT_GAP_EM else ""
            out[-1] = _Line(
                prev.text + sep + ln.text,
                max(prev.top, ln.top),
                min(prev.bottom, ln.bottom),
                prev.left,
                ln.right,
                prev.size,
            )
        else:
            out.append(ln)
    return out


def build(pages: Sequence[Sequence[_Line]], name: str, fmt: str = "pdf", *, ocr: bool = False) -> Extracted:
    """The layout pass over every page's lines: the document's blocks and where they came from.
    With ``ocr`` (some pages were OCR'd), running headers match when nearly the same."""
    kept = drop_running_lines([[PageLine(ln.text, k) for k, ln in enumerate(page)] for page in pages], fuzzy=ocr)
    body_size = _body_size(pages)
    builder = TextBuilder(fmt, name)
    para: list[_Line] = []
    para_pages: list[int] = []
    para_kind = "body"

    def emit() -> None:
        if not para:
            return
        text, marks = join_lines([fix_spacing(ln.text) for ln in para], para_pages, words, tokens)
        text = fix_spacing(text)
        where = f"p. {para_pages[0] + 1}"
        doubtful = _doubtful_spans(para, words, tokens)
        if para_kind == "heading":
            builder.heading(text, where, doubtful=doubtful)
        elif para_kind == "note":
            builder.note(_NOTE_MARK_RE.sub("", text), where)
        else:
            builder.paragraph(text, where, marks=[(off, f"p. {p + 1}") for off, p in marks], doubtful=doubtful)
        para.clear()
        para_pages.clear()

    kept_text = [fix_spacing(page[k].text) for p, page in enumerate(pages) for k in kept[p]]
    words = vocabulary(kept_text)
    tokens = frozenset(t for line in kept_text for t in line.split()[1:-1])  # whole words only
    spacing = _line_spacing(pages, body_size)
    for p, page in enumerate(pages):
        lines = [page[k] for k in kept[p]]
        notes_from = _notes_start(lines, body_size)
        for k, ln in enumerate(lines):
            if "\t" in ln.text and _justified(lines, k):
                ln = replace(ln, text=ln.text.replace("\t", " "))
            if "\t" in ln.text:  # a table row: each cell its own block
                emit()
                for cell in ln.text.split("\t"):
                    builder.paragraph(fix_spacing(cell), f"p. {p + 1}")
                continue
            kind = "note" if k >= notes_from else ("heading" if ln.size >= _HEADING_RATIO * body_size else "body")
            if kind == "note" and _starts_note(ln.text):
                emit()
                para_kind = kind
            elif para and (
                kind != para_kind
                or _breaks(para[-2] if len(para) > 1 else None, para[-1], ln, para_pages[-1] != p, spacing, body_size)
            ):
                emit()
                para_kind = kind
            elif not para:
                para_kind = kind
            para.append(ln)
            para_pages.append(p)
    emit()
    return builder.build()


def _doubtful_spans(para: list[_Line], words: frozenset[str], tokens: frozenset[str]) -> list[tuple[int, int]]:
    """Where the paragraph's low-confidence OCR words are in its joined text (to a character or two)."""
    if not any(ln.doubtful for ln in para):
        return []
    _, starts = join_lines([fix_spacing(ln.text) for ln in para], list(range(len(para))), words, tokens)
    offsets = [0, *(off for off, _ in starts)]
    return [(at + a, at + b) for at, ln in zip(offsets, para, strict=True) for a, b in ln.doubtful]


def _justified(lines: list[_Line], k: int) -> bool:
    """Is line ``k`` a justified prose line (its wide gaps stretched spaces, not cell
    boundaries)?  It ends where a neighbouring tab-free line of the same type ends."""
    ln = lines[k]
    for j in (k - 1, k + 1):
        if 0 <= j < len(lines) and "\t" not in lines[j].text and abs(lines[j].size - ln.size) < 0.5:
            if abs(lines[j].right - ln.right) < 1.5 and abs(lines[j].left - ln.left) < 0.8 * ln.size:
                return True
    return False


def _breaks(prev: _Line | None, a: _Line, b: _Line, new_page: bool, spacing: float, body: float) -> bool:
    """Does a new paragraph start at line ``b`` (after ``a``, which follows ``prev``)?"""
    ends = a.text.rstrip("\u00ad")[-1:] in _TERMINAL
    if new_page or (b.bottom > a.bottom and b.left >= a.right - 1):  # next page or next column
        return ends
    gap = a.bottom - b.bottom
    if gap <= 0 or gap > _PARA_GAP_RATIO * spacing * max(1.0, a.size / body):
        return True
    if abs(a.size - b.size) > 0.1 * a.size:
        return True
    if a.size < _HEADING_RATIO * body and b.left > a.left + 0.8 * b.size:
        return True  # first-line indent
    full = max(b.right, prev.right if prev is not None else b.right)  # the column's right edge
    return ends and a.right < full - 4 * a.size  # a short last line


def _body_size(pages: Sequence[Sequence[_Line]]) -> float:
    weights: dict[float, int] = {}
    for page in pages:
        for ln in page:
            key = round(ln.size, 1)
            weights[key] = weights.get(key, 0) + len(ln.text)
    return max(weights, key=lambda s: weights[s]) if weights else 10.0


def _line_spacing(pages: Sequence[Sequence[_Line]], body: float) -> float:
    gaps = [
        a.bottom - b.bottom
        for page in pages
        for a, b in itertools.pairwise(page)
        if abs(a.size - body) < 0.1 * body and abs(b.size - body) < 0.1 * body and a.bottom > b.bottom
    ]
    return statistics.median(gaps) if gaps else 1.2 * body


def _notes_start(lines: list[_Line], body: float) -> int:
    """Index of the first footnote line at the foot of a page (len(lines) if none)."""
    k = len(lines)
    while k > 0 and lines[k - 1].size <= _NOTE_RATIO * body:
        k -= 1
    while k < len(lines) and not _starts_note(lines[k].text):
        k += 1
    return k


def _starts_note(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or text[0] in "*†‡") and len(text) > 3
