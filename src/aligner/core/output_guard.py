"""Where a requested output may go: never over what the user owns, never replacing a special file.

Every writer of output the user asked for (the CLI's ``-o``, the reader's
export dialog) goes through :func:`write_output_file`, which first asks
:func:`check_output_path`:

* a path that *is* one of the ``protected`` files (the input documents, the
  project file, its backup and lock) is refused.  "Is" means the same file,
  not the same spelling: resolved paths are compared (``./x`` and ``x``,
  symlinks), and for files that exist their device and inode (hard links);
* any aligner project file, backup, lock or set-aside copy is refused too, by
  its name or, for an existing file, by its first bytes;
* a directory, block device or socket is refused;
* a symlink is followed: the file it points to is replaced atomically and the
  link itself stays a link;
* a FIFO or character device (``/dev/stdout``, a terminal, ``/dev/null``) is
  written *through*: opened for writing, no temporary file, no rename, so it is
  never replaced by a regular file;
* anything else (a new file, an existing regular file) is written atomically.

Every refusal is one :class:`AlignerError` line naming the path and what to do.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aligner.core.atomic import AtomicWriteError, atomic_write_bytes, describe_os_error
from aligner.core.errors import AlignerError
from aligner.core.paths import BACKUP_SUFFIX, LOCK_SUFFIX, PROJECT_SUFFIX, SET_ASIDE_KINDS

Protected = Iterable[tuple[str | os.PathLike[str] | None, str]]
"""(path, what it is) pairs, e.g. ``(ko_path, "the Korean input document")``; None paths are skipped."""

_STEM = re.escape(PROJECT_SUFFIX[: -len(".json")])  # ".aligner"
_PROJECT_NAME = re.compile(
    rf"{_STEM}\.json({re.escape(BACKUP_SUFFIX)})?({re.escape(LOCK_SUFFIX)})?\Z"
    rf"|{_STEM}(\.json{re.escape(BACKUP_SUFFIX)})?\.({'|'.join(SET_ASIDE_KINDS)})-[^/]*\.json\Z",
    re.IGNORECASE,
)
_PROJECT_MAGIC = b'"aligner-project"'
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class OutputTarget:
    """Where the bytes will go: ``path`` (symlinks resolved) and how."""

    path: Path
    stream: bool  # a FIFO or character device: written through, never renamed over
    exists: bool


def _absolute(path: Path) -> Path:
    """The path with every symlink resolved (what a write would reach)."""
    try:
        return Path(os.path.abspath(path)).resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: same resolved path, or same device and inode."""
    pa, pb = Path(a), Path(b)
    if _absolute(pa) == _absolute(pb):
        return True
    ia = _identity(pa)
    return ia is not None and ia == _identity(pb)


def is_project_file_name(name: str) -> bool:
    """An aligner project file, its backup, lock or set-aside copy, by name."""
    return _PROJECT_NAME.search(name) is not None


def _looks_like_project(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return False
    return head.lstrip()[:1] == b"{" and _PROJECT_MAGIC in head


_KERNEL_FILES = frozenset({"proc", "sys"})
"""Top folders of the kernel's pseudo file systems: their files look regular but are not files."""


def _refuse(path: Path, why: str) -> AlignerError:
    return AlignerError(f"refusing to write to {path}: {why}; choose another output file")


def check_output_path(path: str | os.PathLike[str], protected: Protected = ()) -> OutputTarget:
    """Where writing to ``path`` would go; raises AlignerError (one line) if it must not be written."""
    given = Path(path)
    if not str(path).strip():
        raise AlignerError("give a file name to write to")
    for owned, what in protected:
        if owned is not None and str(owned) and same_file(given, owned):
            raise _refuse(given, f"it is {what}")
    real = _absolute(given)
    if is_project_file_name(given.name) or is_project_file_name(real.name):
        raise _refuse(given, "it is an aligner project file (the corrections)")
    try:
        st = os.stat(given)  # follows symlinks: /dev/stdout -> /proc/self/fd/1 -> a pipe
    except FileNotFoundError:
        return OutputTarget(real, stream=False, exists=os.path.lexists(given))
    except OSError as err:
        if err.errno == errno.ENOTDIR:
            raise AlignerError(f"cannot write {given}: a part of the path is a file, not a folder") from err
        raise AlignerError(f"cannot write {given}: {describe_os_error(err)}") from err
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise _refuse(given, "it is a folder")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return OutputTarget(given, stream=True, exists=True)  # opened as given, never renamed over
    if not stat.S_ISREG(mode):
        raise _refuse(given, "it is a device or socket, not a file")
    if _KERNEL_FILES.intersection(Path(os.path.realpath(given)).parts[1:2]):
        raise _refuse(given, "it is a kernel file (under /proc or /sys), not one aligner can write")
    if _looks_like_project(given):
        raise _refuse(given, "it is an aligner project file (the corrections)")
    return OutputTarget(real, stream=False, exists=True)


def _write_through(path: Path, data: bytes) -> None:
    """Write into an existing FIFO or character device: no create, no truncate, no rename."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise AtomicWriteError(path, describe_os_error(err)) from err
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as err:
        raise AtomicWriteError(path, describe_os_error(err)) from err
    finally:
        os.close(fd)


def write_output_file(path: str | os.PathLike[str], data: bytes, protected: Protected = ()) -> OutputTarget:
    """Write ``data`` where the user asked, after :func:`check_output_path`; returns where it went."""
    target = check_output_path(path, protected)
    if target.stream:
        _write_through(target.path, data)
    else:
        atomic_write_bytes(target.path, data)
    return target
