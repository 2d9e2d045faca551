"""On-disk cache of alignments, so reopening an unchanged pair shows its pairs at once.

Aligning is deterministic for the same sentences, model, constraints and
aligner code; it still costs seconds on every open of a pair that has no
project file yet (nothing edited).  The result is stored under the user cache
(``aligner.core.paths.cache_dir``), keyed by all of these (the aligner code by
a digest of the ``aligner.align`` sources), written atomically; a damaged or
mismatched entry is ignored, a cache that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Document

log = logging.getLogger(__name__)
FORMAT = 2


@lru_cache(maxsize=1)
def aligner_version() -> str:
    """A digest of the aligner's own source (``aligner/align/*.py``): any change invalidates the cache."""
    import aligner.align

    h = hashlib.sha256(f"v{FORMAT}".encode())
    for path in sorted(Path(aligner.align.__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _model_key(model: str) -> str:
    """The model's weights (the hashes models.lock pins), not only its name: new weights, new vectors."""
    from aligner.core.errors import AlignerError
    from aligner.embed.models_lock import locked, weights_digest

    try:
        return weights_digest(locked(model))
    except AlignerError:
        return model


def alignment_key(ko: Document, en: Document, model: str, constraints: Sequence[Bead]) -> str:
    h = hashlib.sha256(aligner_version().encode())
    h.update(_model_key(model).encode())
    for doc in (ko, en):
        h.update(b"\0doc")
        for s in doc.sentences:
            h.update(json.dumps(asdict(s), ensure_ascii=False, sort_keys=True).encode())
    for b in constraints:
        h.update(f"\0c{b.vecalign()}:{b.confidence!r}:{b.edited}".encode())  # kept as they are
    return h.hexdigest()[:40]


MAX_ENTRY_BYTES = 64 << 20
"""A larger file is not one of ours."""


def _path(key: str) -> Path | None:
    folder = usable_cache_dir("alignments")  # None: no usable cache directory, so no cache
    return folder / f"{key}.json" if folder is not None else None


def _ids(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(type(i) is int and i >= 0 for i in value):
        raise ValueError("sentence ids are not a list of non-negative integers")
    return tuple(value)


def _bead(row: object) -> Bead:
    if not isinstance(row, list) or len(row) != 5:
        raise ValueError("a bead is not [src, tgt, confidence, confirmed, edited]")
    src, tgt, conf, confirmed, edited = row
    if type(conf) not in (int, float) or not 0.0 <= conf <= 1.0:
        raise ValueError("confidence is not a number in [0, 1]")
    if type(confirmed) is not bool or type(edited) is not bool:
        raise ValueError("confirmed/edited are not booleans")
    return Bead(_ids(src), _ids(tgt), float(conf), confirmed, edited)


def _load(key: str) -> tuple[Bead, ...] | None:
    """The cached beads, or None for a miss: a missing, damaged or malformed entry is a miss."""
    path = _path(key)
    if path is None:
        return None
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            raise ValueError("too large")
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("key") != key or not isinstance(raw.get("beads"), list):
            raise ValueError("not an alignment cache entry for this key")
        return tuple(_bead(row) for row in raw["beads"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as err:  # RecursionError: pathologically nested JSON
        log.warning("ignoring damaged alignment cache %s: %s", path, err)
        return None


def _store(key: str, beads: Sequence[Bead]) -> None:
    path = _path(key)
    if path is None:
        return
    payload = {"key": key, "beads": [[list(b.src), list(b.tgt), b.confidence, b.confirmed, b.edited] for b in beads]}
    try:
        atomic_write_text(path, json.dumps(payload))
    except (OSError, AlignerError) as err:
        log.warning("could not write alignment cache: %s", err)


def cached_alignment(
    ko: Document,
    en: Document,
    model: str,
    constraints: Sequence[Bead],
    align: Callable[[], tuple[Bead, ...]],
) -> tuple[Bead, ...]:
    """The beads ``align()`` gives for these documents, from the cache when it has them."""
    key = alignment_key(ko, en, model, constraints)
    beads = _load_fitting(key, ko, en)
    if beads is not None:
        return beads
    beads = align()
    _store(key, beads)
    return beads


def lookup_alignment(ko: Document, en: Document, model: str, constraints: Sequence[Bead]) -> tuple[Bead, ...] | None:
    """The cached beads for these documents, or None when they were never aligned (or the entry is unusable)."""
    return _load_fitting(alignment_key(ko, en, model, constraints), ko, en)


def _load_fitting(key: str, ko: Document, en: Document) -> tuple[Bead, ...] | None:
    beads = _load(key)
    return beads if beads is not None and _fits(beads, ko, en) else None


def _fits(beads: Sequence[Bead], ko: Document, en: Document) -> bool:
    src = sorted(i for b in beads for i in b.src)
    tgt = sorted(j for b in beads for j in b.tgt)
    return src == list(range(len(ko.sentences))) and tgt == list(range(len(en.sentences)))
