"""HWP 5.0 (Hancom binary) → paragraphs and notes, from the published record format.

An HWP 5.0 file is an OLE2 compound file (read with olefile); ``BodyText/Section<n>``
streams hold zlib-deflated records.  Each ``HWPTAG_PARA_TEXT`` record is one
paragraph's UTF-16LE text with inline/extended control characters (8 code units
each) that are skipped; table cells and text boxes are paragraphs of their own at a
deeper level; paragraphs under a footnote/endnote control become notes; header,
footer and page-number controls are left out.  Distribution (배포용) documents keep
their body in ``ViewText`` encrypted (:mod:`aligner.ingest.hwp_distribution`).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator

import numpy as np
import olefile

from aligner.core.budgets import MAX_HWP_RECORD, MAX_HWP_RECORDS, MAX_HWP_SECTION, MAX_INPUT_BYTES, megabytes
from aligner.core.errors import InputError
from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.hwp_distribution import decrypt_view_text

_HWPTAG_BEGIN = 0x10
_TAG_PARA_HEADER = _HWPTAG_BEGIN + 50
_TAG_PARA_TEXT = _HWPTAG_BEGIN + 51
_TAG_CTRL_HEADER = _HWPTAG_BEGIN + 55
_FLAG_COMPRESSED = 0x1
_FLAG_PASSWORD = 0x2
_FLAG_DISTRIBUTION = 0x4
_FLAG_DRM = 0x10
_NOTE_CTRLS = {b"fn  ", b"en  "}
_SKIPPED_CTRLS = {b"head", b"foot", b"pgnp", b"pghd", b"atno", b"nwno"}
_WIDE_CONTROLS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23})
_SECTION_RE = re.compile(r"^Section(\d+)$")


def read_hwp(data: bytes, name: str) -> Extracted:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError):
        raise InputError(
            f"{name}: damaged or truncated HWP file (cannot be opened); re-save it in Hancom Office"
        ) from None
    with ole:
        flags = _header_flags(ole, name)
        if flags & _FLAG_PASSWORD:
            raise InputError(f"{name}: the HWP file is password-protected; remove the password in Hancom Office")
        if flags & _FLAG_DRM:
            raise InputError(f"{name}: the HWP file is DRM-protected; export an unprotected copy")
        storage = "ViewText" if flags & _FLAG_DISTRIBUTION else "BodyText"
        sections = sorted(
            (int(m.group(1)), e)
            for e in ole.listdir()
            if len(e) == 2 and e[0] == storage and (m := _SECTION_RE.match(e[1]))
        )
        if not sections:
            raise InputError(f"{name}: damaged HWP file (no {storage} sections); re-save it in Hancom Office")
        builder = TextBuilder("hwp", name)
        records_left = MAX_HWP_RECORDS
        for number, entry in sections:
            raw = _stream(ole, entry, name)
            if storage == "ViewText":
                raw = decrypt_view_text(raw, name)
            body = _inflate(raw, number, name) if flags & _FLAG_COMPRESSED else raw
            del raw
            records_left -= _section(body, number + 1, builder, name, records_left)
    return builder.build()


def _inflate(raw: bytes, number: int, name: str) -> bytes:
    """A deflated section, decompressed up to :data:`MAX_HWP_SECTION` (a bomb ends in one line)."""
    inflater = zlib.decompressobj(-15)
    try:
        body = inflater.decompress(raw, MAX_HWP_SECTION)
    except zlib.error:
        raise InputError(f"{name}: damaged or truncated HWP file (section {number} unreadable); re-save it") from None
    if inflater.unconsumed_tail:
        raise InputError(
            f"{name}: section {number} unpacks to more than {megabytes(MAX_HWP_SECTION)}, more than aligner "
            "unpacks from one section; a compression bomb or not a real document"
        )
    return body


def _stream(ole: olefile.OleFileIO, entry: str | list[str], name: str) -> bytes:
    """A whole stream; a short read means the file was cut off."""
    try:
        size = int(ole.get_size(entry))
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{name}: an HWP stream claims {megabytes(size)}, more than the file; damaged")
        raw: bytes = ole.openstream(entry).read()
    except (OSError, ValueError, IndexError):
        raise InputError(f"{name}: damaged or truncated HWP file (a stream cannot be read); re-save it") from None
    if len(raw) < size:
        raise InputError(f"{name}: truncated HWP file (the file is cut off); re-download or re-save it")
    return raw


def _header_flags(ole: olefile.OleFileIO, name: str) -> int:
    if not ole.exists("FileHeader"):
        raise InputError(f"{name}: not an HWP 5.0 file (no FileHeader); older HWP 3 files are not supported")
    header = _stream(ole, "FileHeader", name)
    if not header.startswith(b"HWP Document File") or len(header) < 40:
        raise InputError(f"{name}: not an HWP 5.0 file (bad signature); older HWP 3 files are not supported")
    return int(struct.unpack_from("<I", header, 36)[0])


def _records(body: bytes, name: str) -> Iterator[tuple[int, int, memoryview]]:
    view = memoryview(body)
    pos, n = 0, len(body)
    while pos + 4 <= n:
        (head,) = struct.unpack_from("<I", body, pos)
        pos += 4
        tag, level, size = head & 0x3FF, (head >> 10) & 0x3FF, head >> 20
        if size == 0xFFF:
            if pos + 4 > n:
                break
            (size,) = struct.unpack_from("<I", body, pos)
            pos += 4
        if pos + size > n:
            raise InputError(f"{name}: damaged or truncated HWP file (a record runs past its section); re-save it")
        if size > MAX_HWP_RECORD:
            raise InputError(
                f"{name}: an HWP record of {megabytes(size)} (a paragraph of {size // 2:,} characters), more "
                f"than aligner reads in one ({megabytes(MAX_HWP_RECORD)}); not a real document"
            )
        yield tag, level, view[pos : pos + size]
        pos += size


def _section(body: bytes, section: int, builder: TextBuilder, name: str, records_left: int) -> int:
    """Read one section's paragraphs and notes into ``builder``; return how many records it had."""
    note_level: int | None = None
    skip_level: int | None = None
    count = seen = 0
    for tag, level, payload in _records(body, name):
        seen += 1
        if seen > records_left:
            raise InputError(
                f"{name}: more than {MAX_HWP_RECORDS:,} HWP records, more than aligner reads from one document "
                "(a 1,000-page document has about 500,000); not a real document"
            )
        if note_level is not None and level <= note_level:
            note_level = None
        if skip_level is not None and level <= skip_level:
            skip_level = None
        if tag == _TAG_CTRL_HEADER and len(payload) >= 4:
            ctrl = bytes(payload[:4])[::-1]
            if ctrl in _NOTE_CTRLS and note_level is None:
                note_level = level
            elif ctrl in _SKIPPED_CTRLS and skip_level is None:
                skip_level = level
        elif tag == _TAG_PARA_TEXT and skip_level is None:
            count += 1
            text = para_text(payload)
            where = f"§ {section} ¶ {count}"
            if note_level is not None:
                builder.note(text, where)
            else:
                builder.paragraph(text, where)
    return seen


def para_text(payload: bytes | memoryview) -> str:
    """The visible text of one PARA_TEXT record (control characters removed).

    Array-in, array-out: the UTF-16 code units are a numpy view of the record; only
    the control characters are visited one by one (a wide one hides the next 7 units).
    """
    units = np.frombuffer(payload, dtype="<u2", count=len(payload) // 2)
    out = units.copy()
    keep = np.ones(len(units), dtype=bool)
    skip_to = 0
    for i in np.flatnonzero(units < 32).tolist():
        if i < skip_to:
            continue
        c = int(units[i])
        if c in _WIDE_CONTROLS:
            keep[i + 1 : i + 8] = False
            skip_to = i + 8
        if c == 9:
            out[i] = 0x20
        elif c in (10, 24, 30, 31) and c not in _WIDE_CONTROLS:
            out[i] = 0x2D if c == 24 else 0x20
        else:
            keep[i] = False
    return out[keep].tobytes().decode("utf-16-le", "surrogatepass")
