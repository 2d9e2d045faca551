"""On-disk cache of segmented documents, keyed by text, language and options.

Segmenting Korean with kiwipiepy costs seconds; a reopened document costs a
file read.  The key covers the segmenter's own source and kiwipiepy's version,
so a stale entry is never read.  Entries carry a checksum and are checked field
by field against the document; any malformed entry (bad JSON, pathological
nesting or numbers, wrong types, offsets outside the text) is a miss and is
rewritten.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
from dataclasses import asdict, fields
from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import AlignerError
from aligner.core.terminal import is_safe
from aligner.core.values import Document, Lang, Progress, Sentence
from aligner.ingest.formats import DOCUMENT_FORMATS

log = logging.getLogger(__name__)
_MAX_ENTRY_BYTES = 256 << 20
"""An entry larger than this is not ours (a document of that size has no sane entry)."""
_FIELDS = {f.name: f.type for f in fields(Sentence)}


def _segmenter_version(root: Path | None = None) -> str:
    """A digest of the segmenter's own source (every module of ``aligner.segment`` and
    ``aligner.ingest``) and of kiwipiepy's version: any change invalidates the cache."""
    h = hashlib.sha256()
    package = (root / "segment") if root is not None else Path(__file__).resolve().parent
    for module in sorted([*package.glob("*.py"), *(package.parent / "ingest").glob("*.py")]):
        h.update(module.name.encode())
        try:
            h.update(module.read_bytes())
        except OSError:
            h.update(b"?")
    try:
        h.update(importlib.metadata.version("kiwipiepy").encode())
    except importlib.metadata.PackageNotFoundError:
        h.update(b"no kiwipiepy")
    return h.hexdigest()[:16]


SEGMENTER_VERSION = _segmenter_version()


def _key(source: str, lang: Lang | None, presplit: bool, encoding: str = "utf-8") -> str:
    h = hashlib.sha256()
    # Extracted documents (encoding = their format) are segmented without page-break repair.
    structured = encoding if encoding in DOCUMENT_FORMATS else ""
    for part in (SEGMENTER_VERSION, lang.value if lang else "auto", str(presplit), structured, source):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _directory() -> Path | None:
    return usable_cache_dir("documents")


def _checksum(sentences: object) -> str:
    body = json.dumps(sentences, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def _sentences(raw: object, source: str) -> tuple[Sentence, ...]:
    """The entry's sentences, or ValueError: every field of the right type, indices in
    order, offsets inside ``source`` and increasing, text free of control characters."""
    if not isinstance(raw, dict) or set(raw) != {"lang", "checksum", "sentences"}:
        raise ValueError("not an entry")
    items = raw["sentences"]
    if not isinstance(items, list) or not items or _checksum(items) != raw["checksum"]:
        raise ValueError("checksum mismatch")
    out: list[Sentence] = []
    last_start = 0
    for n, item in enumerate(items):
        if not isinstance(item, dict) or set(item) != set(_FIELDS):
            raise ValueError(f"sentence {n}: wrong fields")
        ints = [item[k] for k in ("index", "start", "end", "paragraph")]
        if any(type(v) is not int for v in ints) or type(item["text"]) is not str or type(item["heading"]) is not bool:
            raise ValueError(f"sentence {n}: wrong types")
        sentence = Sentence(**item)
        if sentence.index != n or not last_start <= sentence.start <= sentence.end <= len(source):
            raise ValueError(f"sentence {n}: offsets out of order or outside the document")
        if not sentence.text.strip() or not is_safe(sentence.text) or sentence.paragraph < 0:
            raise ValueError(f"sentence {n}: text or paragraph not valid")
        last_start = sentence.start
        out.append(sentence)
    return tuple(out)


def _load(key: str, source: str, path: str | None, encoding: str) -> Document | None:
    """The cached document, or None: any unreadable or malformed entry is a miss."""
    directory = _directory()
    if directory is None:
        return None
    f = directory / f"{key}.json"
    try:
        if f.stat().st_size > _MAX_ENTRY_BYTES:
            raise ValueError("entry too large")
        raw = json.loads(f.read_bytes().decode("utf-8"))
        return Document(Lang(raw["lang"]), source, _sentences(raw, source), path=path, encoding=encoding)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, RecursionError, MemoryError) as err:
        log.info("ignoring damaged segmentation cache %s: %s", f, type(err).__name__)
        return None


def _store(key: str, doc: Document) -> None:
    directory = _directory()
    if directory is None:
        return
    sentences = [asdict(s) for s in doc.sentences]
    payload = {"lang": doc.lang.value, "checksum": _checksum(sentences), "sentences": sentences}
    try:
        atomic_write_text(directory / f"{key}.json", json.dumps(payload, ensure_ascii=False))
    except (OSError, AlignerError) as err:  # a cache that cannot be written only costs time
        log.info("could not write segmentation cache: %s", err)


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
    key = _key(source, lang, presplit, encoding)
    path = str(path) if path is not None else None
    doc = _load(key, source, path, encoding)
    if doc is None:
        from aligner.segment.sentences import segment  # imported only on a miss

        doc = segment(source, lang, presplit=presplit, path=path, encoding=encoding, progress=progress)
        _store(key, doc)
    return doc


def cached_segmentation(
    source: str,
    lang: Lang | None,
    *,
    presplit: bool = False,
    path: str | Path | None = None,
    encoding: str = "utf-8",
) -> Document | None:
    """The document as segmented before (the cache), or None: nothing is segmented here."""
    return _load(_key(source, lang, presplit, encoding), source, str(path) if path is not None else None, encoding)
