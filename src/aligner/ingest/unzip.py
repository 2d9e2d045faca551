"""Zip members read within a budget: the one way DOCX, ODT, HWPX, EPUB and the format sniffer unzip.

A member's declared size can lie, so each read is streamed and stops one byte
past what is left of the member's and the document's budget; a bomb costs at
most the budget and ends in one line.
"""

from __future__ import annotations

import io
import zipfile

from aligner.core.budgets import (
    MAX_MARKUP_TAGS,
    MAX_UNZIPPED_MEMBER,
    MAX_UNZIPPED_TOTAL,
    MAX_ZIP_MEMBERS,
    megabytes,
)
from aligner.core.errors import InputError

_CHUNK = 1 << 20


class BoundedZip(zipfile.ZipFile):
    """A zip archive (from bytes) whose members are read through :meth:`read_member`, within one budget."""

    def __init__(self, data: bytes, name: str, *, total: int = MAX_UNZIPPED_TOTAL) -> None:
        super().__init__(io.BytesIO(data))
        self.document = name
        self.left = total
        self.tags_left = MAX_MARKUP_TAGS
        if len(self.filelist) > MAX_ZIP_MEMBERS:
            raise InputError(
                f"{name}: {len(self.filelist):,} entries in one document, more than aligner opens "
                f"({MAX_ZIP_MEMBERS:,}); not a real document"
            )

    def read_member(self, member: str, limit: int = MAX_UNZIPPED_MEMBER) -> bytes:
        """``member`` decompressed; past ``limit`` (or the document's budget) an ``InputError`` in one line.

        ``KeyError`` when there is no such member, ``zipfile.BadZipFile`` (or zlib/EOF/OS errors)
        when it is damaged, as :meth:`zipfile.ZipFile.read`.
        """
        cap = min(limit, self.left)
        info = self.getinfo(member)
        if info.file_size > cap:
            raise self._too_big(member, info.file_size, cap)
        out = bytearray()
        with self.open(info) as f:
            while chunk := f.read(min(_CHUNK, cap + 1 - len(out))):
                out += chunk
                if len(out) > cap:
                    raise self._too_big(member, None, cap)
        self.left -= len(out)
        return bytes(out)

    def charge_tags(self, raw: bytes, member: str) -> None:
        """Count ``member``'s tags against the document's parsing budget (one line past it), before parsing."""
        self.tags_left -= raw.count(b"<")
        if self.tags_left < 0:
            raise InputError(
                f"{self.document}: {member} brings it to {MAX_MARKUP_TAGS - self.tags_left:,} tags, more than "
                f"aligner parses from one document ({MAX_MARKUP_TAGS:,}); a hostile file, or split the document"
            )

    def _too_big(self, member: str, size: int | None, cap: int) -> InputError:
        grows = f"unpacks to {megabytes(size)}" if size is not None else f"unpacks to more than {megabytes(cap)}"
        return InputError(
            f"{self.document}: {member} {grows}, more than aligner unpacks from one document "
            f"({megabytes(min(cap, MAX_UNZIPPED_MEMBER))}); a compression bomb or not a real document"
        )
