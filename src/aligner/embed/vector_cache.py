"""On-disk embedding cache, keyed by model, the model's pinned weights and text.

One SQLite file per model and weights digest under the cache directory, so a
vector computed from other weights is never served.  Each row stores the vector
with a CRC32 of its bytes; a row whose checksum fails is dropped and
recomputed; a file SQLite reports as corrupt is rebuilt.  A database another
process holds locked is waited on (:data:`BUSY_TIMEOUT_S`) and then bypassed —
never taken for corrupt.  An unusable cache directory means no disk cache.
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

from aligner.core.cache_dir import unusable_notice, usable_dir
from aligner.core.paths import cache_dir
from aligner.core.values import Progress
from aligner.embed.encoders import Encoder

log = logging.getLogger(__name__)
BUSY_TIMEOUT_S = 60.0
"""How long to wait for another process's lock on the database (corpus workers share one file)
before going on without it."""
_CORRUPT_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


def _remove_database(path: Path) -> None:
    """Delete a corrupt database with its journal (a stale journal must not replay)."""
    for suffix in ("", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


_SCHEMA = "CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB, crc INTEGER)"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _is_corrupt(err: sqlite3.Error) -> bool:
    return getattr(err, "sqlite_errorcode", None) in _CORRUPT_CODES


class EmbeddingCache:
    """Vectors by text key in one SQLite file; ``path=None`` (or an unusable
    directory) is a cache that never hits and never writes."""

    def __init__(self, path: Path | None, dim: int) -> None:
        self.dim = dim
        self.notices: list[str] = []
        self._lock = threading.Lock()
        if path is not None and usable_dir(path.parent) is None:
            self._tell(unusable_notice(path.parent))
            path = None
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = self._open(path)

    def take_notices(self) -> list[str]:
        """What went wrong with the cache since the last call (each told to the user once)."""
        with self._lock:
            taken, self.notices = self.notices, []
        return taken

    def _tell(self, message: str) -> None:
        """Told to the user once, through the workspace's notices (not also logged)."""
        if message not in self.notices:
            self.notices.append(message)
            log.info(message)

    def _bypass(self, err: sqlite3.Error) -> None:
        """Go on without the disk cache (busy, read-only, full, unreadable): nothing is deleted."""
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        self._tell(f"embedding cache {self.path} is not usable now ({err}); going on without it")

    def _connect(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        # A cache: losing the last writes in a power cut only costs time, and
        # every row is checksummed, so no fsync on each commit.
        db.execute("PRAGMA synchronous=OFF")
        db.execute(_SCHEMA)
        db.execute("SELECT count(*) FROM emb").fetchone()
        return db

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            return self._connect(path)
        except sqlite3.Error as err:
            if not _is_corrupt(err):
                self._bypass(err)
                return None
        self._tell(f"embedding cache {path} was corrupt; rebuilt it")
        try:
            _remove_database(path)
            return self._connect(path)
        except (OSError, sqlite3.Error) as err:
            self._bypass(err if isinstance(err, sqlite3.Error) else sqlite3.OperationalError(str(err)))
            return None

    def _rebuild_or_bypass(self, err: sqlite3.Error) -> None:
        if _is_corrupt(err) and self.path is not None:
            if self._db is not None:
                self._db.close()
            self._db = None
            _remove_database(self.path)
            self._tell(f"embedding cache {self.path} was corrupt; rebuilt it")
            self._db = self._open(self.path)
        else:
            self._bypass(err)

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        bad: list[str] = []
        with self._lock:
            if self._db is None:
                return found
            try:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(f"SELECT k, v, crc FROM emb WHERE k IN ({marks})", chunk)
                    for k, v, crc in rows:
                        if not isinstance(v, bytes) or len(v) != 4 * self.dim or zlib.crc32(v) != crc:
                            bad.append(k)
                            continue
                        vec = np.frombuffer(v, dtype=np.float32)
                        if not np.all(np.isfinite(vec)):
                            bad.append(k)
                            continue
                        found[k] = vec
                if bad:
                    self._tell(f"{len(bad)} damaged cache entries dropped and recomputed")
                    self._db.executemany("DELETE FROM emb WHERE k = ?", [(k,) for k in bad])
                    self._db.commit()
            except sqlite3.Error as err:
                self._rebuild_or_bypass(err)
                return {}
        return found

    def put_many(self, items: Sequence[tuple[str, np.ndarray]]) -> None:
        rows = []
        for k, vec in items:
            blob = np.asarray(vec, dtype=np.float32).tobytes()
            rows.append((k, blob, zlib.crc32(blob)))
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)
                self._db.commit()
            except sqlite3.Error as err:  # a full, read-only or busy disk must not stop the work
                try:
                    self._db.rollback()
                except sqlite3.Error:
                    pass
                self._bypass(err)


class CachedEncoder:
    """Wraps an encoder so that each distinct text is embedded once, ever.

    ``inner`` may be an encoder or a zero-argument loader returning one: a loader
    runs only on the first cache miss, so a fully cached document never loads
    the model at all.  ``weights`` (a digest of the model's pinned files) names the
    cache file, so vectors from other weights are never served.
    """

    def __init__(
        self,
        inner: Encoder | Callable[[], Encoder],
        directory: Path | None = None,
        *,
        name: str | None = None,
        dim: int | None = None,
        weights: str | None = None,
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
        stem = f"{self.name}-{weights[:16]}" if weights else self.name
        self.cache = EmbeddingCache(directory / f"{stem}.sqlite", self.dim)

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
    from aligner.embed.encoders import load_encoder
    from aligner.embed.models_lock import DEFAULT_MODEL, locked, weights_digest

    name = name or DEFAULT_MODEL
    key = (name, str(cache_dir()))
    with _cached_lock:
        if key not in _cached:
            spec = locked(name)
            _cached[key] = CachedEncoder(
                lambda: load_encoder(name), name=name, dim=spec.dim, weights=weights_digest(spec)
            )
        return _cached[key]
