"""Recognise a document's format by content and extract its text.

:func:`extract` is the one entry: plain text is decoded as before
(:mod:`aligner.ingest.text`); PDF, DOCX, ODT, HWP 5.0, HWPX, HTML and EPUB go to
their reader; scanned PDF pages and page images (PNG, JPEG, TIFF, GIF) are read by
OCR; anything recognised but unsupported, and any damaged file, gets a one-line
:class:`InputError` naming the file.
"""

from __future__ import annotations

import importlib
import zipfile
import zlib
from collections.abc import Callable
from typing import Protocol

from aligner.core.budgets import TOO_DEEP
from aligner.core.errors import InputError
from aligner.core.values import Progress
from aligner.ingest.extracted import Extracted
from aligner.ingest.ocr import OcrMode
from aligner.ingest.sniff import Format, sniff

Reader = Callable[[bytes, str], Extracted]


class ScanReader(Protocol):
    """The reader of a format that may need OCR (PDF, images)."""

    def __call__(
        self, data: bytes, name: str, *, progress: Progress | None = ..., ocr: OcrMode | None = ...
    ) -> Extracted: ...


DOCUMENT_FORMATS = frozenset(
    f.value
    for f in (Format.PDF, Format.DOCX, Format.ODT, Format.HWP, Format.HWPX, Format.HTML, Format.EPUB, Format.IMAGE)
)
_UNSUPPORTED = {
    Format.ZIP: "a ZIP archive that is not a document aligner reads (DOCX, ODT, HWPX, EPUB)",
    Format.OLE: "an old binary Office file (.doc/.xls/.ppt); save it as DOCX, ODT or plain text",
    Format.ENCRYPTED_OFFICE: "a password-protected Office document; remove the password and save it again",
    Format.RTF: "an RTF file; save it as DOCX, ODT or plain text",
}


_READERS: dict[Format, str] = {
    Format.PDF: "pdf", Format.DOCX: "docx", Format.ODT: "odt", Format.HWP: "hwp",
    Format.HWPX: "hwpx", Format.HTML: "html", Format.EPUB: "epub", Format.IMAGE: "image",
}  # fmt: skip
"""The module of ``aligner.ingest`` that reads each format (imported on first use): ``read_<name>``."""


def _reader(fmt: Format) -> Reader:
    name = _READERS.get(fmt)
    if name is None:
        raise InputError(f"no reader for {fmt}")
    reader: Reader = getattr(importlib.import_module(f"aligner.ingest.{name}"), f"read_{name}")
    return reader


_SCANNED = frozenset((Format.PDF, Format.IMAGE))
"""The formats that may need OCR: their readers take ``progress`` and ``ocr``."""


def extract(
    data: bytes, name: str, *, progress: Progress | None = None, ocr: OcrMode | None = None
) -> Extracted | None:
    """The document's text, or None if it is plain text (the caller decodes it)."""
    fmt = sniff(data)
    if fmt is Format.TEXT:
        return None
    if fmt in _UNSUPPORTED:
        raise InputError(f"{name}: looks like {_UNSUPPORTED[fmt]}")
    try:
        if fmt in _SCANNED:
            scan_reader: ScanReader = _reader(fmt)  # type: ignore[assignment]
            return scan_reader(data, name, progress=progress, ocr=ocr)
        return _reader(fmt)(data, name)
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{name}: {TOO_DEEP}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError, NotImplementedError) as err:
        # NotImplementedError: zipfile's answer to a damaged header naming an unknown version or method
        what = fmt.value.upper()
        raise InputError(
            f"{name}: damaged or truncated {what} file ({type(err).__name__}); re-save or re-download it"
        ) from None
