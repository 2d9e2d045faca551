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
from collections.abc import Callable, Sequence
from pathlib import Path

from aligner.core.json_cache import document_file, load_entries, store_entries, text_key
from aligner.segment.kiwi import CONTENT_TAGS, kiwipiepy_version

FORMAT = 2
"""2: written together with the document's kiwipiepy analyses (``aligner.segment.token_cache``), which
the glossary reads back; a lemma file from before has none beside it, so it is analysed once more."""


def analyser_version() -> str:
    """kiwipiepy's version and the lemma definition (read without importing kiwipiepy)."""
    tags = hashlib.sha256(",".join(CONTENT_TAGS).encode()).hexdigest()[:8]
    return f"kiwipiepy-{kiwipiepy_version()}-tags-{tags}-v{FORMAT}"


def cache_file(texts: Sequence[str]) -> Path | None:
    """One file per document (its sentence texts) and analyser version; None without a usable cache."""
    return document_file("lemmas", analyser_version(), texts)


def _valid(entry: object) -> bool:
    return isinstance(entry, list) and all(isinstance(w, str) for w in entry)


def cached_lemmas(texts: Sequence[str], analyse: Callable[[str], Sequence[str]]) -> tuple[list[frozenset[str]], int]:
    """Each text's lemma set, from the cache where possible; ``analyse`` runs only on misses.

    Returns the sets and how many texts had to be analysed (0 on a warm open).
    """
    path = cache_file(texts)
    entries: dict[str, list[str]] = load_entries(path, analyser_version(), "lemmas", _valid)
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
        store_entries(path, analyser_version(), "lemmas", entries)
    return out, missed
