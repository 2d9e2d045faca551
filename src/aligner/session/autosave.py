"""Debounced saving off the caller's thread.

Edits arrive in bursts (a key held down, a realignment, confirm-all); each one
asks for a save, and :class:`AutoSaver` writes once the burst has been quiet for
``delay`` seconds, on a timer thread, so the interface never waits for the disk.
``flush`` writes a pending save at once (quitting, ``ctrl+s``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

AUTOSAVE_DELAY = 0.3
"""Seconds of quiet after the last edit before the corrections are written."""


@dataclass(frozen=True)
class SaveResult:
    """Where the corrections went, or why they could not be written."""

    path: Path | None
    error: str | None


class AutoSaver:
    def __init__(
        self,
        save: Callable[[], SaveResult],
        on_saved: Callable[[SaveResult], None] | None = None,
        delay: float = AUTOSAVE_DELAY,
    ) -> None:
        self._save = save
        self._on_saved = on_saved
        self._delay = delay
        self._lock = threading.Lock()
        self._running = threading.Lock()  # held while a save is being written
        self._timer: threading.Timer | None = None
        self._closed = False

    def request(self) -> None:
        """(Re)start the quiet period; the save runs when it ends."""
        with self._lock:
            if self._closed:
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._delay, self._fire)
            self._timer.daemon = True
            self._timer.start()

    @property
    def pending(self) -> bool:
        with self._lock:
            return self._timer is not None

    def _take(self) -> bool:
        with self._lock:
            had = self._timer is not None
            if self._timer is not None:
                self._timer.cancel()
            self._timer = None
            return had

    def _fire(self) -> None:
        with self._running:
            if not self._take():
                return
            result = self._save()
        self._report(result)

    def _report(self, result: SaveResult) -> None:
        if self._on_saved is not None:
            self._on_saved(result)

    def flush(self) -> SaveResult | None:
        """Save now if a save is pending (in the caller's thread); None otherwise.

        A save already being written on the timer thread is waited for.
        """
        with self._running:
            if not self._take():
                return None
            result = self._save()
        self._report(result)
        return result

    def close(self) -> None:
        self.flush()
        with self._lock:
            self._closed = True
