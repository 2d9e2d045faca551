#!/usr/bin/env python3
"""Corpus-mode throughput: 1 worker, 2 local worker processes, Dask with 2 workers.

    python bench/bench_corpus.py [--docs 50] [--beads 10] [--stride 7]

The corpus is cut from the KIEP dev gold (tests/test_corpus.py ``make_corpus``):
``--docs`` pairs of ``--beads`` consecutive gold beads, one window every
``--stride`` beads (wrapping around the 86 beads). Every configuration runs the
real CLI (``python -m aligner corpus``) in a fresh process with a fresh cache and
a fresh copy of the inputs, so the wall time includes start-up, model loads
and, for Dask, starting a local cluster (``--engine dask`` without
``--address``). The 86 gold beads repeat across 50 documents: after the first
pass over the text most sentence embeddings come from the cache, as when an
archive holds overlapping texts; the breakdown table measures each stage cold.
Prints Markdown on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

CONFIGS = (
    ("1 worker (in-process)", ("--workers", "1")),
    ("2 local worker processes", ("--workers", "2")),
    ("Dask, local cluster of 2 workers", ("--engine", "dask", "--workers", "2")),
)


def _run(corpus: Path, work: Path, name: str, extra: tuple[str, ...]) -> dict[str, float]:
    inputs = work / f"in-{name}"
    shutil.copytree(corpus, inputs)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ALIGNER_CACHE_DIR=str(work / f"cache-{name}"))
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "aligner", "corpus", str(inputs), "-o", str(work / f"out-{name}"),
                          "-q", "--no-projects", *extra], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"corpus run {name} failed: {res.stderr}")
    lines = (work / f"out-{name}" / "report.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in (work / f"out-{name}" / "parts").glob("*.json")]
    return {
        "wall": wall,
        "docs": len(rows),
        "sentences": sum(int(r["ko_sentences"]) + int(r["en_sentences"]) for r in rows),
        "pairs": sum(int(r["tm_units"]) for r in rows),
        "job_seconds": sum(p["result"]["seconds"] for p in parts),
        "tmx": (work / f"out-{name}" / "corpus.tmx").read_bytes(),  # type: ignore[dict-item]
    }


def _stages(corpus: Path, work: Path) -> dict[str, float]:
    """One pass over the corpus in this process, cold caches: where a document's time goes."""
    os.environ["ALIGNER_CACHE_DIR"] = str(work / "cache-stages")
    from aligner.align.documents import align_documents
    from aligner.corpus.manifest import load_corpus
    from aligner.embed.vector_cache import cached_encoder
    from aligner.session.workspace import load_pair

    t = time.perf_counter()
    encoder = cached_encoder()
    encoder.load()
    out = {"model load": time.perf_counter() - t, "read + segment": 0.0, "embed": 0.0, "align": 0.0}
    for entry in load_corpus(corpus).entries:
        t = time.perf_counter()
        ko, en = load_pair(entry.ko, entry.en)
        out["read + segment"] += time.perf_counter() - t
        t = time.perf_counter()
        encoder.encode(ko.texts)
        encoder.encode(en.texts)
        out["embed"] += time.perf_counter() - t
        t = time.perf_counter()
        align_documents(ko, en, encoder)  # embeddings now cached: the DP and scoring alone
        out["align"] += time.perf_counter() - t
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=50)
    ap.add_argument("--beads", type=int, default=10)
    ap.add_argument("--stride", type=int, default=7)
    args = ap.parse_args()
    from tests.test_corpus import make_corpus

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        work = Path(tmp)
        make_corpus(work / "corpus", args.docs, args.beads, args.stride)
        results = []
        for label, extra in CONFIGS:
            print(f"== corpus: {label}", file=sys.stderr, flush=True)
            results.append((label, _run(work / "corpus", work, str(len(results)), extra)))
        stages = _stages(work / "corpus", work)
    same = all(r["tmx"] == results[0][1]["tmx"] for _, r in results)
    first = results[0][1]
    lines = [
        "## Corpus mode",
        "",
        f"{int(first['docs'])} document pairs (Korean .txt, English alternately .txt and .md) cut from the "
        f"KIEP gold ({int(first['sentences'])} sentences, "
        f"{int(first['pairs'])} TM units), `aligner corpus` end to end in a fresh process and cache "
        f"(start-up, model load per worker and, for Dask, starting the cluster included). "
        f"Identical TMX from every configuration: {'yes' if same else 'NO'}.",
        "",
        "| configuration | wall s | sentence pairs/s | sentences/s | documents/s | sum of job s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in results:
        lines.append(
            f"| {label} | {r['wall']:.1f} | {r['pairs'] / r['wall']:.1f} | {r['sentences'] / r['wall']:.0f} "
            f"| {r['docs'] / r['wall']:.2f} | {r['job_seconds']:.1f} |"
        )
    total = sum(stages.values())
    lines += ["", "Where one worker's time goes (same corpus, one process, cold caches):", "",
              "| stage | seconds | share |", "| --- | ---: | ---: |"]
    lines += [f"| {k} | {v:.2f} | {v / total:.0%} |" for k, v in stages.items()]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
