"""Crash-safe file writes: a reader sees either the old file or the new one, never a mix.

The data goes to a temporary file in the destination directory (same file
system, so the final rename is atomic), is flushed and fsync'ed, renamed over
the destination, and the directory is fsync'ed so the rename itself survives
a power cut.  Failures raise :class:`AlignerError` and leave the destination
untouched.  ``move_aside`` renames a file out of the way without ever replacing another.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aligner.core.errors import AlignerError

TEMP_SUFFIX = ".tmp"


class AtomicWriteError(AlignerError):
    """Writing a file failed; ``reason`` is the short cause (e.g. ``permission denied``)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


def temp_path_for(path: Path) -> Path:
    """A fresh, unused-looking temporary name beside ``path`` (hidden, ``.tmp``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def describe_os_error(err: OSError) -> str:
    """A short, lower-case reason for an OS error, e.g. ``no space left on device``."""
    if err.errno == errno.ENOSPC:
        return "no space left on device (disk full)"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EROFS:
        return "read-only file system"
    if err.errno == errno.ENOENT:
        return "directory does not exist"
    reason = err.strerror or str(err) or type(err).__name__
    return reason[:1].lower() + reason[1:]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - os.write raises rather than returning 0
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def fsync_directory(directory: Path) -> None:
    """Make a rename inside ``directory`` durable; a no-op where unsupported."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically.

    ``before_replace`` is called after the temporary file is complete and
    fsync'ed, just before the rename (tests use it to simulate a crash there).
    New files get the usual permissions (0666 minus umask); an existing file's
    permission bits are kept.
    """
    target = Path(path)
    tmp = temp_path_for(target)
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as err:
        if err.errno == errno.ENOENT and target.parent.is_dir():  # e.g. /proc: the folder is there, files can't be
            raise AtomicWriteError(target, f"no file can be created in {target.parent}") from err
        raise AtomicWriteError(target, describe_os_error(err)) from err
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if mode is not None:
                if os.chmod in os.supports_fd:
                    os.chmod(fd, mode)
                else:  # pragma: no cover - Windows
                    os.chmod(tmp, mode)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except OSError as err:
        _remove_quietly(tmp)
        raise AtomicWriteError(target, describe_os_error(err)) from err
    except BaseException:
        _remove_quietly(tmp)
        raise
    fsync_directory(target.parent)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` atomically; characters the encoding cannot hold become ``?``/U+FFFD."""
    atomic_write_bytes(path, text.encode(encoding, errors="replace"))


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def move_aside(path: str | os.PathLike[str], kind: str) -> Path:
    """Move ``path`` to ``<name>.<kind>-<UTC time>.json`` beside it (``<name>`` without ``.json``),
    never over an existing file; returns the new path.  Raises AlignerError if it cannot."""
    source = Path(path)
    stem = source.name[: -len(".json")] if source.name.endswith(".json") else source.name
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1000):
        dest = source.with_name(f"{stem}.{kind}-{stamp}{'' if n == 0 else f'-{n}'}.json")
        try:
            os.link(source, dest)  # fails rather than replace an existing file
        except FileExistsError:
            continue
        except OSError:
            if os.path.lexists(dest):
                continue
            try:
                os.rename(source, dest)  # no hard links on this file system; nothing is at dest
            except OSError as err:
                raise AlignerError(f"cannot move {source} aside: {describe_os_error(err)}") from err
        else:
            try:
                source.unlink()
            except OSError as err:
                raise AlignerError(f"cannot move {source} aside: {describe_os_error(err)}") from err
        fsync_directory(source.parent)
        return dest
    raise AlignerError(f"cannot move {source} aside: too many copies already")
