"""On-disk embedding cache, keyed by model and text.

One SQLite file per model under the cache directory. Each row stores the vector
with a CRC32 of its bytes; a row whose checksum fails, or a database file that
SQLite cannot read, is detected, dropped and rebuilt — the cache never returns
a damaged vector.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from aligner.core.paths import cache_dir
from aligner.core.values import Progress
from aligner.embed.encoders import Encoder

log = logging.getLogger(__name__)
BUSY_TIMEOUT = 60.0
"""Seconds to wait for another process's write (several workers share one cache file)."""


def _busy(err: sqlite3.Error) -> bool:
    """Another process holds the lock: not damage, so never a reason to rebuild the file."""
    return isinstance(err, sqlite3.OperationalError) and any(w in str(err) for w in ("locked", "busy"))


def _connect(path: Path) -> sqlite3.Connection:
    # Rollback journal (not WAL): works on any file system; each write is one short
    # transaction, so another process waits milliseconds, well inside the timeout.
    return sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path, dim: int) -> None:
        self.path = path
        self.dim = dim
        self.notices: list[str] = []
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._open()

    def take_notices(self) -> list[str]:
        """What went wrong with the cache since the last call (each told to the user once)."""
        with self._lock:
            taken, self.notices = self.notices, []
        return taken

    def _remove_files(self) -> None:
        """Delete the damaged database with its journal (a stale journal must not replay)."""
        for suffix in ("", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def _open(self) -> sqlite3.Connection:
        try:
            db = _connect(self.path)
            # A cache: losing the last writes in a power cut only costs time, and
            # every row is checksummed, so no fsync on each commit.
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB, crc INTEGER)")
            db.execute("SELECT count(*) FROM emb").fetchone()
            return db
        except sqlite3.DatabaseError as err:
            if _busy(err):
                log.warning("embedding cache %s is busy: %s", self.path, err)
                return _connect(self.path)
            self.notices.append(f"embedding cache {self.path} was corrupt; rebuilt it")
            log.warning(self.notices[-1])
            self._remove_files()
            db = _connect(self.path)
            db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB, crc INTEGER)")
            return db

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        bad: list[str] = []
        with self._lock:
            try:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(f"SELECT k, v, crc FROM emb WHERE k IN ({marks})", chunk)
                    for k, v, crc in rows:
                        if zlib.crc32(v) != crc or len(v) != 4 * self.dim:
                            bad.append(k)
                            continue
                        found[k] = np.frombuffer(v, dtype=np.float32)
            except sqlite3.DatabaseError as err:
                if _busy(err):  # what was not read is recomputed
                    log.warning("embedding cache %s is busy: %s", self.path, err)
                    return found
                self.notices.append(f"embedding cache {self.path} was corrupt; rebuilt it")
                self._db.close()
                self._remove_files()
                self._db = self._open()
                return {}
            if bad:
                self.notices.append(f"{len(bad)} damaged cache entries dropped and recomputed")
                self._db.executemany("DELETE FROM emb WHERE k = ?", [(k,) for k in bad])
                self._db.commit()
        return found

    def put_many(self, items: Sequence[tuple[str, np.ndarray]]) -> None:
        rows = []
        for k, vec in items:
            blob = np.asarray(vec, dtype=np.float32).tobytes()
            rows.append((k, blob, zlib.crc32(blob)))
        with self._lock:
            try:
                self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)
                self._db.commit()
            except sqlite3.Error as err:  # a full or read-only disk must not stop the work
                log.warning("could not write embedding cache %s: %s", self.path, err)


class CachedEncoder:
    """Wraps an encoder so that each distinct text is embedded once, ever.

    ``inner`` may be an encoder or a zero-argument loader returning one: a loader
    runs only on the first cache miss, so a fully cached document never loads
    the model at all.
    """

    def __init__(
        self,
        inner: Encoder | Callable[[], Encoder],
        directory: Path | None = None,
        *,
        name: str | None = None,
        dim: int | None = None,
    ) -> None:
        if callable(inner) and not hasattr(inner, "encode"):
            if name is None or dim is None:
                raise ValueError("a lazy encoder needs its name and dim")
            self._loader: Callable[[], Encoder] | None = inner
            self._inner: Encoder | None = None
        else:
            self._loader = None
            self._inner = inner  # type: ignore[assignment]
        self.name = name or self._inner.name  # type: ignore[union-attr]
        self.dim = dim or self._inner.dim  # type: ignore[union-attr]
        self._load_lock = threading.Lock()
        self._queries: dict[str, np.ndarray] = {}
        directory = directory or cache_dir()
        self.cache = EmbeddingCache(directory / f"{self.name}.sqlite", self.dim)

    @property
    def inner(self) -> Encoder:
        with self._load_lock:
            if self._inner is None:
                assert self._loader is not None
                self._inner = self._loader()
            return self._inner

    def load(self) -> None:
        """Load the model now (e.g. in a worker, before the user's first query)."""
        _ = self.inner

    def encode_query(self, text: str) -> np.ndarray:
        """One search query: memoised in memory, never written to disk."""
        vec = self._queries.get(text)
        if vec is None:
            vec = self.inner.encode([text])[0]
            if len(self._queries) > 2048:
                self._queries.clear()
            self._queries[text] = vec
        return vec

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(keys)))
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in found:
                missing.setdefault(k, t)
        if missing:
            vecs = self.inner.encode(list(missing.values()), progress)
            new = list(zip(missing.keys(), vecs, strict=True))
            self.cache.put_many(new)
            found.update(new)
        elif progress:
            progress("embedding", len(texts), len(texts))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out


_cached: dict[tuple[str, str], CachedEncoder] = {}
_cached_lock = threading.Lock()


def cached_encoder(name: str | None = None) -> CachedEncoder:
    """The named encoder behind the disk cache; one instance per (model, cache dir)."""
    from aligner.embed.encoders import DEFAULT_MODEL, load_encoder
    from aligner.embed.models_lock import locked

    name = name or DEFAULT_MODEL
    key = (name, str(cache_dir()))
    with _cached_lock:
        if key not in _cached:
            spec = locked(name)
            _cached[key] = CachedEncoder(lambda: load_encoder(name), name=name, dim=spec.dim)
        return _cached[key]
