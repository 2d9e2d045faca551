"""Opening a library: the documents of ``--docs`` read, segmented, embedded and indexed.

Each document is read like a pair's (any format the reader opens, recognised by
content), its language found from its letters, segmented (the segmentation
cache) and embedded.  Its vectors are kept per document under the user cache
(``library/``), keyed by the model and the document's sentences, so a library
with one more document embeds only that one, and a library opened again embeds
nothing.  A library large enough for a trained index (IVF: over
``EXACT_UP_TO`` sentences) also keeps its built faiss index there, keyed by
the documents' keys in order, the model and the index parameters, so the same
documents opened again load it instead of training and filling it again (about
two minutes at a million sentences); a changed document set builds a new one.
The last :data:`KEEP_INDEXES` indexes are kept.  A folder stands for every
file under it (hidden files and the reader's own project files aside).  A file
that cannot be read is left out with a one-line notice; the others are searched.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from aligner.core.atomic import atomic_write_bytes, fsync_directory
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import AlignerError, InputError
from aligner.core.paths import BACKUP_SUFFIX, LOCK_SUFFIX, PROJECT_SUFFIX
from aligner.core.values import Document, Progress
from aligner.embed.vector_cache import CachedEncoder, cached_encoder
from aligner.glossary.build import TermPair
from aligner.glossary.termhood import TermKind
from aligner.search.library import Library
from aligner.search.library_index import BUILT, IndexKind, VectorIndex, index_parameters, kind_for

log = logging.getLogger(__name__)
FORMAT = 1
MAX_FILE_BYTES = 512 << 20
"""A larger file is not read into the library (its text alone would not fit a sane budget)."""
_SKIPPED_SUFFIXES = (PROJECT_SUFFIX, BACKUP_SUFFIX, LOCK_SUFFIX, ".tmp")
INDEX_FORMAT = 1
KEEP_INDEXES = 3
"""Built library indexes kept in the cache (the most recently used): each holds a copy of its
library's vectors (2 GB at a million sentences), so they are not kept for every set ever opened."""
_INDEX_PREFIX = "index-"
_INDEX_SUFFIX = ".faiss"


@dataclass
class OpenedLibrary:
    library: Library
    notices: list[str] = field(default_factory=list)
    embedded: int = 0
    """Documents whose vectors had to be computed (0 when every one was cached)."""


def library_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``paths`` stand for, each once, in order: a folder is every visible file under it."""
    seen: set[Path] = set()
    out: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.name.endswith(_SKIPPED_SUFFIXES)
            )  # fmt: skip
            if not found:
                raise InputError(f"{path}: no documents in this folder")
        elif path.is_file():
            found = [path]
        else:
            raise InputError(f"{path}: no such file or folder; give documents or a folder of them to --docs")
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def read_library_document(path: Path, progress: Progress | None = None) -> Document:
    """One document of the library, segmented (in its own language) with its locations."""
    from aligner.ingest.text import detect_lang, read_document
    from aligner.segment.cache import segment_cached

    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MB; split it or leave it out of the library")
    got = read_document(path)
    lang = detect_lang(got.text)
    if lang is None:
        raise InputError(f"{path}: no text in Korean or English")
    doc = segment_cached(got.text, lang, path=path, encoding=got.format, progress=progress)
    return replace(doc, locations=got.locations) if got.locations else doc


def _document_key(encoder: CachedEncoder, doc: Document) -> str:
    """The document's vectors' key: the model and its sentences."""
    h = hashlib.sha256(f"library-v{FORMAT}\0{encoder.cache.path}\0{encoder.name}\0".encode())
    for text in doc.texts:
        h.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:32]


def _vector_file(encoder: CachedEncoder, doc: Document) -> Path | None:
    folder = usable_cache_dir("library")
    return None if folder is None else folder / f"{_document_key(encoder, doc)}.npy"


def _index_file(encoder: CachedEncoder, docs: Sequence[Document], kind: IndexKind) -> Path | None:
    """Where the index built over ``docs`` (in this order) is kept: keyed by each document's
    vector key, the model and the index's parameters."""
    folder = usable_cache_dir("library")
    if folder is None:
        return None
    n = sum(len(d) for d in docs)
    h = hashlib.sha256(
        f"library-index-v{INDEX_FORMAT}\0{encoder.cache.path}\0{encoder.name}\0{encoder.dim}\0"
        f"{index_parameters(kind, n)}\0".encode()
    )
    for doc in docs:
        h.update(_document_key(encoder, doc).encode("ascii") + b"\0")
    return folder / f"{_INDEX_PREFIX}{h.hexdigest()[:32]}{_INDEX_SUFFIX}"


def load_index(path: Path, kind: IndexKind, rows: int, dim: int) -> VectorIndex | None:
    """The index kept at ``path``, if it is there and is the expected one (else None: built again)."""
    if not path.is_file():
        return None
    try:
        index = VectorIndex.load(path, kind)
    except (RuntimeError, ValueError, OSError, MemoryError) as err:  # faiss raises RuntimeError on a bad file
        log.info("ignoring library index %s: %s", path, str(err).splitlines()[0] if str(err) else err)
        return None
    if len(index) != rows or index.dim != dim:
        log.info("ignoring library index %s: %d x %d, not %d x %d", path, len(index), index.dim, rows, dim)
        return None
    try:
        os.utime(path)  # recently used: kept by the sweep
    except OSError:
        pass
    return index


def save_index(index: VectorIndex, path: Path) -> bool:
    """Write ``index`` to ``path`` atomically (a temporary file beside it, fsync'ed, renamed over
    it), then drop the oldest indexes beyond :data:`KEEP_INDEXES`.  False if it could not be
    written (a cache only saves time)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.pid{os.getpid()}.tmp")  # swept if we die
    try:
        index.save(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except (RuntimeError, OSError) as err:
        log.info("could not write library index %s: %s", path, err)
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
    fsync_directory(path.parent)
    _sweep_indexes(path.parent, keep=path)
    return True


def _sweep_indexes(folder: Path, keep: Path) -> None:
    try:
        found = [p for p in folder.glob(f"{_INDEX_PREFIX}*{_INDEX_SUFFIX}") if p != keep]
        found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in found[KEEP_INDEXES - 1 :]:
        try:
            old.unlink()
        except OSError:
            pass


def document_vectors(encoder: CachedEncoder, doc: Document) -> tuple[np.ndarray, bool]:
    """The document's sentence vectors, from its cache file when it has one; True when computed."""
    path = _vector_file(encoder, doc)
    if path is not None:
        try:
            vecs = np.load(path, allow_pickle=False)
            if vecs.shape == (len(doc), encoder.dim) and vecs.dtype == np.float32 and np.isfinite(vecs).all():
                return vecs, False
            log.info("ignoring library cache %s: wrong shape or values", path)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError) as err:
            log.info("ignoring damaged library cache %s: %s", path, err)
    vecs = np.ascontiguousarray(encoder.encode(doc.texts), dtype=np.float32)
    if path is not None:
        buffer = io.BytesIO()
        np.save(buffer, vecs, allow_pickle=False)
        try:
            atomic_write_bytes(path, buffer.getvalue())
        except (OSError, AlignerError) as err:  # a cache that cannot be written only costs time
            log.info("could not write library cache: %s", err)
    return vecs, True


def open_library(
    paths: Sequence[str | Path],
    *,
    model: str | None = None,
    encoder: CachedEncoder | None = None,
    progress: Progress | None = None,
) -> OpenedLibrary:
    """Read, segment, embed (once per document) and index the documents ``paths`` stand for
    (a large library's index: built once for these documents, then loaded from the cache)."""
    encoder = encoder or cached_encoder(model)
    files = library_files(paths)
    docs: list[Document] = []
    notices: list[str] = []
    for n, path in enumerate(files):
        if progress:
            progress("reading the library", n, len(files))
        try:
            docs.append(read_library_document(path))
        except AlignerError as err:
            notices.append(f"left out of the library: {err}")
        except OSError as err:
            notices.append(f"left out of the library: {path}: {err.strerror or err}")
    if progress:
        progress("reading the library", len(files), len(files))
    if not docs:
        raise InputError("no document of the library could be read: " + "; ".join(notices)[:300])
    rows = sum(len(d) for d in docs)
    kind = kind_for(rows)
    index_path = _index_file(encoder, docs, kind) if kind in BUILT else None
    index = None
    if index_path is not None:
        if progress:
            progress("loading the library index", 0, 1)
        index = load_index(index_path, kind, rows, encoder.dim)
    embedded = 0
    if index is not None:
        library = Library(docs, None, encoder, index=index)
    else:
        vectors: list[np.ndarray] = []
        for n, doc in enumerate(docs):
            if progress:
                progress("embedding the library", n, len(docs))
            vecs, computed = document_vectors(encoder, doc)
            embedded += computed
            vectors.append(vecs)
        if progress:
            progress("indexing the library", 0, 1)
        library = Library(docs, vectors, encoder, kind=kind)
        del vectors
        if index_path is not None:
            save_index(library.index, index_path)
    if progress:
        progress("indexing the library", 1, 1)
    notices.extend(encoder.cache.take_notices())
    return OpenedLibrary(library, notices, embedded)


MAX_TRANSLATIONS = 3
"""Glossary entries a query is expanded with, at most."""


def glossary_translations(
    query: str, pairs: Sequence[TermPair], limit: int = MAX_TRANSLATIONS
) -> list[tuple[str, str]]:
    """``(term, translation)`` for the entries of a pair's glossary that ``query`` names.

    The concept search: a Korean query naming "텐센트" also looks for "Tencent" as typed in
    the English sources (and the reverse), where the model places names and terms poorly.
    General words and entries whose two sides are the same are left out; longer terms are
    taken first and a term inside one already taken is not taken again.
    """
    folded = query.casefold()
    found: list[tuple[str, str]] = []
    for pair in pairs:
        if pair.kind is TermKind.GENERAL or not pair.ko or not pair.en or pair.ko.casefold() == pair.en.casefold():
            continue
        if pair.ko in query:
            found.append((pair.ko, pair.en))
        elif re.search(rf"(?<!\w){re.escape(pair.en.casefold())}(?!\w)", folded):
            found.append((pair.en, pair.ko))
    found.sort(key=lambda entry: -len(entry[0]))
    kept: list[tuple[str, str]] = []
    for term, translation in found:
        if not any(term in other for other, _ in kept):
            kept.append((term, translation))
    return kept[:limit]


MAX_PAIR_TERMS = 5
"""Glossary entries of a pair that the related pane looks for, at most."""


def pair_terms(ko: str, en: str, pairs: Sequence[TermPair], limit: int = MAX_PAIR_TERMS) -> list[tuple[str, str]]:
    """The glossary entries (names and terms, best first) whose Korean is in ``ko`` and English in
    ``en``: a pair's key concepts, for the related pane to look for as typed in the library."""
    folded = en.casefold()
    kept: list[tuple[str, str]] = []
    for pair in pairs:
        if pair.kind is TermKind.GENERAL or not pair.ko or not pair.en or pair.ko not in ko:
            continue
        if not re.search(rf"(?<!\w){re.escape(pair.en.casefold())}(?!\w)", folded):
            continue
        if any(pair.ko in k or k in pair.ko for k, _ in kept):
            continue
        kept.append((pair.ko, pair.en))
        if len(kept) >= limit:
            break
    return kept
