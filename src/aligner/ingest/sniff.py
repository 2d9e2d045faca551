"""Which format a file is, from its bytes (magic numbers and container layout), not its name."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from enum import StrEnum

from aligner.core.errors import InputError
from aligner.ingest.unzip import BoundedZip


class Format(StrEnum):
    TEXT = "text"
    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    HWP = "hwp"
    HWPX = "hwpx"
    HTML = "html"
    EPUB = "epub"
    ZIP = "zip"  # a zip that is none of the above
    OLE = "ole"  # an OLE2 compound file that is not HWP (old .doc/.xls/.ppt)
    ENCRYPTED_OFFICE = "encrypted-office"  # a password-protected DOCX/XLSX/PPTX (OLE2 EncryptedPackage)
    RTF = "rtf"
    IMAGE = "image"


_MIMETYPE_LIMIT = 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_XHTML_RE = re.compile(rb"<html[^>]*xmlns=[\"']http://www\.w3\.org/1999/xhtml", re.I)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")


def sniff(data: bytes) -> Format:
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if head.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        return Format.PDF
    if data.startswith(OLE_MAGIC) or data.startswith(b"\xd0\xcf\x11\xe0"):
        if b"HWP Document File" in data[:65536] or _ole_is_hwp(data):
            return Format.HWP
        return Format.ENCRYPTED_OFFICE if _ole_has(data, "EncryptedPackage") else Format.OLE
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_format(data)
    if data.startswith(b"{\\rtf"):
        return Format.RTF
    if any(data.startswith(m) for m in _IMAGES):
        return Format.IMAGE
    if _HTML_RE.match(head) or _XHTML_RE.search(head):
        return Format.HTML
    return Format.TEXT


def _ole_is_hwp(data: bytes) -> bool:
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return bool(ole.exists("FileHeader") and ole.exists("BodyText"))
    except Exception:  # noqa: BLE001 - a damaged OLE file is judged later by the reader
        return False


def _ole_has(data: bytes, stream: str) -> bool:
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return bool(ole.exists(stream))
    except Exception:  # noqa: BLE001 - damaged: not this kind
        return False


def _zip_format(data: bytes) -> Format:
    try:
        with BoundedZip(data, "") as z:
            names = set(z.namelist())
            mimetype = _mimetype(z) if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error, NotImplementedError):
        # A truncated container: judge by the names visible in the local headers.
        return _zip_format_from_headers(data)
    if mimetype == "application/epub+zip":
        return Format.EPUB
    if mimetype == "application/vnd.oasis.opendocument.text":
        return Format.ODT
    if mimetype.startswith("application/hwp") or any(n.lower().startswith("contents/section") for n in names):
        return Format.HWPX
    if "word/document.xml" in names:
        return Format.DOCX
    return Format.ZIP


def _mimetype(z: BoundedZip) -> str:
    """The ``mimetype`` member (a few dozen bytes in any real file; a bomb there is no known type)."""
    try:
        return z.read_member("mimetype", limit=_MIMETYPE_LIMIT).decode("ascii", "replace").strip()
    except InputError:
        return ""


def _zip_format_from_headers(data: bytes) -> Format:
    head = data[:65536]
    for marker, fmt in (
        (b"application/epub+zip", Format.EPUB),
        (b"application/vnd.oasis.opendocument.text", Format.ODT),
        (b"Contents/section", Format.HWPX),
        (b"word/document.xml", Format.DOCX),
    ):
        if marker in head:
            return fmt
    return Format.ZIP
