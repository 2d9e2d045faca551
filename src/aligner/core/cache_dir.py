"""The cache directory as the caches use it: created on demand, probed once, swept.

A cache only saves time.  When its directory cannot be created or written,
aligner runs without it; every cache asks :func:`usable_cache_dir` and treats
``None`` as "no cache", and the embedding cache (one per model and process) tells
the user once, through the workspace's notices (so the CLI and the reader both
show it).  The
first use in a process also removes partial files a killed run left behind
(``*.tmp`` whose writer is gone).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
from pathlib import Path

from aligner.core.paths import cache_dir

log = logging.getLogger(__name__)
PARTIAL_SUFFIX = ".tmp"
STALE_PARTIAL_S = 15 * 60
"""A partial file untouched this long is from a run that died (atomic writes take seconds)."""
_PID_PARTIAL = re.compile(r"\.pid(\d+)\.tmp$")
_state: dict[Path, Path | None] = {}
_reasons: dict[Path, str] = {}
_state_lock = threading.Lock()


def usable_cache_dir(sub: str = "") -> Path | None:
    """``cache_dir()/sub``, created and known writable; None (told once) if it cannot be."""
    root = cache_dir()
    return usable_dir(root / sub if sub else root)


def usable_dir(target: Path) -> Path | None:
    """``target`` created and known writable (probed once per process), else None."""
    with _state_lock:
        if target in _state:
            return _state[target]
        usable: Path | None = target
        try:
            target.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=target, prefix=".probe-", suffix=PARTIAL_SUFFIX)
            os.close(fd)
            os.unlink(probe)
        except OSError as err:
            usable = None
            _reasons[target] = err.strerror or type(err).__name__
            log.info("cache directory %s is not usable (%s)", target, _reasons[target])
        else:
            sweep_partials(target)
        _state[target] = usable
        return usable


def unusable_notice(target: Path) -> str:
    """The one line telling the user that ``target`` could not be used as a cache."""
    reason = _reasons.get(target, "not writable")
    return f"cache directory {target} is not usable ({reason}); running without a cache"


def forget() -> None:
    """Probe again on next use (after the cache directory changed, e.g. in tests)."""
    with _state_lock:
        _state.clear()
        _reasons.clear()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def sweep_partials(directory: Path, now: float | None = None) -> list[Path]:
    """Remove partial files of killed runs in ``directory``: ``*.pidNNN.tmp`` whose process
    is gone, and any ``*.tmp`` untouched for :data:`STALE_PARTIAL_S`."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.endswith(PARTIAL_SUFFIX):
            continue
        try:
            stat = entry.lstat()
            m = _PID_PARTIAL.search(entry.name)
            dead = m is not None and not _alive(int(m.group(1)))
            if dead or now - stat.st_mtime > STALE_PARTIAL_S:
                entry.unlink()
                removed.append(entry)
        except (OSError, ValueError, OverflowError):
            continue
    return removed
