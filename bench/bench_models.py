"""Embedding models that ship inside a pip package: speed and cross-lingual retrieval.

For each model: load time, bulk embedding throughput on the KIEP sentences
(long, policy prose), the latency of one short query (median of 50), and
retrieval top-1 on the gold 1-1 pairs (Korean sentence -> its English among all
84, and back). Prints markdown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
GOLD = ROOT / "tests" / "data" / "gold" / "kiep-ko-en"  # a copy of the development gold (tests/data/README.md)


def measure(name: str) -> dict[str, float]:
    import aligner.embed.encoders as embed
    from aligner.core.values import Bead

    embed._loaded.pop(name, None)
    t = time.perf_counter()
    enc = embed.load_encoder(name)
    enc.encode(["warm up"])
    load = time.perf_counter() - t
    ko = (GOLD / "ko.txt").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "en.txt").read_text(encoding="utf-8").splitlines()
    t = time.perf_counter()
    kv, ev = enc.encode(ko), enc.encode(en)
    bulk = (len(ko) + len(en)) / (time.perf_counter() - t)
    queries = ["smart city", "스마트시티", "인공지능 발전 정책", "Hangzhou City Brain", "원격진료"]
    lat = []
    for n in range(50):
        q = f"{queries[n % len(queries)]} {n}"
        t = time.perf_counter()
        enc.encode([q])
        lat.append((time.perf_counter() - t) * 1000)
    gold = [Bead.parse(x) for x in (GOLD / "gold.align").read_text().splitlines() if x.strip()]
    pairs = [(b.src[0], b.tgt[0]) for b in gold if len(b.src) == 1 and len(b.tgt) == 1]
    sims = kv @ ev.T
    ko_en = np.mean([int(np.argmax(sims[i])) == j for i, j in pairs])
    en_ko = np.mean([int(np.argmax(sims[:, j])) == i for i, j in pairs])
    return {"load": load, "bulk": bulk, "query_ms": statistics.median(lat), "ko_en": ko_en, "en_ko": en_ko}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="use-m3,e5-small-q4")
    args = ap.parse_args()
    print("| model | load s | bulk sentences/s | one query ms (median) | top-1 ko→en | top-1 en→ko |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in args.models.split(","):
        r = measure(name)
        print(f"| {name} | {r['load']:.2f} | {r['bulk']:.0f} | {r['query_ms']:.1f} | "
              f"{r['ko_en']:.3f} | {r['en_ko']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
