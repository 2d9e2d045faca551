"""Reading documents from disk: decoding, refusing non-text, language guess, and
character normalisation that keeps a map back to the decoded ``source``.

Everything downstream (paragraph repair, sentence splitting) works on a
:class:`MappedText`, whose every character remembers the span of ``source`` it
came from, so sentence offsets always refer to the text as read from disk.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from aligner.core.budgets import MAX_TEXT_BYTES, megabytes, read_input
from aligner.core.errors import InputError
from aligner.core.values import Lang, Progress
from aligner.ingest.extracted import Extracted
from aligner.ingest.formats import extract
from aligner.ingest.ocr import OcrMode

_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
"""Zero-width characters, the soft hyphen and the Mongolian vowel separator: never text."""
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}\\x00-\\x08\\x0e-\\x1f\\x7f]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file; extract its text first"),
    (b"PK\x03\x04", "a ZIP/Office file; save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an old Office/HWP file; save it as plain text first"),
    (b"\x89PNG", "an image, not text"),
    (b"\xff\xd8\xff", "an image, not text"),
)


# --------------------------------------------------------------------------- reading


def read_document_text(path: str | Path) -> tuple[str, str]:
    """Read a document; return ``(text, encoding)`` (see :func:`read_document`)."""
    got = read_document(path)
    return got.text, got.format


def read_document(path: str | Path, *, progress: Progress | None = None, ocr: OcrMode | None = None) -> Extracted:
    """Read a document of any supported format, recognised by its content.

    PDF, DOCX, ODT, HWP, HWPX, HTML and EPUB are extracted to clean text (blank-line
    separated blocks, ``# `` headings, notes at the end) with ``format`` naming the
    format and ``locations`` mapping text offsets to pages/paragraphs; anything else
    is decoded as text (``format`` is then the text encoding).

    Text files: accepts UTF-8 (with or without BOM), UTF-16/32 with BOM, BOM-less UTF-16 of
    mostly-ASCII text, CP949/EUC-KR Korean and (as a last resort) CP1252 text that is
    nearly all ASCII.  Raises :class:`InputError` (one line, naming the file) for
    missing, binary, undecodable or empty files.

    Scanned PDF pages and page images are read by OCR (``progress`` hears each page;
    ``ocr`` OFF refuses, CACHED takes only cached results, see :mod:`aligner.ingest.ocr`).
    """
    name = str(path)
    data = read_input(path)  # a regular file of bounded size, or one line saying why not
    if not data.strip():
        raise InputError(f"{name} is empty")
    got = extract(data, name, progress=progress, ocr=ocr)
    if got is not None:
        return got
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"{name}: {megabytes(len(data))} of text, more than aligner reads "
                         f"({megabytes(MAX_TEXT_BYTES)})")
    text, encoding = decode_bytes(data, name)
    return Extracted(text, encoding)


def decode_bytes(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode raw bytes as :func:`read_document_text` does (``name`` is for messages)."""
    if not data.strip():
        raise InputError(f"{name} is empty")
    text, encoding = _decode(data, name)
    if "\x00" in text or len(_CONTROL_RE.findall(text)) > max(2, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file, not text")
    if not has_content(text):
        raise InputError(f"{name} is empty")
    return text, encoding


def has_content(text: str) -> bool:
    """True if ``text`` contains anything besides whitespace, zero-width and control chars."""
    return _INVISIBLE_RE.sub("", text).strip() != ""


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), label
            except UnicodeDecodeError:
                raise InputError(f"{name}: invalid {label.upper()} text (bad byte sequence)") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}")
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise InputError(
            f"{name}: looks like a binary file, not text (if it is UTF-16 text, save it as UTF-8 or with a BOM)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    good, bad = _utf8_tally(data)
    if good >= 2 * bad:  # UTF-8 but for a few bytes: never silently another codec
        _refuse_damaged_utf8(data, name)
    korean = _try_cp949(data)
    if korean is not None:
        return korean, "cp949"
    if good:  # real UTF-8 sequences beside bad bytes: not a legacy Western file either
        _refuse_damaged_utf8(data, name)
    western = _try_cp1252(data)
    if western is not None:
        return western, "cp1252"
    raise InputError(f"{name}: cannot decode text (not UTF-8, UTF-16 or CP949/EUC-KR)")


_UTF16_PLAUSIBLE_RE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u1100-\u11ff\u3130-\u318f"
    "\uac00-\ud7a3\u4e00-\u9fff\uff00-\uffef]"
)


def _utf16_share(data: bytes, codec: str) -> float:
    """The share of plausible text characters in ``data`` read as ``codec`` (0 if it does not decode)."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return 0.0
    return len(_UTF16_PLAUSIBLE_RE.findall(text)) / max(1, len(text))


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: the byte order whose reading is (nearly all) plausible text."""
    if len(data) % 2:
        return None
    scores = [(_utf16_share(data, codec), codec) for codec in ("utf-16-le", "utf-16-be")]
    share, codec = max(scores)
    if share < 0.95:
        return None
    return data.decode(codec), codec


def _utf8_tally(data: bytes) -> tuple[int, int]:
    """(valid multi-byte UTF-8 characters, invalid byte sequences) in ``data``."""
    text = data.decode("utf-8", errors="replace")
    genuine = data.decode("utf-8", errors="ignore")
    bad = text.count("\ufffd") - genuine.count("\ufffd")
    good = sum(1 for c in genuine if ord(c) > 127)
    return good, bad


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_damaged_utf8(data: bytes, name: str) -> None:
    """Refuse a UTF-8 file with invalid bytes, naming the lines they are on."""
    bad_lines = [n for n, line in enumerate(data.split(b"\n"), 1) if not _is_utf8(line)]
    shown = ", ".join(map(str, bad_lines[:8])) + (" …" if len(bad_lines) > 8 else "")
    plural = "s" if len(bad_lines) > 1 else ""
    raise InputError(
        f"{name}: cannot decode: UTF-8 text with invalid bytes on line{plural} {shown}; "
        "fix those lines (or re-save the file as UTF-8) and try again"
    )


def _try_cp949(data: bytes) -> str | None:
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    non_ascii = [c for c in text if ord(c) > 127]
    hangul = [c for c in non_ascii if _HANGUL_RE.match(c)]
    if not hangul or len(hangul) < 0.6 * len(non_ascii):
        return None
    # Genuine Korean text uses mostly the 2,350 common (KS X 1001) syllables; a
    # Western single-byte file mis-read as CP949 lands in the extension block.
    common = sum(1 for c in hangul if _in_ksx1001(c))
    return text if common >= 0.9 * len(hangul) else None


def _in_ksx1001(char: str) -> bool:
    try:
        char.encode("euc_kr")
    except UnicodeEncodeError:
        return False
    return True


def _try_cp1252(data: bytes) -> str | None:
    high = sum(1 for b in data if b > 127)
    if high > 0.2 * len(data):
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


# --------------------------------------------------------------------------- language


def letter_counts(text: str) -> tuple[int, int]:
    """(Hangul letters, Latin letters) in ``text``."""
    return len(_HANGUL_RE.findall(text)), len(_LATIN_RE.findall(text))


def detect_lang(text: str) -> Lang | None:
    """Guess Korean vs English by Hangul vs Latin letter share; None if no letters.

    A Hangul syllable carries about as much as 2–3 Latin letters, so Korean text
    full of English acronyms still comes out Korean.
    """
    hangul, latin = letter_counts(text)
    if hangul == 0 and latin == 0:
        return None
    return Lang.KO if hangul * 3 >= latin else Lang.EN
