"""On-disk cache of Korean content lemmas per sentence, so a warm open needs no kiwipiepy.

Analysing every Korean sentence with kiwipiepy (and starting kiwipiepy at all)
costs seconds; the morpheme search only needs each sentence's set of content
lemmas.  They are stored per sentence text, keyed by a hash of the text, in one
file per kiwipiepy version and lemma definition under the user cache
(``aligner.core.paths.cache_dir``), written atomically.  A damaged file is
ignored (and rewritten); a cache that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import AlignerError
from aligner.segment.kiwi import CONTENT_TAGS

log = logging.getLogger(__name__)
FORMAT = 1


def analyser_version() -> str:
    """kiwipiepy's version and the lemma definition (read without importing kiwipiepy)."""
    try:
        kiwi = metadata.version("kiwipiepy")
    except metadata.PackageNotFoundError:  # pragma: no cover - kiwipiepy is a dependency
        kiwi = "unknown"
    tags = hashlib.sha256(",".join(CONTENT_TAGS).encode()).hexdigest()[:8]
    return f"kiwipiepy-{kiwi}-tags-{tags}-v{FORMAT}"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


MAX_ENTRY_BYTES = 64 << 20
"""A larger file is not one of ours."""


def cache_file(texts: Sequence[str]) -> Path | None:
    """One file per document (its sentence texts) and analyser version; None without a usable cache."""
    h = hashlib.sha256(analyser_version().encode())
    for text in texts:
        h.update(text_key(text).encode())
    folder = usable_cache_dir("lemmas")
    return folder / f"{h.hexdigest()[:32]}.json" if folder is not None else None


def _load(path: Path | None) -> dict[str, list[str]]:
    """The cached lemmas; a missing, damaged or malformed file is a miss."""
    if path is None:
        return {}
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            raise ValueError("too large")
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("version") != analyser_version():
            return {}
        entries = raw["lemmas"]
        if not isinstance(entries, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in entries.values()
        ):
            raise ValueError("lemmas is not a mapping of lists of words")
        return entries
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
        log.warning("ignoring damaged lemma cache %s: %s", path, err)
        return {}


def _store(path: Path | None, entries: dict[str, list[str]]) -> None:
    if path is None:
        return
    payload = {"version": analyser_version(), "lemmas": entries}
    try:
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False))
    except (OSError, AlignerError) as err:
        log.warning("could not write lemma cache: %s", err)


def cached_lemmas(texts: Sequence[str], analyse: Callable[[str], Sequence[str]]) -> tuple[list[frozenset[str]], int]:
    """Each text's lemma set, from the cache where possible; ``analyse`` runs only on misses.

    Returns the sets and how many texts had to be analysed (0 on a warm open).
    """
    path = cache_file(texts)
    entries = _load(path)
    missed = 0
    out: list[frozenset[str]] = []
    for text in texts:
        key = text_key(text)
        found = entries.get(key)
        if found is None:
            found = list(analyse(text))
            entries[key] = found
            missed += 1
        out.append(frozenset(found))
    if missed:
        _store(path, entries)
    return out, missed
