"""Opening a library: the documents of ``--docs`` read, segmented, embedded and indexed.

Each document is read like a pair's (any format the reader opens, recognised by
content), its language found from its letters, segmented (the segmentation
cache) and embedded.  Its vectors are kept per document under the user cache
(``library/``), keyed by the model and the document's sentences, so a library
with one more document embeds only that one, and a library opened again embeds
nothing.  A folder stands for every file under it (hidden files and the
reader's own project files aside).  A file that cannot be read is left out with
a one-line notice; the others are searched.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from aligner.core.atomic import atomic_write_bytes
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import AlignerError, InputError
from aligner.core.paths import BACKUP_SUFFIX, LOCK_SUFFIX, PROJECT_SUFFIX
from aligner.core.values import Document, Progress
from aligner.embed.vector_cache import CachedEncoder, cached_encoder
from aligner.glossary.build import TermPair
from aligner.glossary.termhood import TermKind
from aligner.search.library import Library

log = logging.getLogger(__name__)
FORMAT = 1
MAX_FILE_BYTES = 512 << 20
"""A larger file is not read into the library (its text alone would not fit a sane budget)."""
_SKIPPED_SUFFIXES = (PROJECT_SUFFIX, BACKUP_SUFFIX, LOCK_SUFFIX, ".tmp")


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


def _vector_file(encoder: CachedEncoder, doc: Document) -> Path | None:
    folder = usable_cache_dir("library")
    if folder is None:
        return None
    h = hashlib.sha256(f"library-v{FORMAT}\0{encoder.cache.path}\0{encoder.name}\0".encode())
    for text in doc.texts:
        h.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return folder / f"{h.hexdigest()[:32]}.npy"


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
    """Read, segment, embed (once per document) and index the documents ``paths`` stand for."""
    encoder = encoder or cached_encoder(model)
    files = library_files(paths)
    docs: list[Document] = []
    vectors: list[np.ndarray] = []
    notices: list[str] = []
    embedded = 0
    for n, path in enumerate(files):
        if progress:
            progress("reading the library", n, len(files))
        try:
            doc = read_library_document(path)
        except AlignerError as err:
            notices.append(f"left out of the library: {err}")
            continue
        except OSError as err:
            notices.append(f"left out of the library: {path}: {err.strerror or err}")
            continue
        vecs, computed = document_vectors(encoder, doc)
        embedded += computed
        docs.append(doc)
        vectors.append(vecs)
    if progress:
        progress("reading the library", len(files), len(files))
    if not docs:
        raise InputError("no document of the library could be read: " + "; ".join(notices)[:300])
    if progress:
        progress("indexing the library", 0, 1)
    library = Library(docs, vectors, encoder)
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
