"""Related reading: the library's faiss index types compared, the whole query, and indexing.

1. **Index types** on synthetic 512-d vectors shaped like a library (documents with a topic
   each, sentences scattered around it): build time, memory, single-query latency and
   recall@10 against the exact search, for IndexFlatIP, a half-precision flat scan, IVF,
   IVF with 8-bit codes and HNSW (HNSW on at most ``--hnsw-max`` vectors: its build is
   the slow part).
2. **The whole library query** (``Library.search``: query embedding with the real model,
   faiss, exact and word-form matching, passages) on a synthetic library of
   ``--sentences`` sentences in ``--docs`` documents, with the index type the library
   chooses; p50/p95 over mixed Korean and English queries; then that index written to
   the cache and loaded back, as a second open of the same documents does.  Word forms of the synthetic
   Korean come from splitting at spaces (kiwipiepy on a million made-up sentences would
   only measure kiwipiepy); the queries' come from the same rule.
3. **Indexing real documents** (the test library and two real-format files): cold
   (segmenting and embedding, empty cache), warm (every document cached), and one
   document added to a cached library.

The full size is the issue's (1,000 documents, 1M sentences: ``make bench``); the
default is a tenth of it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DIM = 512
QUERIES = [
    "Internet Plus", "인터넷 플러스", "smart manufacturing platform", "스마트 공장", "rural e-commerce",
    "농촌 전자상거래", "remote medical consultation", "원격 진료", "mobile payment regulation", "핀테크 규제",
    "cross-border trade pilot zones", "클라우드 컴퓨팅", "data security", "빅데이터 산업", "Li Keqiang",
]  # fmt: skip


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def synthetic_vectors(n: int, docs: int, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors in ``docs`` topics: each document's sentences scattered around its topic."""
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((docs, DIM), dtype=np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    owner = np.sort(rng.integers(0, docs, n))
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        noise = rng.standard_normal((stop - start, DIM), dtype=np.float32) / np.sqrt(DIM)
        block = topics[owner[start:stop]] + 1.2 * noise
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[int(q * (len(ordered) - 1))]


def choice(n: int, measured: dict[str, dict[str, float]]) -> str:
    """Which index the library uses and why, from this run's figures (``measured[kind]``: build s,
    memory MB, p95 ms, recall@10 (nan where not measured), vectors)."""
    from aligner.search.library_index import EXACT_UP_TO, IndexKind, kind_for

    flat, fp16, ivf, sq8, hnsw = (measured[k.value] for k in IndexKind)
    chosen = kind_for(n).value
    hnsw_rate = hnsw["vectors"] / hnsw["build"]
    return (
        f"The library uses **flat** (exact `IndexFlatIP`) up to {EXACT_UP_TO:,} sentences and **ivf** "
        f"(`IndexIVFFlat`) above (`aligner.search.library_index.kind_for`; here: **{chosen}**). "
        f"At {n:,} vectors the exact scan took {flat['p95']:.0f} ms p95 per query, and half precision "
        f"{fp16['p95']:.0f} ms: a scan grows with the library, and the whole query has 100 ms. "
        f"ivf answered in {ivf['p95']:.1f} ms p95 with recall@10 {ivf['recall']:.3f} against the exact search, "
        f"built in {ivf['build']:.0f} s, and a built one is kept in the cache for the next open (below). "
        f"ivf-sq8 takes {sq8['memory'] / ivf['memory']:.0%} of ivf's memory ({sq8['memory']:.0f} MB against "
        f"{ivf['memory']:.0f} MB) for recall@10 {sq8['recall']:.3f}; full precision fits this machine, so it was "
        f"kept. hnsw built {hnsw['vectors']:,.0f} vectors in {hnsw['build']:.1f} s ({hnsw_rate:,.0f}/s): at "
        f"least {n / hnsw_rate / 60:.1f} min for {n:,} (its build grows faster than the size), for a query that "
        f"ivf already answers well within the budget."
    )


def compare_indexes(n: int, docs: int, hnsw_max: int, queries: int = 100) -> str:
    import faiss

    from aligner.search.library_index import IndexKind, VectorIndex

    vecs = synthetic_vectors(n, docs)
    rng = np.random.default_rng(1)
    picks = rng.choice(n, size=queries, replace=False)
    noise = rng.standard_normal((queries, DIM), dtype=np.float32) / np.sqrt(DIM)
    qs = vecs[picks] + 0.8 * noise
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    truth: list[set[int]] = []
    measured: dict[str, dict[str, float]] = {}
    rows = [
        "| index | vectors | build s | memory MB | p50 ms | p95 ms | recall@10 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in IndexKind:
        size = min(n, hnsw_max) if kind is IndexKind.HNSW else n
        data = vecs[:size]
        t = time.perf_counter()
        index = VectorIndex(data, kind)
        build = time.perf_counter() - t
        memory = len(faiss.serialize_index(index._index)) / 2**20
        times, hits = [], 0
        for i, q in enumerate(qs):
            t = time.perf_counter()
            found, _ = index.search(q, 10)
            times.append((time.perf_counter() - t) * 1000)
            if kind is IndexKind.FLAT:
                truth.append(set(found.tolist()))
            elif size == n:
                hits += len(truth[i] & set(found.tolist()))
        recall = "1 (exact)" if kind is IndexKind.FLAT else (f"{hits / (10 * queries):.3f}" if size == n else "—")
        rows.append(
            f"| {kind.value} | {size:,} | {build:.1f} | {memory:.0f} | {statistics.median(times):.2f} "
            f"| {percentile(times, 0.95):.2f} | {recall} |"
        )
        measured[kind.value] = {
            "build": build, "memory": memory, "p95": percentile(times, 0.95), "vectors": size,
            "recall": 1.0 if kind is IndexKind.FLAT else hits / (10 * queries) if size == n else float("nan"),
        }  # fmt: skip
        del index
    return "\n".join(rows) + "\n\n" + choice(n, measured)


def synthetic_library(n: int, docs: int):  # type: ignore[no-untyped-def]
    """``docs`` documents (every other one Korean) of made-up sentences, ``n`` in all, with vectors."""
    from aligner.core.values import Document, Lang, Sentence

    rng = np.random.default_rng(2)
    en_words = [f"{a}{b}" for a in ("data", "cloud", "smart", "trade", "rural", "health", "pay", "plat")
                for b in ("form", "ware", "line", "zone", "city", "care", "ment", "net", "work", "er")]  # fmt: skip
    en_words += ["internet", "plus", "manufacturing", "platform", "remote", "medical", "consultation", "security"]
    ko_words = [a + b for a in ("인터넷", "스마트", "농촌", "원격", "데이터", "핀테크", "클라우드", "공장")
                for b in ("", "플러스", "진료", "산업", "규제", "컴퓨팅", "전자상거래", "플랫폼")]  # fmt: skip
    vecs = synthetic_vectors(n, docs, seed=3)
    per_doc = n // docs
    documents, vectors = [], []
    for d in range(docs):
        lang = Lang.KO if d % 2 else Lang.EN
        words = np.asarray(ko_words if lang is Lang.KO else en_words)
        picks = rng.integers(0, len(words), size=(per_doc, 10))
        sentences, pos = [], 0
        for i, row in enumerate(picks):
            text = " ".join(words[row].tolist()) + "."
            sentences.append(Sentence(i, text, pos, pos + len(text), i // 5))
            pos += len(text) + 1
        documents.append(Document(lang, "", tuple(sentences), path=f"synthetic/{d:04d}.txt"))
        vectors.append(vecs[d * per_doc : (d + 1) * per_doc])
    return documents, vectors


def whole_query(n: int, docs: int) -> str:
    from aligner.embed.vector_cache import cached_encoder
    from aligner.search.library import Library

    encoder = cached_encoder()
    encoder.load()
    before = rss_mb()
    documents, vectors = synthetic_library(n, docs)
    made = rss_mb()
    t = time.perf_counter()
    library = Library(
        documents, vectors, encoder,
        korean_lemmas=lambda texts: [frozenset(t.rstrip(".").split()) for t in texts], query_lemmas=str.split,
    )  # fmt: skip
    del vectors
    library.prepare()
    build = time.perf_counter() - t
    after = rss_mb()
    for q in QUERIES:
        encoder.encode_query(q)  # the query embedding is measured in the per-keystroke bench; here, the library
    library.search("warm up", k=10)  # faiss's threads and first allocations
    times = []
    for q in QUERIES:
        for _ in range(4):
            t = time.perf_counter()
            library.search(q, k=10)
            times.append((time.perf_counter() - t) * 1000)
    cold_q = []
    for q in QUERIES:
        t = time.perf_counter()
        library.search(q + " 2", k=10)  # a query not embedded before: the model runs too
        cold_q.append((time.perf_counter() - t) * 1000)
    kept = kept_index(library)
    return (
        f"| sentences | documents | index | build + word forms s | RSS added MB | query p50 ms | p95 ms "
        f"| with embedding p50 / p95 ms |\n|---:|---:|---|---:|---:|---:|---:|---:|\n"
        f"| {n:,} | {docs:,} | {library.index.kind.value} | {build:.1f} | {after - before:.0f} "
        f"(documents and vectors {made - before:.0f}) | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} "
        f"| {statistics.median(cold_q):.1f} / {percentile(cold_q, 0.95):.1f} |\n\n"
        f"The built index kept in the cache (what a second open of the same documents loads instead of "
        f"building):\n\n{kept}"
    )


def kept_index(library) -> str:  # type: ignore[no-untyped-def]
    """The library's index written to the cache and read back, as the session does on a second open."""
    from aligner.session.library import load_index, save_index

    index = library.index
    folder = Path(tempfile.mkdtemp(prefix="bench-related-index-"))
    try:
        path = folder / "index-bench.faiss"
        t = time.perf_counter()
        if not save_index(index, path):
            return "(could not be written)"
        wrote = time.perf_counter() - t
        size = path.stat().st_size / 2**20
        t = time.perf_counter()
        loaded = load_index(path, index.kind, len(index), index.dim)
        read = time.perf_counter() - t
        if loaded is None:
            return "(could not be read back)"
        q = library.index.vectors(np.array([0]))[0]
        same = np.array_equal(loaded.search(q, 10)[0], index.search(q, 10)[0])
        return (
            "| index | file MB | write s (fsync'ed) | load s | same neighbours |\n|---|---:|---:|---:|---|\n"
            f"| {index.kind.value} | {size:,.0f} | {wrote:.1f} | {read:.1f} | {'yes' if same else 'NO'} |"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def indexing() -> str:
    from aligner.core import cache_dir
    from aligner.session.library import open_library

    docs = [
        ROOT / "tests/data/library",
        ROOT / "tests/data/formats/kiep_ko.pdf",
        ROOT / "tests/data/formats/kiep_en.docx",
    ]
    extra = ROOT / "data/kiep_brief_en.txt"
    tmp = tempfile.mkdtemp(prefix="bench-related-")
    old = os.environ.get("ALIGNER_CACHE_DIR")
    os.environ["ALIGNER_CACHE_DIR"] = tmp
    cache_dir.forget()
    from aligner.embed import vector_cache

    vector_cache._cached.clear()
    try:
        rows = ["| run | documents | sentences | embedded | seconds | sentences/s |", "|---|---:|---:|---:|---:|---:|"]
        for label, paths in (
            ("cold (empty cache)", docs),
            ("warm (all cached)", docs),
            ("one document added", [*docs, extra]),
        ):
            t = time.perf_counter()
            opened = open_library(paths)
            took = time.perf_counter() - t
            lib = opened.library
            rows.append(
                f"| {label} | {len(lib.documents)} | {len(lib):,} | {opened.embedded} | {took:.2f} "
                f"| {len(lib) / took:,.0f} |"
            )
        return "\n".join(rows)
    finally:
        if old is None:
            os.environ.pop("ALIGNER_CACHE_DIR", None)
        else:
            os.environ["ALIGNER_CACHE_DIR"] = old
        cache_dir.forget()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sentences", type=int, default=100_000)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--hnsw-max", type=int, default=50_000)
    ap.add_argument("--only", choices=("indexes", "query", "indexing"), default=None)
    args = ap.parse_args()
    print("## Related reading: the library\n")
    if args.only in (None, "indexes"):
        print(f"Index types, {args.sentences:,} synthetic 512-d vectors in {args.docs:,} topics, 100 queries:\n")
        print(compare_indexes(args.sentences, args.docs, args.hnsw_max))
        print()
    if args.only in (None, "query"):
        print("The whole query (`Library.search`, k = 10), synthetic library, 60 queries:\n")
        print(whole_query(args.sentences, args.docs))
        print()
    if args.only in (None, "indexing"):
        print(
            "Indexing real documents (tests/data/library, kiep_ko.pdf, kiep_en.docx; "
            "then data/kiep_brief_en.txt added):\n"
        )
        print(indexing())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
