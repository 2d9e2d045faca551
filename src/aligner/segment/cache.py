"""On-disk cache of segmented documents, keyed by text, language and options.

Segmenting Korean with kiwipiepy costs seconds; a reopened document costs a
file read. Entries carry a checksum; a damaged entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.errors import AlignerError
from aligner.core.paths import cache_dir
from aligner.core.values import Document, Lang, Progress, Sentence

log = logging.getLogger(__name__)
_SEGMENTER_MODULES = ("ingest.py", "segment.py", "segment_blocks.py", "segment_en.py", "segment_ko.py")


def _segmenter_version() -> str:
    """A digest of the segmenter's own source: any change to it invalidates the cache."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _SEGMENTER_MODULES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()[:16]


SEGMENTER_VERSION = _segmenter_version()


def _key(source: str, lang: Lang | None, presplit: bool) -> str:
    h = hashlib.sha256()
    for part in (SEGMENTER_VERSION, lang.value if lang else "auto", str(presplit), source):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / "documents" / f"{key}.json"


def _load(key: str, source: str, path: str | None, encoding: str) -> Document | None:
    f = _path(key)
    try:
        raw = json.loads(f.read_text(encoding="utf-8"))
        body = json.dumps(raw["sentences"], ensure_ascii=False, sort_keys=True)
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != raw["checksum"]:
            raise ValueError("checksum mismatch")
        sentences = tuple(Sentence(**s) for s in raw["sentences"])
        return Document(Lang(raw["lang"]), source, sentences, path=path, encoding=encoding)
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as err:
        log.warning("ignoring damaged segmentation cache %s: %s", f, err)
        return None


def _store(key: str, doc: Document) -> None:
    sentences = [asdict(s) for s in doc.sentences]
    body = json.dumps(sentences, ensure_ascii=False, sort_keys=True)
    payload = {
        "lang": doc.lang.value,
        "checksum": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "sentences": sentences,
    }
    try:
        _path(key).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(_path(key), json.dumps(payload, ensure_ascii=False))
    except (OSError, AlignerError) as err:  # a cache that cannot be written only costs time
        log.warning("could not write segmentation cache: %s", err)


def segment_cached(
    source: str,
    lang: Lang | None,
    *,
    presplit: bool = False,
    path: str | Path | None = None,
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> Document:
    """``segment.segment`` with an on-disk cache of the result."""
    key = _key(source, lang, presplit)
    path = str(path) if path is not None else None
    doc = _load(key, source, path, encoding)
    if doc is None:
        from aligner.segment.sentences import segment  # imported only on a miss

        doc = segment(source, lang, presplit=presplit, path=path, encoding=encoding, progress=progress)
        _store(key, doc)
    return doc
