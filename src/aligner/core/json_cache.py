"""One versioned JSON file of cache entries: read back only when whole, of its version and well formed.

The lemma and token caches keep one such file per document.  A missing file is a
miss; a damaged, foreign or malformed one is a miss too (logged, then rewritten by
the next store); a store that fails only costs time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aligner.core.atomic import atomic_write_text
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import AlignerError

log = logging.getLogger(__name__)
MAX_ENTRY_BYTES = 64 << 20
"""A larger file is not one of ours."""


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def document_file(folder: str, version: str, texts: Sequence[str]) -> Path | None:
    """The file of one document (its sentence texts) and ``version`` in the cache's ``folder``;
    None without a usable cache."""
    h = hashlib.sha256(version.encode())
    for text in texts:
        h.update(text_key(text).encode())
    where = usable_cache_dir(folder)
    return where / f"{h.hexdigest()[:32]}.json" if where is not None else None


def load_entries(path: Path | None, version: str, field: str, valid: Callable[[Any], bool]) -> dict[str, Any]:
    """``field`` of the file at ``path`` if it is of ``version`` and ``valid`` accepts every entry; else {}."""
    if path is None:
        return {}
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            raise ValueError("too large")
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("version") != version:
            return {}
        entries = raw[field]
        if not isinstance(entries, dict) or not all(valid(v) for v in entries.values()):
            raise ValueError(f"{field} holds malformed entries")
        return entries
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
        log.warning("ignoring damaged cache %s: %s", path, err)
        return {}


def store_entries(path: Path | None, version: str, field: str, entries: dict[str, Any]) -> None:
    """Write the entries atomically (nothing without a path; a failure is logged)."""
    if path is None:
        return
    text = json.dumps({"version": version, field: entries}, ensure_ascii=False)
    if len(text) > MAX_ENTRY_BYTES:  # (characters, at least as many bytes) it would never be read back
        log.warning("not caching %s: %d characters", path, len(text))
        return
    try:
        atomic_write_text(path, text)
    except (OSError, AlignerError) as err:
        log.warning("could not write cache %s: %s", path, err)
