"""What one input may cost: every size limit in one place, and the one way to open an input file.

A hostile or broken document must cost at most about 1 GiB and end with one
clear line, never a MemoryError or a hang.  Each limit is far above what a real
document needs (a 1,000-page book's DOCX body is about 30 MB of XML).
"""

from __future__ import annotations

import os
import stat

from aligner.core.errors import InputError

MiB = 1 << 20

MAX_INPUT_BYTES = 512 * MiB
"""A document file as given (a PDF of scanned pages can be large; its text is not)."""

MAX_LISTING_BYTES = 64 * MiB
"""A list the user gives (a corpus manifest, an ``eval`` alignment file): lines of paths or indices."""

MAX_PROJECT_BYTES = 64 * MiB
"""A project file (the corrections of one pair: a few hundred KB for a book)."""

MAX_ZIP_MEMBERS = 20_000
"""Entries in one DOCX/ODT/HWPX/EPUB (a book's EPUB has a few hundred)."""

MAX_UNZIPPED_MEMBER = 128 * MiB
"""One member of a DOCX/ODT/HWPX/EPUB, decompressed (the body XML of a long book is ~30 MB)."""

MAX_UNZIPPED_TOTAL = 256 * MiB
"""All members one document reads, decompressed, together."""

MAX_MARKUP_TAGS = 4_000_000
"""Tags (``<``) in one XML/HTML part: a parsed element costs ~250 bytes, so this keeps a tree near 1 GB
(a 1,000-page DOCX body has about 2 million)."""

MAX_BOILERPLATE_TAGS = 100_000
"""Tags in an HTML page up to which trafilatura removes its boilerplate (~20 s per 100,000 paragraphs);
a bigger page (a book, not a web page) is walked whole, six times faster."""

MAX_TEXT_BYTES = 64 * MiB
"""A plain-text or HTML document (a long novel is 2 MB of UTF-8)."""

MAX_BLOCKS = 100_000
"""Paragraphs, headings, cells and notes one document may have (a 1,000-page book has ~30,000)."""

MAX_HWP_SECTION = 128 * MiB
"""One HWP body section (``BodyText``/``ViewText``), decompressed."""

MAX_HWP_RECORD = 16 * MiB
"""One HWP record (a paragraph's text is one record: 16 MiB is 8 million characters)."""

MAX_HWP_RECORDS = 2_000_000
"""HWP records in one document (a paragraph takes four to six; a 1,000-page document has ~500,000)."""

MAX_ENCODED_CHARS = 2000
"""Characters of one sentence the encoder sees (models read a few hundred tokens at most); the whole
sentence is still shown, searched and exported."""

TOO_DEEP = "elements nested hundreds deep, more than aligner walks (real documents nest a few dozen deep)"
"""The message for a document whose markup nests deeper than the readers' recursion allows."""

PDF_ADDRESS_SPACE = 1536 * MiB
"""Address space of the child process that extracts a PDF's text (PDFium's own allocations included)."""

PDF_TIME_LIMIT_S = 600
"""Seconds that child process may take (a 1,000-page report takes under a minute)."""


def megabytes(n: int) -> str:
    return f"{n / MiB:,.0f} MB"


def open_regular(path: str | os.PathLike[str]) -> int:
    """A read-only descriptor on ``path``, which must be a regular file (after symlinks).

    Opened non-blocking so that a FIFO never waits for a writer; a device, FIFO,
    socket or directory is refused in one line (``InputError``).  The caller closes it.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a document") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read file ({exc.strerror or exc})") from None
    except ValueError:  # e.g. a NUL byte in the name
        raise InputError(f"{name!r}: not a valid file name; give the path of a document") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(f"{name}: is {_kind(mode)}, not a regular file; give a document file")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"


def check_regular(path: str | os.PathLike[str]) -> None:
    """Refuse (one line) a document path that is missing or not a regular file, without reading it."""
    os.close(open_regular(path))


def sha256_regular(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> str | None:
    """The sha256 of a regular file's bytes, read in chunks; None for a FIFO, a device, a missing,
    unreadable or oversized file (never blocks, never reads without end)."""
    import hashlib

    try:
        fd = open_regular(path)
    except InputError:
        return None
    h = hashlib.sha256()
    with os.fdopen(fd, "rb") as f:
        read = 0
        while chunk := f.read(1 << 20):
            read += len(chunk)
            if read > limit:
                return None
            h.update(chunk)
    return h.hexdigest()


def read_input(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file ``path``; more than ``limit`` of them is refused in one line."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise InputError(f"{path}: {megabytes(size)} is more than aligner reads ({megabytes(limit)})")
        data = f.read(limit + 1)  # /proc and growing files report a size that is not what is read
    if len(data) > limit:
        raise InputError(f"{path}: more than aligner reads ({megabytes(limit)})")
    return data
