"""The embedding cache shared by several corpus workers: a lock is waited for, never taken for damage."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest

from aligner.embed.vector_cache import EmbeddingCache

DIM = 8


def _vec(key: str) -> np.ndarray:
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    return rng.standard_normal(DIM).astype(np.float32)


@pytest.mark.slow  # holds the lock for 6 s
def test_a_cache_locked_by_another_process_is_waited_for_not_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "model.sqlite"
    cache = EmbeddingCache(path, DIM)
    cache.put_many([("kept", np.ones(DIM, dtype=np.float32))])
    other = sqlite3.connect(path, check_same_thread=False)  # another worker, mid-write for longer than
    other.execute("BEGIN EXCLUSIVE")                          # sqlite3's default 5 s busy timeout
    other.execute("INSERT INTO emb VALUES ('theirs', ?, 0)", (b"\0" * 4 * DIM,))
    release = threading.Timer(6.0, other.commit)
    release.start()
    try:
        found = cache.get_many(["kept"])
    finally:
        release.join()
        other.close()
    assert "kept" in found and np.array_equal(found["kept"], np.ones(DIM, dtype=np.float32))
    assert cache.take_notices() == []
    rows = sqlite3.connect(path).execute("SELECT k FROM emb ORDER BY k").fetchall()
    assert rows == [("kept",), ("theirs",)]  # nothing deleted


def _hammer(path: str, worker: int, rounds: int, queue: multiprocessing.Queue) -> None:
    cache = EmbeddingCache(Path(path), DIM)
    wrong = 0
    for r in range(rounds):
        keys = [f"k{(worker * 7 + r + i) % 120}" for i in range(20)]  # overlaps the other workers' keys
        cache.put_many([(k, _vec(k)) for k in keys])
        found = cache.get_many(keys)
        wrong += sum(1 for k in keys if k not in found or not np.array_equal(found[k], _vec(k)))
    queue.put((worker, wrong, cache.take_notices()))


def test_several_processes_share_one_cache_file(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    path = tmp_path / "model.sqlite"
    procs = [ctx.Process(target=_hammer, args=(str(path), w, 150, queue)) for w in range(3)]
    for p in procs:
        p.start()
    results = sorted(queue.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert [(w, wrong, notices) for w, wrong, notices in results] == [(0, 0, []), (1, 0, []), (2, 0, [])]
    assert sqlite3.connect(path).execute("SELECT count(*) FROM emb").fetchone() == (120,)
