"""What the reader remembers per pair: position, view, theme, learner mode, search history, export choice, library.

One small JSON file per pair (keyed by the two documents' resolved paths, so an
edited text keeps its place) under the user state directory
(``aligner.core.paths.user_state_dir``), written atomically; the last theme is
also kept on its own as the default for pairs opened the first time.  Remembering
never gets in the way: a damaged or unreadable file reads as nothing remembered,
a failed write is logged and forgotten.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from aligner.core.atomic import atomic_write_text
from aligner.core.errors import AlignerError
from aligner.core.paths import user_state_dir

log = logging.getLogger(__name__)
HISTORY_LIMIT = 50
VIEWS = ("pairs", "reading")
_DEFAULTS_FILE = "defaults.json"


@dataclass(frozen=True)
class ReaderState:
    cursor: int = 0
    """The selected pair (its position in the alignment)."""
    view: str = "pairs"
    theme: str = ""
    """A Textual theme name; empty: the default."""
    history: tuple[str, ...] = field(default_factory=tuple)
    """Search queries, oldest first."""
    export_format: str = "tmx"
    export_confirmed_only: bool = False
    export_min_confidence: float | None = None
    """The export dialog's last choice: format, confirmed pairs only, minimum confidence (None: no minimum)."""
    library: tuple[str, ...] = field(default_factory=tuple)
    """The related pane's documents and folders (``aligner read --docs``), as absolute paths."""
    learner: bool = False
    """Learner mode (translations hidden)."""

    def with_query(self, query: str) -> ReaderState:
        """The history with ``query`` as the latest (once; at most ``HISTORY_LIMIT`` kept)."""
        query = query.strip()
        if not query:
            return self
        kept = [q for q in self.history if q != query][-(HISTORY_LIMIT - 1) :]
        return replace(self, history=(*kept, query))


def pair_key(ko_path: str | Path, en_path: str | Path) -> str:
    h = hashlib.sha256()
    for p in (ko_path, en_path):
        h.update(str(Path(p).expanduser().resolve()).encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:32]


def state_path(ko_path: str | Path, en_path: str | Path) -> Path:
    return user_state_dir() / "pairs" / f"{pair_key(ko_path, en_path)}.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        log.warning("ignoring unreadable reader state %s: %s", path, err)
        return {}
    return raw if isinstance(raw, dict) else {}


def _parse(raw: dict[str, Any], theme: str) -> ReaderState:
    cursor = raw.get("cursor", 0)
    view = raw.get("view", "pairs")
    history = raw.get("history", [])
    fmt, only, minimum = raw.get("export_format"), raw.get("export_confirmed_only"), raw.get("export_min_confidence")
    number = isinstance(minimum, int | float) and not isinstance(minimum, bool) and 0 <= minimum <= 1
    library = raw.get("library", [])
    return ReaderState(
        cursor=cursor if isinstance(cursor, int) and not isinstance(cursor, bool) and cursor >= 0 else 0,
        view=view if view in VIEWS else "pairs",
        theme=raw["theme"] if isinstance(raw.get("theme"), str) else theme,
        learner=raw.get("learner") is True,
        history=tuple(q for q in history if isinstance(q, str) and q.strip())[-HISTORY_LIMIT:]
        if isinstance(history, list) else (),
        export_format=fmt if isinstance(fmt, str) else "tmx",  # an unknown name: the dialog starts with TMX
        export_confirmed_only=only if isinstance(only, bool) else False,
        export_min_confidence=float(minimum) if number and minimum is not None else None,
        library=tuple(p for p in library if isinstance(p, str) and p.strip()) if isinstance(library, list) else (),
    )  # fmt: skip


def load_state(ko_path: str | Path, en_path: str | Path) -> ReaderState:
    """What was remembered for this pair (the last theme and nothing else for a new pair)."""
    defaults = _read(user_state_dir() / _DEFAULTS_FILE)
    theme = defaults.get("theme") if isinstance(defaults.get("theme"), str) else ""
    return _parse(_read(state_path(ko_path, en_path)), str(theme))


def _write(path: Path, payload: dict[str, Any]) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    except (OSError, AlignerError) as err:
        log.warning("could not remember the reader state: %s", err)
        return False
    return True


def save_state(ko_path: str | Path, en_path: str | Path, state: ReaderState) -> bool:
    """Remember ``state`` for this pair, atomically; False (logged) when it cannot be written."""
    payload = {**asdict(state), "history": list(state.history), "library": list(state.library),
               "documents": [str(Path(p).expanduser().resolve()) for p in (ko_path, en_path)]}  # fmt: skip
    ok = _write(state_path(ko_path, en_path), payload)
    if state.theme:
        ok = _write(user_state_dir() / _DEFAULTS_FILE, {"theme": state.theme}) and ok
    return ok


def history_of(queries: Sequence[str]) -> tuple[str, ...]:
    """A search history as remembered: stripped, without repeats (latest kept), at most ``HISTORY_LIMIT``."""
    state = ReaderState()
    for q in queries:
        state = state.with_query(q)
    return state.history
