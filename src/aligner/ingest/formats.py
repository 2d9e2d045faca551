"""Recognise a document's format by content and extract its text.

:func:`extract` is the one entry: plain text is decoded as before
(:mod:`aligner.ingest.text`); PDF, DOCX, ODT, HWP 5.0, HWPX, HTML and EPUB go to
their reader; anything recognised but unsupported, and any damaged file, gets a
one-line :class:`InputError` naming the file.
"""

from __future__ import annotations

import importlib
import zipfile
import zlib
from collections.abc import Callable

from aligner.core.budgets import TOO_DEEP
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


_READERS: dict[Format, str] = {
    Format.PDF: "pdf", Format.DOCX: "docx", Format.ODT: "odt", Format.HWP: "hwp",
    Format.HWPX: "hwpx", Format.HTML: "html", Format.EPUB: "epub",
}  # fmt: skip
"""The module of ``aligner.ingest`` that reads each format (imported on first use): ``read_<name>``."""


def _reader(fmt: Format) -> Reader:
    name = _READERS.get(fmt)
    if name is None:
        raise InputError(f"no reader for {fmt}")
    reader: Reader = getattr(importlib.import_module(f"aligner.ingest.{name}"), f"read_{name}")
    return reader


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
    except RecursionError:
        raise InputError(f"{name}: {TOO_DEEP}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError, NotImplementedError) as err:
        # NotImplementedError: zipfile's answer to a damaged header naming an unknown version or method
        what = fmt.value.upper()
        raise InputError(
            f"{name}: damaged or truncated {what} file ({type(err).__name__}); re-save or re-download it"
        ) from None
