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
from aligner.core.errors import AlignerError
from aligner.core.paths import cache_dir
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


def alignment_key(ko: Document, en: Document, model: str, constraints: Sequence[Bead]) -> str:
    h = hashlib.sha256(aligner_version().encode())
    h.update(model.encode())
    for doc in (ko, en):
        h.update(b"\0doc")
        for s in doc.sentences:
            h.update(json.dumps(asdict(s), ensure_ascii=False, sort_keys=True).encode())
    for b in constraints:
        h.update(b"\0c" + b.vecalign().encode())
    return h.hexdigest()[:40]


def _path(key: str) -> Path:
    return cache_dir() / "alignments" / f"{key}.json"


def _load(key: str) -> tuple[Bead, ...] | None:
    path = _path(key)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw["key"] != key:
            raise ValueError("key mismatch")
        return tuple(
            Bead(tuple(int(i) for i in src), tuple(int(j) for j in tgt), float(conf), bool(confirmed), bool(edited))
            for src, tgt, conf, confirmed, edited in raw["beads"]
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:
        log.warning("ignoring damaged alignment cache %s: %s", path, err)
        return None


def _store(key: str, beads: Sequence[Bead]) -> None:
    payload = {"key": key, "beads": [[list(b.src), list(b.tgt), b.confidence, b.confirmed, b.edited] for b in beads]}
    try:
        _path(key).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(_path(key), json.dumps(payload))
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
    beads = _load(key)
    if beads is not None and _fits(beads, ko, en):
        return beads
    beads = align()
    _store(key, beads)
    return beads


def _fits(beads: Sequence[Bead], ko: Document, en: Document) -> bool:
    src = sorted(i for b in beads for i in b.src)
    tgt = sorted(j for b in beads for j in b.tgt)
    return src == list(range(len(ko.sentences))) and tgt == list(range(len(en.sentences)))
