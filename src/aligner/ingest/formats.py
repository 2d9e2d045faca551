"""Recognise a document's format by content and extract its text.

:func:`extract` is the one entry: plain text is decoded as before
(:mod:`aligner.ingest.text`); PDF, DOCX, ODT, HWP 5.0, HWPX, HTML and EPUB go to
their reader; anything recognised but unsupported, and any damaged file, gets a
one-line :class:`InputError` naming the file.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable

from aligner.core.errors import InputError
from aligner.ingest.extracted import Extracted
from aligner.ingest.sniff import Format, sniff

Reader = Callable[[bytes, str], Extracted]

DOCUMENT_FORMATS = frozenset(
    f.value for f in (Format.PDF, Format.DOCX, Format.ODT, Format.HWP, Format.HWPX, Format.HTML, Format.EPUB)
)
_UNSUPPORTED = {
    Format.ZIP: "a ZIP archive that is not a document aligner reads (DOCX, ODT, HWPX, EPUB)",
    Format.OLE: "an old binary Office file (.doc/.xls/.ppt); save it as DOCX, ODT or plain text",
    Format.ENCRYPTED_OFFICE: "a password-protected Office document; remove the password and save it again",
    Format.RTF: "an RTF file; save it as DOCX, ODT or plain text",
    Format.IMAGE: "an image, not a document; run OCR on it first",
}


def _reader(fmt: Format) -> Reader:
    if fmt is Format.PDF:
        from aligner.ingest.pdf import read_pdf

        return read_pdf
    if fmt is Format.DOCX:
        from aligner.ingest.docx import read_docx

        return read_docx
    if fmt is Format.ODT:
        from aligner.ingest.odt import read_odt

        return read_odt
    if fmt is Format.HWP:
        from aligner.ingest.hwp import read_hwp

        return read_hwp
    if fmt is Format.HWPX:
        from aligner.ingest.hwpx import read_hwpx

        return read_hwpx
    if fmt is Format.HTML:
        from aligner.ingest.html import read_html

        return read_html
    if fmt is Format.EPUB:
        from aligner.ingest.epub import read_epub

        return read_epub
    raise InputError(f"no reader for {fmt}")


def extract(data: bytes, name: str) -> Extracted | None:
    """The document's text, or None if it is plain text (the caller decodes it)."""
    fmt = sniff(data)
    if fmt is Format.TEXT:
        return None
    if fmt in _UNSUPPORTED:
        raise InputError(f"{name}: looks like {_UNSUPPORTED[fmt]}")
    try:
        return _reader(fmt)(data, name)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as err:
        what = fmt.value.upper()
        raise InputError(
            f"{name}: damaged or truncated {what} file ({type(err).__name__}); re-save or re-download it"
        ) from None
