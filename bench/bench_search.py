"""Search latency on the KIEP sample: every prefix of realistic queries, as typed.

Measures the headless search (query embedding + faiss + literal + morpheme) for
each keystroke's prefix, and prints p50/p95/max in milliseconds as markdown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

QUERIES = [
    "smart city", "스마트시티", "인공지능 발전 정책", "Hangzhou City Brain", "추진하다",
    "artificial intelligence open platform", "원격진료", "4th Industrial Revolution",
    "데이터자원 관리국", "government procurement",
]


def measure() -> list[float]:
    from aligner.core.paths import sample_paths
    from aligner.session.workspace import open_pair

    ws = open_pair(*sample_paths())
    ws.encoder.load()
    ws.searcher.prepare()
    ws.search("warm up")
    times: list[float] = []
    for q in QUERIES:
        for n in range(1, len(q) + 1):
            t = time.perf_counter()
            ws.search(q[:n], k=20)
            times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.parse_args()
    print_latencies(measure())
    return 0


def print_latencies(times: list[float]) -> None:
    """The Markdown table of keystroke latencies (ms) that BENCHMARKS.md shows."""
    times = sorted(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print("| keystrokes | p50 ms | p95 ms | max ms |")
    print("|---:|---:|---:|---:|")
    print(f"| {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")


if __name__ == "__main__":
    raise SystemExit(main())
