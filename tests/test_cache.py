"""The on-disk embedding cache: hits do no model work; damage is detected and rebuilt."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligner.core.values import Progress
from aligner.embed.vector_cache import CachedEncoder


class CountingEncoder:
    name = "counting"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        self.calls.append(list(texts))
        rng = np.random.default_rng(abs(hash(tuple(texts))) % 2**32)
        v = rng.normal(size=(len(texts), self.dim)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_repeated_texts_are_embedded_once_and_survive_reopen(tmp_path: Path) -> None:
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    first = enc.encode(["a", "b", "a"])
    assert inner.calls == [["a", "b"]]
    assert np.array_equal(first[0], first[2])
    again = CachedEncoder(CountingEncoder(), tmp_path)
    second = again.encode(["b", "a"])
    assert np.array_equal(second, first[[1, 0]])
    assert again.inner.calls == []  # type: ignore[attr-defined]


def test_damaged_entry_is_recomputed(tmp_path: Path) -> None:
    import sqlite3

    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    enc.encode(["x", "y"])
    db = sqlite3.connect(tmp_path / "counting.sqlite")
    db.execute("UPDATE emb SET v = ? WHERE rowid = 1", (b"\x00" * 16,))
    db.commit()
    db.close()
    inner2 = CountingEncoder()
    enc2 = CachedEncoder(inner2, tmp_path)
    enc2.encode(["x", "y"])
    assert len(inner2.calls) == 1 and len(inner2.calls[0]) == 1
    assert any("damaged" in n for n in enc2.cache.notices)


def test_corrupt_cache_file_is_rebuilt(tmp_path: Path) -> None:
    enc = CachedEncoder(CountingEncoder(), tmp_path)
    enc.encode(["x"])
    path = tmp_path / "counting.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    inner = CountingEncoder()
    enc2 = CachedEncoder(inner, tmp_path)
    out = enc2.encode(["x"])
    assert out.shape == (1, 4)
    assert inner.calls == [["x"]]
    assert any("corrupt" in n for n in enc2.cache.notices)


def test_truncated_cache_file_is_rebuilt(tmp_path: Path) -> None:
    enc = CachedEncoder(CountingEncoder(), tmp_path)
    enc.encode([f"t{i}" for i in range(200)])
    path = tmp_path / "counting.sqlite"
    path.write_bytes(path.read_bytes()[:1500])
    inner = CountingEncoder()
    out = CachedEncoder(inner, tmp_path).encode(["t1", "t2"])
    assert out.shape == (2, 4)


def test_the_segmentation_cache_is_keyed_by_the_code_of_ingest_and_segment(tmp_path: Path) -> None:
    import shutil

    from aligner.segment import cache as segment_cache

    root = Path(segment_cache.__file__).resolve().parents[1]
    assert segment_cache.SEGMENTER_VERSION == segment_cache._segmenter_version(root)
    copy = tmp_path / "aligner"
    for package in ("ingest", "segment", "embed"):
        shutil.copytree(root / package, copy / package)
    assert segment_cache._segmenter_version(copy) == segment_cache.SEGMENTER_VERSION
    for changed in (copy / "ingest" / "text.py", copy / "segment" / "sentences.py"):
        changed.write_text(changed.read_text("utf-8") + "\n# changed\n", "utf-8")
        before, after = segment_cache.SEGMENTER_VERSION, segment_cache._segmenter_version(copy)
        assert after != before
    (copy / "embed" / "encoders.py").write_text("# not the segmenter", "utf-8")
    assert segment_cache._segmenter_version(copy) == after
