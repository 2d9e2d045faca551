"""One editor per project file: an advisory lock beside it, held for a session's lifetime.

A :class:`~aligner.session.pair_session.PairSession` takes an exclusive
``flock`` on ``.<project name>.lock`` (beside the project file) when it opens
and holds it until it closes; a second session on the same pair - in another
process or the same one (``flock`` belongs to the open file, not the process) -
does not get it and opens the pair read-only, with a message naming the holder.
The kernel drops the lock when the holder exits, even on ``kill -9``, so there
is never a stale lock to clean up; the lock file itself is never deleted
(deleting it would let two sessions lock two different files).

``fcntl.flock`` is used directly rather than the ``filelock`` package: it is
the same system call ``filelock`` makes on POSIX, needs no dependency, and the
open descriptor lets the holder record its process id for the message.  Where
``fcntl`` does not exist (Windows) or the folder is not writable, no lock is
taken; saving still refuses to replace a version it did not read
(``save_project(expected_sha256=…)``), so nothing is lost silently there either.
"""

from __future__ import annotations

import os
from pathlib import Path

from aligner.core.errors import AlignerError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class ProjectLocked(AlignerError):
    """Another session holds the project file's lock."""


class ProjectLock:
    """An exclusive lock on ``path`` (a lock file); ``release`` or process exit drops it."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    @staticmethod
    def acquire(path: str | os.PathLike[str], what: str) -> ProjectLock:
        """Lock ``path`` without waiting.  Raises ProjectLocked (one line, naming ``what``
        and the holder) when another session holds it; returns an unheld lock when the
        platform or the folder allows none."""
        lock_file = Path(path)
        if fcntl is None:
            return ProjectLock(lock_file, None)
        try:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            return ProjectLock(lock_file, None)  # cannot lock here: saving there will fail and say why
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise ProjectLocked(
                f"read-only: another aligner session ({who}) is editing {what}; "
                "close it and open the pair again to edit here"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the lock holds even if the note cannot be written
        return ProjectLock(lock_file, fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor drops the flock

    def __del__(self) -> None:
        self.release()


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
